"""Hidden tests for TransformerLM: logits against the reference, causality at every position, generate, gradients,
op counts, and a model that learns the standard library's docstrings."""

import pytest
import torch

from assignments.part3.tests.transformer_oracles import lm_oracle, lm_state, op_count
from autograder.hidden.part3.gradients import expect_reference_gradients
from autograder.trusted.harness import graded
from autograder.trusted.harness import train_lm as recipe
from autograder.trusted.harness.checks import expect, expect_close, expect_equal
from autograder.trusted.harness.modules import build
from autograder.trusted.harness.tolerances import Depth

CONFIGS = [
    {"vocab_size": 7, "d_model": 4, "n_heads": 1, "d_ff": 8, "n_layers": 1, "max_len": 5},
    {"vocab_size": 13, "d_model": 12, "n_heads": 3, "d_ff": 20, "n_layers": 3, "max_len": 10},
]
CONFIG = CONFIGS[1]
LM_CAUSE = "tok_emb(idx) + pos_emb(arange(T)), every block with causal_mask(T), then ln_f and head"


def _models(impl, ref, device, gen, config=CONFIG, dtype=torch.float64):
    c = config
    state = lm_state(c["vocab_size"], c["d_model"], c["d_ff"], c["n_layers"], c["max_len"], gen)
    model = build(impl, "TransformerLM", (), state, device, dtype, **c)
    reference = build(ref, "TransformerLM", (), state, "cpu", **c)
    return model, reference, state


def _tokens(gen, *shape, config=CONFIG, device="cpu"):
    return torch.randint(0, config["vocab_size"], shape, generator=gen).to(device)


@pytest.mark.parametrize("config", CONFIGS, ids=["1-layer", "3-layer"])
@graded("TransformerLM", points=3)
def test_transformerlm_logits_match_reference_and_pytorch(impl, ref, device, gen, config):
    """logits for random tokens, up to max_len long, match the reference and a PyTorch-module oracle (float64)"""
    model, reference, state = _models(impl, ref, device, gen, config)
    for T in (1, config["max_len"]):
        idx = _tokens(gen, 3, T, config=config, device=device)
        got = model(idx)
        expect_close(
            got,
            reference(idx.cpu()).detach().to(device),
            case=f"logits for T={T}",
            depth=Depth.CHAIN,
            inputs={"idx": idx},
            cause=LM_CAUSE,
        )
        expect_close(
            got,
            lm_oracle(state, config["n_heads"], idx).to(device),
            case=f"logits for T={T} (PyTorch)",
            depth=Depth.CHAIN,
            inputs={"idx": idx},
            cause=LM_CAUSE,
        )


@graded("TransformerLM", points=2)
def test_transformerlm_float32_matches_reference(impl, ref, device, gen):
    """a float32 model against the reference in float64"""
    model, reference, _ = _models(impl, ref, device, gen, dtype=torch.float32)
    idx = _tokens(gen, 2, 8, device=device)
    expect_close(
        model(idx),
        reference(idx.cpu()).detach().float().to(device),
        case="float32 logits",
        depth=Depth.CHAIN,
        inputs={"idx": idx},
        cause=LM_CAUSE,
    )


@graded("TransformerLM", points=3)
def test_transformerlm_causal_at_every_position(impl, ref, device, gen):
    """changing token t leaves logits at positions < t unchanged, for every t"""
    model, _, _ = _models(impl, ref, device, gen)
    idx = _tokens(gen, 2, CONFIG["max_len"], device=device)
    base = model(idx).detach()
    for t in range(1, CONFIG["max_len"]):
        changed = idx.clone()
        changed[:, t] = (idx[:, t] + 1 + t) % CONFIG["vocab_size"]
        expect_close(
            model(changed).detach()[:, :t],
            base[:, :t],
            case=f"logits before position {t} after changing it",
            depth=Depth.CHAIN,
            inputs={"idx": idx},
            cause="apply causal_mask(T) in every block, always",
        )


@graded("TransformerLM", points=2)
def test_transformerlm_positions_matter(impl, ref, device, gen):
    """a sequence of one repeated token gets different logits at different positions"""
    model, reference, _ = _models(impl, ref, device, gen)
    idx = torch.full((1, 6), 3, dtype=torch.int64, device=device)
    expect_close(
        model(idx),
        reference(idx.cpu()).detach().to(device),
        case="logits of a repeated token",
        depth=Depth.CHAIN,
        inputs={"idx": idx},
        cause="add pos_emb(torch.arange(T)) to the token embeddings",
    )


@graded("TransformerLM", points=3)
def test_transformerlm_generate_matches_reference(impl, ref, device, gen):
    """greedy continuations of short and longer-than-max_len prompts equal the reference's"""
    model, reference, _ = _models(impl, ref, device, gen)
    for length, new in ((1, 4), (4, 12), (15, 5)):
        prompt = _tokens(gen, 3, length, device=device)
        expect_equal(
            model.generate(prompt, new),
            reference.generate(prompt.cpu(), new).to(device),
            case=f"generate({length}-token prompt, {new}) with max_len {CONFIG['max_len']}",
            inputs={"prompt": prompt},
            cause="argmax of the last position's logits, the window cropped to the last max_len tokens",
        )


@graded("TransformerLM", points=3)
def test_transformerlm_gradients_reach_every_parameter(impl, ref, device, gen):
    """every parameter (embeddings, all blocks, ln_f, head) gets the reference's gradient"""
    model, reference, _ = _models(impl, ref, device, gen)
    idx = _tokens(gen, 2, 7, device=device)
    expect_reference_gradients(
        impl, ref, "TransformerLM", model, reference, idx, device=device, inputs={"idx": idx}, cause=LM_CAUSE,
        unused_cause="use every block, the position embedding, ln_f and head in forward",
    )  # fmt: skip


@graded("TransformerLM", points=2)
def test_transformerlm_op_count_constant(impl, device, gen):
    """forward's operation count does not grow with batch or length; generate's grows by a constant per token"""
    model = impl.TransformerLM(**CONFIG)
    model.to(device)
    model.eval()
    counts = [op_count(impl, model, _tokens(gen, B, T, device=device)) for B, T in ((1, 1), (4, 10))]
    expect(
        counts[0] == counts[1],
        case="forward: operation count for (1, 1) vs (4, 10) tokens",
        expected="equal counts",
        got=f"{counts[0]} vs {counts[1]}",
        cause="a Python loop over batch items or tokens",
    )
    for B in (1, 3):
        prompt = _tokens(gen, B, 2, device=device)
        steps = [op_count(impl, model.generate, prompt, n) for n in (1, 2, 3, 4)]
        per_token = {b - a for a, b in zip(steps, steps[1:], strict=False)}
        expect(
            len(per_token) == 1,
            case=f"generate: operation counts for 1..4 new tokens (batch {B})",
            expected="the same number of operations for each new token",
            got=str(steps),
            cause="one forward pass per new token, on the whole batch at once",
        )
    counts = [op_count(impl, model.generate, _tokens(gen, B, 3, device=device), 2) for B in (1, 5)]
    expect(
        counts[0] == counts[1],
        case="generate: operation count for batch 1 vs batch 5",
        expected="equal counts",
        got=f"{counts[0]} vs {counts[1]}",
        cause="a Python loop over the batch",
    )


@graded("TransformerLM", points=5)
def test_transformerlm_learns_stdlib_docstrings(impl):
    """a small model trained briefly on CPU beats the unigram baseline on held-out text, then continues a prompt"""
    data = recipe.corpus()
    vocab = data.tokenizer.vocab_size
    torch.manual_seed(0)
    model = impl.TransformerLM(vocab_size=vocab, **recipe.LM_CONFIG)
    impl.probe("TransformerLM", "train_language_model", model, data.train, **recipe.TRAINING)
    x_val, y_val = recipe.validation_windows(data.val, recipe.VAL_WINDOWS, recipe.TRAINING["block_size"])
    model.eval()
    val_loss = recipe.cross_entropy(model(x_val), y_val)
    baseline = recipe.unigram_baseline(data.train, data.val, vocab)
    expect(
        val_loss < baseline - recipe.MARGIN,
        case=f"validation loss after {recipe.TRAINING['steps']} training steps",
        expected=f"below {baseline - recipe.MARGIN:.3f} (unigram baseline {baseline:.3f} minus {recipe.MARGIN} nats)",
        got=f"{val_loss:.3f}",
        cause="if it did not learn, check causality, the residual connections and that "
        "forward returns raw logits (no softmax)",
    )
    prompt = data.tokenizer.encode(recipe.PROMPT)[None, :]
    out = model.generate(prompt, 40)
    expect_equal(out[:, : prompt.shape[1]], prompt, case="generate keeps the prompt", cause="keep the prompt")
    text = data.tokenizer.decode(out[0, prompt.shape[1] :])
    letters = sum(c.isalpha() or c == " " for c in text) / max(len(text), 1)
    expect(
        len(text) == 40 and letters >= 0.8,
        case=f"greedy continuation of {recipe.PROMPT!r}",
        expected="40 new characters, mostly letters and spaces",
        got=repr(text),
        cause="greedy generation takes the argmax of the last position's logits",
    )
