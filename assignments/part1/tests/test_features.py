"""Public tests for xor_features (slides, section 3: transforming the input makes XOR linearly separable)."""

from autograder.shared.inputs import tensor
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.tolerances import Depth
from datasets import xor_dataset


@graded("xor_features", points=2)
def test_xor_features_of_the_four_corners(impl, device):
    """phi maps (0,0), (0,1), (1,0), (1,1) to (0,0), (1,0), (1,0), (2,1)"""
    X, _ = xor_dataset(device=device)
    expect_close(
        impl.xor_features(X),
        tensor([[0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [2.0, 1.0]], device=device),
        case="xor_features on the four XOR points",
        depth=Depth.ELEMENTWISE,
        inputs={"x": X},
        cause="column 0 is x1 + x2 and column 1 is x1 * x2, in that order",
    )


@graded("xor_features", points=2)
def test_xor_features_make_xor_separable(impl, device):
    """after phi, the line u - 2v = 0.5 separates the two XOR classes"""
    X, y = xor_dataset(device=device)
    phi = impl.xor_features(X)
    score = phi[:, 0] - 2 * phi[:, 1] - 0.5  # positive exactly for class 1
    predicted = (score > 0).long()
    expect(
        bool((predicted == y).all()),
        case="a fixed linear classifier on xor_features(X)",
        expected=f"labels {y.tolist()}",
        got=f"labels {predicted.tolist()}",
        cause="phi(x1, x2) = [x1 + x2, x1 * x2]",
    )
