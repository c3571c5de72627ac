"""Load an implementation of the course (the learner's files or the reference) and guard every call into it.

An implementation is a folder laid out like ``assignments/`` and ``solutions/``:
one sub-folder per part (``part1/``) holding one file per topic. Each part is
imported as a package under a private name, so the files may import each other
(``from .losses import cross_entropy``), and each file is imported on its own,
so a syntax error in one file costs only the names it defines.

Every function reached through ``Implementation`` runs inside a guard that turns
what can go wrong into a ``Verdict`` with a hint, records the torch calls it
makes, and enforces the part's rules (no autograd, no one-call built-ins).
"""

import functools
import importlib
import importlib.util
import itertools
import sys
import types
from contextlib import nullcontext
from pathlib import Path

import torch

from autograder.sandboxed.optimizer_support import run_optimizer_base_without_dynamo
from autograder.sandboxed.placement import device_problem
from autograder.sandboxed.recording import CallRecord, Recording, forbidden_libraries
from autograder.shared.api import PARTS, Part, is_long_running, part_of
from autograder.shared.hints import values as value_hints
from autograder.shared.hints import verdicts as verdict_hints
from autograder.shared.memo import ReferenceMemo
from autograder.shared.verdicts import (
    ForbiddenCall,
    LearnerError,
    NotImplementedYet,
    Unavailable,
    Verdict,
    WrongDevice,
    raising_function,
)

_package_counter = itertools.count()
# Part 5's AdamW subclasses torch.optim.Optimizer: keep its base class from importing torch._dynamo, here and in
# the fork server (which imports this module), so that no sandboxed worker has to.
run_optimizer_base_without_dynamo()


class Implementation:
    """The course API of one implementation, by name: ``impl.softmax(z)``."""

    def __init__(self, root: Path | str, label: str = "learner", record: bool = True, memo: bool = False):
        self.root = Path(root).resolve()
        self.label = label
        self.record = record  # False only for trusted code (the reference): no recording, no forbidden-call check
        # Trusted code only: remember pure answers across calls (see memo.py).
        self._memo = ReferenceMemo() if memo and not record else None
        self._packages: dict[int, str] = {}
        self._modules: dict[tuple[int, str], types.ModuleType | Exception] = {}
        self._labels: dict[tuple[int, str], str] = {}  # where a file's names come from, when not partN/<file>.py
        self._import_uses: dict[tuple[int, str], list[str]] = {}  # forbidden modules a file ran while importing
        self.last_record: CallRecord | None = None
        self._overrides: dict[str, object] = {}

    def with_override(self, api: str, replacement) -> "Implementation":
        """This implementation with ``api`` replaced (how the bug catalog grades one mistake at a time)."""
        other = Implementation(self.root, label=f"{self.label} with {api} replaced", record=self.record)
        other._packages, other._modules = self._packages, self._modules
        other._labels, other._import_uses = self._labels, self._import_uses
        other._overrides = {**self._overrides, api: replacement}
        return other

    def __repr__(self) -> str:
        return f"Implementation({self.label}: {self.root})"

    def __getattr__(self, api: str):
        if api.startswith("_"):
            raise AttributeError(api)
        try:
            part = part_of(api)
        except KeyError:
            raise AttributeError(api) from None
        if api in self._overrides:
            obj = self._overrides[api]
        else:
            obj = getattr(self._module(part, api), api, None)
        if obj is None:
            raise Unavailable(api, verdict_hints.defines_no(self._display(part, api), api))
        if self._import_uses.get((part.number, part.file_of(api))) and api not in self._overrides:
            raise ForbiddenCall(api, part.number, self._import_uses[(part.number, part.file_of(api))])
        if isinstance(obj, type):
            return self._guard(obj, api, part, wrap_result=True)
        if callable(obj):
            guarded = self._guard(obj, api, part, long_running=is_long_running(api))
            return self._memo.wrap(api, guarded) if self._memo and api not in self._overrides else guarded
        return obj

    def probe(self, api: str, name: str, *args, **kwargs):
        """Run the harness probe ``name`` next to this implementation's objects, guarded as a call of ``api``."""
        from autograder.sandboxed.probes import get

        return self._guard(get(name), api, part_of(api), long_running=is_long_running(name))(*args, **kwargs)

    # -- loading ------------------------------------------------------------

    def provide(self, part_number: int, stem: str, module: types.ModuleType, label: str) -> None:
        """Serve the names of ``partN/<stem>.py`` from ``module`` (a notebook's namespace), called ``label``."""
        self._modules[(part_number, stem)] = module
        self._labels[(part_number, stem)] = label

    def package_name(self, part_number: int) -> str:
        """The private package a part's modules live in: modules named under it hold learner objects."""
        return self._package(PARTS[part_number])

    def _display(self, part: Part, api: str) -> str:
        stem = part.file_of(api)
        return self._labels.get((part.number, stem), f"{part.folder}/{stem}.py")

    def _package(self, part: Part) -> str:
        if part.number not in self._packages:
            name = f"_course_impl_{next(_package_counter)}_{part.folder}"
            package = types.ModuleType(name)
            package.__path__ = [str(self.root / part.folder)]
            package.__package__ = name
            sys.modules[name] = package
            self._packages[part.number] = name
        return self._packages[part.number]

    def _module(self, part: Part, api: str) -> types.ModuleType:
        stem = part.file_of(api)
        key = (part.number, stem)
        if key not in self._modules:
            if self.record and part.forbidden_modules:
                with Recording(operators=False, modules=True) as record:
                    self._modules[key] = self._import(part, stem)
                self._import_uses[key] = record.forbidden_uses(
                    frozenset(), True, True, part.forbidden_modules, part.allowed_modules
                )
            else:
                self._modules[key] = self._import(part, stem)
        module = self._modules[key]
        if isinstance(module, Exception):
            raise Unavailable(api, value_hints.about(self._display(part, api), str(module)))
        return module

    def _import(self, part: Part, stem: str) -> types.ModuleType | Exception:
        path = self.root / part.folder / f"{stem}.py"
        if not path.is_file():
            return FileNotFoundError(verdict_hints.file_not_found(path))
        try:
            return importlib.import_module(f"{self._package(part)}.{stem}")
        except NotImplementedError as error:  # a stub raising at import time still counts as unfinished
            return error
        except BaseException as error:  # noqa: BLE001 - any failure at import is the learner's to fix
            if isinstance(error, KeyboardInterrupt):
                raise
            line = error.lineno if isinstance(error, SyntaxError) else None
            return type(error)(verdict_hints.import_raised(type(error).__name__, error, line))

    # -- calling ------------------------------------------------------------

    def _guard(self, function, api: str, part: Part, wrap_result: bool = False, long_running: bool = False):
        """Wrap a learner function (or class, or method) so that every way it can fail becomes a Verdict.

        A long-running call (training, generation) is recorded at the function level only (see ``Recording``).
        """
        file = self._display(part, api)

        @functools.wraps(function)
        def guarded(*args, **kwargs):
            # The learner's code gets its own objects back, not our wrappers: a model handed to train_mlp then
            # runs thousands of forward and backward calls without a guard and a recording around each.
            args = tuple(unwrap(a) for a in args)
            kwargs = {k: unwrap(v) for k, v in kwargs.items()}
            grad_mode = nullcontext() if part.autograd_allowed else torch.no_grad()
            recording = (
                Recording(
                    operators=not long_running,
                    modules=bool(part.forbidden_modules),
                    libraries=bool(forbidden_libraries(part.forbidden)),  # the caller lookup only where it counts
                )
                if self.record
                else _NotRecording()
            )
            with grad_mode, recording as record:
                try:
                    result = function(*args, **kwargs)
                except NotImplementedError as error:
                    raise NotImplementedYet(api, file, raising_function(error)) from None
                except (KeyboardInterrupt, Verdict):
                    raise  # a verdict already reached in a nested guarded call (a probe calling the learner's API)
                except BaseException as error:  # noqa: BLE001
                    # Everything else, AssertionError, SystemExit and pytest's own
                    # skip/xfail outcomes included, is the learner's failure: learner
                    # code must never be able to fake a verdict or skip a test.
                    problem = device_problem(error)
                    if problem:
                        raise WrongDevice(api, problem) from None
                    raise LearnerError(api, error, self.root) from None
            self.last_record = record
            uses = record.forbidden_uses(
                part.forbidden,
                part.autograd_allowed,
                part.torch_nn_allowed,
                part.forbidden_modules,
                part.allowed_modules,
            )
            if uses:
                raise ForbiddenCall(api, part.number, uses)
            return self._wrap(result, api, part) if wrap_result else result

        return guarded

    def _is_learner_object(self, value) -> bool:
        return type(value).__module__.startswith(("_course_impl_", "autograder.catalog"))

    def _wrap(self, value, api: str, part: Part):
        """Learner objects come back as ``LearnerObject`` so that their methods are guarded too."""
        if isinstance(value, LearnerObject):
            return value
        if self._is_learner_object(value):
            return LearnerObject(
                value,
                lambda method: self._guard(
                    method, api, part, wrap_result=True, long_running=is_long_running(getattr(method, "__name__", ""))
                ),
            )
        if isinstance(value, (list, tuple)) and any(self._is_learner_object(v) for v in value):
            return type(value)(self._wrap(v, api, part) for v in value)
        return value


class _NotRecording:
    """Stands in for ``Recording`` where the code is trusted: an empty record, nothing intercepted."""

    def __enter__(self) -> CallRecord:
        return CallRecord()

    def __exit__(self, *exc_info) -> bool:
        return False


class LearnerObject:
    """An instance of a learner's class (a layer, a model): attribute reads pass through, calls are guarded.

    ``unwrap(obj)`` gives the object itself, for the rare test that needs it
    (``isinstance`` checks, handing a module to ``torch.nn.utils``).
    """

    __slots__ = ("_target", "_guard")

    def __init__(self, target, guard):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_guard", guard)

    def __getattr__(self, name: str):
        value = getattr(self._target, name)
        if callable(value) and not isinstance(value, (torch.Tensor, type)):
            method = self._guard(value)
            return lambda *args, **kwargs: self._same(method(*args, **kwargs))
        return self._guard(lambda: value)()  # wraps nested learner objects (e.g. a list of layers)

    def _same(self, result):
        return self if isinstance(result, LearnerObject) and result._target is self._target else result

    def __setattr__(self, name: str, value) -> None:
        setattr(self._target, name, unwrap(value))

    def __call__(self, *args, **kwargs):
        return self._same(self._guard(self._target)(*args, **kwargs))

    def __repr__(self) -> str:
        return f"LearnerObject({type(self._target).__name__})"


def unwrap(value):
    """The learner's own object behind a ``LearnerObject`` (anything else is returned as is)."""
    return value._target if isinstance(value, LearnerObject) else value


def default_roots(repo_root: Path) -> dict[str, Path]:
    """Where the named implementations live in this repository."""
    return {"assignments": repo_root / "assignments", "reference": repo_root / "solutions"}


__all__ = ["Implementation", "LearnerObject", "default_roots", "unwrap", "PARTS"]
