"""How a failure in the worker reads on the trusted side: the worker's own verdicts, and the worker's end.

``RemoteVerdict`` is a verdict the worker reached (not implemented, a forbidden
call, a learner exception), checked field by field because the worker runs
learner code. ``WorkerFailure`` is what the session saw (a timeout, a crash, a
broken protocol). Trusted side.
"""

import signal

from autograder.shared.feedback import FAILURE_KINDS
from autograder.shared.hints import worker as worker_hints
from autograder.shared.verdicts import Verdict


class WorkerFailure(Verdict):
    """The worker timed out (kind ``timeout``), crashed or broke the protocol (kind ``crash``) in this test's call."""

    kind = "crash"

    def __init__(self, summary: str, kind: str = "crash"):
        self.summary = summary
        self.kind = kind

    @property
    def timed_out(self) -> bool:
        return self.kind == "timeout"


def describe_exit(code: int | None) -> str:
    """How a worker ended, from its exit status (None: it did not end, it stopped answering)."""
    if code is None:
        return worker_hints.STOPPED_ANSWERING
    if code < 0 or code > 128:
        number = -code if code < 0 else code - 128
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else f"signal {number}"
        return worker_hints.died_from_signal(name)
    return worker_hints.exited_with(code)


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

        return cls(text("verdict"), text("summary", worker_hints.UNSTATED_FAILURE), text("cause"), text("values"))
