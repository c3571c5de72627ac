"""One candidate course file read from a submission, and the rule among re-uploads: the most recent wins.

Trusted side.
"""

from dataclasses import dataclass

from autograder.shared.hints import unpack as unpack_hints


@dataclass
class Found:
    course_path: str  # "part1/linear.py", or "" for a notebook
    upload: int
    order: int
    where: str
    data: bytes
    stem: str = ""  # a notebook's name without re-upload suffixes: re-uploads of one notebook replace each other


def latest(candidates: list[Found], label: str, notes: list[str]) -> Found:
    # The most recent re-upload wins; among equals, the one met last.
    chosen = max(candidates, key=lambda f: (f.upload, f.order))
    if len(candidates) > 1:
        others = ", ".join(f.where for f in candidates if f is not chosen)
        notes.append(unpack_hints.used_latest(label, chosen.where, len(candidates), others))
    return chosen
