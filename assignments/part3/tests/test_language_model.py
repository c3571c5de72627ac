"""Public tests for TransformerLM (slides, section 6: decoder self-attention, "autoregressive via masking")."""

import torch

from assignments.part3.tests.transformer_oracles import lm_oracle, lm_state
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close, expect_equal
from autograder.trusted.harness.modules import build
from autograder.trusted.harness.tolerances import Depth

CONFIG = {"vocab_size": 11, "d_model": 8, "n_heads": 2, "d_ff": 16, "n_layers": 2, "max_len": 6}


def _lm(impl, device, gen):
    c = CONFIG
    state = lm_state(c["vocab_size"], c["d_model"], c["d_ff"], c["n_layers"], c["max_len"], gen)
    return build(impl, "TransformerLM", (), state, device, **c), state


def _tokens(gen, *shape, device):
    return torch.randint(0, CONFIG["vocab_size"], shape, generator=gen).to(device)


@graded("TransformerLM", points=1)
def test_transformerlm_state_dict_keys(impl):
    """tok_emb, pos_emb, blocks.<i>..., ln_f and head (no bias), as in the contract"""
    c = CONFIG
    keys = sorted(impl.TransformerLM(**c).state_dict())
    expected = sorted(
        lm_state(
            c["vocab_size"], c["d_model"], c["d_ff"], c["n_layers"], c["max_len"], torch.Generator().manual_seed(0)
        )
    )
    expect(
        keys == expected,
        case="TransformerLM state_dict keys",
        expected=str(expected),
        got=str(keys),
        cause="blocks must be an nn.ModuleList; head = nn.Linear(d_model, vocab_size, bias=False)",
    )


@graded("TransformerLM", points=4)
def test_transformerlm_logits_match_pytorch(impl, device, gen):
    """logits of a 2-layer model on (3, 6) tokens match a float64 model built from PyTorch's modules"""
    model, state = _lm(impl, device, gen)
    idx = _tokens(gen, 3, 6, device=device)
    expect_close(
        model(idx),
        lm_oracle(state, CONFIG["n_heads"], idx).to(device),
        case="logits of TransformerLM",
        depth=Depth.CHAIN,
        inputs={"idx": idx},
        cause="token embedding + position embedding of arange(T), blocks under causal_mask(T), ln_f, head",
    )


@graded("TransformerLM", points=3)
def test_transformerlm_is_causal(impl, device, gen):
    """changing the last token leaves the logits of every earlier position unchanged"""
    model, _ = _lm(impl, device, gen)
    idx = _tokens(gen, 2, 6, device=device)
    changed = idx.clone()
    changed[:, -1] = (idx[:, -1] + 1) % CONFIG["vocab_size"]
    before, after = model(idx).detach(), model(changed).detach()
    expect_close(
        after[:, :-1],
        before[:, :-1],
        case="logits at positions 0..4 after changing token 5",
        depth=Depth.CHAIN,
        inputs={"idx": idx},
        cause="the model must always apply causal_mask(T): position t may not see tokens after t",
    )


@graded("TransformerLM", points=3)
def test_transformerlm_generate_is_greedy(impl, device, gen):
    """generate keeps the prompt and appends, each time, the argmax of the last position's logits"""
    model, _ = _lm(impl, device, gen)
    prompt = _tokens(gen, 2, 3, device=device)
    out = model.generate(prompt, 2)
    expect(
        isinstance(out, torch.Tensor) and tuple(out.shape) == (2, 5),
        case="generate(prompt (2, 3), 2)",
        expected="a (2, 5) tensor",
        got=str(getattr(out, "shape", type(out).__name__)),
        cause="return torch.cat([prompt, new tokens], dim=1)",
    )
    expect_equal(out[:, :3], prompt, case="the first 3 tokens of generate's result", cause="keep the prompt")
    for t in (3, 4):
        greedy = model(out[:, :t]).detach()[:, -1].argmax(dim=-1)
        expect_equal(
            out[:, t],
            greedy,
            case=f"token {t} of the continuation",
            cause="greedy: argmax over the vocabulary of the LAST position's logits, no sampling",
        )


@graded("TransformerLM", points=2)
def test_transformerlm_generate_crops_to_max_len(impl, device, gen):
    """a prompt longer than max_len = 6 is continued from its last 6 tokens"""
    model, _ = _lm(impl, device, gen)
    prompt = _tokens(gen, 1, 9, device=device)
    out = model.generate(prompt, 3)
    expect(
        tuple(out.shape) == (1, 12),
        case="generate(prompt (1, 9), 3) with max_len 6",
        expected="shape (1, 12)",
        got=str(tuple(out.shape)),
        cause="append to the full sequence, but feed the model only idx[:, -max_len:]",
    )
    for t in (9, 10, 11):
        greedy = model(out[:, t - 6 : t]).detach()[:, -1].argmax(dim=-1)
        expect_equal(
            out[:, t],
            greedy,
            case=f"token {t}: the argmax given tokens {t - 6}..{t - 1}",
            cause="each step conditions on at most the last max_len tokens",
        )
