"""Where tensors live: run learner code on another device, even on a machine without one, and explain misplacements.

The contract says every function "works for any device": new tensors must be
made on the input's device, and values must not leave torch for NumPy or Python
lists. On the CPU alone such mistakes are invisible (everything is on the CPU),
yet they crash the first time the code meets a GPU. ``on_device(device)`` runs
code with its inputs on ``device``; ``device="cpu"`` asks for a *simulated*
accelerator, so that any machine can tell.

The simulation is torch's ``FakeTensorMode``: tensors that carry a shape, a
dtype and a device but no values, so it costs no arithmetic. Every operator
checks its inputs' devices exactly as CUDA does (a CPU tensor mixed with a
device tensor is an error; a 0-dim CPU tensor mixes freely; CPU index tensors
may index a device tensor), and reading a value back into Python (``.item()``,
``.tolist()``, ``float(t)``, ``if t:``) or handing a tensor to NumPy fails,
since there are no values to read.

The simulated device is ``lazy`` (the device type of torch's lazy tensors,
never used otherwise), not ``cuda``. A CPU build of torch makes fake ``cuda``
tensors, but indexing one (``x[:, 0]``) asks for a CUDA device guard the build
does not have and fails; ``lazy`` has one and follows CUDA's placement rules
inside the fake mode, ``F.embedding`` with CPU indices included (``meta`` lets
that one through, and plain meta tensors outside the fake mode mix with CPU
ones silently). Learner code never sees the difference if it follows the
contract: ``torch.zeros(n, device=x.device)`` lands on the simulated device
either way. A real CPU tensor made before the run (a plain tensor attribute
that ``.to()`` does not move) joins the simulation as a CPU tensor.

What the simulation cannot follow: operators whose output shape depends on
values (``x[mask]``, ``nonzero``), operators with no shape-only implementation,
and checks of a CPU generator handed to a device factory. When one of those
stops a run, the run is *inconclusive* and the learner gets the benefit of the
doubt; on a real GPU the same check runs for real.

``Placement`` (the object ``on_device`` yields) moves the inputs, modules and
plain learner objects onto the device, and watches every torch call the code
makes: for each tensor created off the device it remembers the learner's line
that made it, so that a misplaced tensor is reported by its variable name and
by the line that made it, not by an operator deep inside torch.
"""

import functools
import linecache
import sys
import sysconfig
import types
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import torch
from torch.overrides import TorchFunctionMode

from autograder.sandboxed.recording import PlainDispatchMode
from autograder.shared.hints import probes as probe_hints
from autograder.shared.hints import values as value_hints

SIMULATED = "lazy"  # the device type of the simulated accelerator (see the module docstring)
# With its index: torch.tensor(..., device="lazy") says lazy:0 and torch.full says lazy, which would not mix.
_SIMULATED_DEVICE = "lazy:0"
PROBLEM = "_course_device_problem"  # the attribute that carries a placement problem on an exception

_TORCH_DIR = str(Path(torch.__file__).resolve().parent)
# The course's own code (shared, sandboxed and the test harness), by file and by module; the catalog's bugs
# are learner code, and the Part 4 test models (shared.lm_models) are not learner objects.
_COURSE_SIDES = ("shared", "sandboxed", "trusted")
_HARNESS_DIRS = tuple(str(Path(__file__).resolve().parents[1] / side) for side in _COURSE_SIDES)
_COURSE_PACKAGES = tuple(f"autograder.{side}" for side in _COURSE_SIDES)
_STDLIB_DIR = str(Path(sysconfig.get_paths()["stdlib"]).resolve())
_VALUE_READS = frozenset({"item", "tolist", "__bool__", "__float__", "__int__", "__index__", "__complex__"})
_NUMPY = frozenset({"numpy", "__array__"})
_MISMATCH_MESSAGES = (
    "Expected all tensors to be on the same device",
    "indices should be either on cpu or on the same device",
    "can't convert cuda",
    "can't convert mps",
)


def device_label(device_type: str) -> str:
    return probe_hints.SIMULATED_GPU if device_type == SIMULATED else device_type


# -- the learner's lines -----------------------------------------------------------------------------------------


def _is_library(filename: str) -> bool:
    return filename.startswith((_TORCH_DIR, _STDLIB_DIR, "<frozen")) or "site-packages" in filename


def learner_frames() -> list:
    """The learner's frames on the current stack, innermost first: those above the harness code that called them."""
    frames = []
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(_HARNESS_DIRS):
            if frames:
                break
        elif not _is_library(filename):
            frames.append(frame)
        frame = frame.f_back
    return frames


def _line(frame) -> str:
    filename, lineno = frame.f_code.co_filename, frame.f_lineno
    code = linecache.getline(filename, lineno).strip()
    return value_hints.learner_line(Path(filename).name, lineno, code)


def _where(frames: list) -> str:
    """'losses.py line 12: ...', plus the learner's outermost line when the innermost one is in a helper."""
    if not frames:
        return probe_hints.OUTSIDE_LEARNER_CODE
    inner, outer = frames[0], frames[-1]
    text, reached = _line(inner), _line(outer)
    if reached != text:
        text = probe_hints.reached_from(text, inner.f_code.co_name, reached)
    return text


def _name_of(tensor: torch.Tensor, frames: list) -> str:
    """The learner's name for ``tensor``: a local variable, or an attribute of ``self``; '' when it has none."""
    for frame in frames:
        for name, value in frame.f_locals.items():
            if value is tensor:
                return name
        owner = frame.f_locals.get("self")
        if owner is not None and hasattr(owner, "__dict__"):
            for name, value in vars(owner).items():
                if value is tensor:
                    return f"self.{name}"
    return ""


def _describe(tensor: torch.Tensor) -> str:
    return value_hints.tensor_description(
        str(tensor.dtype).removeprefix("torch."), tuple(tensor.shape), device_label(tensor.device.type)
    )


def _label(func) -> str:
    name = getattr(func, "__name__", repr(func))
    module = getattr(func, "__module__", "") or ""
    if module.startswith("torch.nn"):
        return f"{module}.{name}"
    if module in ("torch", "torch._C._VariableFunctions", "torch.functional"):
        return f"torch.{name}"
    qualname = getattr(func, "__qualname__", "")
    return f"Tensor.{name}" if module in ("", "torch._tensor") or "Tensor" in qualname else f"{module}.{name}"


def _tensors(values) -> Iterator[torch.Tensor]:
    for value in values:
        if isinstance(value, torch.Tensor):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from (v for v in value if isinstance(v, torch.Tensor))


# -- watching the learner's torch calls --------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where a tensor off the device was made: by which torch call, on which of the learner's lines."""

    made_by: str
    where: str

    def __str__(self) -> str:
        return probe_hints.made_by(self.made_by, self.where)


class _Watch(TorchFunctionMode):
    """Remembers where each tensor off the device came from, and explains the calls that fail because of one."""

    def __init__(self, device_type: str):
        super().__init__()
        self.device_type = device_type
        self.origins: dict[int, Origin] = {}
        self._parents: dict[int, torch.Tensor] = {}  # a derived tensor's id -> the tensor it came from
        self._alive: list[torch.Tensor] = []  # keeps the ids in ``origins`` from being reused
        self.inconclusive = ""  # why the simulation could not follow the code, if it could not

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        try:
            out = func(*args, **kwargs)
        except Exception as error:
            with torch._C.DisableTorchFunction():
                self._explain(error, func, args, kwargs)
            raise
        if isinstance(out, torch.Tensor) or (isinstance(out, tuple) and out and isinstance(out[0], torch.Tensor)):
            with torch._C.DisableTorchFunction():
                self._track(func, out, args, kwargs)
        return out

    def _off_device(self, tensor: torch.Tensor) -> bool:
        return tensor.device.type != self.device_type and tensor.dim() > 0

    def _track(self, func, out, args, kwargs) -> None:
        for tensor in out if isinstance(out, tuple) else (out,):
            if not isinstance(tensor, torch.Tensor) or id(tensor) in self.origins:
                continue
            if tensor.device.type == self.device_type:  # 0-dim ones too: one may be returned
                continue
            if self.device_type == SIMULATED and not _is_fake(tensor):
                continue  # a real tensor, made before the run: it has no line here
            parent = next((t for t in _tensors((*args, *kwargs.values())) if id(t) in self.origins), None)
            if parent is not None:
                self.origins[id(tensor)] = self.origins[id(parent)]
                self._parents[id(tensor)] = parent
            else:
                self.origins[id(tensor)] = Origin(_label(func), _where(learner_frames()))
            self._alive.append(tensor)

    def lineage(self, tensor: torch.Tensor) -> list[torch.Tensor]:
        """``tensor`` and the tensors it was computed from (``~mask`` -> ``mask``), nearest first."""
        chain = [tensor]
        while id(chain[-1]) in self._parents and len(chain) < 8:
            chain.append(self._parents[id(chain[-1])])
        return chain

    def origin_text(self, tensor: torch.Tensor) -> str:
        origin = self.origins.get(id(tensor))
        if origin is not None:
            return str(origin)
        return probe_hints.NOT_MADE_HERE

    def _explain(self, error: BaseException, func, args, kwargs) -> None:
        if hasattr(error, PROBLEM):
            return
        name = getattr(func, "__name__", "")
        frames = learner_frames()
        here = _where(frames)
        tensors = list(_tensors((*args, *kwargs.values())))
        if name in _NUMPY:
            culprit = tensors[0] if tensors else None
            problem = probe_hints.hands_to_numpy(self._named(culprit, frames), _label(func), here)
        elif name in _VALUE_READS or _is_value_read(error):
            culprit = tensors[0] if tensors else None
            problem = probe_hints.reads_values_back(self._named(culprit, frames), _label(func), here)
        elif _is_mismatch(error):
            off = [t for t in tensors if self._off_device(t)]
            on = [t for t in tensors if t.device.type == self.device_type]
            met = _describe(on[0]) if on else ""
            if not off:
                problem = probe_hints.mixes_devices_in(_label(func), here)
            else:
                culprit = off[0]
                named, device = self._named(culprit, frames), device_label(self.device_type)
                problem = probe_hints.mixes_devices(named, device, self.origin_text(culprit), _label(func), met, here)
        else:
            if self.device_type == SIMULATED and not self.inconclusive:
                self.inconclusive = f"{_label(func)} raised {type(error).__name__} at {here}"
            return
        try:
            setattr(error, PROBLEM, problem)
        except AttributeError:  # an exception type that takes no attributes: the guard reports it as it is
            pass

    def _named(self, tensor, frames: list) -> str:
        """'`mask` (bool (5, 5) on cpu)': the learner's name for the tensor, or for the one it was computed from."""
        if not isinstance(tensor, torch.Tensor):
            return probe_hints.named_tensor()
        for index, ancestor in enumerate(self.lineage(tensor)):
            name = _name_of(ancestor, frames)
            if name:
                return probe_hints.named_tensor(name, derived=index > 0, description=_describe(tensor))
        return probe_hints.named_tensor(description=_describe(tensor))


def _is_fake(tensor: torch.Tensor) -> bool:
    return type(tensor).__name__ == "FakeTensor"


def _is_value_read(error: BaseException) -> bool:
    return type(error).__name__ == "DataDependentOutputException"


def _is_mismatch(error: BaseException) -> bool:
    if type(error).__name__ == "FakeTensorDeviceMismatchError":
        return True
    return isinstance(error, (RuntimeError, TypeError)) and any(m in str(error) for m in _MISMATCH_MESSAGES)


def device_problem(error: BaseException) -> str:
    """What a failure says about tensor placement ('' when it is about something else).

    Read by the loader's guard, which turns it into a ``WrongDevice`` verdict. The
    problem is written by ``_Watch`` while a placement check runs; on a real GPU,
    outside any check, a device mismatch is recognised by torch's own message.
    """
    problem = getattr(error, PROBLEM, "")
    if problem:
        return problem
    if _is_mismatch(error):
        return probe_hints.mixes_two_devices(raised_at(error))
    return ""


# -- the scalar reads training may make ----------------------------------------------------------------------------


class _PlaceholderScalars(PlainDispatchMode):
    """Answers ``.item()`` on a simulated tensor with 0, for code allowed to read values (a training loop's losses)."""

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if func is torch.ops.aten._local_scalar_dense.default:
            dtype = args[0].dtype
            return False if dtype == torch.bool else 0.0 if dtype.is_floating_point else 0
        return func(*args, **(kwargs or {}))


# -- moving things onto the device ---------------------------------------------------------------------------------


class Placement:
    """Inputs and learner objects moved onto one device, and the watch over the code that runs there."""

    def __init__(self, device: str, watch: _Watch, simulated: bool):
        self.device = device
        self.device_type = torch.device(device).type
        self.simulated = simulated
        self._watch = watch
        self._moved: dict[int, object] = {}

    @property
    def label(self) -> str:
        return device_label(self.device_type)

    @property
    def inconclusive(self) -> str:
        return self._watch.inconclusive

    def tensor(self, t: torch.Tensor) -> torch.Tensor:
        if self.simulated:
            moved = torch.empty_strided(t.shape, t.stride(), dtype=t.dtype, device=self.device)
            return moved.requires_grad_(t.requires_grad) if t.requires_grad and t.is_leaf else moved
        return t.detach().to(self.device).requires_grad_(t.requires_grad)

    def move(self, value):
        """``value`` on the device: tensors, lists, tuples and dicts of them, modules and plain objects in place.

        The moves are the harness's own calls: neither watched nor recorded as the learner's.
        """
        with torch._C.DisableTorchFunction():
            return self._move(value)

    def _move(self, value):
        from autograder.sandboxed.loader import unwrap

        if isinstance(value, torch.Tensor):
            if id(value) not in self._moved:
                self._moved[id(value)] = (self.tensor(value), value)  # the original is kept: its id stays unique
            return self._moved[id(value)][0]
        if isinstance(value, list):  # in place: a learner object may hold the same list under two names
            value[:] = [self._move(v) for v in value]
            return value
        if isinstance(value, tuple):
            return tuple(self._move(v) for v in value)
        if isinstance(value, dict):
            return {k: self._move(v) for k, v in value.items()}
        target = unwrap(value)
        if isinstance(target, torch.nn.Module):
            self._module(target)
        elif _is_plain_object(target):
            if id(target) not in self._moved:
                self._moved[id(target)] = (target, target)
                for name, attribute in list(vars(target).items()):
                    setattr(target, name, self._move(attribute))
        return value

    def _module(self, module: torch.nn.Module) -> None:
        if not self.simulated:
            module.to(self.device)
            return
        # Parameters and buffers only: a plain tensor attribute stays where it is, as .to() leaves it.
        module._apply(lambda t: self._move(t) if t.device.type != self.device_type else t)

    def describe(self, value) -> list[dict]:
        """``layout(value)`` with the origin of each tensor that is off the device."""
        return layout(value, lambda t: self._watch.origin_text(t) if t.device.type != self.device_type else "")


def layout(value, origin=lambda tensor: "", path: str = "output") -> list[dict]:
    """Plain data about what a call returned: each tensor's path, device, dtype and shape; other values' types."""
    if isinstance(value, torch.Tensor):
        entry = {
            "path": path,
            "device": value.device.type,
            "dtype": str(value.dtype).removeprefix("torch."),
            "shape": list(value.shape),
        }
        where = origin(value)
        return [{**entry, "origin": where}] if where else [entry]
    if isinstance(value, (list, tuple)) and any(isinstance(v, (torch.Tensor, list, tuple)) for v in value):
        return [e for i, v in enumerate(value) for e in layout(v, origin, f"{path}[{i}]")]
    if isinstance(value, (list, tuple)):
        kinds = "/".join(sorted({type(v).__name__ for v in value})) or "items"
        return [{"path": path, "type": f"{type(value).__name__} of {len(value)} {kinds}"}]
    return [{"path": path, "type": type(value).__name__}]


def raised_at(error: BaseException) -> str:
    """'ValueError: ... (at model.py line 30: ...)', the innermost of the learner's frames in the traceback."""
    message = " ".join(str(error).split())[:300]
    text = f"{type(error).__name__}: {message}"
    tb, line = error.__traceback__, ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not _is_library(filename) and not filename.startswith(_HARNESS_DIRS):
            code = linecache.getline(filename, tb.tb_lineno).strip()
            line = value_hints.at_learner_line(Path(filename).name, tb.tb_lineno, code)
        tb = tb.tb_next
    return text + line


def _is_plain_object(value) -> bool:
    """An instance of a class of the learner's (a Part 2 layer or MLP): its tensor attributes are moved."""
    if isinstance(value, (type, types.FunctionType, types.MethodType, types.ModuleType, functools.partial)):
        return False
    module = type(value).__module__ or ""
    return hasattr(value, "__dict__") and not module.startswith(("torch", "builtins", *_COURSE_PACKAGES))


@contextmanager
def on_device(device: str, reads_values: bool = False, simulate: bool | None = None) -> Iterator[Placement]:
    """Run the body with a ``Placement`` on ``device`` (``"cpu"``: on the simulated accelerator).

    ``reads_values`` lets the code read values with ``.item()`` (answered with 0 on the
    simulated device), for training loops whose contract returns Python floats.
    ``simulate=False`` runs on the real ``device`` even when it is the CPU (for tests of this module).
    """
    with ExitStack() as stack:
        simulated = device == "cpu" if simulate is None else simulate
        if simulated:
            from torch._subclasses.fake_tensor import FakeTensorMode

            stack.enter_context(FakeTensorMode(allow_non_fake_inputs=True))
            device = _SIMULATED_DEVICE
            if reads_values:
                stack.enter_context(_PlaceholderScalars())
        watch = stack.enter_context(_Watch(torch.device(device).type))
        yield Placement(device, watch, simulated)


def warm_up() -> None:
    """Import now what simulated runs import on first use (``FakeTensorMode`` pulls in ``torch._dynamo``, ~0.9 s).

    The fork server calls this before it forks workers, which cannot read new files: a
    module moved to the simulated device, indexing, masking, a tensor from a list, a
    scalar read, and a device mismatch explained.
    """
    layer = torch.nn.Sequential(torch.nn.Embedding(5, 4), torch.nn.Linear(4, 4))
    with on_device("cpu", reads_values=True) as place:
        place.move(layer)
        idx = place.move(torch.zeros(2, 3, dtype=torch.long))
        x = layer(idx)[:, -1:].masked_fill(torch.ones(1, dtype=torch.bool, device=idx.device), float("-inf"))
        x = x.softmax(-1) * torch.tensor([1.0, 2.0, 3.0, 4.0], device=x.device)
        float(x.sum().item())
        try:
            x @ torch.zeros(4, 4)
        except RuntimeError as error:
            device_problem(error)
        place.describe([x, torch.arange(2)])
