"""Hidden tests for LayerNorm: dtypes, tiny variance, constant rows, eps, shapes, gradients, op counts."""

import pytest
import torch

from assignments.part3.tests.transformer_oracles import layer_norm_oracle, layer_norm_state, op_count
from autograder.hidden.part3.gradients import expect_reference_gradients
from autograder.shared.inputs import non_contiguous, randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.modules import build, place
from autograder.trusted.harness.tolerances import Depth

CAUSE = "(x - mean) / sqrt(var + eps) * weight + bias over the last dimension, var biased (mean of squared deviations)"


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.bfloat16])
@graded("LayerNorm", points=2)
def test_layernorm_random_matches_pytorch(impl, device, gen, dtype):
    """random (4, 6, 10) input with random weight and bias, in three dtypes"""
    state = layer_norm_state(10, gen)
    ln = build(impl, "LayerNorm", (10,), state, device, dtype)
    x = randn(4, 6, 10, gen=gen, device=device, dtype=dtype, scale=2)
    expected = layer_norm_oracle(place(state, "cpu", dtype), x).to(device, dtype)
    expect_close(ln(x), expected, case=f"LayerNorm(10) in {dtype}", depth=Depth.CHAIN, inputs={"x": x}, cause=CAUSE)


@pytest.mark.parametrize("d_model", [2, 4, 5])
@graded("LayerNorm", points=2)
def test_layernorm_small_width_uses_biased_variance(impl, device, gen, d_model):
    """d_model = 2, 4 and 5, where dividing by d_model - 1 is far off"""
    state = layer_norm_state(d_model, gen)
    ln = build(impl, "LayerNorm", (d_model,), state, device)
    x = randn(3, d_model, gen=gen, device=device, dtype=torch.float64)
    expect_close(
        ln(x),
        layer_norm_oracle(state, x).to(device),
        case=f"LayerNorm({d_model})",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="the variance divides by d_model (unbiased=False), not d_model - 1",
    )


@graded("LayerNorm", points=3)
def test_layernorm_tiny_variance_inputs(impl, device, gen):
    """rows of 7 plus noise of 1e-3 (variance ~1e-6, below eps) and a constant row"""
    state = layer_norm_state(8, gen)
    ln = build(impl, "LayerNorm", (8,), state, device)
    x = 7 + randn(3, 8, gen=gen, device=device, dtype=torch.float64, scale=1e-3)
    x[2] = 7.0
    expect_close(
        ln(x),
        layer_norm_oracle(state, x).to(device),
        case="LayerNorm on nearly constant rows",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="eps goes inside the square root, sqrt(var + eps); a constant row must give exactly bias",
    )


@graded("LayerNorm", points=2)
def test_layernorm_uses_its_eps(impl, device, gen):
    """LayerNorm(6, eps=0.5) on inputs of variance about 1"""
    state = layer_norm_state(6, gen)
    ln = build(impl, "LayerNorm", (6,), state, device, eps=0.5)
    x = randn(5, 6, gen=gen, device=device, dtype=torch.float64)
    expect_close(
        ln(x),
        layer_norm_oracle(state, x, eps=0.5).to(device),
        case="LayerNorm with eps=0.5",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="use self.eps, not a hard-coded 1e-5",
    )


@pytest.mark.parametrize("shape", [(7,), (3, 7), (2, 3, 4, 7)], ids=lambda s: "x".join(map(str, s)))
@graded("LayerNorm", points=1)
def test_layernorm_any_leading_shape(impl, device, gen, shape):
    """inputs with 0, 1 and 3 leading dimensions, and a non-contiguous view"""
    state = layer_norm_state(7, gen)
    ln = build(impl, "LayerNorm", (7,), state, device)
    x = randn(*shape, gen=gen, device=device, dtype=torch.float64)
    for value in (x, non_contiguous(x)):
        expect_close(
            ln(value),
            layer_norm_oracle(state, value).to(device),
            case=f"LayerNorm on {shape}",
            depth=Depth.CHAIN,
            inputs={"x": value},
            cause="reduce over dim=-1 with keepdim=True only",
        )


@graded("LayerNorm", points=3)
def test_layernorm_gradients_match_reference(impl, ref, device, gen):
    """gradients for weight, bias and the input match the reference in float64"""
    state = layer_norm_state(9, gen)
    ln = build(impl, "LayerNorm", (9,), state, device)
    reference = build(ref, "LayerNorm", (9,), state, "cpu")
    x = randn(4, 9, gen=gen, device=device, dtype=torch.float64)
    upstream = randn(4, 9, gen=gen, device=device, dtype=torch.float64)
    expect_reference_gradients(
        impl, ref, "LayerNorm", ln, reference, x, upstream=upstream, device=device, inputs={"x": x},
        cause="weight and bias must be nn.Parameter used in forward",
        unused_cause="weight and bias must be nn.Parameter used in forward",
    )  # fmt: skip
    got_x = impl.probe("LayerNorm", "input_grad", ln, x, upstream=upstream)
    expected_x = ref.probe("LayerNorm", "input_grad", reference, x.cpu(), upstream=upstream.cpu())
    expect_close(
        got_x,
        expected_x.to(device),
        case="gradient for the input",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="keep the mean and the variance inside the graph (no .detach())",
    )


@graded("LayerNorm", points=2)
def test_layernorm_op_count_constant(impl, device, gen):
    """the operation count does not grow with the number of rows"""
    ln = impl.LayerNorm(8)
    ln.to(device)
    counts = [op_count(impl, ln, randn(*shape, 8, gen=gen, device=device)) for shape in ((1,), (6, 33))]
    expect(
        counts[0] == counts[1],
        case="operation count for (1, 8) vs (6, 33, 8)",
        expected="equal counts",
        got=f"{counts[0]} vs {counts[1]}",
        cause="a Python loop over rows; reduce along dim=-1 instead",
    )
