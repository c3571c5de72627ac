"""Notebooks graded cell by cell in the real sandbox, as "Restart & Run All" with errors allowed runs them.

What real notebooks carry (plots, a Colab mount, tqdm, an error cell left in, a
training loop at top level, magics, CRLF, embedded images) must cost nothing:
correct code earns full marks and each failed cell is named in feedback.md.
Hostile cells (an exit, an endless loop, a loop that defeats the worker's alarm)
cost only their own notebook's top-level work.
"""

import json
import time

import pytest

from autograder.examples.notebooks import Notebook, code, realistic_notebook, reference_source
from autograder.sandboxed.cells import DEFINITIONS_SECONDS
from autograder.trusted.grader.grade_one import grade_files
from autograder.trusted.grader.remote.client import ForkServerClient
from autograder.trusted.grader.unpack.discover import discover
from autograder.trusted.harness.render import feedback_markdown

BUDGET = 2.0  # seconds of top-level work per notebook: short, so the tests stay quick
# A function that defeats the worker's alarm: only the trusted side's deadline stops it.
SPIN = (
    "def spin():\n    import signal\n    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n    while True:\n        pass\n"
)


def grade(server, manifest, tmp_path, notebooks: dict[str, str], *, files=None, call_timeout=10.0, apis=None):
    """Unpack a learner folder holding ``notebooks`` (name -> JSON) and ``files``, grade it; (result, feedback.md)."""
    folder = tmp_path / "class" / "learner"
    folder.mkdir(parents=True)
    for name, text in {**notebooks, **(files or {})}.items():
        (folder / name).write_text(text)
    [submission] = discover(tmp_path / "class")
    result, _ = grade_files("learner", submission.files, server, tmp_path / "scratch", manifest, device="cpu",
                            call_timeout=call_timeout, notebook_budget=BUDGET, apis=apis,
                            unpack_notes=tuple(submission.notes))  # fmt: skip
    return result, feedback_markdown(result)


def per_api(result) -> dict[str, tuple[float, float]]:
    return result.points_by(lambda t: t.api)


def problem_cells(feedback: str, name: str) -> set[int]:
    """The cells the feedback names as having a problem: lines '- <name> cell N: ...'."""
    prefix = f"- {name} cell "
    return {int(line[len(prefix) :].split(":")[0]) for line in feedback.splitlines() if line.startswith(prefix)}


def reference_with(cell: str, at: int = 4) -> Notebook:
    """The reference Part 1 in one cell per file, with ``cell`` inserted among them."""
    nb = Notebook()
    for index, source in enumerate(reference_source(1)):
        if index == at:
            nb.add(code(cell), fails_with="hostile")
        nb.add(code(source))
    nb.add(code("def defined_after_it():\n    return 1"))
    return nb


def test_a_realistic_notebook_earns_full_marks_and_each_failed_cell_is_named(server, manifest, tmp_path):
    nb = realistic_notebook()
    started = time.monotonic()
    result, feedback = grade(server, manifest, tmp_path, {"Homework 1 (final).ipynb": nb.to_json()})
    assert result.score == result.max_score == sum(e.points for e in manifest), feedback
    assert problem_cells(feedback, "Homework 1 (final).ipynb") == set(nb.failing), feedback
    for number, keyword in nb.failing.items():
        [line] = [x for x in feedback.splitlines() if x.startswith(f"- Homework 1 (final).ipynb cell {number}:")]
        assert keyword in line, line
    assert "shell command not run: !pip install -q tqdm seaborn" in feedback
    assert "google.colab" in nb.stood_in  # Colab's own module is never installed outside Colab
    [stand_ins] = [line for line in feedback.splitlines() if "stand-ins that show nothing" in line]
    assert all(module in stand_ins for module in nb.stood_in), stand_ins
    # The training loop ran for the budget, not for its 10**9 steps.
    assert time.monotonic() - started < 60


def test_a_function_redefined_in_a_later_cell_is_graded_as_last_defined(server, manifest, tmp_path):
    nb = reference_with("x = 1")
    nb.add(code("def softmax(z):\n    return z  # a later cell breaks it\n"))
    result, feedback = grade(server, manifest, tmp_path, {"hw.ipynb": nb.to_json()}, apis=["softmax", "sigmoid"])
    scores = per_api(result)
    assert scores["softmax"][0] < scores["softmax"][1] and scores["sigmoid"][0] == scores["sigmoid"][1] > 0


def test_display_only_modules_cost_nothing_and_earn_nothing(server, manifest, tmp_path):
    # seaborn and google.colab are stood in for where missing (the real ones are used where installed).
    nb = reference_with("import seaborn as sns\nfrom google.colab import drive\ndrive.mount('/content/drive')")
    nb.failing.clear()
    nb.add(code("def sigmoid(z):\n    sns.set_theme()\n    return 1 / (1 + torch.exp(-z))\n"))
    nb.add(code("def softmax(z):\n    return sns.softmax(z)  # no such function: the stand-in earns nothing\n"))
    result, feedback = grade(server, manifest, tmp_path, {"hw.ipynb": nb.to_json()}, apis=["softmax", "sigmoid"])
    scores = per_api(result)
    assert scores["sigmoid"][0] == scores["sigmoid"][1] > 0 and scores["softmax"][0] == 0, feedback
    assert problem_cells(feedback, "hw.ipynb") == set()


def test_a_hint_names_the_notebook_cell_and_line_that_raised(server, manifest, tmp_path):
    nb = reference_with("x = 1")
    nb.add(code("def softmax(z):\n    scores = z - z.max()\n    raise ValueError('not yet')\n"))
    result, feedback = grade(server, manifest, tmp_path, {"hw.ipynb": nb.to_json()}, apis=["softmax"])
    assert f"(at hw.ipynb cell {len(nb.cells)} line 3: raise ValueError('not yet'))" in feedback, feedback


def test_a_forbidden_call_in_a_notebook_costs_its_exercise(server, manifest, tmp_path):
    nb = reference_with("x = 1")
    nb.add(code("def sigmoid(z):\n    return torch.sigmoid(z)\n"))
    result, feedback = grade(server, manifest, tmp_path, {"hw.ipynb": nb.to_json()}, apis=["softmax", "sigmoid"])
    scores = per_api(result)
    assert scores["sigmoid"][0] == 0 and scores["softmax"][0] == scores["softmax"][1] > 0
    assert "does not allow" in feedback


HOSTILE_CELLS = {
    "sys.exit": "import sys\nsys.exit('done here')",
    "SystemExit": "raise SystemExit(3)",
    "KeyboardInterrupt": "raise KeyboardInterrupt",
    "os._exit": "import os\nos._exit(3)",
    "endless loop": "while True:\n    pass",
    "endless class body": "class Sneaky:\n    while True:\n        pass",
    "exception swallowed": "while True:\n    try:\n        while True: pass\n    except BaseException:\n        pass",
    "alarm ignored": SPIN + "spin()",  # a slow case: ~40 s
    "syntax error": "def broken(:\n    pass",
    "return at top level": "x = 1\nreturn x",  # compiles, as IPython does, before any of the cell runs
}


@pytest.mark.parametrize("attack", sorted(HOSTILE_CELLS))
def test_a_hostile_cell_costs_only_its_own_notebook_work(server, manifest, tmp_path, attack):
    nb = reference_with(HOSTILE_CELLS[attack])
    result, feedback = grade(server, manifest, tmp_path, {"hw.ipynb": nb.to_json()}, call_timeout=5.0)
    assert result.score == result.max_score == sum(e.points for e in manifest), feedback
    assert problem_cells(feedback, "hw.ipynb") == set(nb.failing), feedback


def test_a_notebook_that_keeps_ending_the_worker_is_given_up_with_a_note(server, manifest, tmp_path):
    nb = reference_with("import os")
    for _ in range(5):
        nb.add(code("os._exit(1)"))
    result, feedback = grade(server, manifest, tmp_path, {"hw.ipynb": nb.to_json()}, apis=["softmax"])
    assert result.score == 0 and "hw.ipynb: not graded, it ended the grader's worker 4 times" in feedback
    assert feedback.count("ended the grader's worker") == 4  # three retries, each named, then the note above


def test_a_notebook_that_keeps_hanging_costs_at_most_twice_its_load_time(server, manifest, tmp_path):
    nb = reference_with(SPIN)
    for number in range(4):  # four definitions (they run even once the budget is spent), each defeating the alarm
        nb.add(code(f"class Stuck{number}:\n    spin()"))
    started = time.monotonic()
    result, feedback = grade(server, manifest, tmp_path, {"hw.ipynb": nb.to_json()}, call_timeout=2.0,
                             apis=["softmax"])  # fmt: skip
    load_timeout = 2.0 + BUDGET + BUDGET + DEFINITIONS_SECONDS + 5.0  # call timeout, budget, grace ...
    assert time.monotonic() - started < 2 * load_timeout + 20
    assert "hw.ipynb: not graded, it ended the grader's worker 2 times" in feedback, feedback


def test_a_hang_in_a_graded_function_restarts_the_worker_which_runs_the_notebook_again(server, manifest, tmp_path):
    nb = reference_with("for step in range(10**9):\n    pass")  # the budget stops it, the first time and each replay
    nb.add(code("def multiclass_hinge_loss(*args, **kwargs):\n    while True:\n        pass\n"))
    result, feedback = grade(server, manifest, tmp_path, {"hw.ipynb": nb.to_json()}, call_timeout=3.0)
    scores = per_api(result)
    assert scores["multiclass_hinge_loss"][0] == 0 and "timed out" in feedback
    # Tests after the hang ran in fresh workers, which ran the notebook again with the same plan.
    assert all(earned == possible for api, (earned, possible) in scores.items() if api != "multiclass_hinge_loss")
    assert problem_cells(feedback, "hw.ipynb") == set(nb.failing), feedback


def test_a_py_file_submitted_next_to_the_notebook_wins_for_its_names(server, manifest, tmp_path):
    wrong_linear = "def linear(X, w, b):\n    return X @ w\n"  # forgets the bias
    nb = realistic_notebook(training_loop=False)
    result, _ = grade(server, manifest, tmp_path, {"hw.ipynb": nb.to_json()}, files={"linear.py": wrong_linear},
                      apis=["linear", "softmax"])  # fmt: skip
    scores = per_api(result)
    assert scores["linear"][0] < scores["linear"][1] and scores["softmax"][0] == scores["softmax"][1] > 0


def test_a_py_file_that_crashes_at_import_costs_only_its_own_names(server, manifest, tmp_path):
    nb = realistic_notebook(training_loop=False)
    crash = {"losses.py": "import os\nos._exit(1)\n"}
    result, feedback = grade(server, manifest, tmp_path, {"hw.ipynb": nb.to_json()}, files=crash,
                             apis=["softmax", "mse_loss", "linear"])  # fmt: skip
    scores = per_api(result)
    assert scores["mse_loss"][0] == 0, feedback
    assert scores["softmax"][0] == scores["softmax"][1] > 0 and scores["linear"][0] == scores["linear"][1] > 0


def test_one_notebook_may_hold_two_parts(server, tmp_path):
    from autograder.sandboxed.loader import Implementation
    from autograder.shared.paths import REPO_ROOT
    from autograder.trusted.harness.run import run_suite

    apis = ["softmax", "cross_entropy", "relu", "Linear", "MLP"]
    reference = run_suite(Implementation(REPO_ROOT / "solutions", "reference"), parts=[1, 2], device="cpu", apis=apis)
    nb = realistic_notebook(parts=(1, 2), training_loop=False)
    result, feedback = grade(server, reference, tmp_path, {"course.ipynb": nb.to_json()}, apis=apis)
    assert {t.part for t in result.tests} == {1, 2}
    assert result.score == result.max_score > 0, feedback


def test_learner_output_stays_in_the_capped_worker_output(manifest, tmp_path, capfd):
    server = ForkServerClient(
        tmp_path / "own-server"
    )  # started under capfd, so whatever it or its workers print is seen
    try:
        flood = "import os, sys\nfor i in range(20000):\n    print('LEAKED', i)\nsys.__stderr__.write('LEAKED')\n"
        flood += "os.write(1, b'LEAKED')\nos.write(2, b'LEAKED')\n"
        result, feedback = grade(server, manifest, tmp_path, {"hw.ipynb": reference_with(flood).to_json()},
                                 apis=["softmax"])  # fmt: skip
    finally:
        server.close()
    captured = capfd.readouterr()
    assert "LEAKED" not in captured.out and "LEAKED" not in captured.err
    printed = next(note for note in result.notes if note.startswith("your files printed"))
    assert "LEAKED 0" in printed and len(printed) < 2100


def test_budget_and_cell_plan_reach_the_worker_as_checked_data():
    from autograder.trusted.grader.notebook_load import _reports

    names = {1: "hw.ipynb"}
    hostile = [{"index": 1, "problems": [[3, "x" * 5000], ["bad", 1], 7], "work_until": [1, "no"], "cells": True},
               {"index": 99}, "junk"]  # fmt: skip
    [report] = _reports(hostile, names)
    assert report["problems"] == [[3, "x" * 600]] and report["work_until"] is None and report["cells"] == 0
    assert json.dumps(report)


def test_a_planted_progress_file_is_read_as_data_only(tmp_path):
    from autograder.sandboxed.cells import PROGRESS_FILE
    from autograder.trusted.grader.notebook_load import _progress

    (tmp_path / PROGRESS_FILE).mkdir()
    assert _progress(tmp_path) is None
    (tmp_path / PROGRESS_FILE).rmdir()
    (tmp_path / PROGRESS_FILE).symlink_to("/etc/passwd")
    assert _progress(tmp_path) is None
    (tmp_path / PROGRESS_FILE).unlink()
    (tmp_path / PROGRESS_FILE).write_text("1 2 3" + " " * 10_000)
    assert _progress(tmp_path) == (1, 2, 3)
    (tmp_path / PROGRESS_FILE).write_text("done")
    assert _progress(tmp_path) is None
