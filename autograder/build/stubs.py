"""Generate the learner's stubs in ``assignments/`` from the reference in ``solutions/``.

Every block between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` becomes one
``raise NotImplementedError`` naming the function; signatures, docstrings and the
``# Hint:`` comments above each block stay, so the stub is the exercise sheet.

    python -m autograder.build.stubs          # write assignments/<part>/*.py
    python -m autograder.build.stubs --check  # exit 1 if the committed stubs drifted
"""

import argparse
import re
import sys
from pathlib import Path

from autograder.shared.api import PARTS
from autograder.shared.paths import REPO_ROOT

BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*# END SOLUTION\s*$")
DEF = re.compile(r"^\s*(?:async\s+)?def\s+(\w+)\s*\(")
STUB_NOTE = "# Your file: replace each `raise NotImplementedError` below with your own code.\n"


class MarkerError(ValueError):
    pass


def make_stub(source: str, origin: str = "<source>") -> str:
    """The stub text for one reference file."""
    out: list[str] = []
    current_function = None
    inside = False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        if inside:
            if END.match(line):
                inside = False
            elif BEGIN.match(line):
                raise MarkerError(f"{origin}:{number}: nested BEGIN SOLUTION")
            continue
        begin = BEGIN.match(line)
        if begin:
            if current_function is None:
                raise MarkerError(f"{origin}:{number}: BEGIN SOLUTION outside a function")
            out.append(f'{begin.group(1)}raise NotImplementedError("{current_function}")\n')
            inside = True
            continue
        if END.match(line):
            raise MarkerError(f"{origin}:{number}: END SOLUTION without BEGIN")
        definition = DEF.match(line)
        if definition:
            current_function = definition.group(1)
        out.append(line)
    if inside:
        raise MarkerError(f"{origin}: BEGIN SOLUTION never closed")
    return _add_note("".join(out))


def _add_note(text: str) -> str:
    """Put the note for learners right after the module docstring."""
    match = re.match(r'(\s*(?:"""|\'\'\').*?(?:"""|\'\'\')\n)', text, re.DOTALL)
    if not match:
        return STUB_NOTE + text
    return match.group(1) + "\n" + STUB_NOTE + text[match.end() :]


def expected_stubs(repo_root: Path = REPO_ROOT, parts: list[int] | None = None) -> dict[Path, str]:
    """Path under assignments/ -> the text the generator writes there."""
    files: dict[Path, str] = {}
    for part in PARTS.values():
        if parts and part.number not in parts:
            continue
        source_dir = repo_root / "solutions" / part.folder
        for source in sorted(source_dir.glob("*.py")):
            text = source.read_text()
            target = repo_root / "assignments" / part.folder / source.name
            files[target] = text if source.name == "__init__.py" else make_stub(text, str(source))
    return files


def drifted(repo_root: Path = REPO_ROOT) -> list[Path]:
    """Stubs whose committed text differs from what the generator would write."""
    return [path for path, text in expected_stubs(repo_root).items() if not path.is_file() or path.read_text() != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report drift, write nothing")
    parser.add_argument("--part", type=int, action="append", help="only this part (repeatable)")
    args = parser.parse_args(argv)
    if args.check:
        stale = drifted()
        for path in stale:
            print(f"stale stub: {path.relative_to(REPO_ROOT)} (run: make stubs)")
        return 1 if stale else 0
    for path, text in expected_stubs(parts=args.part).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
