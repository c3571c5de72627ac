"""The unprivileged-uid layer keeps a worker tied to its monitor: killing the monitor still kills the worker.

The trusted side stops a hung worker by killing its monitor, and the worker
dies through its parent-death signal; the kernel forgets that signal when the
uid changes, so ``sandbox.drop_privileges`` sets it again. (Found by ``make
check-lms``: there the uid layer is active, and the hostile example's endless
``sigmoid`` kept running as ``nobody`` after grading.) Root only: only root can
drop to uid 65534.
"""

import os
import signal
import time
from pathlib import Path

import pytest

from autograder.sandboxed import sandbox

pytestmark = pytest.mark.skipif(os.getuid() != 0, reason="dropping to uid 65534 needs root")


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie may wait long for a reaper)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def test_a_worker_that_dropped_its_uid_dies_with_its_monitor(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "_world_readable", lambda path: True)  # this venv's Python may live under /root
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    report, report_end = os.pipe()
    monitor = os.fork()
    if monitor == 0:  # the monitor, as in forkserver._worker_main: fork the worker, then wait
        try:
            os.close(report)
            if os.fork() == 0:  # the worker: the same calls, in the same order, then a learner's endless loop
                sandbox.die_with_parent()
                state = sandbox.drop_privileges(scratch)
                os.write(report_end, f"{os.getpid()} {state}\n".encode())
                while True:
                    time.sleep(1)
            os.close(report_end)
            while True:
                time.sleep(1)
        finally:
            os._exit(0)
    os.close(report_end)
    line = os.read(report, 200).decode()
    os.close(report)
    assert line, "the worker died before dropping its uid"
    worker, state = int(line.split()[0]), line.split(None, 1)[1].strip()
    assert state == f"active (uid {sandbox.SANDBOX_UID})"
    os.kill(monitor, signal.SIGKILL)
    os.waitpid(monitor, 0)
    deadline = time.monotonic() + 5
    while running(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    survived = running(worker)
    if survived:
        os.kill(worker, signal.SIGKILL)  # it is ours: clean up before failing
    assert not survived, "the worker kept running as nobody after its monitor was killed"
