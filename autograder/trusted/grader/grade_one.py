"""Grade one submission: its files in a scratch folder, its code in a sandboxed worker, the verdict decided here.

The one orchestrator that bulk grading (``bulk.py``, in each pool process) and
the LMS bundle (``grade_submission.py``, in Gradescope's container or a Docker
image) share:

- ``Grader`` starts this process's fork server (a fresh ``python -I`` exec:
  it inherits no test and no reference) and the scratch folder the
  unprivileged worker can reach;
- ``grade_submission`` grades one discovered submission, or refuses it (every
  test at 0 with the reason) when unpacking found nothing gradeable; the
  unpacking notes and LMS keys travel into the result;
- ``write_results`` writes its ``results.json`` (with the sandbox layers that
  were active) and ``feedback.md``, each atomically (``harness/render.py``).

The manifest is the reference's own scored tests (``build_manifest``): every
test a submission must run, with its name, suite and points.

The hidden and public suites run in this process, reaching the learner's code
only through a ``RemoteImplementation``; every test in the manifest gets a
result, so a test that never ran scores 0 rather than vanishing.
"""

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from autograder.shared.api import PARTS, part_of
from autograder.shared.hints import grading as grading_hints
from autograder.shared.paths import REPO_ROOT
from autograder.trusted.grader import notebook_load, outputs
from autograder.trusted.grader.remote.client import ForkServerClient
from autograder.trusted.grader.remote.failures import WorkerFailure
from autograder.trusted.grader.remote.implementation import RemoteImplementation
from autograder.trusted.grader.remote.session import WorkerSession
from autograder.trusted.grader.unpack.submission import Submission
from autograder.trusted.harness import render
from autograder.trusted.harness.results import Outcome, ScoredTest, SubmissionResult
from autograder.trusted.harness.run import SuiteSession, run_suite
from autograder.trusted.harness.scoring import scored_test


def build_manifest(
    device: str = "cpu", parts: list[int] | None = None, apis: list[str] | None = None
) -> list[ScoredTest]:
    """Every graded test (of ``apis``, where given), as the reference scored it (full marks, or grading stops):
    what each submission must run."""
    from autograder.sandboxed.loader import Implementation

    parts = parts or [n for n, p in PARTS.items() if (REPO_ROOT / "solutions" / p.folder).is_dir()]
    tests = run_suite(Implementation(REPO_ROOT / "solutions", "reference"), parts=parts, device=device, apis=apis or ())
    broken = [t.name for t in tests if t.status == "failed"]
    if broken:
        raise RuntimeError(f"the reference fails its own tests, refusing to grade: {broken[:5]}")
    return tests


def not_run(test: ScoredTest, summary: str, kind: str) -> ScoredTest:
    """A manifest test that did not run for this submission: failed, at 0, saying why."""
    run = Outcome(test.key, test.name, test.api, test.points, test.suite, "failed", kind=kind, summary=summary)
    return scored_test([run])


def to_result(
    submission_id: str,
    tests: list[ScoredTest],
    manifest: list[ScoredTest],
    *,
    seconds: float = 0.0,
    notes: tuple[str, ...] = (),
    lms: dict[str, str] | None = None,
) -> SubmissionResult:
    """The submission's result: every test of the manifest, as it ran, or failed where it never ran."""
    ran = {t.key: t for t in tests}
    return SubmissionResult(
        submission_id,
        tuple(
            ran[entry.key] if entry.key in ran else not_run(entry, grading_hints.DID_NOT_RUN, "crash")
            for entry in manifest
        ),
        seconds=round(seconds, 3),
        notes=tuple(notes),
        lms=dict(lms or {}),
    )


def write_scratch(files: dict[str, str], scratch: Path) -> None:
    """The submission's course files, laid out as the loader expects (partN/<file>.py)."""
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    scratch.chmod(0o755)
    for relative, text in files.items():
        target = scratch / relative
        if scratch not in target.resolve().parents:
            continue  # never write outside the scratch folder, whatever the name says
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


# One open test session per set of suites in this grading process: collected once, run for every submission.
_SUITES: dict[tuple, SuiteSession] = {}


def _suites_key(parts: list[int], device: str, apis: list[str]) -> tuple:
    return tuple(parts), device, tuple(apis)


def open_suites(parts: list[int], device: str, apis: list[str]) -> SuiteSession:
    """This process's open session for these suites, collected on first use (once per grading process)."""
    key = _suites_key(parts, device, apis)
    if key not in _SUITES:
        _SUITES[key] = SuiteSession(parts, device=device, apis=apis)
    return _SUITES[key]


def _run_suites(remote: RemoteImplementation, parts: list[int], device: str, apis: list[str]) -> list:
    suites = open_suites(parts, device, apis)
    try:
        return suites.run(remote)
    except RuntimeError:
        _SUITES.pop(_suites_key(parts, device, apis)).close()  # never reused; the next submission opens anew
        raise


def grade_files(
    submission_id: str,
    files: dict[str, str],
    server: ForkServerClient,
    scratch: Path,
    manifest: list[ScoredTest],
    *,
    device: str = "all",
    call_timeout: float = 30.0,
    budget: float = 600.0,
    apis: list[str] | None = None,
    notebook_budget: float = notebook_load.NOTEBOOK_BUDGET,
    unpack_notes: tuple[str, ...] = (),
    lms: dict[str, str] | None = None,
) -> tuple[SubmissionResult, dict[str, str]]:
    """Grade one submission's files; returns its result and the sandbox layers that were active.

    ``notebook_budget`` is each notebook's time for top-level work (see ``notebook_load.py``);
    ``unpack_notes`` come first in the result's notes, and ``lms`` is the learner's LMS keys.
    """
    started = time.monotonic()
    write_scratch(files, scratch)
    session = WorkerSession(server, scratch, call_timeout=call_timeout, budget=budget)
    remote = RemoteImplementation(session, label=submission_id)
    notes = list(unpack_notes)
    try:
        loaded = notebook_load.load(remote, notebook_load.notebook_names(files), call_timeout, notebook_budget, notes)
        for _api, problem in sorted((loaded.get("problems") or {}).items()):
            kind, summary = problem if isinstance(problem, list) and len(problem) == 2 else ("", str(problem))
            if kind != "not_implemented":
                notes.append(str(summary))
        if loaded.get("output"):
            notes.append(grading_hints.printed_while_importing(str(loaded["output"])[:2000]))
    except WorkerFailure as failure:
        notes.append(grading_hints.importing_failed(failure.summary))
    except Exception as failure:  # noqa: BLE001 - a verdict while loading is reported, grading goes on
        notes.append(grading_hints.importing_raised(failure))
    if apis:
        manifest = [e for e in manifest if e.api in apis]
    parts = sorted({part_of(e.api).number for e in manifest})
    try:
        tests = _run_suites(remote, parts, device, apis or [])
    finally:
        session.close()
        shutil.rmtree(scratch, ignore_errors=True)
    result = to_result(submission_id, tests, manifest, seconds=time.monotonic() - started, notes=notes, lms=lms)
    return result, dict(session.layers)


class Grader:
    """This process's fork server and the scratch folder its sandboxed workers use: one per grading process.

    The server is a fresh exec, so it holds no test and no reference whenever it is started; ``close`` stops
    it and removes the folder.
    """

    def __init__(self, root: Path | None = None):
        self.root = root or Path(tempfile.gettempdir()) / f"llmuth-grader-{os.getpid()}"
        self.root.mkdir(mode=0o755, parents=True, exist_ok=True)
        self.root.chmod(0o755)  # the worker, an unprivileged user when we are root, must reach its scratch
        self.server = ForkServerClient(self.root / "home")

    def close(self) -> None:
        self.server.close()
        shutil.rmtree(self.root, ignore_errors=True)


def refuse(submission: Submission, manifest: list[ScoredTest], reason: str = "") -> SubmissionResult:
    """Every test of the manifest at 0, each saying why: the learner sees what would have been graded."""
    reason = reason or submission.error or grading_hints.NO_COURSE_FILE
    return SubmissionResult(
        submission.id,
        tuple(not_run(test, grading_hints.not_graded(reason), "learner_error") for test in manifest),
        error=reason,
        notes=tuple(submission.notes),
        lms=dict(submission.lms),
    )


def grade_submission(
    submission: Submission,
    manifest: list[ScoredTest],
    grader: Grader,
    *,
    device: str = "cpu",
    call_timeout: float = 30.0,
    budget: float = 600.0,
    notebook_budget: float = notebook_load.NOTEBOOK_BUDGET,
    apis: list[str] | None = None,
) -> tuple[SubmissionResult, dict[str, str]]:
    """Grade (or refuse) one discovered submission; returns its result and the sandbox layers that were active.

    ``apis`` grades only those APIs' tests (the nbgrader course grades one notebook's exercises)."""
    if submission.error or not submission.files:
        return refuse(submission, manifest), {}
    return grade_files(
        submission.id,
        submission.files,
        grader.server,
        grader.root / "scratch" / "submission",
        manifest,
        device=device,
        call_timeout=call_timeout,
        budget=budget,
        notebook_budget=notebook_budget,
        apis=apis,
        unpack_notes=tuple(submission.notes),
        lms=submission.lms,
    )


def write_results(
    folder: Path, result: SubmissionResult, layers: dict[str, str], hidden_visibility: str = "visible"
) -> None:
    """``results.json`` (with the sandbox layers under ``extra_data``) and ``feedback.md`` in ``folder``, atomically."""
    results = render.gradescope_results(result, hidden_visibility, layers=layers)
    outputs.write_atomically(folder / "results.json", json.dumps(results, indent=2))
    outputs.write_atomically(folder / "feedback.md", render.feedback_markdown(result))
