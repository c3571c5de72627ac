"""Hidden tests for sgd_step: many parameters, dtypes, weight decay, and in-place updates of the caller's tensors."""

import pytest
import torch

from autograder.hidden.oracle import FLOAT_DTYPES
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close, expect_unchanged, snapshot
from autograder.trusted.harness.tolerances import Depth


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("sgd_step", points=3)
def test_sgd_step_several_parameters_with_decay(impl, device, gen, dtype):
    """three parameters of different shapes, lr 0.3, weight decay 0.05"""
    params = [randn(*shape, gen=gen, device=device, dtype=dtype) for shape in [(4, 3), (3,), (2, 2, 2)]]
    grads = [randn(*p.shape, gen=gen, device=device, dtype=dtype) for p in params]
    expected = [
        (p.double() - 0.3 * (g.double() + 0.05 * p.double())).to(dtype) for p, g in zip(params, grads, strict=True)
    ]
    storage = [p.data_ptr() for p in params]
    grads_before = snapshot({f"grads[{i}]": g for i, g in enumerate(grads)})
    impl.sgd_step(params, grads, 0.3, weight_decay=0.05)
    for index, (p, want) in enumerate(zip(params, expected, strict=True)):
        expect_close(
            p,
            want,
            case=f"params[{index}] after sgd_step (lr=0.3, weight_decay=0.05)",
            depth=Depth.ELEMENTWISE,
            cause="p <- p - lr * (g + weight_decay * p), written into p itself",
        )
    expect(
        [p.data_ptr() for p in params] == storage,
        case="the parameter tensors after sgd_step",
        expected="the same tensors, updated in place",
        got="new tensors put in the list",
        cause="params[i] = ... replaces the list entry; the model holds the old tensor. Use p -= ... or p.sub_()",
    )
    expect_unchanged(
        grads_before, {f"grads[{i}]": g for i, g in enumerate(grads)}, case="the gradients passed to sgd_step"
    )


@graded("sgd_step", points=2)
def test_sgd_step_positional_arguments_and_no_decay(impl, device, gen):
    """sgd_step(params, grads, lr) with the default weight decay of 0"""
    p = randn(5, gen=gen, device=device, dtype=torch.float64)
    g = randn(5, gen=gen, device=device, dtype=torch.float64)
    expected = p - 0.01 * g
    result = impl.sgd_step([p], [g], 0.01)
    expect(
        result is None,
        case="sgd_step's return value",
        expected="None",
        got=type(result).__name__,
        cause="sgd_step updates the parameters in place and returns nothing",
    )
    expect_close(p, expected, case="p after sgd_step(lr=0.01)", depth=Depth.ELEMENTWISE, cause="p <- p - lr * g")


@graded("sgd_step", points=1)
def test_sgd_step_zero_learning_rate_changes_nothing(impl, device, gen):
    """lr = 0 leaves parameters exactly as they were, even with weight decay"""
    p = randn(3, 3, gen=gen, device=device)
    before = p.clone()
    impl.sgd_step([p], [randn(3, 3, gen=gen, device=device)], 0.0, weight_decay=0.5)
    expect_close(
        p,
        before,
        case="sgd_step(lr=0, weight_decay=0.5)",
        depth=Depth.EXACT,
        cause="weight decay is scaled by the learning rate too: p - lr * (g + wd * p)",
    )
