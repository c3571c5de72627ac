"""One open test session grades a stream of implementations exactly as a fresh pytest run grades each."""

from autograder.sandboxed.loader import Implementation
from autograder.shared.paths import REPO_ROOT
from autograder.trusted.harness.run import SuiteSession, run_suite

APIS = ["softmax", "sgd_step", "train_log_linear"]


def outcomes(tests) -> dict[str, tuple[bool, float]]:
    return {t.key: (t.passed, t.score) for t in tests}


def test_a_reused_session_matches_fresh_runs_submission_after_submission():
    reference = Implementation(REPO_ROOT / "solutions", "reference")
    stubs = Implementation(REPO_ROOT / "assignments", "stubs")
    fresh = {impl.label: outcomes(run_suite(impl, parts=[1], device="cpu", apis=APIS)) for impl in (reference, stubs)}
    session = SuiteSession([1], device="cpu", apis=APIS)
    try:
        # stubs between two reference runs: nothing of one submission may leak into the next
        reused = [outcomes(session.run(impl)) for impl in (reference, stubs, reference)]
    finally:
        session.close()
    assert reused == [fresh["reference"], fresh["stubs"], fresh["reference"]]
    assert reused[0] and all(passed for passed, _ in reused[0].values())
    assert all(score == 0 for _, score in reused[1].values())
