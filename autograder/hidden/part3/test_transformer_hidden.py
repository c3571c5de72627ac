"""Hidden tests for FeedForward and TransformerBlock: masks, float32, eval-mode dropout, gradients everywhere."""

import pytest
import torch

from assignments.part3.tests.transformer_oracles import block_oracle, block_state, ff_oracle, ff_state, op_count
from autograder.hidden.part3.gradients import expect_reference_gradients
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.modules import build
from autograder.trusted.harness.tolerances import Depth

BLOCK_CAUSE = "pre-norm: x = x + attn(ln1(x), mask=mask); x = x + ff(ln2(x)) (normalise inputs of sub-layers, not sums)"


@pytest.mark.parametrize("shape", [(5, 6), (2, 3, 6), (2, 2, 2, 6)], ids=lambda s: "x".join(map(str, s)))
@graded("FeedForward", points=1)
def test_feedforward_random_shapes(impl, device, gen, shape):
    """any number of leading dimensions, float64"""
    state = ff_state(6, 20, gen)
    ff = build(impl, "FeedForward", (6, 20), state, device)
    x = randn(*shape, gen=gen, device=device, dtype=torch.float64)
    expect_close(
        ff(x),
        ff_oracle(state, x).to(device),
        case=f"FeedForward on {shape}",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="fc2(torch.relu(fc1(x)))",
    )


@graded("FeedForward", points=2)
def test_feedforward_float32_and_gradients(impl, ref, device, gen):
    """float32 output and float64 parameter gradients match the reference"""
    state = ff_state(8, 16, gen)
    x = randn(3, 8, gen=gen, device=device, scale=2)
    ff32 = build(impl, "FeedForward", (8, 16), state, device, torch.float32)
    expect_close(
        ff32(x),
        ff_oracle(state, x).float().to(device),
        case="float32 FeedForward",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="fc2(torch.relu(fc1(x)))",
    )
    ff = build(impl, "FeedForward", (8, 16), state, device)
    reference = build(ref, "FeedForward", (8, 16), state, "cpu")
    expect_reference_gradients(
        impl, ref, "FeedForward", ff, reference, x.double(), device=device, inputs={"x": x},
        cause="both layers and the ReLU must be part of the graph", unused_cause="use fc1 and fc2 in forward",
    )  # fmt: skip


@pytest.mark.parametrize("mask_kind", ["none", "causal", "per-batch"])
@graded("TransformerBlock", points=2)
def test_transformerblock_matches_pytorch_with_masks(impl, device, gen, mask_kind):
    """no mask, a (T, T) causal mask and a (B, 1, T, T) mask, float64"""
    state = block_state(16, 24, gen)
    block = build(impl, "TransformerBlock", (16, 4, 24), state, device)
    x = randn(3, 7, 16, gen=gen, device=device, dtype=torch.float64)
    mask = None
    if mask_kind == "causal":
        mask = torch.ones(7, 7, dtype=torch.bool, device=device).tril()
    elif mask_kind == "per-batch":
        mask = torch.rand(3, 1, 7, 7, generator=gen) < 0.5
        mask[..., 0] = True
        mask = mask.to(device)
    expect_close(
        block(x, mask=mask),
        block_oracle(state, 4, x, mask).to(device),
        case=f"block, mask: {mask_kind}",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause=BLOCK_CAUSE,
    )


@graded("TransformerBlock", points=2)
def test_transformerblock_float32_matches_reference(impl, ref, device, gen):
    """float32 block against the reference in float64"""
    state = block_state(12, 32, gen)
    block = build(impl, "TransformerBlock", (12, 3, 32), state, device, torch.float32)
    reference = build(ref, "TransformerBlock", (12, 3, 32), state, "cpu")
    x = randn(2, 9, 12, gen=gen, device=device)
    expected = reference(x.double().cpu()).detach().float().to(device)
    expect_close(block(x), expected, case="float32 block", depth=Depth.CHAIN, inputs={"x": x}, cause=BLOCK_CAUSE)


@graded("TransformerBlock", points=2)
def test_transformerblock_dropout_off_in_eval_mode(impl, device, gen):
    """TransformerBlock(..., dropout=0.5) in eval mode computes the same as with dropout=0"""
    state = block_state(8, 16, gen)
    block = build(impl, "TransformerBlock", (8, 2, 16), state, device, dropout=0.5)
    x = randn(2, 4, 8, gen=gen, device=device, dtype=torch.float64)
    expect_close(
        block(x),
        block_oracle(state, 2, x).to(device),
        case="dropout=0.5 in eval mode",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="use nn.Dropout modules (they switch off in eval mode), not a hand-made mask",
    )


@graded("TransformerBlock", points=3)
def test_transformerblock_gradients_reach_every_parameter(impl, ref, device, gen):
    """every parameter receives the reference's gradient (float64, causal mask)"""
    state = block_state(8, 16, gen)
    block = build(impl, "TransformerBlock", (8, 2, 16), state, device)
    reference = build(ref, "TransformerBlock", (8, 2, 16), state, "cpu")
    x = randn(2, 5, 8, gen=gen, device=device, dtype=torch.float64)
    mask = torch.ones(5, 5, dtype=torch.bool, device=device).tril()
    expect_reference_gradients(
        impl, ref, "TransformerBlock", block, reference, x, mask, device=device, inputs={"x": x}, cause=BLOCK_CAUSE,
        unused_cause="every submodule must be used in forward",
    )  # fmt: skip


@graded("TransformerBlock", points=1)
def test_transformerblock_op_count_constant(impl, device, gen):
    """the operation count does not grow with batch or length"""
    block = impl.TransformerBlock(16, 4, 32)
    block.to(device)
    counts = [op_count(impl, block, randn(B, T, 16, gen=gen, device=device)) for B, T in ((1, 1), (3, 10))]
    expect(
        counts[0] == counts[1],
        case="operation count for (1, 1, 16) vs (3, 10, 16)",
        expected="equal counts",
        got=f"{counts[0]} vs {counts[1]}",
        cause="a Python loop over batch items or positions",
    )
