"""Record which torch calls a piece of learner code makes, without trusting the code to say so.

Two views are recorded while learner code runs:

- a ``TorchFunctionMode`` sees Python-level calls (``torch.nn.functional.softmax``,
  ``Tensor.softmax``, ``torch.autograd.grad``...), which give readable messages;
- a ``TorchDispatchMode`` sees the ATen operators underneath, which catches
  aliases and direct ``torch.ops.aten`` calls that the first view would miss;
- where a part forbids whole Python modules (an optimizer's ``step``, a
  learning-rate scheduler, a tokenizer library: plain Python that calls no
  forbidden operator), a trace function notes the module of every Python
  function the code enters (``sys.settrace``, 'call' events only).

Torch calls made from inside a library a part may forbid as a whole
(``torch.distributions``) are also recorded under that library's module name,
read from the calling frame.

The forbidden-call checks of the contract ("using a forbidden call for the thing
an exercise asks for earns no credit") and the vectorisation checks (counting
operations on inputs of two sizes) both read a ``CallRecord``.
"""

import functools
import sys
from collections import Counter
from dataclasses import dataclass, field

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode

_SET_GRAD_ENABLED = torch._C._set_grad_enabled  # what torch.enable_grad() and set_grad_enabled(True) call
# Calls that mean the learner is using autograd (not allowed in Parts 1 and 2).
_AUTOGRAD_CALLS = frozenset({"backward", "grad", "requires_grad_", "_set_grad_enabled"})
# Calls that leave torch (and the device) for NumPy.
_NUMPY_CALLS = frozenset({"numpy", "__array__"})
# Libraries whose torch calls are recorded under the calling module's name as well (a part may forbid them by
# that dotted name: Part 4 forbids sampling through torch.distributions and library generation utilities).
_LIBRARY_CALLERS = ("torch.distributions", "transformers")


def _op_base(name: str) -> str:
    """'sigmoid_' -> 'sigmoid', '_softmax' -> 'softmax', 'special_expit' -> 'expit': the operation behind a name."""
    return name.strip("_").removeprefix("special_")


@functools.cache
def _forbidden_bases(forbidden: frozenset[str]) -> frozenset[str]:
    return frozenset(_op_base(name) for name in forbidden)


def _function_label(func) -> str:
    """A readable dotted name such as 'torch.nn.functional.softmax' or 'Tensor.exp'."""
    name = getattr(func, "__name__", repr(func))
    module = getattr(func, "__module__", None) or ""
    if module.startswith("torch._C._special"):
        return f"torch.special.{name.removeprefix('special_')}"
    if module.startswith("torch._ops"):
        return f"torch.ops.aten.{name}"
    if module in ("torch", "torch._C._VariableFunctions"):
        return f"torch.{name}"
    if module.startswith("torch.nn"):
        return f"{module}.{name}"
    if module in ("", "torch._tensor") or "Tensor" in getattr(func, "__qualname__", ""):
        return f"Tensor.{name}"
    return f"{module}.{name}"


# One label per distinct torch function: worked out once, then looked up by every recording that sees it.
_cached_label = functools.lru_cache(maxsize=4096)(_function_label)


@dataclass
class CallRecord:
    """What one stretch of learner code asked torch to do."""

    functions: Counter = field(default_factory=Counter)  # readable label -> count
    operators: Counter = field(default_factory=Counter)  # ATen op name -> count
    enabled_grad: bool = False  # turned autograd back on inside a no-grad test
    modules: set = field(default_factory=set)  # names of the Python modules whose functions ran (when traced)

    @property
    def total_functions(self) -> int:
        return sum(self.functions.values())

    def forbidden_uses(
        self,
        forbidden: frozenset[str],
        autograd_allowed: bool,
        torch_nn_allowed: bool = False,
        forbidden_modules: tuple[str, ...] = (),
        allowed_modules: tuple[str, ...] = (),
    ) -> list[str]:
        """Labels of the recorded calls that the policy does not allow, most readable first."""
        libraries = forbidden_libraries(forbidden)
        forbidden = _forbidden_bases(forbidden)
        found: list[str] = [
            f"code of {name}"
            for name in sorted(self.modules)
            if in_modules(name, forbidden_modules) and not in_modules(name, allowed_modules)
        ]
        for label in self.functions:
            name = label.rsplit(".", 1)[-1]
            if libraries and label.startswith(libraries):
                library = f"{label.split(' ', 1)[0]} (a library does the exercise's work)"
                found += [] if library in found else [library]
            elif name in _NUMPY_CALLS:
                found.append(f"{label} (leaves torch for NumPy)")
            elif name in _AUTOGRAD_CALLS:
                if not autograd_allowed and (name != "_set_grad_enabled" or self.enabled_grad):
                    found.append(f"{label} (autograd)")
            elif (label.startswith("torch.nn.") and not torch_nn_allowed) or _op_base(name) in forbidden:
                found.append(label)
        if not found:  # only fall back to operator names when no readable call explains it
            for op in self.operators:
                if _op_base(op) in forbidden:
                    found.append(f"torch.ops.aten.{op}")
        return found


@functools.cache
def forbidden_libraries(forbidden: frozenset[str]) -> tuple[str, ...]:
    """The whole libraries among a part's forbidden names (dotted, or one of ``_LIBRARY_CALLERS``)."""
    return tuple(name for name in forbidden if "." in name or name in _LIBRARY_CALLERS)


def in_modules(name: str, prefixes: tuple[str, ...]) -> bool:
    """``name`` is one of ``prefixes`` or below one ("torch.optim." covers "torch.optim.adam")."""
    return any(name == p.rstrip(".") or name.startswith(p if p.endswith(".") else p + ".") for p in prefixes)


class _ModuleTracer:
    """Notes the module of every Python function entered while active; traces no lines (returns None)."""

    def __init__(self, record: CallRecord):
        self.record = record
        self.previous = None

    def __call__(self, frame, event, arg):
        self.record.modules.add(frame.f_globals.get("__name__") or "")

    def __enter__(self):
        self.previous = sys.gettrace()
        sys.settrace(self)

    def __exit__(self, *exc_info):
        sys.settrace(self.previous)

    def flush(self) -> None:
        pass


class _FunctionRecorder(TorchFunctionMode):
    """Counts calls by function object; labels are made once per distinct function, when recording ends."""

    def __init__(self, record: CallRecord, libraries: bool = True):
        super().__init__()
        self.record = record
        self.counts: dict = {}  # a plain dict: this runs for every torch call the learner makes
        self.libraries = libraries  # also label calls by a calling library (only where a part forbids one)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        counts = self.counts
        try:
            counts[func] = counts.get(func, 0) + 1
        except TypeError:  # an unhashable callable: label it now
            label = _function_label(func)
            counts[label] = counts.get(label, 0) + 1
        if func is _SET_GRAD_ENABLED and args and args[0]:
            self.record.enabled_grad = True
        if self.libraries:
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if caller.startswith(_LIBRARY_CALLERS):  # e.g. Categorical.sample calling torch.multinomial
                label = f"{caller} (calls {_cached_label(func)})"
                counts[label] = counts.get(label, 0) + 1
        return func(*args, **kwargs) if kwargs else func(*args)

    def flush(self) -> None:
        for func, count in self.counts.items():
            label = func if isinstance(func, str) else _cached_label(func)
            if not label.endswith("__get__"):  # attribute reads such as .shape or .T
                self.record.functions[label] += count
        self.counts.clear()


class PlainDispatchMode(TorchDispatchMode):
    """A dispatch mode whose ``__torch_dispatch__`` torch calls as it is, for modes that only count operators.

    torch wraps a mode's ``__torch_dispatch__`` in ``torch._dynamo.disable``
    unless told not to: that wrapper imports torch._dynamo on first use (~800
    modules, about a second) and adds a Python frame to every operator. Nothing
    is compiled while we count, so counting needs none of it.
    """

    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        return False


class _OperatorRecorder(PlainDispatchMode):
    """Counts ATen operators by overload; names are looked up once per distinct operator, when recording ends."""

    def __init__(self, record: CallRecord):
        super().__init__()
        self.record = record
        self.counts: Counter = Counter()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.counts[func] += 1
        return func(*args, **kwargs) if kwargs else func(*args)

    def flush(self) -> None:
        for func, count in self.counts.items():
            self.record.operators[func.overloadpacket.__name__] += count
        self.counts.clear()


class Recording:
    """Context manager: ``with Recording() as record: learner_function(...)``.

    ``operators=False`` keeps only the function view. Long-running calls
    (training loops, generation) ask for that: the operator view sends every ATen operator, backward ones included,
    through Python, which triples the cost of a loop of small steps (measured
    on ``train_mlp``), while the function view already sees every call the
    forbidden-call check and the operation counts read.
    """

    def __init__(self, operators: bool = True, modules: bool = False, libraries: bool = True):
        self.record = CallRecord()
        self._modes = (_FunctionRecorder(self.record, libraries),)
        self._modes += (_OperatorRecorder(self.record),) if operators else ()
        if modules:
            self._modes += (_ModuleTracer(self.record),)

    def __enter__(self) -> CallRecord:
        for mode in self._modes:
            mode.__enter__()
        return self.record

    def __exit__(self, *exc_info):
        for mode in reversed(self._modes):
            mode.__exit__(*exc_info)
        for mode in self._modes:
            mode.flush()
        return False
