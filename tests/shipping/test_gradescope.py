"""The Gradescope bundle (``make autograder``): its layout, its scripts, and real grading runs of ``run_autograder``.

A Part 1 bundle is built once (its manifest comes from a run of the reference
inside the bundle), unzipped as Gradescope does into ``$AUTOGRADER_ROOT/source``,
and ``run_autograder`` grades submissions laid out in
``$AUTOGRADER_ROOT/submission`` with this venv's Python. Here ``setup.sh`` runs
with a stand-in Python that logs what pip is asked, and the Dockerfile gets a
static check; ``make check-lms`` (tests/lms/check_lms.py) runs both for real,
as root, on the system Python and in a Docker image.
"""

import json
import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.build import gradescope, release
from autograder.shared.paths import REPO_ROOT


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    return gradescope.build(out, parts=[1])


@pytest.fixture(scope="module")
def source(bundle, tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("unzipped") / "source"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(where)
        for info in archive.infolist():  # extractall drops the mode bits; Gradescope keeps them
            os.chmod(where / info.filename, (info.external_attr >> 16) & 0o777)
    return where


@pytest.fixture(scope="module")
def manifest(source) -> list[dict]:
    return json.loads((source / "manifest.json").read_text())


def run_autograder(source: Path, root: Path, **env: str) -> dict:
    """Lay out $AUTOGRADER_ROOT like Gradescope, run run_autograder, and return results.json."""
    (root / "results").mkdir(parents=True, exist_ok=True)
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environment |= {"AUTOGRADER_ROOT": str(root), "AUTOGRADER_SOURCE": str(source), "AUTOGRADER_PYTHON": sys.executable}
    environment |= env
    run = subprocess.run(
        [str(source / "run_autograder")], env=environment, capture_output=True, text=True, timeout=300, cwd=root
    )
    assert run.returncode == 0, run.stdout + run.stderr
    results = root / "results" / "results.json"
    assert results.is_file(), run.stdout + run.stderr
    return json.loads(results.read_text())


def check_complete(results: dict, manifest: list[dict]) -> None:
    """Every test of the manifest has a line, and the score is the sum of the lines."""
    assert sorted(t["name"] for t in results["tests"]) == sorted(e["name"] for e in manifest)
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))
    for test in results["tests"]:
        assert 0 <= test["score"] <= test["max_score"]
        assert test["visibility"] in ("visible", "hidden", "after_due_date", "after_published")


# -- layout and scripts -----------------------------------------------------------------------------------


def test_the_bundle_has_the_scripts_at_its_root_and_the_grader_inside(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
    for name in ("setup.sh", "run_autograder", "grade_submission.py", "Dockerfile", "manifest.json", "bundle.json"):
        assert name in names
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    for needed in ("solutions/part1/probabilities.py", "autograder/trusted/grader/grade_one.py", "datasets/xor.py"):
        assert needed in names
    assert any(n.startswith("autograder/hidden/part1/") for n in names)
    assert any(n.startswith("assignments/part1/tests/") for n in names)
    assert not any(n.startswith(("solutions/part2/", "solutions/part3/", "autograder/catalog/")) for n in names)
    assert not any("__pycache__" in n for n in names)


def test_setup_sh_pins_a_cpu_torch_into_a_venv_under_opt(source):
    assert subprocess.run(["bash", "-n", str(source / "setup.sh")]).returncode == 0
    assert subprocess.run(["bash", "-n", str(source / "run_autograder")]).returncode == 0
    setup = (source / "setup.sh").read_text()
    torch_version = release.makefile_value("TORCH_VERSION", REPO_ROOT)
    assert f'TORCH_VERSION="{torch_version}"' in setup
    assert '"torch==$TORCH_VERSION" --index-url "$TORCH_CPU_INDEX"' in setup
    assert "download.pytorch.org/whl/cpu" in setup and "--no-cache-dir" in setup
    assert 'VENV="${AUTOGRADER_VENV:-/opt/' in setup
    assert 'TORCH_CPU_INDEX="${AUTOGRADER_TORCH_INDEX:-https://download.pytorch.org/whl/cpu}"' in setup
    assert "/opt/" in (source / "run_autograder").read_text()
    assert "@@" not in setup + (source / "run_autograder").read_text() + (source / "Dockerfile").read_text()


def test_the_dockerfile_builds_on_the_same_scripts(source):
    instructions = []
    for line in (source / "Dockerfile").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            instructions.append((keyword.upper(), rest))
    keywords = [k for k, _ in instructions]
    # The base is a build argument, Gradescope's Ubuntu 22.04 unless --build-arg BASE=<image> says otherwise.
    assert instructions[:2] == [("ARG", "BASE=ubuntu:22.04"), ("FROM", "${BASE}")]
    assert set(keywords) <= {"ARG", "FROM", "COPY", "RUN", "WORKDIR", "ENV", "CMD"}
    copy = next(rest for k, rest in instructions if k == "COPY").split()
    assert copy == [".", "/autograder/source"]
    run = next(rest for k, rest in instructions if k == "RUN")
    assert shlex.split(run)[-1] == "/autograder/source/setup.sh"
    cmd = json.loads(next(rest for k, rest in instructions if k == "CMD"))
    assert cmd == ["/autograder/run_autograder"]
    # setup.sh puts run_autograder where CMD looks for it.
    assert 'install -m 0755 "$SOURCE/run_autograder" "$ROOT/run_autograder"' in (source / "setup.sh").read_text()


def test_a_bundle_without_offline_has_no_wheels(bundle, source):
    assert not (source / "wheels").exists()
    with zipfile.ZipFile(bundle) as archive:
        assert not any(n.startswith("wheels/") for n in archive.namelist())


def run_setup_with_logging_pip(source: Path, tmp_path: Path, wheels: bool, **env: str) -> list[str]:
    """Run setup.sh with a stand-in Python whose pip logs its arguments and environment; returns the pip calls."""
    copy = tmp_path / "source"
    shutil.copytree(source, copy)
    if wheels:
        (copy / "wheels").mkdir()
    fake_python = tmp_path / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    fake_python.parent.mkdir()
    fake_python.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then mkdir -p "$3/bin"; cp "$0" "$3/bin/python"; exit 0; fi\n'
        'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then\n'
        '  echo "${PIP_NO_INDEX:-}|${PIP_FIND_LINKS:-}|$*" >> "$PIP_LOG"; exit 0\nfi\n'
        "exit 0\n"
    )
    fake_python.chmod(0o755)
    environment = {"PATH": f"{fake_python.parent}:/usr/bin:/bin", "AUTOGRADER_VENV": str(tmp_path / "venv")}
    environment |= {"PIP_LOG": str(tmp_path / "log"), "AUTOGRADER_ROOT": str(tmp_path / "absent")} | env
    run = subprocess.run(["bash", str(copy / "setup.sh")], env=environment, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    return (tmp_path / "log").read_text().splitlines()


def test_setup_sh_installs_from_bundled_wheels_with_no_index(source, tmp_path):
    calls = run_setup_with_logging_pip(source, tmp_path, wheels=True)
    assert calls and all(c.startswith(f"1|{tmp_path / 'source' / 'wheels'}|") for c in calls)
    assert not any("--index-url" in c for c in calls)
    assert any("torch==" in c for c in calls) and any("requirements.txt" in c for c in calls)


def test_setup_sh_takes_the_indexes_from_the_environment(source, tmp_path):
    mirror = {"AUTOGRADER_TORCH_INDEX": "file:///srv/torch", "AUTOGRADER_PIP_INDEX": "file:///srv/pypi"}
    calls = run_setup_with_logging_pip(source, tmp_path, wheels=False, **mirror)
    torch_call = next(c for c in calls if "torch==" in c)
    assert "--index-url file:///srv/torch --extra-index-url file:///srv/pypi" in torch_call
    assert "--index-url file:///srv/pypi" in next(c for c in calls if "requirements.txt" in c)
    assert not any("download.pytorch.org" in c or "pypi.org" in c for c in calls)
    assert all(c.startswith("||") for c in calls)  # an online bundle asks its indexes, no wheels folder


# -- grading runs -----------------------------------------------------------------------------------------


def test_the_reference_gets_full_marks(source, manifest, tmp_path):
    submission = tmp_path / "submission" / "part1"
    shutil.copytree(REPO_ROOT / "solutions" / "part1", submission)
    results = run_autograder(source, tmp_path)
    check_complete(results, manifest)
    top = sum(e["points"] for e in manifest)
    assert top > 0 and results["score"] == pytest.approx(top)
    assert all(t["output"] == "passed" for t in results["tests"])
    # The sandbox layers are reported with the result (which are active depends on the machine).
    layers = results["extra_data"]["sandbox_layers"]
    assert set(layers) == {"process separation", "namespaces", "rlimits", "unprivileged uid", "landlock", "seccomp"}
    assert layers["process separation"].startswith("active") and layers["rlimits"].startswith("active")


def test_stubs_uploaded_as_loose_files_get_zero(source, manifest, tmp_path):
    submission = tmp_path / "submission"
    submission.mkdir()
    for path in (REPO_ROOT / "assignments" / "part1").glob("*.py"):
        shutil.copyfile(path, submission / path.name)
    results = run_autograder(source, tmp_path, AUTOGRADER_HIDDEN_VISIBILITY="after_due_date")
    check_complete(results, manifest)
    assert results["score"] == 0
    assert all(t["extra_data"]["kind"] == "not_implemented" for t in results["tests"])
    assert all("not implemented yet" in t["output"] for t in results["tests"])
    shown = {suite: {t["visibility"] for t in results["tests"] if suite in t["tags"]} for suite in ("public", "hidden")}
    assert shown == {"public": {"visible"}, "hidden": {"after_due_date"}}


def test_the_bundle_records_the_hidden_tests_visibility(tmp_path):
    gradescope.stage(tmp_path / "stage", [1], 570, hidden_visibility="after_due_date")
    assert json.loads((tmp_path / "stage" / "bundle.json").read_text())["hidden_visibility"] == "after_due_date"
    with pytest.raises(SystemExit):
        gradescope.main(["--hidden-visibility", "sometimes"])


def test_a_hostile_submission_cannot_crash_or_forge_the_result(source, manifest, tmp_path):
    submission = tmp_path / "submission"
    shutil.copytree(REPO_ROOT / "solutions" / "part1", submission)
    forge = f'open({str(tmp_path / "results" / "results.json")!r}, "w").write(\'{{"score": 1000}}\')\n'
    (submission / "conftest.py").write_text(forge)
    (submission / "sitecustomize.py").write_text(forge)
    (submission / "probabilities.py").write_text(forge + "import os\nos._exit(0)\n")
    (submission / "features.py").write_text("def xor_features(:\n")
    (submission / "linear.py").unlink()
    (submission / "linear.py").symlink_to("/etc/passwd")
    results = run_autograder(source, tmp_path, AUTOGRADER_CALL_TIMEOUT="5")
    check_complete(results, manifest)
    scored = {t["tags"][0] for t in results["tests"] if t["score"] > 0}
    assert not scored & {"linear", "softmax", "sigmoid", "log_softmax", "xor_features"}
    assert "root:" not in json.dumps(results)
    assert "symbolic link" in results["output"]


def test_a_missing_submission_folder_still_gets_a_result(source, tmp_path):
    results = run_autograder(source, tmp_path, AUTOGRADER_SUBMISSION=str(tmp_path / "nowhere"))
    assert results["score"] == 0
    assert "could not be graded" in results["output"]


def test_a_grader_that_dies_still_leaves_a_result(source, tmp_path):
    results = run_autograder(source, tmp_path, AUTOGRADER_PYTHON="/bin/false")
    assert results == {"score": 0, "output": results["output"], "tests": []}
    assert "exit status 1" in results["output"]


def test_an_upload_without_course_files_lists_every_test_at_zero(source, manifest, tmp_path):
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "answers.txt").write_text("I did it all in my head\n")
    results = run_autograder(source, tmp_path)
    check_complete(results, manifest)
    assert results["score"] == 0
    assert all(t["output"].startswith("not graded: no course file found") for t in results["tests"])
