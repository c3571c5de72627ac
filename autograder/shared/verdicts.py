"""The ways learner code can fail other than a wrong value, each with a message a learner can act on.

Runs on both sides: the sandboxed loader raises them, the trusted harness reads them. Their words are
``hints/verdicts.py``'s.

Each verdict class names its ``kind`` (see ``feedback.KINDS``): the outcome as data, which the score
table, results.json and the class report read instead of the message's words.
"""

import traceback
from pathlib import Path

from autograder.shared.feedback import hint_text
from autograder.shared.hints import values as value_hints
from autograder.shared.hints import verdicts as verdict_hints


class Verdict(Exception):
    """Base class: ``summary`` says what failed, ``values`` the evidence a hidden test withholds (feedback.py)."""

    kind: str = "learner_error"
    summary: str = ""
    cause: str = ""
    values: str = ""

    def __str__(self) -> str:
        return hint_text(self.summary, self.cause, self.values)


class NotImplementedYet(Verdict):
    kind = "not_implemented"

    def __init__(self, api: str, file: str, raised_in: str = ""):
        if raised_in and raised_in != api:
            hint = verdict_hints.uses_not_implemented(api, raised_in)
        else:
            hint = verdict_hints.not_implemented(api, file)
        self.summary, self.cause, self.values = hint


def raising_function(error: BaseException) -> str:
    """The name of the function whose body raised ``error`` (the innermost frame)."""
    frames = traceback.extract_tb(error.__traceback__)
    return frames[-1].name if frames else ""


class Unavailable(Verdict):
    """The file is missing, does not import, or does not define the name."""

    kind = "learner_error"

    def __init__(self, api: str, reason: str):
        self.summary, self.cause, self.values = verdict_hints.unavailable(api, reason)


class ForbiddenCall(Verdict):
    """The whole exercise earns no credit: every test of the API gets this verdict (scoring.void_forbidden)."""

    kind = "forbidden_call"

    def __init__(self, api: str, part_number: int, calls: list[str]):
        self.summary, self.cause, self.values = verdict_hints.forbidden_call(api, part_number, calls)


class LearnerError(Verdict):
    """The learner's code raised; name the exception and the learner's own line.

    The error's message goes in ``values``: it may quote the test's inputs (their shapes, their values).
    """

    kind = "learner_error"

    def __init__(self, api: str, error: BaseException, learner_root: Path | None):
        where = _learner_location(error, learner_root)
        # All of the message on one line: some put the useful part below a heading (load_state_dict's key lists).
        message = " ".join(str(error).split())[:300]
        self.summary, self.cause, self.values = verdict_hints.learner_raised(api, type(error).__name__, where, message)
        self.error_type = type(error).__name__


def _learner_location(error: BaseException, learner_root: Path | None) -> str:
    """' (at linear.py line 27: return x @ W + b)' for the innermost frame in the learner's files."""
    if learner_root is None:
        return ""
    root = str(learner_root.resolve())
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.startswith(root):
            return value_hints.at_learner_line(Path(frame.filename).name, frame.lineno, (frame.line or "").strip())
    return ""


class BrokenContract(Verdict):
    """A learner object breaks the contract in a way the harness names itself (a module's state_dict keys, say).

    The words are the harness's own and quote nothing of a test's inputs, so they go in ``summary`` and every
    suite shows them: a hidden test says what to fix, not only which exception came out.
    """

    kind = "learner_error"

    def __init__(self, summary: str):
        self.summary = summary


class WrongDevice(Verdict):
    """A tensor ended up on another device than the inputs' (see placement.py): named, with the line that made it."""

    kind = "wrong_device"

    def __init__(self, api: str, problem: str):
        self.problem = problem
        self.summary, self.cause, self.values = verdict_hints.wrong_device(api, problem)
