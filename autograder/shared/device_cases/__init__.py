"""The device check of every API, as a table: which inputs to try and how to exercise the API on them.

Each course API gets one graded test, "works on the inputs' device": its inputs
(and, for a class, the object built from it) are moved to another device, the
API runs there, and every tensor it returns must be on that device, with the
dtype and shape the same call gives on the CPU. On a machine without a GPU the
other device is simulated (see ``placement.py``), so a ``torch.zeros(n, k)``
without ``device=``, a position ``torch.arange(T)``, a mask built inside
``forward``, or a round trip through ``.numpy()``/``.tolist()``/``.item()``
loses the points on a laptop or CI as it would crash on a GPU. Where a GPU is
present the same check also runs on it for real (the ``device`` fixture's
``cuda`` run; ``cpu`` is the simulated one).

Covering a new API is one entry in ``partN.py`` of this package::

    DeviceCase("softmax", lambda d: call(d.randn(4, 5))),
    DeviceCase("causal_mask", lambda d: call(6), run=with_device),  # run(subject, *args, device=...) gets the device
    DeviceCase("MultiHeadAttention", lambda d: call(d.randn(2, 5, 16)), build=lambda d: call(16, 4)),

- ``inputs(d)`` returns ``call(*args, **kwargs)``, the CPU inputs. ``d`` draws
  them (``d.randn``, ``d.labels``, ``d.signs``, ``d.gen``) and, for an API that
  takes a learner object, builds it (``d.impl.MLP([2, 4, 2], generator=d.gen)``).
- ``build(d)`` (classes only) returns the constructor's arguments.
- ``run(subject, *args, device, **kwargs)`` says how to exercise the API and what
  to check: ``subject`` is the function or the built object; the default calls it
  with the inputs and checks what it returns. Write one for methods
  (``forward`` then ``backward``) or for arguments that name the device.
  A run is trusted code and may build what the API needs besides the learner's
  objects (a fixed model for a decoding function) itself, directly on ``device``:
  ``torch.nn.Linear(4, 4, device=device)`` works on the simulated GPU too.
- ``reads_values=True`` for a training loop whose contract returns Python floats.
- ``cpu_in_worker=True`` for a run that hands the API something which cannot
  cross the sandbox (the fixed model a decoding function calls): the CPU call
  then runs in the worker too, next to the learner's code, rather than on the
  trusted side through the proxy.

The part's public tests pick the entries up with one line (see
``assignments/part1/tests/test_devices.py``), and a part with no file here has
no device checks. Every run must be trusted code: it runs in the sandboxed
worker next to the learner's objects, so the tables are imported by the fork
server before any worker starts.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from autograder.shared.api import PARTS, part_of
from autograder.shared.inputs import labels, randn, signs


@dataclass(frozen=True)
class Inputs:
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


def call(*args, **kwargs) -> Inputs:
    """The arguments of one call, as ``inputs`` and ``build`` return them."""
    return Inputs(args, kwargs)


class Draw:
    """What an entry draws its inputs with: the test's generator, and the implementation for learner objects."""

    def __init__(self, impl, gen: torch.Generator):
        self.impl, self.gen = impl, gen

    def randn(self, *shape: int, scale: float = 1.0, dtype: torch.dtype = torch.float32) -> torch.Tensor:
        return randn(*shape, gen=self.gen, scale=scale, dtype=dtype)

    def labels(self, n: int, k: int) -> torch.Tensor:
        return labels(n, k, gen=self.gen)

    def signs(self, n: int) -> torch.Tensor:
        return signs(n, gen=self.gen)

    def tokens(self, *shape: int, vocab: int) -> torch.Tensor:
        return torch.randint(0, vocab, shape, generator=self.gen)


def call_it(subject, *args, device: str, **kwargs):
    """The default ``run``: call the function (or the built object) with the inputs."""
    return subject(*args, **kwargs)


def with_device(subject, *args, device: str, **kwargs):
    """A ``run`` for functions whose ``device`` argument says where to build: ``causal_mask(T, device=...)``."""
    return subject(*args, device=device, **kwargs)


@dataclass(frozen=True)
class DeviceCase:
    api: str
    inputs: Callable[[Draw], Inputs]
    build: Callable[[Draw], Inputs] | None = None
    run: Callable = call_it
    reads_values: bool = False
    cpu_in_worker: bool = False
    points: float = 1

    def __post_init__(self):
        part_of(self.api)  # fail early on a misspelt name


CASES: dict[str, DeviceCase] = {}


def load_all() -> None:
    """Import every part's table (the fork server does this before any worker starts)."""
    for part in PARTS.values():
        try:
            module = importlib.import_module(f"{__name__}.{part.folder}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{part.folder}":
                raise
            continue
        for case in module.CASES:
            if CASES.setdefault(case.api, case) is not case:
                raise ValueError(f"two device cases for {case.api!r}")


def case_of(api: str) -> DeviceCase:
    if not CASES:
        load_all()
    return CASES[api]


def cases_of(part: int) -> list[DeviceCase]:
    """The device cases of one part, in the order of the part's API names."""
    if not CASES:
        load_all()
    return [CASES[name] for name in PARTS[part].api_names if name in CASES]
