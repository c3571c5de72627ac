"""One submission's worker: requests with deadlines, and kill and restart on any failure.

Every request has a deadline kept here: a worker that overruns it, crashes,
floods or breaks the protocol is SIGKILLed and the call gets a verdict; the
next request starts a fresh worker for the same submission, so one bad call
costs only the tests it touches. Trusted side.
"""

import os
import select
import signal
import socket
import time
from collections import Counter
from pathlib import Path

from autograder.sandboxed.recording import CallRecord
from autograder.shared import protocol
from autograder.shared.api import is_long_running
from autograder.shared.hints import worker as worker_hints
from autograder.trusted.grader.remote.client import ForkServerClient
from autograder.trusted.grader.remote.failures import RemoteVerdict, WorkerFailure, describe_exit
from autograder.trusted.grader.remote.objects import RemoteObject, encode_remote
from autograder.trusted.harness.devices import is_available


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
            raise WorkerFailure(worker_hints.TOO_MANY_RESTARTS)
        self.sock, self.pid = self.server.spawn(self.scratch)
        self.generation += 1
        hello = self._receive(self.call_timeout, worker_hints.STARTING)
        self.layers = hello.get("layers", {}) if isinstance(hello.get("layers"), dict) else {}
        if self.startup is not None:
            message, timeout = self.startup
            try:
                self.sock.sendall(protocol.encode(message))
            except OSError:
                raise self._fail(worker_hints.STOPPED_ACCEPTING) from None
            self._receive(timeout, worker_hints.RERUNNING_NOTEBOOK)

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
        ended = describe_exit(code) if not timed_out else worker_hints.WORKER_STOPPED
        return WorkerFailure(worker_hints.worker_failed(why, ended), "timeout" if timed_out else "crash")

    # -- requests ----------------------------------------------------------------------

    def _receive(self, timeout: float, what: str) -> dict:
        limit = min(time.monotonic() + timeout, self.deadline)
        self.sock.setblocking(True)
        buffered = b""
        while True:
            remaining = limit - time.monotonic()
            if remaining <= 0:
                raise self._fail(worker_hints.call_timed_out(timeout, what), timed_out=True)
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                continue
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise self._fail(worker_hints.worker_closed(what))
            buffered += chunk
            if len(buffered) >= protocol.FRAME.size:
                header_len, payload_len = protocol.FRAME.unpack(buffered[: protocol.FRAME.size])
                if header_len > protocol.MAX_HEADER_BYTES or payload_len > protocol.MAX_PAYLOAD_BYTES:
                    raise self._fail(worker_hints.OVERSIZED_MESSAGE)
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
                        raise self._fail(worker_hints.worker_broke_protocol(error)) from None

    def request(self, message: dict, timeout: float | None = None, what: str = worker_hints.RUNNING_CODE) -> dict:
        if time.monotonic() >= self.deadline:
            raise WorkerFailure(worker_hints.BUDGET_SPENT, "timeout")
        api = message.get("api") or message.get("handle", protocol.Handle(0)).type_name
        counted = message.get("op") != "load"  # a load that fails is retried its own way (notebook_load.py)
        if counted and self.failures[api] >= self.MAX_FAILURES_PER_API:
            raise WorkerFailure(
                worker_hints.given_up(api, self.MAX_FAILURES_PER_API), self.failure_kinds.get(api, "crash")
            )
        if self.sock is None:
            self._start()
        try:
            self.sock.sendall(protocol.encode(message, encode_object=encode_remote))
        except OSError:
            raise self._fail(worker_hints.STOPPED_ACCEPTING) from None
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


def _device_map(device: str) -> str:
    return device if device == "cpu" or is_available(device) else "cpu"


def _str_int_map(value) -> dict:
    if not isinstance(value, dict):
        return {}
    return {str(k)[:200]: v for k, v in list(value.items())[:5000] if isinstance(v, int) and not isinstance(v, bool)}
