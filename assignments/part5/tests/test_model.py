"""Public tests for ModernBlock and ModernLM: the oracle's outputs, cached chunks, and generation with the cache."""

import torch

from assignments.part5.tests.modern_oracles import block_oracle, block_state, greedy_oracle, lm_oracle, lm_state
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close, expect_equal
from autograder.trusted.harness.modules import build
from autograder.trusted.harness.tolerances import Depth

CONFIG = {"vocab_size": 11, "d_model": 8, "n_layers": 2, "n_heads": 2, "n_kv_heads": 1, "d_ff": 12, "window": 4}


@graded("ModernBlock", points=3)
def test_modernblock_matches_the_oracle(impl, device, gen):
    """pre-norm block on (2, 5, 8): h = x + attn(attn_norm(x)); y = h + ffn(ffn_norm(h))"""
    state = block_state(8, 4, 2, 16, gen)
    block = build(impl, "ModernBlock", (8, 4, 2, 16), state, device)
    x = randn(2, 5, 8, gen=gen, device=device, dtype=torch.float64)
    y, _ = block(x)
    expect_close(
        y,
        block_oracle(state, 4, 2, x)[0].to(device),
        case="ModernBlock(8, 4, 2, 16)",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="attn returns (out, present_kv): add out to x; each sub-layer normalises its own input first",
    )


def _model(impl, device, gen, config=CONFIG):
    state = lm_state(config, gen)
    return build(impl, "ModernLM", (), state, device, **config), state


@graded("ModernLM", points=3)
def test_modernlm_logits_match_the_oracle(impl, device, gen):
    """logits of (2, 6) random tokens, 2 layers with window 4, match the PyTorch-op oracle in float64"""
    model, state = _model(impl, device, gen)
    idx = torch.randint(0, 11, (2, 6), generator=gen).to(device)
    logits, kvs = model(idx)
    expect_close(
        logits,
        lm_oracle(state, CONFIG, idx)[0].to(device),
        case="ModernLM logits",
        depth=Depth.CHAIN,
        inputs={"idx": idx},
        cause="tok_emb (no position embedding), the blocks, norm, head",
    )
    expect(
        isinstance(kvs, list) and len(kvs) == 2,
        case="present_kvs",
        expected="a list of 2 (k, v) pairs, one per block",
        got=f"{type(kvs).__name__} of length {len(kvs) if hasattr(kvs, '__len__') else '?'}",
    )


@graded("ModernLM", points=3)
def test_modernlm_cached_chunks_equal_the_full_forward(impl, device, gen):
    """7 tokens as 4, then 2, then 1, each continuing the previous call's present_kvs, give the full logits"""
    model, _ = _model(impl, device, gen)
    idx = torch.randint(0, 11, (2, 7), generator=gen).to(device)
    full, _ = model(idx)
    outs, kvs = [], None
    for start, stop in ((0, 4), (4, 6), (6, 7)):
        logits, kvs = model(idx[:, start:stop], kvs)
        outs.append(logits)
    expect_close(
        torch.cat(outs, dim=1),
        full,
        case="chunked vs full logits",
        depth=Depth.CHAIN,
        inputs={"idx": idx},
        cause="hand block i past_kvs[i]; every block's attention places the new tokens after the cached ones",
    )


@graded("ModernLM", points=3)
def test_modernlm_generate_uses_the_cache_and_matches_recomputation(impl, device, gen):
    """greedy generate of 6 tokens equals recomputing from scratch, and feeds one token per step after the prompt"""
    model, state = _model(impl, device, gen)
    idx = torch.randint(0, 11, (1, 3), generator=gen).to(device)
    tokens, embedded, queried = impl.probe("ModernLM", "rows_per_forward", model, idx, 6)
    expect_equal(
        tokens,
        greedy_oracle(state, CONFIG, idx, 6).to(device),
        case="generate(prompt of 3, 6 new tokens)",
        cause="argmax of the last position's logits, appended, 6 times",
    )
    one_per_step = all(rows[:1] == [3] and rows[1:] == [1] * (len(rows) - 1) for rows in (embedded, queried))
    expect(
        one_per_step and len(embedded) in (6, 7) and len(queried) in (6, 7),
        case="token rows reaching tok_emb and the first block's q_proj in each forward call",
        expected="[3, 1, 1, 1, 1, 1] (a seventh 1 is allowed): the prompt once, then one new token per step",
        got=f"tok_emb {embedded}, q_proj {queried}",
        cause="after the prompt, run only the newest token, (B, 1), with the cache of the previous call",
    )
