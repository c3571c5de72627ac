"""Grade a whole class: unpack the export, grade in parallel, resume after an interruption, write every file.

    python -m autograder grade SUBMISSIONS OUT [--jobs N] [--regrade] [--similarity]

Each submission is graded by a pool process that owns a fork server (a clean
process the sandboxed workers are forked from). Finished submissions are
recognised by a fingerprint of their files and of the grader, so a re-run
after Ctrl-C only grades what is missing. Every result file is written
atomically; grades.csv always has one row per submission. Grading the same OUT
again keeps the last complete run's grades.csv as grades.previous.csv and writes
regrade.csv (who changed, on which tests); ``--similarity`` adds similarity.html.
"""

import atexit
import hashlib
import json
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from multiprocessing import get_context
from pathlib import Path

from autograder.shared.paths import REPO_ROOT
from autograder.trusted.grader import lms, outputs
from autograder.trusted.grader.grade_one import Grader, build_manifest, grade_submission, refuse, write_results
from autograder.trusted.grader.notebook_load import NOTEBOOK_BUDGET
from autograder.trusted.grader.unpack.discover import discover
from autograder.trusted.grader.unpack.submission import Submission
from autograder.trusted.harness.results import ScoredTest, SubmissionResult
from autograder.trusted.report import mistakes, report
from autograder.trusted.report.regrade import Previous, compare, keep_previous, regrade_csv, tests_csv

STATE_FILE = "grading.json"

_grader: Grader | None = None  # the pool process's fork server, started on its first submission


def grader_fingerprint() -> str:
    """Changes whenever the reference, the tests or the grader change: then everything is regraded."""
    digest = hashlib.sha256()
    for folder in (
        "solutions",
        "assignments",
        "autograder/hidden",
        "autograder/shared",
        "autograder/sandboxed",
        "autograder/trusted",
    ):
        for path in sorted((REPO_ROOT / folder).rglob("*.py")):
            digest.update(str(path.relative_to(REPO_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def submission_fingerprint(submission: Submission, grader: str) -> str:
    digest = hashlib.sha256(grader.encode())
    for name in sorted(submission.files):
        digest.update(name.encode() + b"\0" + submission.files[name].encode() + b"\0")
    digest.update(submission.error.encode())
    return digest.hexdigest()[:16]


def _grade_in_pool(
    submission: Submission, manifest: list[ScoredTest], device: str, call_timeout: float, notebook_budget: float
) -> tuple[SubmissionResult, dict[str, str]]:
    global _grader
    if _grader is None:
        _grader = Grader()
        atexit.register(_grader.close)  # reap it when the pool process ends, so its CPU time is accounted for
    return grade_submission(
        submission, manifest, _grader, device=device, call_timeout=call_timeout, notebook_budget=notebook_budget
    )


class Progress:
    """One line on stderr: done/total, rate and time left."""

    def __init__(self, total: int):
        self.total, self.done, self.started = total, 0, time.monotonic()
        self.tty = sys.stderr.isatty()

    def step(self, label: str) -> None:
        self.done += 1
        elapsed = time.monotonic() - self.started
        left = elapsed / self.done * (self.total - self.done)
        line = f"[{self.done}/{self.total}] {label}  elapsed {elapsed:.0f}s, about {left:.0f}s left"
        print(("\r" + line.ljust(100)) if self.tty else line, end="" if self.tty else "\n", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.tty:
            print(file=sys.stderr)


def grade_class(
    submissions_path: Path,
    out: Path,
    *,
    jobs: int | None = None,
    regrade: bool = False,
    device: str = "cpu",
    call_timeout: float = 30.0,
    canvas_gradebook: Path | None = None,
    moodle_worksheet: Path | None = None,
    parts: list[int] | None = None,
    hidden_visibility: str = "visible",
    similarity: bool = False,
    notebook_budget: float = NOTEBOOK_BUDGET,
) -> list[SubmissionResult]:
    out.mkdir(parents=True, exist_ok=True)
    previous = keep_previous(out)  # before anything is graded: the last complete run, as it was
    submissions = discover(submissions_path)
    print(f"found {len(submissions)} submissions in {submissions_path}", file=sys.stderr)
    manifest = build_manifest(device="cpu", parts=parts)
    grader = grader_fingerprint() + ",".join(str(p) for p in parts or []) + f";notebooks {notebook_budget:g} s"
    results: dict[str, SubmissionResult] = {}
    layers_seen: dict[str, dict[str, str]] = {}
    todo: list[tuple[Submission, str]] = []
    for submission in submissions:
        fingerprint = submission_fingerprint(submission, grader)
        state = out / submission.id / STATE_FILE
        if not regrade and state.is_file():
            saved = json.loads(state.read_text())
            if saved.get("fingerprint") == fingerprint:
                results[submission.id] = SubmissionResult.from_json(saved["result"])
                layers_seen[submission.id] = saved.get("layers", {})
                continue
        if submission.error:
            result = refuse(submission, manifest)
            _save(out, result, fingerprint, {}, hidden_visibility)
            results[submission.id] = result
            continue
        todo.append((submission, fingerprint))
    skipped = len(submissions) - len(todo)
    if skipped:
        print(f"{skipped} already graded (use --regrade to grade them again)", file=sys.stderr)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    progress = Progress(len(todo))
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"))
    try:
        arguments = (manifest, device, call_timeout, notebook_budget)
        pending = {executor.submit(_grade_in_pool, s, *arguments): (s, fp) for s, fp in todo}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                submission, fingerprint = pending.pop(future)
                try:
                    result, layers = future.result()
                except Exception as error:  # noqa: BLE001 - the grader itself failed on this one: say so, go on
                    reason = f"the grader failed on this submission: {type(error).__name__}: {error}"
                    result, layers = refuse(submission, manifest, reason), {}
                _save(out, result, fingerprint, layers, hidden_visibility)
                results[submission.id] = result
                layers_seen[submission.id] = layers
                progress.step(f"{submission.id}: {result.score:g}/{result.max_score:g}")
    except KeyboardInterrupt:
        executor.shutdown(wait=False, cancel_futures=True)
        progress.close()
        print("\ninterrupted: finished submissions are saved; run the same command again to continue", file=sys.stderr)
        raise
    executor.shutdown()
    progress.close()
    ordered = [results[s.id] for s in submissions if s.id in results]
    write_class_files(out, ordered, layers_seen, previous, submissions if similarity else None)
    if canvas_gradebook:
        for warning in lms.write_canvas_csv(ordered, canvas_gradebook, out / "canvas_import.csv"):
            print(f"canvas: {warning}", file=sys.stderr)
    if moodle_worksheet:
        for warning in lms.write_moodle_csv(ordered, moodle_worksheet, out / "moodle_import.csv"):
            print(f"moodle: {warning}", file=sys.stderr)
    return ordered


def write_class_files(
    out: Path,
    results: list[SubmissionResult],
    layers: dict[str, dict[str, str]],
    previous: Previous | None,
    similar: list[Submission] | None,
) -> None:
    """grades.csv, tests.csv, common_mistakes.csv, regrade.csv (after an earlier run), similarity.*, report.html."""
    outputs.write_atomically(out / "grades.csv", outputs.grades_csv(results))
    outputs.write_atomically(out / "tests.csv", tests_csv(results))
    outputs.write_atomically(out / "common_mistakes.csv", mistakes.mistakes_csv(mistakes.common_mistakes(results)))
    change = compare(previous, results) if previous else None
    if change:
        outputs.write_atomically(out / "regrade.csv", regrade_csv(change))
        print(
            f"regrade: {len(change.changes)} changed, class mean {change.mean_before:.1f} -> {change.mean_after:.1f}"
            " (regrade.csv; the previous grades are in grades.previous.csv)",
            file=sys.stderr,
        )
    pairs: list | None | bool = False
    if similar is not None:
        from autograder.trusted.report.similarity import INSTALL_HINT, flagged, write_similarity

        pairs = write_similarity(out, {s.id: s.files for s in similar if s.files})
        if pairs is None:
            print(f"similarity: not computed, copydetect is missing ({INSTALL_HINT})", file=sys.stderr)
        else:
            print(f"similarity: {len(flagged(pairs))} pairs above the threshold (similarity.html)", file=sys.stderr)
    report.write_report(out, results, layers, regrade=change, similarity=pairs)


def _save(out: Path, result: SubmissionResult, fingerprint: str, layers: dict, hidden_visibility: str) -> None:
    folder = out / result.submission
    write_results(folder, result, layers, hidden_visibility)
    state = {"fingerprint": fingerprint, "result": result.to_json(), "layers": layers}
    outputs.write_atomically(folder / STATE_FILE, json.dumps(state))
