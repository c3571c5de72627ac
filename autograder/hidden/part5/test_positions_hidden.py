"""Hidden tests for rope and sliding_window_mask: float32 far along, theta, any positions, dtypes, edge windows."""

import pytest
import torch

from assignments.part5.tests.modern_oracles import op_count, rope_oracle, window_mask_oracle
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close, expect_equal, expect_unchanged, snapshot
from autograder.trusted.harness.tolerances import Depth

ROPE_CAUSE = "pair (x[..., 2i], x[..., 2i+1]) at position p turns by p * theta^(-2i/d)"


@graded("rope", points=2)
def test_rope_float32_at_large_positions(impl, device, gen):
    """float32 input at positions up to 400: angles computed in float16 or with a wrong frequency show here"""
    x = randn(2, 9, 32, gen=gen, device=device, dtype=torch.float64).float()
    positions = torch.tensor([0, 1, 7, 50, 99, 150, 255, 300, 400], device=device)
    expect_close(
        impl.rope(x, positions),
        rope_oracle(x, positions).to(device, torch.float32),
        case="float32 rope at positions up to 400",
        depth=Depth.CHAIN,
        inputs={"x": x, "positions": positions},
        cause=ROPE_CAUSE + "; compute the angles in float32 or better (float16 angles near 400 are off by 0.1)",
    )


@pytest.mark.parametrize("theta", [500.0, 10000.0, 1e6])
@graded("rope", points=1)
def test_rope_theta_and_unordered_positions(impl, device, gen, theta):
    """any theta, and positions in any order (a continued sequence starts at T_past), float64"""
    x = randn(3, 5, 12, gen=gen, device=device, dtype=torch.float64)
    positions = torch.tensor([17, 3, 4, 40, 0], device=device)
    before = snapshot({"x": x, "positions": positions})
    got = impl.rope(x, positions, theta)
    expect_unchanged(before, {"x": x, "positions": positions}, case="rope")
    expect_close(
        got,
        rope_oracle(x, positions, theta).to(device),
        case=f"rope with theta={theta:g} at positions [17, 3, 4, 40, 0]",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x, "positions": positions},
        cause=ROPE_CAUSE + "; use the positions given (not arange(T)) and the theta argument",
    )


@graded("rope", points=1)
def test_rope_bfloat16_keeps_dtype_and_norm(impl, device, gen):
    """bfloat16 in, bfloat16 out; a rotation keeps each pair's length"""
    x = randn(4, 6, 8, gen=gen, device=device, dtype=torch.float64).to(torch.bfloat16)
    positions = torch.arange(6, device=device)
    expect_close(
        impl.rope(x, positions),
        rope_oracle(x, positions).to(device, torch.bfloat16),
        case="bfloat16 rope",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause=ROPE_CAUSE + "; return x's dtype",
    )


@graded("rope", points=1)
def test_rope_relative_property_for_every_frequency(impl, device, gen):
    """for d = 64, scores at (m, n) and (m + 100, n + 100) agree for several m - n"""
    q = randn(1, 64, gen=gen, device=device, dtype=torch.float64)
    k = randn(1, 64, gen=gen, device=device, dtype=torch.float64)
    worst = 0.0
    for m, n in ((5, 0), (0, 5), (30, 2)):
        a = (impl.rope(q, torch.tensor([m], device=device)) * impl.rope(k, torch.tensor([n], device=device))).sum()
        b = (
            impl.rope(q, torch.tensor([m + 100], device=device)) * impl.rope(k, torch.tensor([n + 100], device=device))
        ).sum()
        worst = max(worst, abs(float(a) - float(b)))
    expect(
        worst < 1e-8,
        case="rope(q, m) . rope(k, n) against the same shifted by 100",
        expected="equal scores",
        got=f"differ by up to {worst:.3g}",
        cause="the same angle per pair for queries and keys: position times theta^(-2i/d)",
    )


@pytest.mark.parametrize("T, window", [(1, None), (1, 1), (5, 5), (5, 100), (9, 2)])
@graded("sliding_window_mask", points=1)
def test_sliding_window_mask_edges(impl, device, T, window):
    """T = 1, windows of 1, of T and beyond T, and 2"""
    got = impl.sliding_window_mask(T, window, device=device)
    expect_equal(
        got,
        window_mask_oracle(T, T, window).to(device),
        case=f"sliding_window_mask({T}, {window})",
        cause="True where 0 <= i - j < window: a query always sees itself",
    )


@graded("rope", points=1)
def test_rope_op_count_constant(impl, device, gen):
    """the operation count does not grow with the length or the width"""
    counts = []
    for T, d in ((1, 2), (50, 64)):
        x = randn(2, 3, T, d, gen=gen, device=device)
        counts.append(op_count(impl, impl.rope, x, torch.arange(T, device=device)))
    expect(
        counts[0] == counts[1],
        case="rope operation count, (2, 3, 1, 2) vs (2, 3, 50, 64)",
        expected="equal counts",
        got=f"{counts[0]} vs {counts[1]}",
        cause="a Python loop over positions or pairs; slice the even and odd features instead",
    )
