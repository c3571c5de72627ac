"""``make bench``: every performance figure of the grader next to its baseline, measured in the same run.

    python -m bench                      # full: classes of 10, 40 and 160 submissions
    python -m bench --quick              # classes of 5, 10 and 20, fewer baseline runs
    python -m bench --sizes 1,2 --baseline 1 --part 1   # the smoke test's run

Machines are noisy, so every figure is compared with a baseline taken in the
same run; absolute times mean something only on a dedicated machine.
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from autograder.shared.api import PARTS
from bench import baseline, devices, learner_loop, memory, secure
from bench.fit import fit_line
from bench.processes import REPO_ROOT
from bench.submissions import write_class
from bench.table import Row, render

FULL_SIZES, QUICK_SIZES = (10, 40, 160), (5, 10, 20)


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(sorted({int(n) for n in text.split(",") if n.strip()}))


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _gpu_rows(work: Path, parts: list[int], manifest_file: Path, cpu_seconds: float) -> tuple[list[Row], list[str]]:
    """The GPU figures: the secure grader with its tests on CUDA, and every test on CUDA against the CPU."""
    import torch

    if not torch.cuda.is_available():
        return [], ["GPU: skipped (no CUDA device here); GPU figures are measured only where torch.cuda.is_available()"]
    on_gpu = secure.per_submission(work / "sample", parts, manifest_file, device="cuda")["submissions"]
    gpu_seconds = _mean([r["trusted_cpu"] + r["worker_cpu"] for r in on_gpu])
    tests, launch = devices.compare("cuda", parts)
    over = [t for t in tests if t.over_budget]
    rows = [
        Row("GPU: CPU s per submission, tests on CUDA", f"{gpu_seconds:.2f}", f"{cpu_seconds:.2f}",
            f"{cpu_seconds / gpu_seconds:.1f}x", "(CPU run above as baseline)"),
        Row("GPU: wall s per submission, tests on CUDA", f"{_mean([r['wall'] for r in on_gpu]):.2f}"),
        Row("GPU: suites, sum of test times on CUDA", f"{sum(t.accelerator for t in tests):.2f} s",
            f"{sum(t.cpu for t in tests):.2f} s", f"{len(tests)} tests"),
        Row("GPU: one operator's launch + sync", f"{launch * 1e6:.0f} us"),
        Row("GPU: tests slower beyond their launches", f"{len(over)}", "", "", "0", not over),
    ]  # fmt: skip
    worst = sorted(over, key=lambda t: t.accelerator - t.cpu - t.allowance, reverse=True)[:10]
    notes = [f"GPU: {torch.cuda.get_device_name(0)}; tests over budget (cuda s, cpu s, operators):"] if worst else []
    notes += [f"  {t.test}: {t.accelerator:.4f}, {t.cpu:.4f}, {t.operators}" for t in worst]
    return rows, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"classes of {QUICK_SIZES}, one part per loop")
    parser.add_argument("--sizes", type=_sizes, default=None, help="class sizes for the cost-growth fit, e.g. 5,10,20")
    parser.add_argument("--baseline", type=int, default=None, help="submissions graded by the baseline and one by one")
    parser.add_argument("--jobs", type=int, default=2, help="parallel graders for the class runs (default 2)")
    parser.add_argument("--part", type=int, action="append", help="grade only these parts (default: all)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = parser.parse_args(argv)
    sizes = args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES)
    few = args.baseline or (2 if args.quick else 5)  # means of 3 moved by +-10% between runs on this machine
    work = args.work or Path(tempfile.mkdtemp(prefix="llmuth-bench-"))
    parts = args.part or sorted(PARTS)
    rows: list[Row] = []

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    # -- throughput: the same submissions through the baseline and the secure grader --------------------------
    sample = write_class(work / "sample", few, parts)
    say(f"baseline: a fresh pytest per submission, {few} submissions")
    plain = [baseline.grade(folder, parts) for folder in sample]
    plain_cpu, plain_wall = _mean([m.cpu for m in plain]), _mean([m.wall for m in plain])
    plain_start = baseline.start_only(sample[0], parts).cpu
    say("secure grader: the same submissions, one by one")
    manifest_file = work / "manifest.json"
    measured = secure.per_submission(work / "sample", parts, manifest_file)
    graded = measured["submissions"]  # all at full marks: per_submission stops the benchmark otherwise
    trusted = _mean([r["trusted_cpu"] for r in graded])
    workers = _mean([r["worker_cpu"] for r in graded])
    round_trips = _mean([r["round_trips"] for r in graded])
    per_call = measured["worker_cpu_per_call"]
    secure_cpu, secure_wall = trusted + workers, _mean([r["wall"] for r in graded])
    rows += [
        Row("CPU s per submission", f"{secure_cpu:.2f}", f"{plain_cpu:.2f}", f"{plain_cpu / secure_cpu:.1f}x",
            "< 5 s, >= 5x", secure_cpu < 5 and plain_cpu / secure_cpu >= 5),
        Row("wall s per submission (1 core)", f"{secure_wall:.2f}", f"{plain_wall:.2f}",
            f"{plain_wall / secure_wall:.1f}x"),
        Row("  trusted side (tests, reference, framing)", f"{trusted:.2f}"),
        Row("  sandboxed worker", f"{workers:.2f}"),
    ]  # fmt: skip
    if per_call is None:
        rows.append(Row("  fixed cost (trusted side only)", f"{trusted:.2f}", "", "", "< 0.2 s", trusted < 0.2))
        learner = workers
    else:
        # The worker's own work per round trip, measured on a call that computes next to nothing; what is left
        # of the worker is the learner's code, with the recorders' cost on each torch call it makes: about 1.9 us
        # a call for the function view, 9 us with the operator view, which the baseline pays alike.
        overhead = round_trips * per_call
        fixed, learner = trusted + overhead, workers - overhead
        rows += [
            Row(f"    its own work: {round_trips:.0f} round trips x {per_call * 1e6:.0f} us", f"{overhead:.2f}"),
            Row("  fixed cost = trusted side + worker's own work", f"{fixed:.2f}", "", "", "< 0.2 s", fixed < 0.2),
            Row("  the learner's code, recorded (rest of the worker)", f"{learner:.2f}"),
        ]  # fmt: skip
    rows += [
        Row("  baseline: process start and collection", f"{plain_start:.2f}", "", "", "(no test run)"),
        Row("  ratio ceiling: the learner's code alone", f"{plain_cpu / learner:.1f}x", "", "",
            "(both graders pay for it)"),
        Row("fork server start (once per job)", f"{measured['server_start_cpu']:.2f}"),
        Row("test session start (once per job)", f"{measured['session_start_cpu']:.2f}"),
        Row("first submission, warm-up (once per job)", f"{measured['warm_up_cpu']:.2f}", "", "",
            "(trusted side; not in the means above)"),
    ]  # fmt: skip
    inactive = [name for name, state in measured["layers"].items() if not state.startswith("active")]
    say(f"isolation layers not active here: {', '.join(inactive) or 'none'}")

    # -- the learner's loop ---------------------------------------------------------------------------------------
    say("learner loop: make test per part, next to python -c 'import torch'")
    torch_import = _mean([learner_loop.import_torch().wall for _ in range(3)])
    rows.append(Row("python -c 'import torch'", f"{torch_import:.2f} s"))
    for part in parts:
        for impl, label in (("assignments", "stubs"), (str(REPO_ROOT / "solutions"), "finished")):
            run = learner_loop.make_test(part, impl)
            extra = run.wall - torch_import
            rows.append(Row(f"make test PART={part} ({label})", f"{run.wall:.2f} s", f"{torch_import:.2f} s",
                            f"+{extra:.2f} s", "<= +2 s", extra <= 2.0))  # fmt: skip

    # -- memory of one submission -----------------------------------------------------------------------------------
    say("memory: grading one submission as the Gradescope bundle does, every process summed")
    peak = memory.grade_one(_one(work, sample), parts, manifest_file)
    rows.append(Row("peak memory, one submission (PSS)", f"{peak:.0f} MB", "", "", "< 700 MB", peak < 700))

    # -- cost growth -------------------------------------------------------------------------------------------------
    points_wall, points_cpu = [], []
    for size in sizes:
        say(f"cost growth: a class of {size}, --jobs {args.jobs}")
        write_class(work / f"class{size}", size, parts)
        run = secure.grade_class(work / f"class{size}", work / f"out{size}", args.jobs, parts)
        points_wall.append((size, run.wall))
        points_cpu.append((size, run.cpu))
        rows.append(Row(f"class of {size}, --jobs {args.jobs}", f"{run.wall:.1f} s wall, {run.cpu:.1f} s CPU"))
    if len(sizes) >= 2:
        wall, cpu = fit_line(points_wall), fit_line(points_cpu)
        per200 = wall.intercept + 200 * wall.slope
        rows += [
            Row("  fit: wall = a + b n", f"a={wall.intercept:.1f} s, b={wall.slope:.2f} s/sub, R2={wall.r_squared:.3f}",
                "", "", "linear", wall.r_squared > 0.98),
            Row("  fit: CPU = a + b n", f"a={cpu.intercept:.1f} s, b={cpu.slope:.2f} s/sub, R2={cpu.r_squared:.3f}",
                "", "", "b < 5 s", cpu.slope < 5),
            Row("  200 submissions, predicted", f"{per200 / 60:.1f} min", "", "", "< 10 min", per200 < 600)
            if len(sizes) >= 3 and min(sizes) >= 2 * args.jobs
            else Row("  200 submissions, predicted", "needs 3 sizes, each >= 2x --jobs"),
        ]  # fmt: skip

    say("GPU: the grader with its tests on CUDA, and every test on CUDA against the CPU")
    gpu_rows, gpu_notes = _gpu_rows(work, parts, manifest_file, secure_cpu)
    print(render(rows + gpu_rows))
    print("\n".join(gpu_notes))
    print(f"(parts {', '.join(map(str, parts))}; class: copies of the reference, every test runs to its end)")
    return 0


def _one(work: Path, sample: list[Path]) -> Path:
    """An export holding only the first sample submission."""
    target = work / "one"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(sample[0], target / sample[0].name)
    return target


if __name__ == "__main__":
    sys.exit(main())
