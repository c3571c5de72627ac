"""Public tests for rope and sliding_window_mask (where a token is, and which tokens it may see)."""

import pytest
import torch

from assignments.part5.tests.modern_oracles import rope_oracle, window_mask_oracle
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close, expect_equal
from autograder.trusted.harness.tolerances import Depth

ROPE_CAUSE = (
    "pair i = (x[..., 2i], x[..., 2i+1]) turns by p * theta^(-2i/d): "
    "(a, b) -> (a cos - b sin, a sin + b cos), interleaved back in the same slots"
)


@graded("rope", points=3)
def test_rope_matches_a_complex_rotation(impl, device, gen):
    """(2, 3, 6, 8) float64 at positions 0..5 equals multiplying each pair, as a complex number, by e^(i angle)"""
    x = randn(2, 3, 6, 8, gen=gen, device=device, dtype=torch.float64)
    positions = torch.arange(6, device=device)
    expect_close(
        impl.rope(x, positions),
        rope_oracle(x, positions).to(device),
        case="rope at positions 0..5",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x, "positions": positions},
        cause=ROPE_CAUSE,
    )


@graded("rope", points=2)
def test_rope_scores_depend_only_on_the_distance(impl, device, gen):
    """rope(q, m) . rope(k, n) is the same for (m, n) = (3, 1), (10, 8) and (40, 38)"""
    q = randn(1, 16, gen=gen, device=device, dtype=torch.float64)
    k = randn(1, 16, gen=gen, device=device, dtype=torch.float64)
    scores = []
    for m, n in ((3, 1), (10, 8), (40, 38)):
        rq = impl.rope(q, torch.tensor([m], device=device))
        rk = impl.rope(k, torch.tensor([n], device=device))
        scores.append(float((rq * rk).sum()))
    expect(
        max(scores) - min(scores) < 1e-9 * (1 + abs(scores[0])),
        case="q . k after rotation at three pairs of positions two apart",
        expected="three equal scores",
        got=", ".join(f"{s:.12g}" for s in scores),
        cause="both vectors must turn by position * the same frequency per pair: the same angle per pair for q "
        "and k, so only the difference of positions remains",
    )


@pytest.mark.parametrize("window", [None, 1, 3, 10])
@graded("sliding_window_mask", points=1)
def test_sliding_window_mask_matches_definition(impl, device, window):
    """(7, 7) boolean: True where 0 <= i - j < window; window None is the causal mask"""
    got = impl.sliding_window_mask(7, window, device=device)
    expect_equal(
        got,
        window_mask_oracle(7, 7, window).to(device),
        case=f"sliding_window_mask(7, window={window})",
        cause="query i sees key j when j <= i and i - j < window (itself included: window 1 is the diagonal)",
    )
