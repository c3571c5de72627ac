"""The ways learner code can fail other than a wrong value, each with a message a learner can act on."""

import traceback
from pathlib import Path


class Verdict(Exception):
    """Base class: ``summary`` is the one-paragraph hint the score table shows."""

    summary: str = ""

    def __str__(self) -> str:
        return self.summary


class NotImplementedYet(Verdict):
    def __init__(self, api: str, file: str, raised_in: str = ""):
        if raised_in and raised_in != api:
            self.summary = f"{api} uses {raised_in}, which is not implemented yet (it raises NotImplementedError)"
        else:
            self.summary = f"{api} is not implemented yet (still raises NotImplementedError in {file})"


def raising_function(error: BaseException) -> str:
    """The name of the function whose body raised ``error`` (the innermost frame)."""
    frames = traceback.extract_tb(error.__traceback__)
    return frames[-1].name if frames else ""


class Unavailable(Verdict):
    """The file is missing, does not import, or does not define the name."""

    def __init__(self, api: str, reason: str):
        self.summary = f"{api} could not be loaded: {reason}"


class ForbiddenCall(Verdict):
    def __init__(self, api: str, part_number: int, calls: list[str]):
        listed = ", ".join(sorted(calls))
        self.summary = (
            f"{api} called {listed}, which Part {part_number} does not allow: the point of the "
            f"exercise is to write this computation yourself with tensor arithmetic "
            f"(see the handout's 'allowed and forbidden' section); this exercise earns no credit"
        )


class LearnerError(Verdict):
    """The learner's code raised; name the exception and the learner's own line."""

    def __init__(self, api: str, error: BaseException, learner_root: Path | None):
        where = _learner_location(error, learner_root)
        # All of the message on one line: some put the useful part below a heading (load_state_dict's key lists).
        message = " ".join(str(error).split())[:300]
        self.summary = f"{api} raised {type(error).__name__}: {message}{where}"
        self.error_type = type(error).__name__


def _learner_location(error: BaseException, learner_root: Path | None) -> str:
    """' (at linear.py line 27: return x @ W + b)' for the innermost frame in the learner's files."""
    if learner_root is None:
        return ""
    root = str(learner_root.resolve())
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.startswith(root):
            code = f": {frame.line.strip()}" if frame.line else ""
            return f" (at {Path(frame.filename).name} line {frame.lineno}{code})"
    return ""


class WrongDevice(Verdict):
    """A tensor ended up on another device than the inputs' (see placement.py): named, with the line that made it."""

    kind = "wrong_device"

    def __init__(self, api: str, problem: str):
        self.problem = problem
        self.summary = f"{api} {problem}"
