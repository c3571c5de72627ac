"""Public tests for MultiHeadAttention (slides, section 6: the Transformer, at a glance)."""

import torch

from assignments.part3.tests.transformer_oracles import mha_oracle, mha_state, op_count
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.modules import build
from autograder.trusted.harness.tolerances import Depth

KEYS = sorted(f"{n}_proj.{p}" for n in ("q", "k", "v", "out") for p in ("weight", "bias"))


@graded("MultiHeadAttention", points=2)
def test_multiheadattention_attributes_and_state_dict(impl):
    """n_heads, d_head and the eight q/k/v/out_proj state_dict keys of the contract"""
    mha = impl.MultiHeadAttention(12, 3)
    expect(
        mha.n_heads == 3 and mha.d_head == 4,
        case="MultiHeadAttention(12, 3)",
        expected="n_heads 3, d_head 4",
        got=f"n_heads {mha.n_heads}, d_head {mha.d_head}",
        cause="d_head = d_model // n_heads",
    )
    state = mha.state_dict()
    expect(
        sorted(state) == KEYS,
        case="state_dict keys",
        expected=str(KEYS),
        got=str(sorted(state)),
        cause="four nn.Linear(d_model, d_model) with bias named q_proj, k_proj, v_proj, out_proj",
    )
    shapes = {k: tuple(v.shape) for k, v in state.items()}
    expect(
        all(shapes[k] == ((12, 12) if k.endswith("weight") else (12,)) for k in KEYS),
        case="parameter shapes",
        expected="(12, 12) weights, (12,) biases",
        got=str(shapes),
        cause="each projection maps d_model to d_model",
    )


@graded("MultiHeadAttention", points=4)
def test_multiheadattention_self_attention_matches_pytorch(impl, device, gen):
    """self-attention with 4 heads on (2, 5, 16) matches nn.MultiheadAttention in float64"""
    state = mha_state(16, gen)
    mha = build(impl, "MultiHeadAttention", (16, 4), state, device)
    x = randn(2, 5, 16, gen=gen, device=device, dtype=torch.float64)
    expect_close(
        mha(x),
        mha_oracle(state, 4, x).to(device),
        case="4-head self-attention",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="head h uses features [h*d_head, (h+1)*d_head): reshape to (B, T, n_heads, d_head), then "
        "transpose to (B, n_heads, T, d_head); scale by sqrt(d_head); finish with out_proj",
    )


@graded("MultiHeadAttention", points=3)
def test_multiheadattention_cross_attention_with_mask(impl, device, gen):
    """queries from x (2, 3, 8), keys and values from a context of length 5, with a (3, 5) mask"""
    state = mha_state(8, gen)
    mha = build(impl, "MultiHeadAttention", (8, 2), state, device)
    x = randn(2, 3, 8, gen=gen, device=device, dtype=torch.float64)
    context = randn(2, 5, 8, gen=gen, device=device, dtype=torch.float64)
    mask = torch.tensor([[1, 0, 1, 0, 1], [1, 1, 1, 1, 1], [0, 0, 0, 0, 1]], dtype=torch.bool, device=device)
    expect_close(
        mha(x, context=context, mask=mask),
        mha_oracle(state, 2, x, context, mask).to(device),
        case="cross-attention with a (3, 5) mask",
        depth=Depth.CHAIN,
        inputs={"x": x, "context": context, "mask": mask},
        cause="queries come from x, keys and values from context; pass the mask to the attention",
    )


@graded("MultiHeadAttention", points=2)
def test_multiheadattention_no_python_loops(impl, device, gen):
    """the number of tensor operations does not grow with batch, sequence length or number of heads"""
    counts = []
    for B, T, heads in ((1, 2, 2), (3, 7, 8)):
        mha = impl.MultiHeadAttention(16, heads)
        mha.to(device)
        counts.append(op_count(impl, mha, randn(B, T, 16, gen=gen, device=device)))
    expect(
        counts[0] == counts[1],
        case="operation count for (B, T, heads) = (1, 2, 2) vs (3, 7, 8)",
        expected="the same number of torch calls",
        got=f"{counts[0]} vs {counts[1]}",
        cause="a Python loop over heads (or batch items, positions): reshape to (B, n_heads, T, d_head) and "
        "run all heads in one batched attention call",
    )
