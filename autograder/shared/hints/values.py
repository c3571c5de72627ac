"""How every hint says what it is about, and ``Hint``, the several texts of one failure.

A tensor (``tensor_description``), a line of the learner's code (``learner_line``,
``at_learner_line``), an error's message (``error_says``), a subject (``about``)
and a list cut short (``more_not_shown``): the phrases the other modules of this
package, and the sites that fill their blanks, build on. The learner reads them
inside a failure's summary, cause or values, or a note. Both sides import it: the
trusted checks and notes (``checks.py``, ``notebook_load.py``, ``unpack/``), the
sandboxed loader and placement check, and ``shared`` (``verdicts.py``, ``notebooks.py``).
"""

from typing import NamedTuple


class Hint(NamedTuple):
    """A failure's texts: what failed, the likely cause, the evidence (``feedback.py``)."""

    summary: str
    cause: str = ""
    values: str = ""


def tensor_description(dtype: str, shape: tuple, device: str) -> str:
    """'float32 (4, 3) on cpu'."""
    return f"{dtype} {shape} on {device}"


def learner_line(file_name: str, line_number: int, code: str = "") -> str:
    """'linear.py line 27: return x @ W + b'."""
    return f"{file_name} line {line_number}" + (f": {code}" if code else "")


def at_learner_line(file_name: str, line_number: int, code: str = "") -> str:
    """' (at linear.py line 27: return x @ W + b)', appended to what raised."""
    return f" (at {learner_line(file_name, line_number, code)})"


def error_says(message: str) -> str:
    """The evidence an exception carries: its message (which may quote the test's inputs)."""
    return f"the error says: {message}"


def about(subject: str, text: str) -> str:
    """'<subject>: <text>': a problem said with what it is about (an archive entry, a file, a notebook cell)."""
    return f"{subject}: {text}"


def more_not_shown(count: int) -> str:
    """Appended to a list cut short."""
    return f" and {count} more"


def on_line(line: int | None) -> str:
    """' (line 12)' after an error that names its line, else nothing (a SyntaxError may carry none)."""
    return f" (line {line})" if line is not None else ""
