"""Hidden tests for xor_features: any points, any dtype, and the separability the slides promise."""

import pytest

from autograder.hidden.oracle import FLOAT_DTYPES, check_against_reference
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect
from autograder.trusted.harness.tolerances import Depth
from datasets import noisy_xor


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("xor_features", points=2)
def test_xor_features_random_points(impl, ref, device, gen, dtype):
    """random real-valued points, not only the corners"""
    x = randn(9, 2, gen=gen, device=device, dtype=dtype, scale=3)
    check_against_reference(
        impl,
        ref,
        "xor_features",
        {"x": x},
        case=f"xor_features on random {dtype} points",
        depth=Depth.ELEMENTWISE,
        cause="[x1 + x2, x1 * x2] for every row, shape (n, 2)",
    )


@graded("xor_features", points=2)
def test_xor_features_separate_noisy_xor(impl, device, gen):
    """on 200 noisy XOR points a fixed line in phi-space classifies over 95% correctly"""
    X, y = noisy_xor(200, noise=0.1, generator=gen, device=device)
    phi = impl.xor_features(X)
    predicted = ((phi[:, 0] - 2 * phi[:, 1] - 0.5) > 0).long()
    accuracy = float((predicted == y).double().mean())
    expect(
        accuracy > 0.95,
        case="a fixed linear classifier on xor_features(noisy XOR)",
        expected="accuracy > 0.95",
        got=f"accuracy {accuracy:.3f}",
        cause="phi(x1, x2) = [x1 + x2, x1 * x2], columns in that order",
    )
