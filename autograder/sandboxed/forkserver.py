"""The fork server: a clean Python process that forks the sandboxed workers.

The trusted grader starts it with ``python -I`` and a scrubbed environment; it
imports torch once (with one thread, so forked children never deadlock in
OpenMP) and the worker code, then waits. For each submission it forks: the
child enters new namespaces, forks the worker proper (PID 1 of its namespace,
so nothing the learner starts can outlive it), which applies the remaining
layers, changes to the scratch copy and serves requests on its own socket. The
socket's other end is passed back to the trusted side over the control
connection (SCM_RIGHTS); the trusted side alone keeps time and kills.
"""

import json
import os
import signal
import socket
import struct
import sys
from pathlib import Path

_LENGTH = struct.Struct("!I")


def send_json(sock: socket.socket, message: dict, fds: list[int] = ()) -> None:
    data = json.dumps(message).encode()
    socket.send_fds(sock, [_LENGTH.pack(len(data)) + data], list(fds))


def recv_json(sock: socket.socket, max_fds: int = 0) -> tuple[dict, list[int]]:
    data, fds, _, _ = socket.recv_fds(sock, 1 << 20, max_fds)
    if not data:
        raise EOFError
    (length,) = _LENGTH.unpack(data[: _LENGTH.size])
    body = data[_LENGTH.size :]
    while len(body) < length:
        more = sock.recv(length - len(body))
        if not more:
            raise EOFError
        body += more
    return json.loads(body), fds


# -- the server process -------------------------------------------------------------


def _worker_main(sock: socket.socket, request: dict) -> None:
    """In the forked child: namespaces, then the worker proper as a grandchild that is PID 1 of them."""
    from autograder.sandboxed import sandbox, worker

    scratch = Path(request["scratch"])
    os.setsid()
    layers = {"process separation": "active (learner code runs only in this forked worker)"}
    layers["namespaces"] = sandbox.enter_namespaces()
    parent_alive, held_by_monitor = os.pipe()
    pid = os.fork()
    if pid:  # the monitor: mirror the worker's fate, so the trusted side can read it
        sock.close()
        os.close(parent_alive)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        os._exit(128 - code if code < 0 else code)
    os.close(held_by_monitor)
    sandbox.die_with_parent()
    allow_gpu = bool(request.get("allow_gpu"))
    limits = sandbox.WorkerLimits(**request.get("limits", {}))
    os.chdir(scratch)
    layers["rlimits"] = sandbox.apply_rlimits(limits, allow_gpu)
    layers["unprivileged uid"] = sandbox.drop_privileges(scratch)
    sandbox.exit_if_parent_died(parent_alive)  # the monitor was killed before the worker could notice
    forbidden = [Path(p) for p in request.get("secret_paths", [])]
    readable = sandbox.read_only_paths([])
    layers["landlock"] = sandbox.apply_landlock(scratch, readable, forbidden, allow_gpu)
    layers["seccomp"] = sandbox.apply_seccomp()
    # Nothing of the grader's own source tree stays importable by name.
    sys.path[:] = [p for p in sys.path if not any(Path(p).resolve() == Path(s).resolve() for s in forbidden)]
    worker.redirect_output(scratch)
    from autograder.shared import protocol

    protocol.send(sock, {"op": "hello", "layers": layers, "pid": os.getpid()})
    worker.Worker(sock, scratch).serve()
    os._exit(0)


def serve(control: socket.socket) -> None:
    import torch

    torch.set_num_threads(1)  # before any op: forked children must never inherit an OpenMP pool
    torch.set_num_interop_threads(1)
    # Import everything a worker needs now, while files are readable; workers can't read the repo later.
    import autograder.sandboxed.sandbox  # noqa: F401
    import autograder.sandboxed.worker  # noqa: F401
    import autograder.shared.protocol  # noqa: F401
    from autograder.sandboxed import probes
    from autograder.sandboxed.recording import Recording

    probes.get("parameter_grads")
    # A backward with an explicit gradient imports torch's symbolic-shape machinery (~500 modules, a quarter
    # second): imported here, once, rather than in every worker.
    import torch.fx.experimental.symbolic_shapes  # noqa: F401

    with torch.no_grad(), Recording():
        _ = torch.exp(torch.zeros(2, 2) @ torch.zeros(2, 2)).sum()
    # The device checks' tables, and the simulated GPU they run on: FakeTensorMode imports torch._dynamo (about
    # 0.9 s and 70 MB), once here for every worker to inherit (see harness/placement.py).
    from autograder.sandboxed import placement
    from autograder.shared import device_cases

    device_cases.load_all()
    with Recording():
        placement.warm_up()
    # Everything imported so far lives as long as the server: move it out of the garbage collector's sight, so
    # that no collection in a worker walks (and, through copy-on-write, copies) the objects it inherited.
    import gc

    gc.freeze()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    exits: dict[int, int] = {}
    send_json(control, {"op": "ready", "cuda": torch.cuda.is_available(), "pid": os.getpid()})
    while True:
        try:
            request, _ = recv_json(control)
        except (EOFError, ConnectionError, OSError):
            os._exit(0)
        if request.get("op") == "spawn":
            parent_end, child_end = socket.socketpair()
            pid = os.fork()
            if pid == 0:
                control.close()
                parent_end.close()
                os.closerange(3, child_end.fileno())
                os.closerange(child_end.fileno() + 1, 1 << 16)
                try:
                    _worker_main(child_end, request)
                finally:
                    os._exit(70)
            child_end.close()
            send_json(control, {"op": "spawned", "pid": pid}, [parent_end.fileno()])
            parent_end.close()
        elif request.get("op") == "status":
            pid = int(request["pid"])
            if pid not in exits:
                try:
                    done, status = os.waitpid(pid, os.WNOHANG)
                    if done:
                        exits[pid] = os.waitstatus_to_exitcode(status)
                except ChildProcessError:
                    exits[pid] = exits.get(pid, -1)
            send_json(control, {"op": "status", "exit": exits.get(pid)})
        # reap anything else that finished, so no zombies pile up
        try:
            while True:
                done, status = os.waitpid(-1, os.WNOHANG)
                if not done:
                    break
                exits[done] = os.waitstatus_to_exitcode(status)
        except ChildProcessError:
            pass


if __name__ == "__main__":
    # Started as: python -I forkserver.py REPO_ROOT CONTROL_FD
    sys.path.insert(0, sys.argv[1])
    serve(socket.socket(fileno=int(sys.argv[2])))
