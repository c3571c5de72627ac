"""Fixtures the grader's tests share: one fork server per test module, and Part 1's manifest."""

import pytest

from autograder.trusted.grader.grade_one import build_manifest
from autograder.trusted.grader.remote.client import ForkServerClient
from autograder.trusted.harness.results import ScoredTest


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A fork server for the module's tests (a fresh exec each module, as each grading process gets its own)."""
    fork_server = ForkServerClient(tmp_path_factory.mktemp("forkserver"))
    yield fork_server
    fork_server.close()


@pytest.fixture(scope="module")
def manifest() -> list[ScoredTest]:
    """Part 1's tests as the reference scores them: what a Part 1 submission is graded against."""
    return build_manifest(parts=[1])
