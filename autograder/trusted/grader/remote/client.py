"""The trusted side's handle on the fork server: start it as a fresh exec, ask it for workers, stop it.

The server (``autograder/sandboxed/forkserver.py``) is started with ``python -I``
and a scrubbed environment, so it inherits nothing of this process: no test, no
reference. Trusted side.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

from autograder.sandboxed.forkserver import recv_json, send_json
from autograder.shared.paths import REPO_ROOT

SECRET_PATHS = [REPO_ROOT]  # the reference, the hidden tests and everything else of the grader


def scrubbed_environment(home: Path) -> dict[str, str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "TMPDIR": str(home),
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for passthrough in ("CUDA_VISIBLE_DEVICES", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if passthrough in os.environ:
            env[passthrough] = os.environ[passthrough]
    return env


class ForkServerClient:
    """The trusted side's handle on the fork server (``forkserver.py``): starts it, asks it for workers, stops it.

    The server is a fresh ``python -I`` exec with a scrubbed environment, so it inherits nothing of this
    process (no test, no reference), whenever it is started.
    """

    def __init__(self, home: Path):
        home.mkdir(parents=True, exist_ok=True)
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-I",
                str(REPO_ROOT / "autograder" / "sandboxed" / "forkserver.py"),
                str(REPO_ROOT),
                str(theirs.fileno()),
            ],
            pass_fds=[theirs.fileno()],
            env=scrubbed_environment(home),
            cwd=home,
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.control = ours
        ready, _ = recv_json(self.control)
        self.cuda = bool(ready.get("cuda"))

    def spawn(self, scratch: Path, limits: dict | None = None) -> tuple[socket.socket, int]:
        request = {
            "op": "spawn",
            "scratch": str(scratch),
            "allow_gpu": self.cuda,
            "limits": limits or {},
            "secret_paths": [str(p) for p in SECRET_PATHS],
        }
        send_json(self.control, request)
        reply, fds = recv_json(self.control, max_fds=1)
        return socket.socket(fileno=fds[0]), int(reply["pid"])

    def exit_code(self, pid: int) -> int | None:
        send_json(self.control, {"op": "status", "pid": pid})
        reply, _ = recv_json(self.control)
        return reply.get("exit")

    def close(self) -> None:
        self.control.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
