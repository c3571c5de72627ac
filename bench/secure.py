"""The secure grader, measured two ways: submission by submission with its sides split, and a whole class.

``python -m bench.secure EXPORT`` (run as a child of the benchmark, so that the
fork server starts before any test is imported, as in the real grader) grades
each submission of EXPORT with ``grade_submission`` and prints, as JSON, for each:
the wall time and the trusted side's CPU time (running the tests, the
reference, the comparisons, the framing: everything but the learner's own
code) and the CPU its sandboxed workers used, read from /proc just before the
trusted side kills them. What a grading process pays once, whatever the class
size (starting the fork server, collecting the suites into their session, the
first submission's one-time imports and caches: it is graded once more as a
warm-up), is measured apart.

``grade_class`` runs ``python -m autograder grade`` on an export, every
isolation layer active, exactly as an instructor would.
"""

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from autograder.shared.api import PARTS
from bench.processes import Measured, python, tree_cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _count_worker_cpu(totals: list[float]) -> None:
    """Make every WorkerSession add its worker's CPU seconds to ``totals`` just before it is killed."""
    from autograder.trusted.grader.remote.session import WorkerSession

    kill = WorkerSession.kill

    def counted_kill(session: WorkerSession) -> None:
        if session.pid is not None:
            totals.append(tree_cpu(session.pid))  # the monitor and the worker below it
        kill(session)

    WorkerSession.kill = WorkerSession.close = counted_kill


def _count_round_trips(counter: list[int]) -> None:
    """Make every request to a worker add one to ``counter[0]``."""
    from autograder.trusted.grader.remote.session import WorkerSession

    request = WorkerSession.request

    def counted_request(session: WorkerSession, *args, **kwargs):
        counter[0] += 1
        return request(session, *args, **kwargs)

    WorkerSession.request = counted_request


TRIVIAL_CALLS = 1000


def worker_cpu_per_call(server, submission, scratch: Path) -> float:
    """Worker CPU seconds of one round trip whose learner code is next to nothing: ``sigmoid`` of four numbers.

    What the sandbox adds to every call whatever the learner wrote: receiving and
    decoding the request, the guard and its recorders, fingerprinting the
    arguments, encoding and sending the reply.
    """
    import torch

    from autograder.trusted.grader.grade_one import write_scratch
    from autograder.trusted.grader.remote.implementation import RemoteImplementation
    from autograder.trusted.grader.remote.session import WorkerSession

    write_scratch(submission.files, scratch)
    session = WorkerSession(server, scratch)
    remote = RemoteImplementation(session)
    z = torch.zeros(4)
    for _ in range(50):  # the first calls import and cache; not part of the steady cost
        remote.sigmoid(z)
    before = tree_cpu(session.pid)
    for _ in range(TRIVIAL_CALLS):
        remote.sigmoid(z)
    per_call = (tree_cpu(session.pid) - before) / TRIVIAL_CALLS
    session.close()
    return per_call


def measure_submissions(export: Path, parts: list[int], manifest_file: Path, device: str = "cpu") -> dict:
    from autograder.trusted.grader.grade_one import Grader, build_manifest, grade_submission, open_suites
    from autograder.trusted.grader.remote.client import ForkServerClient

    home = Path(tempfile.mkdtemp(prefix="llmuth-bench-"))
    before = _children_cpu()
    ForkServerClient(home / "probe").close()  # what starting a fork server costs, paid once per grading process
    server_start = _children_cpu() - before

    grader = Grader(home)  # the one orchestrator's fork server and scratch, as bulk grading uses them
    server = grader.server
    worker_cpu: list[float] = []
    _count_worker_cpu(worker_cpu)
    round_trips = [0]
    _count_round_trips(round_trips)
    from autograder.trusted.grader.unpack.discover import discover
    from autograder.trusted.harness.results import ScoredTest

    if manifest_file.is_file():  # as the Gradescope bundle does: the manifest is built once, ahead
        manifest = [ScoredTest.from_json(entry) for entry in json.loads(manifest_file.read_text())]
    else:
        manifest = build_manifest(device="cpu", parts=parts)
        manifest_file.write_text(json.dumps([entry.to_json() for entry in manifest]))
    submissions = discover(export)

    def grade(submission):
        return grade_submission(submission, manifest, grader, device=device)

    # Paid once per grading process, like the fork server: collecting the suites into their session, then the
    # first submission's one-time costs (importing the reference, the corpora, torch's lazily loaded parts).
    before = time.process_time()
    open_suites(parts, device, [])
    session_start = time.process_time() - before
    before = time.process_time()
    grade(submissions[0])
    warm_up = time.process_time() - before
    rows = []
    for submission in submissions:
        worker_cpu.clear()
        round_trips[0] = 0
        wall, cpu = time.perf_counter(), time.process_time()
        result, layers = grade(submission)
        rows.append(
            {
                "id": submission.id,
                "wall": time.perf_counter() - wall,
                "trusted_cpu": time.process_time() - cpu,
                "worker_cpu": sum(worker_cpu),
                "round_trips": round_trips[0],
                "score": result.score,
                "max_score": result.max_score,
                "failed": [f"{t.name}: {t.output[:200]}" for t in result.tests if t.status == "failed"],
            }
        )
    per_call = worker_cpu_per_call(server, submissions[0], home / "scratch" / "trivial") if 1 in parts else None
    grader.close()
    return {
        "submissions": rows,
        "worker_cpu_per_call": per_call,
        "server_start_cpu": server_start,
        "session_start_cpu": session_start,
        "warm_up_cpu": warm_up,
        "layers": layers,
    }


def per_submission(
    export: Path, parts: list[int], manifest_file: Path, sample_memory: bool = False, device: str = "cpu"
) -> dict:
    """Grade ``export`` one by one in a child process, tests on ``device``; with ``sample_memory``, its peak memory.

    Every export the benchmark grades holds copies of the reference: anything short of full marks means the
    figures measure a broken grader, so it stops the benchmark.
    """
    command = ["-m", "bench.secure", str(export), ",".join(map(str, parts)), str(manifest_file), device]
    measured = python(*command, sample_memory=sample_memory)
    if measured.returncode != 0:
        raise RuntimeError(f"the secure grader failed:\n{measured.stdout[-3000:]}")
    result = json.loads(measured.stdout.strip().splitlines()[-1])
    if any(r["score"] != r["max_score"] for r in result["submissions"]):
        raise RuntimeError(f"the secure grader did not give the reference full marks on {device}: {result}")
    return {**result, "peak_mb": measured.peak_mb}


def _part_args(parts: list[int]) -> list[str]:
    return [] if parts == sorted(PARTS) else [f"--part={n}" for n in parts]


def grade_class(export: Path, out: Path, jobs: int, parts: list[int]) -> Measured:
    command = ["-m", "autograder", "grade", str(export), str(out), "--regrade", "--jobs", str(jobs)]
    measured = python(*command, *_part_args(parts))
    if measured.returncode != 0:
        raise RuntimeError(f"grading the class failed:\n{measured.stdout[-3000:]}")
    return measured


if __name__ == "__main__":
    export, parts, manifest_file = Path(sys.argv[1]), [int(n) for n in sys.argv[2].split(",")], Path(sys.argv[3])
    print(json.dumps(measure_submissions(export, parts, manifest_file, device=sys.argv[4])))
