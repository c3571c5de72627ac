"""Public tests for FeedForward and TransformerBlock (slides, section 6: the Transformer, at a glance)."""

import torch

from assignments.part3.tests.transformer_oracles import block_oracle, block_state, ff_oracle, ff_state
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.modules import build
from autograder.trusted.harness.tolerances import Depth


@graded("FeedForward", points=1)
def test_feedforward_state_dict(impl):
    """fc1 maps d_model -> d_ff and fc2 maps d_ff -> d_model"""
    shapes = {k: tuple(v.shape) for k, v in impl.FeedForward(4, 10).state_dict().items()}
    expected = {"fc1.weight": (10, 4), "fc1.bias": (10,), "fc2.weight": (4, 10), "fc2.bias": (4,)}
    expect(
        shapes == expected,
        case="FeedForward(4, 10).state_dict()",
        expected=str(expected),
        got=str(shapes),
        cause="fc1 = nn.Linear(d_model, d_ff), fc2 = nn.Linear(d_ff, d_model)",
    )


@graded("FeedForward", points=2)
def test_feedforward_matches_formula(impl, device, gen):
    """fc2(relu(fc1(x))) on a (2, 3, 6) input"""
    state = ff_state(6, 12, gen)
    ff = build(impl, "FeedForward", (6, 12), state, device)
    x = randn(2, 3, 6, gen=gen, device=device, dtype=torch.float64)
    expect_close(
        ff(x),
        ff_oracle(state, x).to(device),
        case="FeedForward(6, 12)",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="widen with fc1, torch.relu, narrow with fc2",
    )


@graded("TransformerBlock", points=1)
def test_transformerblock_state_dict_keys(impl):
    """submodules ln1, attn, ln2, ff with the keys of the contract"""
    keys = sorted(impl.TransformerBlock(8, 2, 16).state_dict())
    expected = sorted(block_state(8, 16, torch.Generator().manual_seed(0)))
    expect(
        keys == expected,
        case="TransformerBlock(8, 2, 16).state_dict() keys",
        expected=str(expected),
        got=str(keys),
        cause="name the submodules ln1, attn, ln2 and ff exactly",
    )


@graded("TransformerBlock", points=4)
def test_transformerblock_pre_norm_with_causal_mask(impl, device, gen):
    """x + attn(ln1(x), mask), then + ff(ln2(.)), on (2, 6, 8) with a causal mask, in float64"""
    state = block_state(8, 16, gen)
    block = build(impl, "TransformerBlock", (8, 2, 16), state, device)
    x = randn(2, 6, 8, gen=gen, device=device, dtype=torch.float64)
    mask = torch.ones(6, 6, dtype=torch.bool, device=device).tril()
    expect_close(
        block(x, mask=mask),
        block_oracle(state, 2, x, mask).to(device),
        case="pre-norm block, causal mask",
        depth=Depth.CHAIN,
        inputs={"x": x, "mask": mask},
        cause="pre-norm: normalise the input of each sub-layer, add its output to the un-normalised x "
        "(residual), and pass mask to the attention",
    )
