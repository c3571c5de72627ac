"""The words of a verdict on how the learner's code behaved: not implemented, not loadable, forbidden, raised.

The learner reads them as the summary (and evidence) of a failed test when the
code under test could not be called or raised, and why a file or name could not
be loaded. Imported by ``shared/verdicts.py`` (both sides) and the sandboxed loader.
"""

from collections.abc import Iterable

from autograder.shared.hints.values import Hint, error_says, on_line


def not_implemented(api: str, file: str) -> Hint:
    return Hint(f"{api} is not implemented yet (still raises NotImplementedError in {file})")


def uses_not_implemented(api: str, raised_in: str) -> Hint:
    """``api`` itself runs, but calls a function of the learner's that is still a stub."""
    return Hint(f"{api} uses {raised_in}, which is not implemented yet (it raises NotImplementedError)")


def unavailable(api: str, reason: str) -> Hint:
    return Hint(f"{api} could not be loaded: {reason}")


def defines_no(file: str, api: str) -> str:
    """Why ``api`` is unavailable: its file loads but lacks the name."""
    return f"{file} defines no {api!r}"


def file_not_found(path: object) -> str:
    return f"file not found at {path}"


def import_raised(error_type: str, error: object, line: int | None = None) -> str:
    """Why a learner's file did not import (a syntax error names its line)."""
    return f"importing it raised {error_type}: {error}{on_line(line)}"


def forbidden_call(api: str, part_number: int, calls: Iterable[str]) -> Hint:
    listed = ", ".join(sorted(calls))
    return Hint(
        f"{api} called {listed}, which Part {part_number} does not allow: the point of the "
        f"exercise is to write this computation yourself with tensor arithmetic "
        f"(see the handout's 'allowed and forbidden' section); this exercise earns no credit"
    )


def learner_raised(api: str, error_type: str, where: str, message: str) -> Hint:
    """The learner's code raised: the exception, the learner's own line (``where``), the message as evidence."""
    return Hint(f"{api} raised {error_type}{where}", values=error_says(message) if message else "")


def wrong_device(api: str, problem: str) -> Hint:
    """``problem`` is one of the placement sentences below (it already names its likely cause)."""
    return Hint(f"{api} {problem}")
