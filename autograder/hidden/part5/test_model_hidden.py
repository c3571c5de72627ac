"""Hidden tests for ModernBlock and ModernLM: the cache through blocks, float32, causality, cached generation."""

import pytest
import torch

from assignments.part5.tests.modern_oracles import block_oracle, block_state, greedy_oracle, lm_oracle, lm_state
from autograder.hidden.part3.gradients import expect_reference_gradients
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close, expect_equal
from autograder.trusted.harness.modules import build
from autograder.trusted.harness.tolerances import Depth

CONFIGS = [
    {"vocab_size": 9, "d_model": 8, "n_layers": 1, "n_heads": 2, "n_kv_heads": 2, "d_ff": 8},
    {"vocab_size": 17, "d_model": 12, "n_layers": 3, "n_heads": 3, "n_kv_heads": 1, "d_ff": 20, "window": 2},
]


@graded("ModernBlock", points=2)
def test_modernblock_cache_passes_through(impl, device, gen):
    """a block fed 5 positions then 2 with the cache equals the full forward; the cache is the attention's"""
    state = block_state(12, 6, 2, 10, gen)
    block = build(impl, "ModernBlock", (12, 6, 2, 10), state, device, window=3)
    x = randn(2, 7, 12, gen=gen, device=device, dtype=torch.float64)
    expected, (k, _) = block_oracle(state, 6, 2, x, window=3)
    first, kv = block(x[:, :5])
    second, kv = block(x[:, 5:], kv)
    expect_close(
        torch.cat([first, second], dim=1), expected.to(device), case="5 + 2 cached positions", depth=Depth.CHAIN,
        inputs={"x": x}, cause="hand past_kv to attn and return attn's present_kv",
    )  # fmt: skip
    expect_close(kv[0], k.to(device), case="present keys", depth=Depth.CHAIN, cause="the keys of attn, rotated")


@graded("ModernBlock", points=2)
def test_modernblock_gradients_match_reference(impl, ref, device, gen):
    """every parameter, both norms included, gets the reference's gradient"""
    state = block_state(8, 2, 1, 12, gen)
    block = build(impl, "ModernBlock", (8, 2, 1, 12), state, device)
    reference = build(ref, "ModernBlock", (8, 2, 1, 12), state, "cpu")
    x = randn(2, 4, 8, gen=gen, device=device, dtype=torch.float64)
    expect_reference_gradients(
        impl, ref, "ModernBlock", block, reference, x, device=device, inputs={"x": x},
        cause="h = x + attn(attn_norm(x)); y = h + ffn(ffn_norm(h))",
        unused_cause="attn_norm, attn, ffn_norm and ffn must all take part",
    )  # fmt: skip


def _model(impl, device, gen, config, dtype=torch.float64):
    state = lm_state(config, gen)
    return build(impl, "ModernLM", (), state, device, dtype, **config), state


@pytest.mark.parametrize("config", CONFIGS, ids=["1-layer", "3-layer-window2"])
@graded("ModernLM", points=2)
def test_modernlm_logits_and_cached_chunks(impl, device, gen, config):
    """logits match the oracle, and 9 tokens as 1 + 5 + 3 cached calls give the same logits"""
    model, state = _model(impl, device, gen, config)
    idx = torch.randint(0, config["vocab_size"], (3, 9), generator=gen).to(device)
    full, _ = model(idx)
    expect_close(
        full, lm_oracle(state, config, idx)[0].to(device), case="logits", depth=Depth.CHAIN, inputs={"idx": idx},
        cause="tok_emb, the blocks, norm, head; no position embedding",
    )  # fmt: skip
    outs, kvs = [], None
    for start, stop in ((0, 1), (1, 6), (6, 9)):
        logits, kvs = model(idx[:, start:stop], kvs)
        outs.append(logits)
    expect_close(
        torch.cat(outs, dim=1), full, case="1 + 5 + 3 cached calls vs one", depth=Depth.CHAIN, inputs={"idx": idx},
        cause="block i continues past_kvs[i]",
    )  # fmt: skip


@graded("ModernLM", points=2)
def test_modernlm_float32_matches_reference(impl, ref, device, gen):
    """a float32 model against the reference in float64"""
    config = CONFIGS[1]
    model, state = _model(impl, device, gen, config, torch.float32)
    reference = build(ref, "ModernLM", (), state, "cpu", **config)
    idx = torch.randint(0, config["vocab_size"], (2, 10), generator=gen).to(device)
    expect_close(
        model(idx)[0], reference(idx.cpu())[0].float().to(device), case="float32 logits", depth=Depth.CHAIN,
        inputs={"idx": idx}, cause="everything in the module's own dtype",
    )  # fmt: skip


@graded("ModernLM", points=2)
def test_modernlm_is_causal(impl, device, gen):
    """changing the last token leaves every earlier position's logits unchanged"""
    model, _ = _model(impl, device, gen, CONFIGS[1])
    idx = torch.randint(0, 17, (2, 8), generator=gen).to(device)
    changed = idx.clone()
    changed[:, -1] = (changed[:, -1] + 1) % 17
    expect_close(
        model(changed)[0][:, :-1], model(idx)[0][:, :-1], case="logits before the changed token", depth=Depth.EXACT,
        inputs={"idx": idx}, cause="the mask must hide later keys from every query",
    )  # fmt: skip


@graded("ModernLM", points=3)
def test_modernlm_batched_generate_with_a_window(impl, device, gen):
    """batch 3, window 2, 3 layers, 8 new tokens: recomputation's tokens, 1 row per sequence per step"""
    config = CONFIGS[1]
    model, state = _model(impl, device, gen, config)
    idx = torch.randint(0, config["vocab_size"], (3, 4), generator=gen).to(device)
    tokens, embedded, queried = impl.probe("ModernLM", "rows_per_forward", model, idx, 8)
    expect_equal(
        tokens, greedy_oracle(state, config, idx, 8).to(device), case="generate(3 prompts of 4, 8 new)",
        cause="greedy: argmax of the last position, appended; every sequence of the batch at once",
    )  # fmt: skip
    steps = [rows for rows in (embedded, queried)]
    ok = all(rows[:1] == [12] and rows[1:] == [3] * (len(rows) - 1) and len(rows) in (8, 9) for rows in steps)
    expect(
        ok,
        case="rows reaching tok_emb and q_proj per forward",
        expected="[12, 3, 3, 3, 3, 3, 3, 3]: the 3 x 4 prompt, then one token per sequence per step",
        got=f"tok_emb {embedded}, q_proj {queried}",
        cause="feed only the newest token with the cache; never the whole sequence again",
    )
