"""Hidden tests for RMSNorm, silu and SwiGLU: random shapes, eps, reduced precision, gradients, inputs left alone."""

import pytest
import torch
import torch.nn.functional as F

from assignments.part5.tests.modern_oracles import rms_norm_oracle, rms_state, swiglu_oracle, swiglu_state
from autograder.hidden.part3.gradients import expect_reference_gradients
from autograder.shared.inputs import non_contiguous, randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect_close, expect_unchanged, snapshot
from autograder.trusted.harness.modules import build
from autograder.trusted.harness.tolerances import Depth

RMS_CAUSE = "x * rsqrt(mean(x * x, dim=-1, keepdim=True) + eps) * weight, over the last dimension only"


@pytest.mark.parametrize("shape, eps", [((1, 1), 1e-5), ((4, 3, 7), 1e-2), ((2, 2, 2, 5), 1e-5)])
@graded("RMSNorm", points=2)
def test_rmsnorm_random_shapes_and_eps(impl, device, gen, shape, eps):
    """random shapes, a large eps and tiny inputs (where eps dominates), against F.rms_norm in float64"""
    d = shape[-1]
    state = rms_state(d, gen)
    norm = build(impl, "RMSNorm", (d,), state, device, eps=eps)
    x = randn(*shape, gen=gen, device=device, dtype=torch.float64, scale=0.05)
    before = snapshot({"x": x})
    got = norm(non_contiguous(x))
    expect_unchanged(before, {"x": x}, case="RMSNorm")
    expect_close(
        got,
        rms_norm_oracle(state["weight"], x, eps).to(device),
        case=f"RMSNorm({d}, eps={eps}) on {shape}",
        depth=Depth.REDUCTION,
        inputs={"x": x},
        cause=RMS_CAUSE + "; use self.eps, not a constant",
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=str)
@graded("RMSNorm", points=2)
def test_rmsnorm_reduced_precision_keeps_its_dtype(impl, device, gen, dtype):
    """float32 and bfloat16 inputs come back in their dtype, close to the float64 answer"""
    state = rms_state(12, gen)
    norm = build(impl, "RMSNorm", (12,), state, device, dtype)
    x = randn(3, 4, 12, gen=gen, device=device, dtype=torch.float64, scale=2.0).to(dtype)
    expect_close(
        norm(x),
        rms_norm_oracle(state["weight"].to(dtype), x).to(device, dtype),
        case=f"{dtype} RMSNorm",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause=RMS_CAUSE + "; compute in at least float32 and cast the result back to x.dtype",
    )


@graded("RMSNorm", points=2)
def test_rmsnorm_gradients_match_reference(impl, ref, device, gen):
    """the weight's gradient equals the reference's"""
    state = rms_state(6, gen)
    norm, reference = build(impl, "RMSNorm", (6,), state, device), build(ref, "RMSNorm", (6,), state, "cpu")
    x = randn(2, 3, 6, gen=gen, device=device, dtype=torch.float64)
    upstream = randn(2, 3, 6, gen=gen, device=device, dtype=torch.float64)
    expect_reference_gradients(
        impl, ref, "RMSNorm", norm, reference, x, upstream=upstream, device=device, inputs={"x": x},
        cause=RMS_CAUSE, unused_cause="multiply by self.weight",
    )  # fmt: skip


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.bfloat16], ids=str)
@graded("silu", points=1)
def test_silu_dtypes_and_extremes(impl, device, gen, dtype):
    """random values and +-1e4 in three dtypes: finite where F.silu is, same dtype"""
    x = torch.cat([randn(30, gen=gen, dtype=torch.float64, scale=6.0), torch.tensor([-1e4, -80.0, 80.0, 1e4])])
    x = x.to(device, dtype)
    expect_close(
        impl.silu(x),
        F.silu(x.cpu().double()).to(device, dtype),
        case=f"silu in {dtype}",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x},
        cause="x * torch.sigmoid(x): sigmoid is stable for any x, 1 / (1 + exp(-x)) written by hand is not",
    )


@graded("silu", points=1)
def test_silu_gradient(impl, device, gen):
    """the gradient through silu equals autograd's through F.silu"""
    x = randn(5, 4, gen=gen, device=device, dtype=torch.float64, scale=3.0)
    leaf = x.cpu().clone().requires_grad_()
    F.silu(leaf).sum().backward()
    expect_close(
        impl.probe("silu", "input_grad", impl.silu, x),
        leaf.grad.to(device),
        case="d silu / dx",
        depth=Depth.REDUCTION,
        inputs={"x": x},
        cause="build silu from differentiable tensor operations (no .detach(), no in-place writes to x)",
    )


@pytest.mark.parametrize("shape, d_ff", [((1, 1, 4), 3), ((3, 5, 8), 20)])
@graded("SwiGLU", points=2)
def test_swiglu_random_shapes(impl, device, gen, shape, d_ff):
    """random shapes and widths against w2(F.silu(w1 x) * w3 x) in float64"""
    d = shape[-1]
    state = swiglu_state(d, d_ff, gen)
    ffn = build(impl, "SwiGLU", (d, d_ff), state, device)
    x = randn(*shape, gen=gen, device=device, dtype=torch.float64)
    expect_close(
        ffn(x),
        swiglu_oracle(state, x).to(device),
        case=f"SwiGLU({d}, {d_ff}) on {shape}",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="w2(silu(w1(x)) * w3(x)): the gate is w1, the value w3",
    )


@graded("SwiGLU", points=2)
def test_swiglu_gradients_match_reference(impl, ref, device, gen):
    """every weight gets the reference's gradient"""
    state = swiglu_state(6, 10, gen)
    ffn, reference = build(impl, "SwiGLU", (6, 10), state, device), build(ref, "SwiGLU", (6, 10), state, "cpu")
    x = randn(2, 3, 6, gen=gen, device=device, dtype=torch.float64)
    expect_reference_gradients(
        impl, ref, "SwiGLU", ffn, reference, x, device=device, inputs={"x": x},
        cause="w2(silu(w1(x)) * w3(x))", unused_cause="w1, w2 and w3 must all take part",
    )  # fmt: skip
