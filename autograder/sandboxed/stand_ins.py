"""Stand-ins for display-only modules the grader lacks (tqdm, matplotlib, seaborn, IPython.display, google.colab).

Runs only in the sandboxed worker. Learners' code, notebooks above all, imports
modules that only show things: progress bars, plots, Colab's Drive. Where the
grading machine has the real module (this repository's instructor install has
matplotlib and tqdm), the real one is used; where it does not (a Gradescope
image installs the course's dependencies only), a ``train_mlp`` looping over
``tqdm(range(epochs))`` would lose every point for a progress bar.

So, last on ``sys.meta_path`` (consulted only when no real module is found),
a finder supplies stand-ins: ``tqdm(iterable)`` yields the iterable's items
unchanged, and everything of the other modules is an object that accepts any
attribute, call or index and does nothing. No value a graded function returns
can come from a stand-in: it cannot be sent back as a tensor, so wrong code
stays wrong. The finder records what it supplied, for the feedback.
"""

import importlib.abc
import importlib.machinery
import sys
import types

STAND_IN_ROOTS = ("tqdm", "matplotlib", "seaborn", "IPython", "google.colab", "google")


class Nothing:
    """Any object of a display-only module: each attribute, call or item is itself; iterating yields nothing."""

    def __init__(self, name: str):
        object.__setattr__(self, "_name", name)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __setattr__(self, name: str, value) -> None:
        pass

    def __call__(self, *args, **kwargs):
        return self

    def __getitem__(self, key):
        return self

    def __setitem__(self, key, value) -> None:
        pass

    def __iter__(self):
        return iter(())

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> bool:
        return False

    def __repr__(self) -> str:
        return f"<stand-in for {self._name}: the grader has no such module>"


class _ProgressBar:
    """tqdm without the bar: iterating it yields the wrapped iterable's items, unchanged."""

    def __init__(self, iterable=None, *args, total=None, **kwargs):
        self.iterable = iterable if iterable is not None else ()
        self.total, self.n = total, 0

    def __iter__(self):
        yield from self.iterable

    def __len__(self) -> int:
        return len(self.iterable) if hasattr(self.iterable, "__len__") else int(self.total or 0)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> bool:
        return False

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return Nothing("tqdm")  # set_description, set_postfix, update, close, refresh, write ...

    @staticmethod
    def write(*args, **kwargs) -> None:
        print(*args)


def _subplots(*args, **kwargs) -> tuple:
    """``fig, ax = plt.subplots()`` needs exactly two things to unpack."""
    return Nothing("matplotlib"), Nothing("matplotlib")


def _stand_in_module(name: str) -> types.ModuleType:
    module = types.ModuleType(name, "a stand-in supplied by the grader: this module is not installed here")
    module.__path__ = []  # a package: its submodules are stand-ins too
    root = name.split(".")[0]
    if root == "tqdm":
        module.tqdm = module.tqdm_notebook = _ProgressBar
        module.trange = lambda *args, **kwargs: _ProgressBar(range(*args), **kwargs)
    if name.endswith("pyplot") or name == "matplotlib":
        module.subplots = _subplots
    if name.startswith("IPython"):
        module.display = lambda *objects, **kwargs: print(*(repr(o) for o in objects))
    nothing = Nothing(name)
    module.__getattr__ = lambda attribute: _missing_dunder(attribute) if attribute.startswith("__") else nothing
    return module


def _missing_dunder(attribute: str):
    raise AttributeError(attribute)


class StandIns(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """The finder and loader of stand-ins; ``used`` lists the modules it supplied."""

    def __init__(self):
        self.used: list[str] = []

    def find_spec(self, fullname: str, path=None, target=None):
        if not any(fullname == root or fullname.startswith(root + ".") for root in STAND_IN_ROOTS):
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec) -> types.ModuleType:
        if spec.name != "google" and spec.name not in self.used:
            self.used.append(spec.name)
        return _stand_in_module(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def install() -> StandIns:
    """Put the stand-ins last on ``sys.meta_path``: real modules, where installed, always come first."""
    finder = StandIns()
    sys.meta_path.append(finder)
    return finder
