"""Hidden tests for sample_next_token: random rows at several temperatures, top-k before the nucleus, ties,
a nucleus one token fills, top_p = 1, huge logits, the limits T -> 0 and T -> infinity, and the generator.

Every frequency check uses ``expect_frequencies`` (a correct sampler fails one with probability below 1e-7,
see lm_oracles.py); a test makes at most 4 of them, so it fails by chance with probability below 1e-6.
"""

import math

import pytest
import torch

from assignments.part4.tests.lm_oracles import expect_frequencies, sampling_distribution
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_equal, expect_unchanged, snapshot

DRAWS = 4000
MASKING = "tokens left out by top_k / top_p get -inf (probability 0) before the renormalising softmax"


def _rows(gen, n_rows: int, vocab: int, scale: float = 1.5) -> torch.Tensor:
    return randn(n_rows, vocab, gen=gen, dtype=torch.float64, scale=scale)


def _sample_rows(impl, rows: torch.Tensor, seed: int, **options) -> list[torch.Tensor]:
    """DRAWS draws of every row in one call: the draws of row r, for each r."""
    logits = rows.repeat_interleave(DRAWS, dim=0)  # (n_rows * DRAWS, V)
    draws = impl.sample_next_token(logits, generator=torch.Generator().manual_seed(seed), **options)
    expect(
        isinstance(draws, torch.Tensor) and draws.shape == (logits.shape[0],),
        case="shape of the draws",
        expected=f"({logits.shape[0]},)",
        got=str(tuple(draws.shape)) if isinstance(draws, torch.Tensor) else type(draws).__name__,
        cause="one token per row of logits",
    )
    return list(draws.reshape(len(rows), DRAWS))


OPTIONS = [
    {"temperature": 1.0},
    {"temperature": 0.6},
    {"temperature": 2.5},
    {"temperature": 1.0, "top_k": 3},
    {"temperature": 0.8, "top_p": 0.55},
    {"temperature": 1.3, "top_k": 4, "top_p": 0.7},
]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
@graded("sample_next_token", points=1)
def test_sample_next_token_random_rows(impl, gen, options):
    """three random rows of 7 logits: frequencies match the contract's distribution, row by row"""
    rows = _rows(gen, 3, 7)
    while True:  # keep top_p away from the boundary of a nucleus, where rounding could pick either size
        probs = sampling_distribution(rows, options["temperature"], options.get("top_k"))
        cumulative = probs.sort(dim=-1, descending=True).values.cumsum(-1)
        if "top_p" not in options or bool(((cumulative - options["top_p"]).abs() > 1e-3).all()):
            break
        rows = _rows(gen, 3, 7)
    expected = sampling_distribution(rows, **options)
    seed = int(torch.randint(0, 2**31, (1,), generator=gen))
    for r, draws in enumerate(_sample_rows(impl, rows, seed, **options)):
        expect_frequencies(draws, expected[r], case=f"frequencies of row {r}", cause=MASKING)


@graded("sample_next_token", points=2)
def test_sample_next_token_top_k_comes_before_the_nucleus(impl):
    """p = (.05, .15, .2, .25, .35), top_k=3 then top_p=0.7: the nucleus of the renormalised top 3 is {3, 4}"""
    rows = torch.tensor([[0.05, 0.15, 0.2, 0.25, 0.35]], dtype=torch.float64).log()
    (draws,) = _sample_rows(impl, rows, seed=11, top_k=3, top_p=0.7)
    expect_frequencies(
        draws,
        sampling_distribution(rows, top_k=3, top_p=0.7)[0],
        case="top_k=3 then top_p=0.7",
        cause="restrict to the top_k tokens and renormalise FIRST; the nucleus is taken of that distribution",
    )


@graded("sample_next_token", points=2)
def test_sample_next_token_top_k_one_and_temperature_zero_are_the_argmax(impl, device, gen):
    """top_k=1 (at any temperature) and temperature=0 return exactly each row's argmax"""
    logits = randn(50, 9, gen=gen, device=device, scale=3.0)
    before = snapshot({"logits": logits})
    for case, options in (("top_k=1", {"top_k": 1, "temperature": 1.7}), ("temperature=0", {"temperature": 0.0})):
        expect_equal(
            impl.sample_next_token(logits, generator=None if device != "cpu" else torch.Generator(), **options),
            logits.argmax(dim=-1),
            case=case,
            inputs={"logits": logits},
            cause="only the best token is left: the draw must be the argmax",
        )
    expect_unchanged(before, {"logits": logits}, case="sample_next_token inputs")


@graded("sample_next_token", points=1)
def test_sample_next_token_on_the_device(impl, device, gen):
    """on the input's device, int64, only tokens of the top_k, without a generator"""
    logits = randn(200, 6, gen=gen, device=device)
    draws = impl.sample_next_token(logits, top_k=2)
    top2 = logits.topk(2, dim=-1).indices
    ok = isinstance(draws, torch.Tensor) and draws.shape == (200,) and draws.dtype == torch.int64
    expect(
        ok and draws.device.type == torch.device(device).type and bool((top2 == draws[:, None]).any(-1).all()),
        case="200 draws with top_k=2",
        expected=f"(200,) int64 on {device}, each among its row's top 2",
        got=f"{getattr(draws, 'dtype', type(draws).__name__)} {tuple(getattr(draws, 'shape', ()))} "
        f"on {getattr(getattr(draws, 'device', None), 'type', '?')}",
        cause="create nothing on a fixed device; masks and draws stay on logits.device",
    )


@graded("sample_next_token", points=1)
def test_sample_next_token_ties_in_top_k(impl):
    """logits (2, 1, 1, 0), top_k=2: one of the tied tokens may be kept, never token 3"""
    rows = torch.tensor([[2.0, 1.0, 1.0, 0.0]], dtype=torch.float64)
    (draws,) = _sample_rows(impl, rows, seed=5, top_k=2)
    counts = torch.bincount(draws.cpu(), minlength=4)
    share = float(counts[0]) / DRAWS
    # Token 0's share: e^2 / (e^2 + e) = 0.731 with one tied token kept, e^2 / (e^2 + 2e) = 0.576 with both;
    # a margin of 0.056 on either side fails a correct sampler with probability 2 exp(-2 * 4000 * 0.056^2) < 1e-10.
    expect(
        counts[3] == 0 and 0.52 < share < 0.787,
        case="top_k=2 with a tie for second place",
        expected="token 3 never drawn; token 0 drawn 58% (both tied kept) to 73% (one kept) of the time",
        got=f"counts {counts.tolist()}",
        cause="keep the top_k highest scores (torch.topk); everything below the k-th score gets -inf",
    )


@graded("sample_next_token", points=1)
def test_sample_next_token_nucleus_edges(impl):
    """a nucleus a single token fills is the argmax; top_p=1.0 keeps every token"""
    rows = torch.tensor([[0.9, 0.06, 0.04], [0.5, 0.3, 0.2]], dtype=torch.float64).log()
    single, _ = _sample_rows(impl, rows, seed=3, top_p=0.6)
    expect(
        bool((single == 0).all()),
        case="top_p=0.6 where the best token has p = 0.9",
        expected="always token 0",
        got=f"counts {torch.bincount(single.cpu(), minlength=3).tolist()}",
        cause="the nucleus is the FEWEST tokens reaching top_p: the first token alone when it has enough mass",
    )
    _, everything = _sample_rows(impl, rows, seed=4, top_p=1.0)
    expect_frequencies(
        everything, sampling_distribution(rows[1:], top_p=1.0)[0], case="top_p=1.0", cause="top_p=1 keeps all"
    )


@graded("sample_next_token", points=1)
def test_sample_next_token_huge_logits(impl):
    """logits (1e4, -1e4, 1e4 - 1): probabilities 0.731, 0, 0.269, with no overflow"""
    rows = torch.tensor([[1e4, -1e4, 1e4 - 1.0]], dtype=torch.float64)
    (draws,) = _sample_rows(impl, rows, seed=9)
    p = 1 / (1 + math.exp(-1.0))
    expect_frequencies(
        draws,
        torch.tensor([p, 0.0, 1 - p], dtype=torch.float64),
        case="huge logits",
        cause="use torch.softmax (or subtract the maximum) before exponentiating",
    )


@graded("sample_next_token", points=1)
def test_sample_next_token_temperature_limits(impl, gen):
    """T = 1e-3 is (almost surely) the argmax; T = 1e3 is close to uniform"""
    rows = _rows(gen, 1, 5, scale=2.0)
    while float(rows.topk(2).values.diff().abs()) < 0.05:  # a clear winner: p(runner-up) < e^-50 at T = 1e-3
        rows = _rows(gen, 1, 5, scale=2.0)
    (cold,) = _sample_rows(impl, rows, seed=1, temperature=1e-3)
    expect(
        bool((cold == rows.argmax()).all()),
        case="temperature 1e-3",
        expected=f"always the argmax {int(rows.argmax())}",
        got=f"counts {torch.bincount(cold.cpu(), minlength=5).tolist()}",
        cause="divide (not multiply) the logits by the temperature",
    )
    (hot,) = _sample_rows(impl, rows, seed=2, temperature=1e3)
    expect_frequencies(
        hot, sampling_distribution(rows, 1e3)[0], case="temperature 1e3", cause="divide the logits by the temperature"
    )


@graded("sample_next_token", points=2)
def test_sample_next_token_randomness_only_from_the_generator(impl):
    """one seed, two global random states: identical draws; two seeds: different draws"""
    logits = torch.zeros(500, 6, dtype=torch.float64)  # uniform: two seeds agree on all 500 with p = 6^-500
    results = []
    for global_seed, seed in ((1, 21), (2, 21), (3, 22)):
        torch.manual_seed(global_seed)
        results.append(impl.sample_next_token(logits, top_k=5, generator=torch.Generator().manual_seed(seed)))
    same = all(isinstance(r, torch.Tensor) for r in results) and torch.equal(results[0], results[1])
    expect(
        same and not torch.equal(results[0], results[2]),
        case="500 draws with generators seeded 21, 21 and 22",
        expected="the two seed-21 calls agree, the seed-22 call differs",
        got="they agree" if not same else "all three agree",
        cause="every random call takes generator=generator (torch.multinomial(probs, 1, generator=generator))",
    )
