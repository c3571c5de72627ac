"""Build the Gradescope autograder bundle: ``dist/autograder.zip`` (and the same tree in ``dist/autograder/``).

    python -m autograder.build.gradescope                      # every part, manifest from a run of the reference
    python -m autograder.build.gradescope --part 1             # a bundle for the Part 1 assignment only
    python -m autograder.build.gradescope --time-limit 1800    # match a raised Gradescope timeout (seconds)
    python -m autograder.build.gradescope --hidden-visibility after_due_date  # hidden tests shown after the due date
    python -m autograder.build.gradescope --offline            # bundle every wheel setup.sh installs (wheels/)

The zip holds, at its root, Gradescope's ``setup.sh`` and ``run_autograder``
(from ``templates/gradescope/``), ``grade_submission.py`` (what
``run_autograder`` runs), a ``Dockerfile`` for LMSs that take an image, and the
course code the secure grader needs: ``solutions/`` and ``assignments/`` of the
bundled parts (the reference and the public tests), ``autograder/`` (harness,
hidden tests, grader), ``datasets/`` and ``pyproject.toml`` (pytest's settings).

``manifest.json`` lists every test that must run, from a run of the reference
inside the staged bundle itself (so the bundle is proven self-contained and the
reference proven to score full marks); Gradescope's half CPU then spends its
time on the submission only. ``bundle.json`` records the parts, versions, time
limit and the Gradescope visibility of the hidden tests' results.

``--offline`` (``make autograder OFFLINE=1``) adds ``wheels/``: torch, numpy,
pytest and their dependencies, fetched here with ``pip download``, so that
``setup.sh`` installs with no index at all. That serves air-gapped course
servers and image builds behind a proxy whose certificates the image does not
trust. The wheels are for this Python's version and platform.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from importlib import metadata
from pathlib import Path

from autograder.build.release import IGNORED, fill_template, makefile_value
from autograder.shared.api import PARTS
from autograder.shared.paths import REPO_ROOT
from autograder.trusted.harness.scoring import VISIBILITIES

TEMPLATES = Path(__file__).with_name("templates") / "gradescope"
DEFAULT_OUT = REPO_ROOT / "dist"
VENV_DIR = "/opt/llms-under-the-hood/venv"
DEFAULT_TIME_LIMIT = 570  # seconds: Gradescope's default timeout is 10 minutes

# Template -> (name in the bundle, executable).
GRADESCOPE_TEMPLATES = {
    "setup.sh": ("setup.sh", True),
    "run_autograder": ("run_autograder", True),
    "grade_submission.py": ("grade_submission.py", False),
    "Dockerfile": ("Dockerfile", False),
}
# The grader's own code; build/, catalog/ and examples/ are instructor tools it does not need.
AUTOGRADER_PARTS = ("autograder/__init__.py", "autograder/__main__.py", "autograder/hidden")
AUTOGRADER_PARTS += ("autograder/shared", "autograder/sandboxed", "autograder/trusted")
ZIP_DATE = (2000, 1, 1, 0, 0, 0)

_MANIFEST_SCRIPT = """
import json, sys
from autograder.trusted.grader.grade_one import build_manifest
entries = build_manifest(device="cpu", parts=json.loads(sys.argv[1]))
print(json.dumps([e.to_json() for e in entries]))
"""


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(*IGNORED))
    else:
        shutil.copyfile(source, target)


def stage(
    stage_dir: Path, parts: list[int], time_limit: int, repo_root: Path = REPO_ROOT, hidden_visibility: str = "visible"
) -> None:
    """Lay the bundle's files out in ``stage_dir`` (replacing it), everything but manifest.json."""
    if stage_dir.exists():
        shutil.rmtree(stage_dir)
    stage_dir.mkdir(parents=True)
    for relative in AUTOGRADER_PARTS + ("datasets", "pyproject.toml", "solutions/__init__.py"):
        _copy(repo_root / relative, stage_dir / relative)
    for number in parts:
        folder = PARTS[number].folder
        _copy(repo_root / "solutions" / folder, stage_dir / "solutions" / folder)
        _copy(repo_root / "assignments" / folder, stage_dir / "assignments" / folder)
    values = {
        "TORCH_VERSION": makefile_value("TORCH_VERSION", repo_root),
        "VENV_DIR": VENV_DIR,
        "PYTHON_MINOR": f"{sys.version_info.major}.{sys.version_info.minor}",
        "TIME_LIMIT": str(time_limit),
    }
    for name, (target, executable) in GRADESCOPE_TEMPLATES.items():
        path = stage_dir / target
        path.write_text(fill_template((TEMPLATES / name).read_text(), values, name))
        path.chmod(0o755 if executable else 0o644)
    pins = [f"{package}=={metadata.version(package)}" for package in ("numpy", "pytest")]
    (stage_dir / "requirements.txt").write_text(
        "# What setup.sh installs next to torch: the versions this bundle was built and checked with.\n"
        + "\n".join(pins)
        + "\n"
    )
    bundle = {
        "parts": parts,
        "time_limit": time_limit,
        "hidden_visibility": hidden_visibility,
        "torch": values["TORCH_VERSION"],
        "python": sys.version.split()[0],
    }
    (stage_dir / "bundle.json").write_text(json.dumps(bundle, indent=2) + "\n")


def fetch_wheels(stage_dir: Path, torch_version: str) -> list[str]:
    """``pip download`` every wheel setup.sh installs into ``stage_dir/wheels``; returns their file names."""
    wheels = stage_dir / "wheels"
    wheels.mkdir(exist_ok=True)
    requirements = [f"torch=={torch_version}", "-r", str(stage_dir / "requirements.txt")]
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--dest", str(wheels)]
    run = subprocess.run(command + requirements, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"pip download failed for the offline bundle:\n{run.stdout[-2000:]}{run.stderr[-4000:]}")
    names = sorted(p.name for p in wheels.glob("*.whl"))
    torch_wheels = [n for n in names if n.startswith("torch-")]
    if not torch_wheels or any("+cu" in n for n in torch_wheels) or any(n.startswith("nvidia") for n in names):
        raise RuntimeError(f"the offline bundle must hold a CPU build of torch, pip gave {torch_wheels}")
    return names


def write_manifest(stage_dir: Path, parts: list[int]) -> tuple[list[dict], float]:
    """Run the reference with every suite inside the staged bundle; write manifest.json. Returns (entries, seconds)."""
    started = time.monotonic()
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)  # only the bundle's own code may be imported
    run = subprocess.run(
        [sys.executable, "-c", _MANIFEST_SCRIPT, json.dumps(parts)],
        cwd=stage_dir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"the reference could not be graded inside the bundle:\n{run.stderr[-4000:]}")
    entries = json.loads(run.stdout.strip().splitlines()[-1])
    (stage_dir / "manifest.json").write_text(json.dumps(entries, indent=1) + "\n")
    return entries, time.monotonic() - started


def write_zip(stage_dir: Path, zip_path: Path) -> int:
    """Zip ``stage_dir`` with its files at the root, keeping the executable bits; returns the number of files."""
    files = sorted(p for p in stage_dir.rglob("*") if p.is_file())
    temporary = zip_path.with_name(zip_path.name + ".part")
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(stage_dir).as_posix(), date_time=ZIP_DATE)
            # Wheels are zip files already: stored as they are, the zip is written in seconds.
            info.compress_type = zipfile.ZIP_STORED if path.suffix == ".whl" else zipfile.ZIP_DEFLATED
            info.external_attr = (0o100755 if os.access(path, os.X_OK) else 0o100644) << 16
            archive.writestr(info, path.read_bytes())
    temporary.replace(zip_path)
    return len(files)


def build(
    out: Path = DEFAULT_OUT,
    parts: list[int] | None = None,
    time_limit: int = DEFAULT_TIME_LIMIT,
    manifest: bool = True,
    repo_root: Path = REPO_ROOT,
    hidden_visibility: str = "visible",
    offline: bool = False,
) -> Path:
    """Stage the bundle in ``out/autograder/`` and zip it to ``out/autograder.zip``; returns the zip's path."""
    parts = sorted(set(parts or [n for n, p in PARTS.items() if (repo_root / "solutions" / p.folder).is_dir()]))
    stage_dir = Path(out) / "autograder"
    stage(stage_dir, parts, time_limit, repo_root, hidden_visibility)
    if offline:
        wheels = fetch_wheels(stage_dir, makefile_value("TORCH_VERSION", repo_root))
        size = sum((stage_dir / "wheels" / n).stat().st_size for n in wheels) / 1e6
        print(f"offline: {len(wheels)} wheels ({size:.0f} MB) in wheels/: {', '.join(wheels)}")
    if manifest:
        entries, seconds = write_manifest(stage_dir, parts)
        points = sum(e["points"] for e in entries)
        print(f"manifest: {len(entries)} tests, {points:g} points; the reference took {seconds:.0f} s here")
        if seconds * 2 > time_limit * 0.8:
            print(
                f"warning: grading needs about {seconds:.0f} s on this machine, and Gradescope's default is half a "
                f"CPU; raise the assignment's timeout and pass --time-limit, or bundle fewer parts (--part N)"
            )
    zip_path = Path(out) / "autograder.zip"
    count = write_zip(stage_dir, zip_path)
    print(f"wrote {zip_path} ({count} files, {zip_path.stat().st_size / 1e6:.1f} MB), parts {parts}")
    return zip_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for autograder.zip and autograder/")
    parser.add_argument("--part", type=int, action="append", choices=sorted(PARTS), help="bundle this part only")
    parser.add_argument("--time-limit", type=int, default=DEFAULT_TIME_LIMIT, help="seconds, below Gradescope's")
    parser.add_argument("--no-manifest", action="store_true", help="skip the reference run (grading time does it)")
    parser.add_argument(
        "--hidden-visibility",
        default="visible",
        choices=VISIBILITIES,
        help="Gradescope visibility of the hidden tests' results (default: visible); public tests are always visible",
    )
    parser.add_argument("--offline", action="store_true", help="bundle every wheel setup.sh installs (no index)")
    args = parser.parse_args(argv)
    build(
        args.out,
        args.part,
        args.time_limit,
        manifest=not args.no_manifest,
        hidden_visibility=args.hidden_visibility,
        offline=args.offline,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
