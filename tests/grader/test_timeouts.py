"""Which requests get the training allowance: training calls and probes, and generate; nothing else."""

from pathlib import Path

import pytest

from autograder.trusted.grader.remote.session import WorkerSession


@pytest.fixture
def session() -> WorkerSession:
    return WorkerSession(server=None, scratch=Path("unused"), call_timeout=5.0)  # no worker is started


@pytest.mark.parametrize(
    "message",
    [
        {"op": "call", "api": "train_mlp"},
        {"op": "probe", "api": "TransformerLM", "name": "train_language_model"},
        {"op": "method", "name": "generate"},
    ],
)
def test_training_and_generation_get_the_long_allowance(session, message):
    assert session.timeout_for(message) == WorkerSession.TRAINING_TIMEOUT


@pytest.mark.parametrize(
    "message",
    [
        {"op": "call", "api": "softmax"},
        {"op": "probe", "api": "TransformerBlock", "name": "load_module"},  # a hang in .to() costs 5 s, not 120
        {"op": "probe", "api": "MLP", "name": "parameter_grads"},
        {"op": "method", "name": "forward"},
    ],
)
def test_every_other_request_gets_the_call_timeout(session, message):
    assert session.timeout_for(message) == 5.0
