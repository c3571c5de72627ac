"""A run's options end with that run: stopping at the first failure once never shortens a later run."""

from autograder.sandboxed.loader import Implementation
from autograder.shared.paths import REPO_ROOT
from autograder.trusted.harness.run import run_suite


def test_first_failure_only_does_not_leak_into_the_next_run():
    stubs = Implementation(REPO_ROOT / "assignments", "stubs")
    stopped = run_suite(stubs, parts=[1], device="cpu", apis=["softmax"], first_failure_only=True)
    full = run_suite(stubs, parts=[1], device="cpu", apis=["softmax"])
    assert len(stopped) == 1
    assert len(full) > 1 and all(t.failures for t in full)
