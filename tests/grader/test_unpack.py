"""Unpacking submissions: folders, zips and LMS downloads in, course files out, and every hostile trick refused."""

import json
import os
import socket
import stat
import time
import zipfile
from pathlib import Path

import pytest

from autograder.shared.api import PART1
from autograder.trusted.grader.unpack.discover import discover
from autograder.trusted.grader.unpack.submission import ArchiveLimits, Submission

LINEAR = "def linear(X, w, b):\n    return X @ w + b\n"
PROBS = "def softmax(z):\n    return z\n"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def make_zip(path: Path, entries: dict[str, str | bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)  # ZipInfo keeps the name exactly as given
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


def zip_bytes(entries: dict[str, str | bytes], tmp_path: Path, name: str = "inner.zip") -> bytes:
    return make_zip(tmp_path / "_build" / name, entries).read_bytes()


def by_id(submissions: list[Submission]) -> dict[str, Submission]:
    ids = [s.id for s in submissions]
    assert len(ids) == len(set(ids)), ids
    return {s.id: s for s in submissions}


def notes_of(submission: Submission) -> str:
    return "\n".join(submission.notes)


def notebook(*cells: str) -> bytes:
    code_cells = [{"cell_type": "code", "source": source} for source in cells]
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": code_cells}).encode()


# --- plain folders and zips ---------------------------------------------------------------------------


def test_a_folder_of_learner_folders_and_zips_gives_one_submission_each(tmp_path):
    write(tmp_path / "class/alice/part1/linear.py", LINEAR)
    make_zip(tmp_path / "class/bob.zip", {"part1/probabilities.py": PROBS})
    subs = by_id(discover(tmp_path / "class"))
    assert set(subs) == {"alice", "bob"}
    assert subs["alice"].files == {"part1/linear.py": LINEAR}
    assert subs["bob"].files == {"part1/probabilities.py": PROBS}
    assert not subs["alice"].error and not subs["bob"].error


def test_loose_course_files_are_one_submission_named_after_the_folder(tmp_path):
    write(tmp_path / "alice/linear.py", LINEAR)
    write(tmp_path / "alice/extra/probabilities.py", PROBS)
    [sub] = discover(tmp_path / "alice")
    assert sub.id == "alice"
    assert sub.files == {"part1/linear.py": LINEAR, "part1/probabilities.py": PROBS}


def test_course_files_are_found_by_name_anywhere_in_nested_folders(tmp_path):
    write(tmp_path / "class/alice/My Work/src/deep/er/linear.py", LINEAR)
    write(tmp_path / "class/alice/wrong_part_folder/part3/mlp.py", "class MLP: ...\n")
    write(tmp_path / "class/bob/part1/linear.py", LINEAR)
    subs = by_id(discover(tmp_path / "class"))
    assert subs["alice"].files == {"part1/linear.py": LINEAR, "part2/mlp.py": "class MLP: ...\n"}


def test_a_single_zip_of_a_class_folder_is_unwrapped(tmp_path):
    archive = make_zip(
        tmp_path / "export.zip",
        {"class/alice/part1/linear.py": LINEAR, "class/bob/linear.py": LINEAR, "__MACOSX/class/._bob": "x"},
    )
    subs = by_id(discover(archive))
    assert set(subs) == {"alice", "bob"}
    assert subs["bob"].files == {"part1/linear.py": LINEAR}


def test_a_folder_without_course_files_gets_an_error_but_still_appears(tmp_path):
    write(tmp_path / "class/alice/part1/linear.py", LINEAR)
    write(tmp_path / "class/empty/readme.txt", "hello")
    subs = by_id(discover(tmp_path / "class"))
    assert "no course files" in subs["empty"].error
    assert "readme.txt" in notes_of(subs["empty"])


# --- LMS downloads ------------------------------------------------------------------------------------


def canvas_export(folder: Path, tmp_path: Path) -> None:
    write(folder / "doejane_12345_678_linear.py", "# first\n")
    write(folder / "doejane_LATE_12345_679_linear-1.py", "# re-upload, late\n")
    write(folder / "doejane_12345_680_probabilities.py", PROBS)
    learner_zip = zip_bytes({"work/part1/linear.py": LINEAR, "work/notes.txt": "hi"}, tmp_path)
    write(folder / "smithjohn_222_333_submission.zip", learner_zip)


def test_canvas_download_is_grouped_by_user_id_and_takes_the_latest_reupload(tmp_path):
    canvas_export(tmp_path / "canvas", tmp_path)
    subs = by_id(discover(tmp_path / "canvas"))
    assert set(subs) == {"doejane_12345", "smithjohn_222"}
    jane = subs["doejane_12345"]
    assert jane.files == {"part1/linear.py": "# re-upload, late\n", "part1/probabilities.py": PROBS}
    assert jane.lms == {"lms": "canvas", "user_id": "12345", "name": "doejane"}
    assert "most recent" in notes_of(jane)


def test_canvas_learner_submitting_a_zip_is_opened(tmp_path):
    canvas_export(tmp_path / "canvas", tmp_path)
    john = by_id(discover(tmp_path / "canvas"))["smithjohn_222"]
    assert john.files == {"part1/linear.py": LINEAR}
    assert john.lms["user_id"] == "222"
    assert "notes.txt" in notes_of(john)


def test_a_zip_of_a_canvas_download_works_like_the_folder(tmp_path):
    canvas_export(tmp_path / "canvas", tmp_path)
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for file in sorted((tmp_path / "canvas").iterdir()):
            out.write(file, file.name)
    subs = by_id(discover(archive))
    assert subs["doejane_12345"].files["part1/linear.py"] == "# re-upload, late\n"
    assert subs["smithjohn_222"].files == {"part1/linear.py": LINEAR}


def test_moodle_download_files_and_folders_are_grouped_by_participant_id(tmp_path):
    export = tmp_path / "moodle"
    write(export / "Jane Doe_4242_assignsubmission_file_linear.py", LINEAR)
    write(export / "Jane Doe_4242_assignsubmission_file_probabilities (1).py", PROBS)
    write(export / "John Roe_77_assignsubmission_file_/part1/linear.py", LINEAR)
    write(export / "John Roe_77_assignsubmission_onlinetext_onlinetext.html", "<p>hi</p>")
    subs = by_id(discover(export))
    assert set(subs) == {"Jane_Doe_4242", "John_Roe_77"}
    assert subs["Jane_Doe_4242"].files == {"part1/linear.py": LINEAR, "part1/probabilities.py": PROBS}
    assert subs["Jane_Doe_4242"].lms == {"lms": "moodle", "participant_id": "4242", "full_name": "Jane Doe"}
    assert subs["John_Roe_77"].files == {"part1/linear.py": LINEAR}


def test_zips_are_opened_only_one_level_deep_inside_an_export_zip(tmp_path):
    innermost = zip_bytes({"part1/probabilities.py": PROBS}, tmp_path, "innermost.zip")
    learner = zip_bytes({"part1/linear.py": LINEAR, "more.zip": innermost}, tmp_path, "learner.zip")
    export = make_zip(tmp_path / "export.zip", {"doejane_1_2_sub.zip": learner, "roejohn_3_4_linear.py": LINEAR})
    jane = by_id(discover(export))["doejane_1"]
    assert jane.files == {"part1/linear.py": LINEAR}
    assert "more.zip" in notes_of(jane) and "zip inside a zip inside a zip" in notes_of(jane)


# --- paths that try to leave the submission -----------------------------------------------------------


@pytest.mark.parametrize("name", ["../../evil.py", "/abs/path.py", "..\\x.py", "C:\\linear.py", "a/../../linear.py"])
def test_zip_slip_entries_are_refused_and_never_written(tmp_path, name):
    archive = make_zip(tmp_path / "in/class/alice.zip", {name: "import os  # evil\n", "part1/linear.py": LINEAR})
    [sub] = [s for s in discover(archive.parent) if s.id == "alice"]
    assert sub.files == {"part1/linear.py": LINEAR}
    assert "refused" in notes_of(sub) and ("absolute" in notes_of(sub) or ".." in notes_of(sub))
    written = [p for p in tmp_path.parent.parent.rglob("*") if p.name in ("evil.py", "x.py", "path.py")]
    assert not written and not Path("/abs/path.py").exists()
    assert all("evil" not in text for text in sub.files.values())


# --- links and special files --------------------------------------------------------------------------


def test_symlinks_in_a_folder_are_never_followed(tmp_path):
    outside = write(tmp_path / "secret/probabilities.py", "SECRET = 'reference solution'\n")
    (tmp_path / "secret/part2").mkdir()
    write(tmp_path / "secret/part2/mlp.py", "SECRET = 1\n")
    alice = tmp_path / "class/alice"
    write(alice / "part1/linear.py", LINEAR)
    os.symlink("/etc/passwd", alice / "part1/sigmoid_is_in_probabilities.py")
    os.symlink("/etc/passwd", alice / "part1/features.py")
    os.symlink(outside, alice / "probabilities.py")
    os.symlink(tmp_path / "secret/part2", alice / "part2")
    sub = by_id(discover(tmp_path / "class"))["alice"]
    assert sub.files == {"part1/linear.py": LINEAR}
    assert notes_of(sub).count("symbolic link") == 4
    assert all("SECRET" not in text and "root:" not in text for text in sub.files.values())


def test_a_symlink_at_the_top_of_a_class_folder_is_an_error_row(tmp_path):
    write(tmp_path / "class/alice/linear.py", LINEAR)
    write(tmp_path / "elsewhere/linear.py", LINEAR)
    os.symlink(tmp_path / "elsewhere", tmp_path / "class/mallory")
    subs = by_id(discover(tmp_path / "class"))
    assert "symbolic link" in subs["mallory"].error and not subs["mallory"].files


def test_a_symlink_inside_a_zip_is_refused(tmp_path):
    archive = tmp_path / "class/alice.zip"
    archive.parent.mkdir(parents=True)
    with zipfile.ZipFile(archive, "w") as out:
        link = zipfile.ZipInfo("part1/linear.py")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        out.writestr(link, "/etc/passwd")
        out.writestr("part1/probabilities.py", PROBS)
    sub = by_id(discover(archive.parent))["alice"]
    assert sub.files == {"part1/probabilities.py": PROBS}
    assert "part1/linear.py: a symbolic link" in notes_of(sub)


def test_fifos_and_sockets_in_a_folder_are_refused_without_blocking(tmp_path):
    alice = tmp_path / "class/alice"
    write(alice / "part1/linear.py", LINEAR)
    os.mkfifo(alice / "part1/probabilities.py")  # opening it for reading would block forever
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(alice / "part1/features.py"))
    try:
        start = time.monotonic()
        sub = by_id(discover(tmp_path / "class"))["alice"]
    finally:
        server.close()
    assert time.monotonic() - start < 5
    assert sub.files == {"part1/linear.py": LINEAR}
    assert "a fifo" in notes_of(sub) and "a socket" in notes_of(sub)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_device_files_in_a_folder_are_refused(tmp_path):
    write(tmp_path / "class/alice/linear.py", LINEAR)
    os.mknod(tmp_path / "class/alice/probabilities.py", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    sub = by_id(discover(tmp_path / "class"))["alice"]
    assert sub.files == {"part1/linear.py": LINEAR} and "a device" in notes_of(sub)


def test_hard_links_are_refused(tmp_path):
    secret = write(tmp_path / "secret.py", "SECRET = 1\n")
    write(tmp_path / "class/alice/linear.py", LINEAR)
    os.link(secret, tmp_path / "class/alice/probabilities.py")
    sub = by_id(discover(tmp_path / "class"))["alice"]
    assert sub.files == {"part1/linear.py": LINEAR} and "hard link" in notes_of(sub)


# --- bombs and counts ---------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_without_being_extracted(tmp_path):
    archive = tmp_path / "class/alice.zip"
    archive.parent.mkdir(parents=True)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("part1/probabilities.py", PROBS)
        with out.open("part1/linear.py", "w", force_zip64=True) as entry:
            zeros = bytes(2**20)
            for _ in range(300):  # 300 MB that compress to about 300 KB
                entry.write(zeros)
    start = time.monotonic()
    sub = by_id(discover(archive.parent))["alice"]
    assert time.monotonic() - start < 2
    assert sub.files == {"part1/probabilities.py": PROBS}
    assert "over the" in notes_of(sub) and "part1/linear.py" in notes_of(sub)


def test_a_highly_compressed_entry_under_the_size_cap_is_refused_by_its_ratio(tmp_path):
    archive = make_zip(tmp_path / "class/alice.zip", {"part1/linear.py": b"#" * (2**20), "features.py": "x = 1\n"})
    sub = by_id(discover(archive.parent))["alice"]
    assert "part1/linear.py" not in sub.files and "compression ratio" in notes_of(sub)


def test_a_header_that_understates_the_size_lets_no_more_through(tmp_path):
    archive = make_zip(tmp_path / "class/alice.zip", {"part1/linear.py": b"\n" * (20 * 2**20)})
    data = bytearray(archive.read_bytes())
    info = zipfile.ZipFile(archive).getinfo("part1/linear.py")
    real = info.file_size.to_bytes(4, "little")
    data = data.replace(real, (1000).to_bytes(4, "little"))  # both the local and the central header lie
    archive.write_bytes(bytes(data))
    sub = by_id(discover(archive.parent))["alice"]
    assert not sub.files and "refused" in notes_of(sub)


def test_too_many_entries_refuse_the_whole_zip_but_keep_its_row(tmp_path):
    entries = {f"junk/{i}.txt": "x" for i in range(60)} | {"linear.py": LINEAR}
    make_zip(tmp_path / "class/alice.zip", entries)
    write(tmp_path / "class/bob/linear.py", LINEAR)
    subs = by_id(discover(tmp_path / "class", ArchiveLimits(max_files=50)))
    assert "50" in subs["alice"].error and not subs["alice"].files
    assert subs["bob"].files == {"part1/linear.py": LINEAR}


def test_too_many_files_in_a_folder_refuse_that_submission(tmp_path):
    for i in range(30):
        write(tmp_path / f"class/alice/junk/{i}.txt", "x")
    write(tmp_path / "class/alice/linear.py", LINEAR)
    sub = by_id(discover(tmp_path / "class", ArchiveLimits(max_files=20)))["alice"]
    assert "more than 20" in sub.error and not sub.files


def test_the_total_uncompressed_size_is_capped_per_submission(tmp_path):
    big = "# " + "x" * 6000 + "\n"
    make_zip(tmp_path / "class/alice.zip", {"linear.py": big, "probabilities.py": big, "features.py": big})
    limits = ArchiveLimits(max_total_bytes=10_000, max_file_bytes=8_000)
    sub = by_id(discover(tmp_path / "class", limits))["alice"]
    assert "10000 bytes uncompressed" in sub.error


def test_duplicate_entries_in_a_zip_are_refused(tmp_path):
    archive = tmp_path / "class/alice.zip"
    archive.parent.mkdir(parents=True)
    with zipfile.ZipFile(archive, "w") as out, pytest.warns(UserWarning):
        out.writestr("part1/linear.py", LINEAR)
        out.writestr("part1/linear.py", "import os\n")
        out.writestr("part1/probabilities.py", PROBS)
    sub = by_id(discover(archive.parent))["alice"]
    assert sub.files == {"part1/probabilities.py": PROBS} and "duplicate" in notes_of(sub)


def test_a_file_that_is_not_a_zip_gets_an_error_row(tmp_path):
    write(tmp_path / "class/alice.zip", b"PK\x03\x04 this is not really a zip")
    write(tmp_path / "class/bob.tar.gz", b"\x1f\x8b")
    subs = by_id(discover(tmp_path / "class"))
    assert "not a readable zip" in subs["alice"].error
    assert "only .zip" in subs["bob.tar.gz"].error


# --- what is passed on --------------------------------------------------------------------------------


def test_macosx_dotfiles_and_pycache_are_ignored(tmp_path):
    archive = make_zip(
        tmp_path / "class/alice.zip",
        {
            "__MACOSX/part1/._linear.py": "junk",
            ".git/linear.py": "import os\n",
            "part1/.linear.py": "import os\n",
            "part1/__pycache__/linear.py": "import os\n",
            "part1/linear.py": LINEAR,
        },
    )
    sub = by_id(discover(archive.parent))["alice"]
    assert sub.files == {"part1/linear.py": LINEAR}
    assert "ignored 4 hidden or system entries" in notes_of(sub)


def test_conftest_sitecustomize_and_pth_files_are_never_passed_on(tmp_path):
    for name in ("conftest.py", "sitecustomize.py", "evil.pth", "notes.txt", "part1/usercustomize.py"):
        write(tmp_path / "class/alice" / name, "import os\n")
    write(tmp_path / "class/alice/linear.py", LINEAR)
    sub = by_id(discover(tmp_path / "class"))["alice"]
    assert sub.files == {"part1/linear.py": LINEAR}
    assert "ignored 5 files that are not course files" in notes_of(sub)
    assert "conftest.py" in notes_of(sub) and "sitecustomize.py" in notes_of(sub)


def test_non_utf8_and_binary_python_files_are_refused(tmp_path):
    write(tmp_path / "class/alice/linear.py", "x = 'caf\u00e9'\n".encode("latin-1"))
    write(tmp_path / "class/alice/probabilities.py", b"\x7fELF\x02\x01\x00\x00binary")
    write(tmp_path / "class/alice/features.py", "\ufeffdef xor_features(X):\n    return X\n".encode())
    sub = by_id(discover(tmp_path / "class"))["alice"]
    assert sub.files == {"part1/features.py": "def xor_features(X):\n    return X\n"}  # a BOM is fine
    assert "not UTF-8" in notes_of(sub) and "binary" in notes_of(sub)


def test_ids_are_sanitized_and_made_unique(tmp_path):
    write(tmp_path / "class/Alice/linear.py", LINEAR)
    make_zip(tmp_path / "class/alice.zip", {"linear.py": LINEAR})
    write(tmp_path / "class/bad name; rm -rf ~/linear.py", LINEAR)
    write(tmp_path / "class/new\nline\u202e/linear.py", LINEAR)
    make_zip(tmp_path / "class/..zip", {"linear.py": LINEAR})
    ids = {s.id for s in discover(tmp_path / "class")}
    assert {"Alice", "alice-2", "bad_name_rm_-rf"} <= ids
    for sid in ids:
        assert sid and not sid.startswith(".") and "/" not in sid and sid.isprintable(), sid
    assert any(sid.startswith("new_line") for sid in ids)


# --- notebooks ----------------------------------------------------------------------------------------


def notebook_spec(sub: Submission, number: int = 1) -> dict:
    return json.loads(sub.files[f"_notebooks/{number}.json"])


def test_a_notebook_stands_in_for_the_files_of_each_part_whose_names_it_defines(tmp_path):
    nb = notebook(
        "%matplotlib inline\nimport torch\n!pip install numpy",
        "def relu(x):\n    return x.clamp(min=0)\n",
        "class MLP:\n    pass\n",
        "def softmax(z):\n    return z\n",  # a part 1 name: the notebook serves part 1 too
    )
    write(tmp_path / "class/alice/My Homework (1).ipynb", nb)
    sub = by_id(discover(tmp_path / "class"))["alice"]
    assert list(sub.files) == ["_notebooks/1.json"]
    spec = notebook_spec(sub)
    assert spec["name"].endswith("My Homework (1).ipynb")
    assert spec["parts"] == {"1": list(PART1.files), "2": ["activations", "layers", "mlp", "mlp_training"]}
    numbers = [number for number, _ in spec["cells"]]
    assert numbers == [1, 2, 3, 4] and "%matplotlib" not in spec["cells"][0][1] and "!pip" not in spec["cells"][0][1]
    assert "shell command not run: !pip install numpy" in notes_of(sub)


def test_each_part_takes_the_notebook_that_defines_most_of_its_names(tmp_path):
    write(tmp_path / "class/alice/part1.ipynb", notebook("def linear(X, w, b): ...\ndef softmax(z): ..."))
    write(tmp_path / "class/alice/part2.ipynb", notebook("def softmax(z): ...\ndef relu(x): ...\nclass MLP: ..."))
    sub = by_id(discover(tmp_path / "class"))["alice"]
    specs = [notebook_spec(sub, n) for n in (1, 2)]
    assert [list(spec["parts"]) for spec in specs] == [["1"], ["2"]]
    assert specs[0]["name"].endswith("part1.ipynb") and specs[1]["name"].endswith("part2.ipynb")


def test_the_latest_upload_of_a_notebook_replaces_the_earlier_ones(tmp_path):
    write(tmp_path / "class/alice/hw.ipynb", notebook("def linear(X, w, b):\n    return 0\n"))
    write(tmp_path / "class/alice/hw-2.ipynb", notebook("def linear(X, w, b):\n    return 2\n"))
    sub = by_id(discover(tmp_path / "class"))["alice"]
    assert list(sub.files) == ["_notebooks/1.json"] and "return 2" in notebook_spec(sub)["cells"][0][1]


def test_a_py_file_submitted_with_a_notebook_wins_for_that_file(tmp_path):
    write(tmp_path / "class/alice/work.ipynb", notebook("def linear(X, w, b):\n    return 0\n"))
    write(tmp_path / "class/alice/linear.py", LINEAR)
    sub = by_id(discover(tmp_path / "class"))["alice"]
    assert sub.files["part1/linear.py"] == LINEAR
    assert "linear" not in notebook_spec(sub)["parts"]["1"] and "sgd" in notebook_spec(sub)["parts"]["1"]
    assert "win over the notebook" in notes_of(sub)


def test_a_malformed_notebook_is_a_note_not_a_crash(tmp_path):
    write(tmp_path / "class/alice/broken.ipynb", b'{"nbformat": 4, "cells": [{"cell_type": "code", "source": 5}]}')
    write(tmp_path / "class/alice/linear.py", LINEAR)
    sub = by_id(discover(tmp_path / "class"))["alice"]
    assert sub.files == {"part1/linear.py": LINEAR}
    assert "broken.ipynb: not a readable notebook" in notes_of(sub)


def test_a_notebook_defining_no_course_names_is_ignored_with_a_note(tmp_path):
    write(tmp_path / "class/alice/scratch.ipynb", notebook("x = 1\n"))
    sub = by_id(discover(tmp_path / "class"))["alice"]
    assert not sub.files and "defines none of the course's" in notes_of(sub)
