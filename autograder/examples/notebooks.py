"""Notebooks the way learners hand them in, built from the reference, for the grader's notebook tests.

A notebook from Colab or Jupyter carries much more than its functions: a
``!pip install``, plotting and progress-bar imports, a Drive mount, outputs and
images saved in the JSON, a cell left failing, a training loop at top level,
Windows line endings. ``realistic_notebook`` writes the reference's code for
some parts into such a notebook and says which cells are expected to fail, so a
test can check that each is named in the feedback and costs nothing else.
"""

import base64
import importlib.util
import json
from dataclasses import dataclass, field

from autograder.shared.api import PARTS
from autograder.shared.paths import REPO_ROOT

# A 1x1 PNG, as Jupyter embeds a plot's output.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
).decode()


def code(source: str, outputs: list | None = None, count: int | None = None, crlf: bool = False) -> dict:
    """A code cell; its source stored as a list of lines, as Jupyter saves it (with CRLF when ``crlf``)."""
    if crlf:
        source = source.replace("\n", "\r\n")
    lines = source.splitlines(keepends=True)
    return {"cell_type": "code", "execution_count": count, "metadata": {}, "outputs": outputs or [], "source": lines}


def markdown(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def stream(text: str) -> dict:
    return {"name": "stdout", "output_type": "stream", "text": [text]}


def image() -> dict:
    return {"data": {"image/png": PNG, "text/plain": ["<Figure size 640x480 with 1 Axes>"]}, "metadata": {},
            "output_type": "display_data"}  # fmt: skip


def error_output(name: str, value: str) -> dict:
    return {
        "ename": name,
        "evalue": value,
        "output_type": "error",
        "traceback": [f"\u001b[0;31m{name}\u001b[0m: {value}"],
    }


def reference_source(part: int) -> list[str]:
    """The reference's files of ``part``, one string each, without the imports between course files."""
    folder = REPO_ROOT / "solutions" / PARTS[part].folder
    return [
        "".join(line for line in (folder / f"{stem}.py").read_text().splitlines(keepends=True) if "from ." not in line)
        for stem in PARTS[part].files
    ]


@dataclass
class Notebook:
    cells: list[dict] = field(default_factory=list)
    failing: dict[int, str] = field(default_factory=dict)  # cell number (from 1, all cells) -> what the note says
    stood_in: list[str] = field(default_factory=list)  # modules this Python lacks: the grader stands in for them

    def add(self, cell: dict, fails_with: str = "") -> "Notebook":
        self.cells.append(cell)
        if fails_with:
            self.failing[len(self.cells)] = fails_with
        return self

    def to_json(self) -> str:
        metadata = {"colab": {"provenance": []}, "kernelspec": {"display_name": "Python 3", "name": "python3"},
                    "language_info": {"name": "python"}}  # fmt: skip
        return json.dumps({"nbformat": 4, "nbformat_minor": 0, "metadata": metadata, "cells": self.cells}, indent=1)


def missing(module: str) -> bool:
    """Whether this Python lacks ``module`` (then the grader's worker lacks it too)."""
    try:
        return importlib.util.find_spec(module) is None
    except ModuleNotFoundError:  # its parent package is missing (google, for google.colab)
        return True


def realistic_notebook(parts: tuple[int, ...] = (1,), training_loop: bool = True) -> Notebook:
    """The reference code of ``parts`` with everything a real notebook carries; correct, so it earns full marks.

    The display-only modules this Python lacks (seaborn, google.colab ...) get the grader's stand-ins, so no cell
    fails for them; ``stood_in`` lists them.
    """
    nb = Notebook(stood_in=[m for m in ("google.colab", "matplotlib", "seaborn", "tqdm") if missing(m)])
    nb.add(markdown("# Homework\nMy solutions. Run all cells in order."))
    nb.add(code("!pip install -q tqdm seaborn\n%matplotlib inline", [stream("Successfully installed tqdm\n")], 1))
    nb.add(code("import torch\nimport numpy as np\nimport matplotlib.pyplot as plt\nimport seaborn as sns\n"
                "from tqdm.auto import tqdm\nfrom IPython.display import display, clear_output\n", [], 2))  # fmt: skip
    mount = "from google.colab import drive\ndrive.mount('/content/drive')"
    nb.add(code(mount, [stream("Mounted at /content/drive\n")], 3))
    nb.add(code("notes = open('/content/drive/MyDrive/notes.txt').read()"), fails_with="/content/drive")
    nb.add(code("def linear(X, w, b):\n    return 0  # first try, replaced below\n", [], 4))
    for part in parts:
        for index, source in enumerate(reference_source(part)):
            nb.add(code(source, [], 5 + index, crlf=index % 2 == 0))
    nb.add(code("xs = torch.linspace(-5, 5, 101)\nplt.plot(xs, torch.sigmoid(xs))\nplt.title('sigmoid')\nplt.show()\n"
                "print(xs.shape)", [image(), stream("torch.Size([101])\n")], 20))  # fmt: skip
    nb.add(code("sns.heatmap(np.eye(3))\nplt.show()", [image()], 21))
    nb.add(code("result = my_helper(3)\nprint(result)", [error_output("NameError", "name 'my_helper' is not defined")]),
           fails_with="my_helper")  # fmt: skip
    nb.add(code("%frobnicate --all\nz = 1"), fails_with="frobnicate")
    nb.add(code("name = input('Your name: ')\nprint('hello', name)"), fails_with="EOFError")
    if training_loop:
        nb.add(
            code(
                "w = torch.zeros(3)\nlosses = []\nfor step in tqdm(range(10**9)):\n"
                "    w = w - 0.01 * torch.randn(3)\n    losses.append(float(w.sum()))\n"
                "plt.plot(losses)",
                [stream("100%|##########| 1000/1000\n"), image()],
                22,
            ),  # fmt: skip
            fails_with="budget",
        )
    nb.add(code("def helper_defined_last(x):\n    return x + 1\n\nprint(helper_defined_last(1))", [stream("2\n")], 23))
    return nb
