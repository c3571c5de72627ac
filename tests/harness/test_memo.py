"""The reference's remembered answers are exactly what a fresh call would give, and never shared or stale."""

import torch

from autograder.shared.memo import ReferenceMemo


def counted(function):
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(1)
        return function(*args, **kwargs)

    return wrapper, calls


def test_same_inputs_are_answered_from_memory_with_a_private_copy():
    memo = ReferenceMemo()
    double, calls = counted(lambda x: x * 2)
    remembered = memo.wrap("double", double)
    first = remembered(torch.ones(3))
    first.add_(100)  # a test scribbling on its answer must not change the next test's
    second = remembered(torch.ones(3))
    assert len(calls) == 1 and memo.hits == 1
    assert torch.equal(second, torch.full((3,), 2.0))


def test_different_values_dtypes_or_shapes_are_different_questions():
    memo = ReferenceMemo()
    identity, calls = counted(lambda x: x.clone())
    remembered = memo.wrap("identity", identity)
    for x in (torch.zeros(2), torch.ones(2), torch.zeros(2, dtype=torch.float64), torch.zeros(1, 2)):
        assert torch.equal(remembered(x), x) and remembered(x).dtype == x.dtype
    assert len(calls) == 4


def test_a_generator_ends_where_the_real_call_would_leave_it():
    memo = ReferenceMemo()
    remembered = memo.wrap("draw", lambda n, generator: torch.randn(n, generator=generator))
    fresh = torch.Generator().manual_seed(3)
    expected_draw, expected_next = torch.randn(4, generator=fresh), torch.randn(1, generator=fresh)
    for _ in range(2):  # the second round is answered from memory
        generator = torch.Generator().manual_seed(3)
        assert torch.equal(remembered(4, generator=generator), expected_draw)
        assert torch.equal(torch.randn(1, generator=generator), expected_next)
    assert memo.hits == 1


def test_a_call_that_writes_into_its_arguments_is_always_run():
    memo = ReferenceMemo()
    step, calls = counted(lambda w: w.sub_(1.0))
    remembered = memo.wrap("step", step)
    for _ in range(3):
        w = torch.zeros(2)
        remembered(w)
        assert torch.equal(w, torch.full((2,), -1.0))
    assert len(calls) == 3 and memo.hits == 0


def test_arguments_it_cannot_key_are_passed_through_uncached():
    memo = ReferenceMemo()
    call, calls = counted(lambda obj: obj["x"] + 1)
    remembered = memo.wrap("call", call)
    assert remembered({"x": 1}) == 2 and remembered({"x": 1}) == 2
    assert len(calls) == 2
