"""Public tests for RMSNorm, silu and SwiGLU (the LLaMA block's normalisation and feed-forward)."""

import torch
import torch.nn.functional as F

from assignments.part5.tests.modern_oracles import rms_norm_oracle, rms_state, swiglu_oracle, swiglu_state
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.modules import build
from autograder.trusted.harness.tolerances import Depth


@graded("RMSNorm", points=1)
def test_rmsnorm_attributes_and_state_dict(impl):
    """eps, and one parameter: weight, ones of shape (d_model,)"""
    norm = impl.RMSNorm(6, eps=1e-6)
    state = norm.state_dict()
    expect(
        norm.eps == 1e-6 and sorted(state) == ["weight"] and torch.equal(state["weight"], torch.ones(6)),
        case="RMSNorm(6, eps=1e-6)",
        expected="eps 1e-06 and state_dict {'weight': ones(6)}",
        got=f"eps {norm.eps}, keys {sorted(state)}",
        cause="store eps; weight = nn.Parameter(torch.ones(d_model)); RMSNorm has no bias",
    )


@graded("RMSNorm", points=3)
def test_rmsnorm_matches_pytorch(impl, device, gen):
    """(2, 5, 8) float64 input with a random weight matches F.rms_norm"""
    state = rms_state(8, gen)
    norm = build(impl, "RMSNorm", (8,), state, device)
    x = randn(2, 5, 8, gen=gen, device=device, dtype=torch.float64, scale=3.0)
    expect_close(
        norm(x),
        rms_norm_oracle(state["weight"], x).to(device),
        case="RMSNorm on (2, 5, 8)",
        depth=Depth.REDUCTION,
        inputs={"x": x},
        cause="x * rsqrt(mean(x * x, dim=-1, keepdim=True) + eps) * weight: no mean subtracted, eps inside the root",
    )


@graded("RMSNorm", points=2)
def test_rmsnorm_float16_input_is_normalised_in_float32(impl, device, gen):
    """float16 values near 300: their squares overflow float16, the result must not"""
    norm = build(impl, "RMSNorm", (16,), {"weight": torch.ones(16, dtype=torch.float64)}, device, torch.float16)
    x = randn(3, 16, gen=gen, device=device, dtype=torch.float64, scale=300.0).to(torch.float16)
    expect_close(
        norm(x),
        rms_norm_oracle(torch.ones(16), x).to(device, torch.float16),
        case="float16 RMSNorm of values near 300",
        depth=Depth.REDUCTION,
        inputs={"x": x},
        cause="300^2 = 90000 is beyond float16's largest value (65504): square and average in float32, "
        "then return x's dtype",
    )


@graded("silu", points=2)
def test_silu_matches_pytorch(impl, device, gen):
    """random and extreme inputs (+-1e4) match F.silu in float64, same dtype out"""
    x = torch.cat([randn(20, gen=gen, dtype=torch.float64, scale=4.0), torch.tensor([-1e4, 1e4, 0.0])]).to(device)
    expect_close(
        impl.silu(x),
        F.silu(x.cpu()).to(device),
        case="silu",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x},
        cause="x * torch.sigmoid(x)",
    )


@graded("SwiGLU", points=3)
def test_swiglu_matches_the_gated_formula(impl, device, gen):
    """w2(silu(w1 x) * w3 x) on (2, 4, 8) with d_ff 12, bias-free w1, w2, w3"""
    state = swiglu_state(8, 12, gen)
    ffn = build(impl, "SwiGLU", (8, 12), state, device)
    x = randn(2, 4, 8, gen=gen, device=device, dtype=torch.float64)
    expect_close(
        ffn(x),
        swiglu_oracle(state, x).to(device),
        case="SwiGLU(8, 12)",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="silu goes on w1(x) only, which gates w3(x) elementwise; w2 maps d_ff back to d_model",
    )
