"""Pack your course files into ``submission.zip``: what ``make submit`` runs.

Shipped in the release as ``tools/submit.py`` (generated from the course's
``autograder/build/templates/student/submit.py``). It needs only Python's
standard library, so it works before ``make install``.

Exactly the course files go in, laid out as the grader expects
(``part1/linear.py``, ...; the list comes from ``autograder/shared/api.py``),
for every part whose folder is in ``assignments/``. Each file must exist and
parse; the tool says what went in, what is missing or broken, and which
functions still raise ``NotImplementedError``. It exits 1 when a file is
missing or broken (the zip then holds the files that are fine).

    python tools/submit.py [--root .] [--out submission.zip]
"""

import argparse
import ast
import importlib.util
import sys
import zipfile
from pathlib import Path

# A fixed timestamp, so the same files always make the same zip.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def load_parts(root: Path) -> dict:
    """PARTS from the contract (autograder/shared/api.py), loaded by path: it needs no torch, only the stdlib."""
    path = root / "autograder" / "shared" / "api.py"
    spec = importlib.util.spec_from_file_location("_course_api", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is being built
    spec.loader.exec_module(module)
    return module.PARTS


def unfinished(tree: ast.Module) -> list[str]:
    """Names of the functions that still raise NotImplementedError (the stub's placeholder)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Raise) and inner.exc is not None:
                    raised = inner.exc.func if isinstance(inner.exc, ast.Call) else inner.exc
                    if isinstance(raised, ast.Name) and raised.id == "NotImplementedError":
                        names.append(node.name)
                        break
    return names


def collect(root: Path) -> tuple[dict[str, bytes], list[str], list[str], dict[str, list[str]]]:
    """(course path -> bytes of the files that are fine, missing paths, broken paths with why, stubs left)."""
    assignments = root / "assignments"
    good: dict[str, bytes] = {}
    missing: list[str] = []
    broken: list[str] = []
    stubs: dict[str, list[str]] = {}
    for part in load_parts(root).values():
        folder = assignments / part.folder
        if not folder.is_dir():
            continue
        for stem in part.files:
            course_path = f"{part.folder}/{stem}.py"
            path = folder / f"{stem}.py"
            if not path.is_file():
                missing.append(course_path)
                continue
            data = path.read_bytes()
            try:
                tree = ast.parse(data.decode("utf-8"), filename=str(path))
            except UnicodeDecodeError:
                broken.append(f"{course_path}: not UTF-8 text")
                continue
            except SyntaxError as error:
                broken.append(f"{course_path}: line {error.lineno}: {error.msg}")
                continue
            good[course_path] = data
            left = unfinished(tree)
            if left:
                stubs[course_path] = left
    return good, missing, broken, stubs


def write_zip(files: dict[str, bytes], out: Path) -> None:
    temporary = out.with_name(out.name + ".part")
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for course_path in sorted(files):
            info = zipfile.ZipInfo(course_path, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[course_path])
    temporary.replace(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Pack your course files into submission.zip.")
    here = Path(__file__).resolve().parents[1]
    parser.add_argument("--root", type=Path, default=here, help="the release folder (holds assignments/)")
    parser.add_argument("--out", type=Path, default=None, help="where to write the zip (default: ROOT/submission.zip)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    out = args.out or root / "submission.zip"

    good, missing, broken, stubs = collect(root)
    if not good and not missing and not broken:
        print(f"no part folders found in {root / 'assignments'}: nothing to submit", file=sys.stderr)
        return 1
    write_zip(good, out)
    print(f"wrote {out} with {len(good)} files:")
    for course_path in sorted(good):
        left = stubs.get(course_path)
        note = f"  (still raising NotImplementedError: {', '.join(left)})" if left else ""
        print(f"  {course_path}{note}")
    for course_path in missing:
        print(f"MISSING {course_path}: the file is not there (restore the stub with git if you deleted it)")
    for problem in broken:
        print(f"BROKEN  {problem}: left out of the zip, it would not even import")
    if missing or broken:
        print("submission.zip is incomplete: fix the files above and run `make submit` again.")
        return 1
    print("Upload submission.zip to your course's grader.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
