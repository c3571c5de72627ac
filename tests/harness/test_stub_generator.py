"""The stub generator keeps signatures, docstrings and hints, drops solutions, and the committed stubs are current."""

import pytest

from autograder.build.stubs import MarkerError, drifted, make_stub

SOURCE = '''"""Doc."""

import torch


def f(x):
    """Square."""
    # Hint: multiply.
    # BEGIN SOLUTION
    y = x * x
    return y
    # END SOLUTION
'''


def test_solution_block_becomes_not_implemented():
    stub = make_stub(SOURCE)
    assert 'raise NotImplementedError("f")' in stub
    assert "x * x" not in stub and "BEGIN SOLUTION" not in stub
    assert '"""Square."""' in stub and "# Hint: multiply." in stub


@pytest.mark.parametrize(
    "broken",
    [
        "def f():\n    # BEGIN SOLUTION\n    pass\n",
        "def f():\n    pass\n    # END SOLUTION\n",
        "# BEGIN SOLUTION\nx = 1\n# END SOLUTION\n",
    ],
)
def test_unbalanced_or_misplaced_markers_are_errors(broken):
    with pytest.raises(MarkerError):
        make_stub(broken)


def test_committed_stubs_match_the_generator():
    assert drifted() == [], "run `make stubs` and commit assignments/"


def test_no_solution_code_reaches_the_stubs():
    from autograder.build.stubs import expected_stubs

    for path, text in expected_stubs().items():
        assert "BEGIN SOLUTION" not in text, path
