"""Loading learner files: one broken file costs only its own names, and learner code cannot fake a verdict."""

import textwrap

import pytest
import torch

from autograder.sandboxed.loader import Implementation
from autograder.shared.verdicts import ForbiddenCall, LearnerError, NotImplementedYet, Unavailable


@pytest.fixture
def learner(tmp_path):
    def make(**files):
        (tmp_path / "part1").mkdir(exist_ok=True)
        for stem, text in files.items():
            (tmp_path / "part1" / f"{stem}.py").write_text(textwrap.dedent(text))
        return Implementation(tmp_path)

    return make


def test_syntax_error_in_one_file_spares_the_others(learner):
    impl = learner(
        linear="def linear(x, W, b) return x\n",
        features="def xor_features(x):\n    return x\n",
    )
    with pytest.raises(Unavailable, match="SyntaxError"):
        _ = impl.linear
    assert torch.equal(impl.xor_features(torch.ones(2, 2)), torch.ones(2, 2))


def test_missing_file_and_missing_name_are_reported(learner):
    impl = learner(linear="def linear(x, W, b):\n    return x @ W + b\n")
    with pytest.raises(Unavailable, match="file not found"):
        _ = impl.softmax
    with pytest.raises(Unavailable, match="defines no 'predict_sign'"):
        _ = impl.predict_sign


def test_files_may_import_each_other_relatively(learner):
    impl = learner(
        probabilities="import torch\ndef log_softmax(z, dim=-1):\n    return z - torch.exp(z).sum(dim, True).log()",
        losses="from .probabilities import log_softmax\ndef cross_entropy(l, y):\n    return -log_softmax(l)[0, y[0]]",
    )
    assert impl.cross_entropy(torch.zeros(1, 2), torch.tensor([0])).item() == pytest.approx(0.6931, abs=1e-4)


def test_stub_reports_not_implemented(learner):
    impl = learner(linear="def linear(x, W, b):\n    raise NotImplementedError('linear')\n")
    with pytest.raises(NotImplementedYet, match="not implemented yet"):
        impl.linear(1, 2, 3)


@pytest.mark.parametrize(
    "body",
    [
        "import pytest\n    pytest.skip('nothing to see')",
        "import sys\n    sys.exit(0)",
        "assert False, 'fake verdict'",
        "raise KeyError('x')",
    ],
)
def test_learner_cannot_skip_or_exit_its_way_out(learner, body):
    impl = learner(linear=f"def linear(x, W, b):\n    {body}\n")
    with pytest.raises(LearnerError) as caught:
        impl.linear(1, 2, 3)
    assert "linear.py line" in caught.value.summary


def test_forbidden_call_costs_the_exercise(learner):
    impl = learner(probabilities="import torch\ndef softmax(z, dim=-1):\n    return torch.softmax(z, dim)\n")
    with pytest.raises(ForbiddenCall, match="torch.softmax"):
        impl.softmax(torch.zeros(2))


def test_part1_functions_run_without_gradients(learner):
    impl = learner(linear="import torch\ndef linear(x, W, b):\n    return torch.is_grad_enabled()\n")
    assert impl.linear(1, 2, 3) is False
