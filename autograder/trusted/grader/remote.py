"""The trusted side of the sandbox: start the fork server, drive one worker per submission, and the proxy tests see.

``RemoteImplementation`` has the interface of the in-process ``Implementation``
(``impl.softmax(z)``, ``impl.MLP(...)``, ``impl.probe(...)``,
``impl.last_record``), so the very same tests grade across the boundary. Every
request has a deadline kept here: a worker that overruns it, crashes, floods or
breaks the protocol is SIGKILLed and its test gets a verdict; the next request
starts a fresh worker for the same submission, so one bad call costs only the
tests it touches.
"""

import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import torch

from autograder.sandboxed.forkserver import recv_json, send_json
from autograder.sandboxed.recording import CallRecord
from autograder.shared import protocol
from autograder.shared.api import is_long_running
from autograder.shared.feedback import FAILURE_KINDS
from autograder.shared.paths import REPO_ROOT
from autograder.shared.verdicts import Verdict
from autograder.trusted.harness.devices import is_available

SECRET_PATHS = [REPO_ROOT]  # the reference, the hidden tests and everything else of the grader


class WorkerFailure(Verdict):
    """The worker timed out (kind ``timeout``), crashed or broke the protocol (kind ``crash``) in this test's call."""

    kind = "crash"

    def __init__(self, summary: str, kind: str = "crash"):
        self.summary = summary
        self.kind = kind

    @property
    def timed_out(self) -> bool:
        return self.kind == "timeout"


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


def describe_exit(code: int | None) -> str:
    if code is None:
        return "it stopped answering"
    if code < 0 or code > 128:
        number = -code if code < 0 else code - 128
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else f"signal {number}"
        hints = {"SIGSEGV": "a segfault", "SIGKILL": "killed (memory or CPU limit?)", "SIGXCPU": "CPU time limit"}
        return f"it died from {name} ({hints.get(name, 'a signal')})"
    return f"it exited with status {code} (os._exit or sys.exit at import?)"


class WorkerSession:
    """One submission's worker: requests with deadlines, kill and restart on failure."""

    MAX_FAILURES_PER_API = 2

    def __init__(self, server: ForkServerClient, scratch: Path, call_timeout: float = 30.0, budget: float = 600.0):
        self.server = server
        self.scratch = scratch
        self.call_timeout = call_timeout
        self.deadline = time.monotonic() + budget
        self.sock: socket.socket | None = None
        self.pid: int | None = None
        self.generation = 0
        self.layers: dict[str, str] = {}
        self.restarts = 0
        self.last_record: CallRecord | None = None
        self.failures: Counter = Counter()  # per API: a function that hung or crashed twice is not called again
        self.failure_kinds: dict[str, str] = {}  # per API: how it failed last (timeout or crash)
        # (class name, attribute) pairs the worker said are methods: calling one again needs no attribute read
        # first, which halves the round trips of method calls (a third of all requests).
        self.methods: set[tuple[str, str]] = set()
        # (message, timeout) every fresh worker runs before anything else: how a notebook's cells are run again
        # after a restart, exactly as the first load ran them (see notebook_load.py).
        self.startup: tuple[dict, float] | None = None

    # -- lifecycle -------------------------------------------------------------------

    def _start(self) -> None:
        if self.restarts > 25:
            raise WorkerFailure("the submission crashed its worker too many times; remaining tests are not run")
        self.sock, self.pid = self.server.spawn(self.scratch)
        self.generation += 1
        hello = self._receive(self.call_timeout, "starting")
        self.layers = hello.get("layers", {}) if isinstance(hello.get("layers"), dict) else {}
        if self.startup is not None:
            message, timeout = self.startup
            try:
                self.sock.sendall(protocol.encode(message))
            except OSError:
                raise self._fail("the worker stopped accepting requests") from None
            self._receive(timeout, "running your notebook again after a restart")

    def kill(self) -> None:
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)  # the monitor; the worker (PID 1 of its namespace) dies with it
            except ProcessLookupError:
                pass
        if self.sock is not None:
            self.sock.close()
        self.sock, self.pid = None, None

    close = kill

    def _fail(self, why: str, timed_out: bool = False) -> WorkerFailure:
        pid = self.pid
        code = None
        if pid is not None and not timed_out:  # it ended by itself: learn how before cleaning up
            for _ in range(20):
                code = self.server.exit_code(pid)
                if code is not None:
                    break
                time.sleep(0.01)
        self.kill()
        self.restarts += 1
        return WorkerFailure(
            f"{why}; {describe_exit(code) if not timed_out else 'it was stopped'}", "timeout" if timed_out else "crash"
        )

    # -- requests ----------------------------------------------------------------------

    def _receive(self, timeout: float, what: str) -> dict:
        limit = min(time.monotonic() + timeout, self.deadline)
        self.sock.setblocking(True)
        buffered = b""
        while True:
            remaining = limit - time.monotonic()
            if remaining <= 0:
                raise self._fail(
                    f"the call timed out after {timeout:g} s while {what} (an endless loop?)", timed_out=True
                )
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                continue
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise self._fail(f"the worker closed while {what}")
            buffered += chunk
            if len(buffered) >= protocol.FRAME.size:
                header_len, payload_len = protocol.FRAME.unpack(buffered[: protocol.FRAME.size])
                if header_len > protocol.MAX_HEADER_BYTES or payload_len > protocol.MAX_PAYLOAD_BYTES:
                    raise self._fail("the worker sent an oversized message")
                total = protocol.FRAME.size + header_len + payload_len
                if len(buffered) >= total:
                    header = buffered[protocol.FRAME.size : protocol.FRAME.size + header_len]
                    try:
                        return protocol.decode(
                            header,
                            buffered[protocol.FRAME.size + header_len : total],
                            decode_handle=self._remote_object,
                            device_map=_device_map,
                        )
                    except protocol.ProtocolError as error:
                        raise self._fail(f"the worker broke the protocol ({error})") from None

    def request(self, message: dict, timeout: float | None = None, what: str = "running your code") -> dict:
        if time.monotonic() >= self.deadline:
            raise WorkerFailure("the submission used up its time budget; remaining tests are not run", "timeout")
        api = message.get("api") or message.get("handle", protocol.Handle(0)).type_name
        counted = message.get("op") != "load"  # a load that fails is retried its own way (notebook_load.py)
        if counted and self.failures[api] >= self.MAX_FAILURES_PER_API:
            raise WorkerFailure(
                f"not run: {api} already hung or crashed the worker {self.MAX_FAILURES_PER_API} times",
                self.failure_kinds.get(api, "crash"),
            )
        if self.sock is None:
            self._start()
        try:
            self.sock.sendall(protocol.encode(message, encode_object=_encode_remote))
        except OSError:
            raise self._fail("the worker stopped accepting requests") from None
        try:
            reply = self._receive(timeout or self.call_timeout, what)
        except WorkerFailure as failure:
            self.failures[api] += counted
            self.failure_kinds[api] = failure.kind
            raise
        record = reply.get("record")
        if isinstance(record, dict):
            self.last_record = CallRecord(functions=Counter(_str_int_map(record.get("functions"))))
        if "verdict" in reply:
            raise RemoteVerdict.from_reply(reply)
        return reply

    TRAINING_TIMEOUT = 120.0  # training legitimately runs for seconds, more on a busy machine

    def timeout_for(self, message: dict) -> float:
        """Training (``train_*`` calls and probes) and ``generate`` get a longer allowance than any other call.

        A probe is judged by its own name: moving a module or taking one gradient
        is a short call, and a learner method that hangs inside it must cost the
        short allowance, not the training one.
        """
        if message.get("op") == "probe":
            name = message.get("name") or ""
        else:
            name = message.get("api") or message.get("name") or ""
        return max(self.call_timeout, self.TRAINING_TIMEOUT) if is_long_running(name) else self.call_timeout

    def _remote_object(self, handle: protocol.Handle):
        return RemoteObject(self, handle, self.generation)


def _encode_remote(value) -> dict:
    """Trusted-side values that stand for worker objects travel as their handles; nothing else does."""
    if isinstance(value, RemoteObject):
        return {"handle": value._handle.id, "type": value._handle.type_name}
    if isinstance(value, RemoteCallable) and value._message.get("op") == "call":
        return {"api": value._message["api"]}  # a course function handed to a probe
    raise TypeError(f"{type(value).__name__} objects cannot be sent to the sandbox")


def _device_map(device: str) -> str:
    return device if device == "cpu" or is_available(device) else "cpu"


def _str_int_map(value) -> dict:
    if not isinstance(value, dict):
        return {}
    return {str(k)[:200]: v for k, v in list(value.items())[:5000] if isinstance(v, int) and not isinstance(v, bool)}


class RemoteVerdict(Verdict):
    """A verdict reached in the worker (not implemented, forbidden call, learner exception): its kind and texts cross.

    The worker runs learner code, so every field is checked: a kind that is not a
    failure's (a forged ``passed``) is read as a learner error, texts are capped.
    """

    def __init__(self, kind: str, summary: str, cause: str = "", values: str = ""):
        self.kind = kind if kind in FAILURE_KINDS else "learner_error"
        self.summary, self.cause, self.values = summary, cause, values

    @classmethod
    def from_reply(cls, reply: dict) -> "RemoteVerdict":
        def text(name: str, default: str = "") -> str:
            value = reply.get(name)
            return value[:2000] if isinstance(value, str) else default

        return cls(text("verdict"), text("summary", "failed"), text("cause"), text("values"))


def _apply_mutations(args: list, kwargs: dict, mutated) -> None:
    """Mirror in-place updates the learner's code made to tensor arguments."""
    if not isinstance(mutated, list):
        return
    root = [args, kwargs]
    for entry in mutated[:10_000]:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], list)):
            continue
        path, value = entry
        target = root
        try:
            for key in path:
                target = target[key]
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(target, torch.Tensor) and isinstance(value, torch.Tensor) and value.dtype == target.dtype:
            with torch.no_grad():
                if target.shape != value.shape:
                    target.resize_(value.shape)
                target.copy_(value)
        elif isinstance(target, torch.Generator) and isinstance(value, torch.Generator):
            target.set_state(value.get_state())


class RemoteCallable:
    def __init__(self, session: WorkerSession, message: dict, label: str):
        self._session, self._message, self.__name__ = session, message, label

    def __call__(self, *args, **kwargs):
        message = {**self._message, "args": list(args), "kwargs": kwargs}
        reply = self._session.request(message, timeout=self._session.timeout_for(message))
        _apply_mutations(list(args), kwargs, reply.get("mutated"))
        return reply.get("ok")


class RemoteObject:
    """A learner object living in the worker: attribute reads and method calls go over the socket."""

    __slots__ = ("_session", "_handle", "_generation")

    def __init__(self, session: WorkerSession, handle: protocol.Handle, generation: int):
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_generation", generation)

    def _check(self) -> None:
        if self._generation != self._session.generation:
            raise WorkerFailure("this object was lost when an earlier failure restarted the worker")

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        self._check()
        method = RemoteCallable(self._session, {"op": "method", "handle": self._handle, "name": name}, name)
        known = (self._handle.type_name, name)
        if known in self._session.methods:
            return method
        value = self._session.request({"op": "getattr", "handle": self._handle, "name": name}).get("ok")
        if isinstance(value, dict) and value.get("__callable__") is True:
            self._session.methods.add(known)
            return method
        return value

    def __setattr__(self, name: str, value) -> None:
        self._check()
        self._session.request({"op": "setattr", "handle": self._handle, "name": name, "value": value})

    def __call__(self, *args, **kwargs):
        self._check()
        return RemoteCallable(self._session, {"op": "call_handle", "handle": self._handle}, "call")(*args, **kwargs)

    def __repr__(self) -> str:
        return f"RemoteObject({self._handle.type_name})"


class RemoteImplementation:
    """What the ``impl`` fixture is during grading: the course API of one submission, across the sandbox."""

    def __init__(self, session: WorkerSession, label: str = "submission"):
        self._session = session
        self.label = label

    def __getattr__(self, api: str):
        if api.startswith("_"):
            raise AttributeError(api)
        return RemoteCallable(self._session, {"op": "call", "api": api}, api)

    def probe(self, api: str, name: str, *args, **kwargs):
        return RemoteCallable(self._session, {"op": "probe", "api": api, "name": name}, name)(*args, **kwargs)

    @property
    def session(self) -> WorkerSession:
        return self._session

    @property
    def last_record(self) -> CallRecord | None:
        return self._session.last_record

    def load(self, notebooks: dict | None = None, timeout: float | None = None) -> dict:
        """Run the notebooks and import every course file, up front: what failed and what was printed, for the
        feedback. ``notebooks`` is the plan for the notebooks' cells (see ``notebook_load.py``)."""
        message = {"op": "load", "notebooks": notebooks or {}}
        return self._session.request(message, timeout=timeout, what="importing your files").get("ok") or {}
