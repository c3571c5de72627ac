"""Measuring child processes: wall and CPU seconds of a command, and the peak memory of its whole process tree.

CPU time is sampled from /proc every 50 ms for every process of the tree
(sandboxed workers are SIGKILLed and never waited for, so ``RUSAGE_CHILDREN``
would miss them): the sum of each process's last-seen user + system time, which
may miss up to one sampling interval per process. Memory is the
sum of the proportional set size (PSS) of every process in the tree: pages the
fork server shares with its workers are counted once, as a cgroup limit such
as Gradescope's counts them.
"""

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from autograder.shared.paths import REPO_ROOT


@dataclass
class Measured:
    wall: float  # seconds
    cpu: float  # user + system seconds of the command and every process below it (sampled)
    peak_mb: float = 0.0  # peak summed PSS of the process tree, when sampled
    returncode: int = 0
    stdout: str = ""


TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.05


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().rsplit(")", 1)[1].split()  # fields from the state on (the name may hold spaces)


def cpu_of(pid: int) -> tuple[tuple[int, int], float]:
    """((pid, start time), user + system seconds) of one process; the key survives pid reuse."""
    fields = _stat(pid)
    return (pid, int(fields[19])), (int(fields[11]) + int(fields[12])) / TICKS


def tree_cpu(root: int) -> float:
    """User + system seconds used so far by ``root`` and every process below it that is still alive."""
    total = 0.0
    for pid in _descendants(root):
        try:
            total += cpu_of(pid)[1]
        except (OSError, IndexError, ValueError):
            pass
    return total


def _descendants(root: int) -> list[int]:
    """``root`` and every process below it (from /proc; processes that vanish meanwhile are skipped)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            ppid = int(_stat(int(entry))[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_mb(root: int) -> float:
    return sum(_pss_kb(pid) for pid in _descendants(root)) / 1024


def run(command: list[str], *, sample_memory: bool = False, env: dict | None = None, timeout: float = 3600) -> Measured:
    """Run ``command`` from the repository root, capturing its output; wall, CPU and (optionally) peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    peak, seen = [0.0], {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_SECONDS):
            for pid in _descendants(process.pid):
                try:
                    key, seconds = cpu_of(pid)
                    seen[key] = seconds
                except (OSError, IndexError, ValueError):
                    pass
            if sample_memory:
                peak[0] = max(peak[0], tree_pss_mb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, _ = process.communicate(timeout=timeout)
    finally:
        done.set()
        sampler.join()
    return Measured(
        wall=time.perf_counter() - started,
        cpu=sum(seen.values()),
        peak_mb=peak[0],
        returncode=process.returncode,
        stdout=stdout,
    )


def python(*args: str, **kwargs) -> Measured:
    """``run`` with this interpreter (the project's venv)."""
    return run([sys.executable, *args], **kwargs)
