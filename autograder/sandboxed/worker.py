"""The sandboxed worker: loads one submission's files and answers the trusted side's requests, one at a time.

Runs only inside a process forked by the fork server, after the isolation
layers of ``sandbox.py``. It holds no test and no reference: it receives inputs,
calls the learner's code through the same guarded loader ``make test`` uses
(so forbidden calls and autograd are recorded here too), and sends back plain
values. Learner objects stay here and are named by handles.

Requests (``op``): ``load`` (run the notebooks cell by cell, see ``cells.py``,
import every course file, report import errors, failed cells and the output
printed meanwhile), ``call`` (an API function or class),
``method``/``call_handle``/``getattr``/``setattr`` (on a handle) and ``probe``.
Each reply carries the call record and every tensor argument the call modified
in place, so the trusted side can mirror ``sgd_step``-style updates.
"""

import os
import sys
from pathlib import Path

import torch

from autograder.sandboxed import cells, stand_ins
from autograder.sandboxed.loader import Implementation, LearnerObject
from autograder.shared import protocol
from autograder.shared.api import PARTS
from autograder.shared.hints import worker as worker_hints
from autograder.shared.verdicts import Verdict

OUTPUT_FILE = ".output"
OUTPUT_SHOWN = 2000


class Worker:
    def __init__(self, sock, scratch: Path):
        self.sock = sock
        self.scratch = scratch
        self.impl = Implementation(scratch, label="submission")
        self.handles: dict[int, object] = {}
        # Plots draw into memory, and matplotlib's cache lives in the scratch folder (the only writable one).
        os.environ.update({"MPLBACKEND": "Agg", "MPLCONFIGDIR": str(scratch / ".matplotlib")})
        self.stand_ins = stand_ins.install()  # tqdm, matplotlib ... where the grader lacks them

    # -- handles ----------------------------------------------------------------

    def _register(self, value) -> dict:
        if isinstance(value, LearnerObject) or type(value).__module__.startswith("_course_impl_"):
            handle_id = len(self.handles) + 1
            self.handles[handle_id] = value
            return {"handle": handle_id, "type": type(getattr(value, "_target", value)).__name__}
        return {"opaque": type(value).__name__}

    def _lookup(self, handle: protocol.Handle):
        if handle.id not in self.handles:
            raise protocol.ProtocolError(f"unknown handle {handle.id}")
        return self.handles[handle.id]

    def _api(self, name: str):
        try:
            return getattr(self.impl, name)
        except AttributeError:
            raise protocol.ProtocolError(f"{name!r} is not a course API name") from None

    # -- in-place updates -----------------------------------------------------------

    @staticmethod
    def _mutables(value, path=()):
        """(path, tensor or generator) for everything in the arguments a call could change in place."""
        if isinstance(value, (torch.Tensor, torch.Generator)):
            yield path, value
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                yield from Worker._mutables(item, (*path, i))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, (str, int)):
                    yield from Worker._mutables(item, (*path, key))

    @staticmethod
    def _fingerprint(value):
        if isinstance(value, torch.Generator):
            return value.get_state()
        return value.detach().clone()

    @staticmethod
    def _changed(value, before) -> bool:
        now = value.get_state() if isinstance(value, torch.Generator) else value.detach()
        return now.shape != before.shape or not torch.equal(now, before)

    # -- requests ---------------------------------------------------------------------

    def _dispatch(self, request: dict):
        op = request.get("op")
        args, kwargs = request.get("args", []), request.get("kwargs", {})
        if op == "load":
            return self._load(request.get("notebooks") or {}, bool(request.get("only_notebooks")))
        if op == "call":
            return getattr(self.impl, request["api"])(*args, **kwargs)
        if op == "probe":
            return self.impl.probe(request["api"], request["name"], *args, **kwargs)
        target = request.get("handle")  # already resolved to the object by the decoder
        if op == "call_handle":
            return target(*args, **kwargs)
        if op == "method":
            return getattr(target, request["name"])(*args, **kwargs)
        if op == "getattr":
            value = getattr(target, request["name"])
            if callable(value) and not isinstance(value, (torch.Tensor, type, LearnerObject)):
                return {"__callable__": True}
            return value
        if op == "setattr":
            setattr(target, request["name"], request["value"])
            return None
        raise protocol.ProtocolError(f"unknown op {op!r}")

    def _load(self, notebook_options: dict, only_notebooks: bool) -> dict:
        reports, served = cells.run_notebooks(self.impl, self.scratch, notebook_options)
        problems = {}
        for part in PARTS.values() if not only_notebooks else ():
            if not (self.scratch / part.folder).is_dir() and part.number not in served:
                continue
            for names in part.files.values():
                try:
                    getattr(self.impl, names[0])
                except Verdict as verdict:
                    problems[names[0]] = [verdict.kind, str(verdict)]
        output = self.scratch / OUTPUT_FILE
        shown = output.read_text(errors="replace")[:OUTPUT_SHOWN] if output.exists() else ""
        return {"problems": problems, "output": shown, "notebooks": reports, "stand_ins": self.stand_ins.used}

    def handle(self, request: dict) -> dict:
        args = [request.get("args", []), request.get("kwargs", {})]
        watched = [(path, value, self._fingerprint(value)) for path, value in self._mutables(args)]
        try:
            result = self._dispatch(request)
        except Verdict as verdict:
            return verdict_reply(verdict.kind, verdict.summary, verdict.cause, verdict.values)
        except protocol.ProtocolError as error:
            return verdict_reply("crash", *worker_hints.request_broke_protocol(error))
        except Exception as error:  # noqa: BLE001 - e.g. a bad attribute name on a learner object
            return verdict_reply("learner_error", *worker_hints.code_raised(type(error).__name__, str(error)[:300]))
        mutated = [[list(path), value] for path, value, before in watched if self._changed(value, before)]
        record = self.impl.last_record
        # The forbidden-call check ran here; the trusted side only counts functions (the vectorisation tests).
        summary = {"functions": dict(record.functions)} if record else None
        return {"ok": result, "mutated": mutated, "record": summary}

    def serve(self) -> None:
        while True:
            try:
                request = protocol.receive(self.sock, decode_handle=self._lookup, decode_api=self._api)
            except (EOFError, ConnectionError):
                return
            except protocol.ProtocolError as error:
                protocol.send(self.sock, verdict_reply("crash", *worker_hints.request_broke_protocol(error)))
                continue
            reply = self.handle(request)
            try:
                protocol.send(self.sock, reply, encode_object=self._register)
            except (TypeError, ValueError) as error:
                reply = verdict_reply("learner_error", *worker_hints.unsendable_result(error))
                protocol.send(self.sock, reply)


def verdict_reply(kind: str, summary: str, cause: str = "", values: str = "") -> dict:
    """A failed request's reply: the verdict's kind and its fields (feedback.py), never re-derived from text."""
    return {"verdict": kind, "summary": summary, "cause": cause, "values": values}


def redirect_output(scratch: Path) -> None:
    """Learner prints go to a capped file in the scratch folder, never to the grader's terminal."""
    fd = os.open(scratch / OUTPUT_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
