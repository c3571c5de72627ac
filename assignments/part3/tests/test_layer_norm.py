"""Public tests for LayerNorm (slides, section 6: the "Add & Normalize" step; Ba et al., 2016)."""

import torch

from assignments.part3.tests.transformer_oracles import layer_norm_oracle, layer_norm_state
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close, expect_equal
from autograder.trusted.harness.modules import build
from autograder.trusted.harness.tolerances import Depth


@graded("LayerNorm", points=2)
def test_layernorm_parameters_and_state_dict(impl, device):
    """weight starts at ones, bias at zeros, eps is stored, state_dict keys are weight and bias"""
    ln = impl.LayerNorm(6, eps=1e-3)
    state = ln.state_dict()
    expect(
        sorted(state) == ["bias", "weight"],
        case="LayerNorm(6).state_dict() keys",
        expected="['bias', 'weight']",
        got=str(sorted(state)),
        cause="register exactly two nn.Parameter attributes named weight and bias",
    )
    expect_equal(state["weight"], torch.ones(6), case="initial weight", cause="weight starts at torch.ones(d_model)")
    expect_equal(state["bias"], torch.zeros(6), case="initial bias", cause="bias starts at torch.zeros(d_model)")
    expect(
        ln.eps == 1e-3,
        case="LayerNorm(6, eps=1e-3).eps",
        expected="1e-3",
        got=repr(ln.eps),
        cause="store the eps argument as self.eps",
    )


@graded("LayerNorm", points=3)
def test_layernorm_matches_pytorch(impl, device, gen):
    """a (3, 5, 8) input with random weight and bias matches F.layer_norm in float64"""
    state = layer_norm_state(8, gen)
    ln = build(impl, "LayerNorm", (8,), state, device)
    x = randn(3, 5, 8, gen=gen, device=device, dtype=torch.float64, scale=3) + 2
    expect_close(
        ln(x),
        layer_norm_oracle(state, x).to(device),
        case="LayerNorm(8) on (3, 5, 8)",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="normalise over the last dimension only: (x - mean) / sqrt(var + eps) * weight + bias, "
        "with the biased variance (divide by d_model)",
    )


@graded("LayerNorm", points=2)
def test_layernorm_output_has_zero_mean_unit_variance(impl, device, gen):
    """with the initial weight and bias, every row has mean 0 and (biased) variance close to 1"""
    ln = impl.LayerNorm(16)
    ln.to(device)
    x = randn(4, 16, gen=gen, device=device, scale=5) - 3
    y = ln(x).detach()
    expect_close(
        y.mean(dim=-1),
        torch.zeros(4, device=device),
        case="row means of LayerNorm(x)",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="subtract the mean over the last dimension",
    )
    var = y.var(dim=-1, unbiased=False)
    expect(
        bool(((var - 1).abs() < 1e-3).all()),
        case="row variances of LayerNorm(x)",
        expected="about 1",
        got=str([round(v, 4) for v in var.tolist()]),
        cause="divide by sqrt(var + eps) with var the mean of squared deviations",
    )
