"""Hidden tests for sigmoid, softmax and log_softmax: extreme values, -inf, dims, dtypes, devices."""

import pytest
import torch

from autograder.hidden.oracle import FLOAT_DTYPES, check_against_reference
from autograder.shared.inputs import non_contiguous, randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.tolerances import Depth


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("sigmoid", points=3)
def test_sigmoid_random_values_match_reference(impl, ref, device, gen, dtype):
    """random scores of scale 5, in three dtypes"""
    z = randn(4, 9, gen=gen, device=device, dtype=dtype, scale=5)
    check_against_reference(
        impl,
        ref,
        "sigmoid",
        {"z": z},
        case=f"sigmoid on {dtype} scores",
        depth=Depth.ELEMENTWISE,
        cause="1 / (1 + e^-z), elementwise, in the input's dtype",
    )


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@graded("sigmoid", points=3)
def test_sigmoid_extremes_are_finite_and_exact(impl, device, dtype):
    """z in {+-1e4, +-750, +-100, +-30} in float32 and float64 (where e^z overflows)"""
    z = torch.tensor([1e4, -1e4, 750.0, -750.0, 100.0, -100.0, 30.0, -30.0], device=device, dtype=dtype)
    expected = torch.sigmoid(z.double()).to(dtype)
    got = impl.sigmoid(z)
    expect_close(
        got,
        expected,
        case=f"sigmoid of extreme {dtype} scores",
        depth=Depth.ELEMENTWISE,
        inputs={"z": z},
        cause="e^z overflows for z > 88 in float32 (709 in float64): never exponentiate a large positive number",
    )


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("softmax", points=3)
def test_softmax_random_matches_reference(impl, ref, device, gen, dtype):
    """random (5, 7) scores of scale 4, in three dtypes"""
    z = randn(5, 7, gen=gen, device=device, dtype=dtype, scale=4)
    check_against_reference(
        impl,
        ref,
        "softmax",
        {"z": z, "dim": -1},
        case=f"softmax on {dtype} scores",
        depth=Depth.REDUCTION,
        cause="normalise e^(z - max) along dim",
    )


@pytest.mark.parametrize("dim", [0, 1, 2, -2])
@graded("softmax", points=3)
def test_softmax_every_dim_of_a_3d_tensor(impl, ref, device, gen, dim):
    """dim = 0, 1, 2 and -2 on a (2, 3, 4) tensor"""
    z = randn(2, 3, 4, gen=gen, device=device, scale=3)
    check_against_reference(
        impl,
        ref,
        "softmax",
        {"z": z, "dim": dim},
        case=f"softmax(z, dim={dim}) on (2, 3, 4)",
        depth=Depth.REDUCTION,
        cause="reduce (max and sum) along dim with keepdim=True, not along -1 or 0",
    )


@graded("softmax", points=3)
def test_softmax_huge_logits_stay_finite(impl, device):
    """scores of +-1e4 in a row give finite probabilities"""
    z = torch.tensor([[1e4, 1e4 - 1, -1e4], [-1e4, -1e4, -1e4 + 2]], device=device)
    expect_close(
        impl.softmax(z),
        torch.softmax(z.double(), -1).float(),
        case="softmax of scores near +-1e4",
        depth=Depth.ILL_CONDITIONED,
        inputs={"z": z},
        cause="subtract the max along dim before exponentiating",
    )


@graded("softmax", points=2)
def test_softmax_masked_entries_get_exactly_zero(impl, device, gen):
    """-inf entries (a causal-style mask) get probability exactly 0 and the rest sum to 1"""
    z = randn(4, 4, gen=gen, device=device, scale=2)
    z = z.masked_fill(torch.ones(4, 4, dtype=torch.bool, device=device).triu(1), float("-inf"))
    p = impl.softmax(z)
    expect_close(
        p,
        torch.softmax(z.double(), -1).float(),
        case="softmax of a lower-triangular score matrix with -inf above",
        depth=Depth.REDUCTION,
        inputs={"z": z},
        cause="e^-inf = 0: keep -inf as it is (no nan_to_num, no eps)",
    )
    masked = p[torch.ones(4, 4, dtype=torch.bool, device=device).triu(1)]
    expect(
        bool((masked == 0).all()),
        case="probabilities of the -inf entries",
        expected="exactly 0",
        got=str(masked.tolist()),
        cause="e^-inf = 0: keep -inf as it is (no nan_to_num, no eps added to the scores)",
    )


@graded("softmax", points=1)
def test_softmax_single_class_is_one(impl, device, gen):
    """a single class gets probability 1"""
    z = randn(3, 1, gen=gen, device=device, scale=100)
    expect_close(
        impl.softmax(z),
        torch.ones(3, 1, device=device),
        case="softmax over a dimension of size 1",
        depth=Depth.REDUCTION,
        inputs={"z": z},
        cause="e^(z - max) / sum: with one class both are e^0 = 1",
    )


@graded("softmax", points=1)
def test_softmax_non_contiguous_input(impl, ref, device, gen):
    """a transposed-storage view gives the same result"""
    z = non_contiguous(randn(4, 6, gen=gen, device=device))
    check_against_reference(
        impl,
        ref,
        "softmax",
        {"z": z, "dim": -1},
        case="softmax of a non-contiguous view",
        depth=Depth.REDUCTION,
        cause="use reshape/keepdim reductions; do not .view() the input",
    )


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("log_softmax", points=3)
def test_log_softmax_random_matches_reference(impl, ref, device, gen, dtype):
    """random (6, 5) scores of scale 4, in three dtypes"""
    z = randn(6, 5, gen=gen, device=device, dtype=dtype, scale=4)
    check_against_reference(
        impl,
        ref,
        "log_softmax",
        {"z": z, "dim": -1},
        case=f"log_softmax on {dtype} scores",
        depth=Depth.REDUCTION,
        cause="z - max - log(sum e^(z - max)) along dim",
    )


@graded("log_softmax", points=3)
def test_log_softmax_extreme_gaps_stay_finite(impl, device):
    """gaps of 1e4 give log-probabilities near -1e4, not -inf or nan"""
    z = torch.tensor([[1e4, 0.0, -1e4], [5.0, 5.0, -500.0]], device=device)
    expect_close(
        impl.log_softmax(z),
        torch.log_softmax(z.double(), -1).float(),
        case="log_softmax with gaps of 1e4",
        depth=Depth.ILL_CONDITIONED,
        inputs={"z": z},
        cause="never take log of a probability that can round to 0: subtract the log-normaliser instead",
    )


@pytest.mark.parametrize("dim", [0, -1])
@graded("log_softmax", points=2)
def test_log_softmax_along_dim(impl, ref, device, gen, dim):
    """dim = 0 and -1 on a (4, 3) tensor"""
    z = randn(4, 3, gen=gen, device=device, scale=2)
    check_against_reference(
        impl,
        ref,
        "log_softmax",
        {"z": z, "dim": dim},
        case=f"log_softmax(z, dim={dim})",
        depth=Depth.REDUCTION,
        cause="reduce along dim with keepdim=True",
    )


@graded("log_softmax", points=1)
def test_log_softmax_minus_infinity_stays_minus_infinity(impl, device):
    """a -inf score has log-probability -inf, the others stay finite"""
    z = torch.tensor([[0.0, float("-inf"), 2.0]], device=device)
    expect_close(
        impl.log_softmax(z),
        torch.log_softmax(z.double(), -1).float(),
        case="log_softmax of [0, -inf, 2]",
        depth=Depth.REDUCTION,
        inputs={"z": z},
        cause="keep -inf entries; shift by the max of the row",
    )
