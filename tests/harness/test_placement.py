"""The simulated GPU follows CUDA's placement rules, explains each misplacement, and works with the recorders."""

import pytest
import torch
import torch.nn.functional as F

from autograder.sandboxed.placement import SIMULATED, device_problem, on_device
from autograder.sandboxed.recording import Recording
from autograder.shared.api import PART1


def problem_of(fn, *shapes, reads_values: bool = False) -> str:
    """Run ``fn`` on simulated-GPU tensors of these shapes; the placement problem it raised ('' when none)."""
    with on_device("cpu", reads_values=reads_values) as place:
        inputs = [place.move(torch.zeros(shape)) for shape in shapes]
        try:
            fn(*inputs)
        except Exception as error:  # noqa: BLE001 - the problem, if any, is the result
            return device_problem(error) or f"not a placement problem: {type(error).__name__}"
    return ""


@pytest.mark.parametrize(
    "mistake",
    [
        lambda x: x - torch.zeros(3, 3),  # a factory without device=
        lambda x: x @ torch.ones(3, 3),
        lambda x: x.masked_fill(torch.ones(3, 3, dtype=torch.bool).tril(), 0.0),
        lambda x: F.embedding(torch.arange(3), x),  # CUDA refuses CPU indices here
        lambda x: x / torch.tensor([3.0]),  # one element, but not 0-dim
        lambda x: torch.cat([x, torch.zeros(1, 3)]),
    ],
)
def test_a_cpu_tensor_meeting_the_device_is_a_placement_problem(mistake):
    assert "mixes devices" in problem_of(mistake, (3, 3))


@pytest.mark.parametrize(
    "allowed",
    [
        lambda x: x - torch.tensor(2.0),  # 0-dim CPU tensors mix with any device, as on CUDA
        lambda x: torch.where(x > 0, x, torch.tensor(float("-inf"))),
        lambda x: x[torch.arange(2)],  # CPU indices may index a device tensor
        lambda x: x - torch.zeros(3, 3, device=x.device),
        lambda x: x + torch.tensor([1.0, 2.0, 3.0], device=x.device),  # every factory agrees on the device
        lambda x: x[:, 1:].T.reshape(-1),  # views and indexing need a device guard, which the simulation has
        lambda x: torch.zeros(x.shape[0] * 2, device=x.device),  # shapes are plain ints
    ],
)
def test_code_that_works_on_cuda_works_on_the_simulated_gpu(allowed):
    assert problem_of(allowed, (3, 3)) == ""


@pytest.mark.parametrize(
    "read",
    [lambda x: x.tolist(), lambda x: x.sum().item(), lambda x: float(x.sum()), lambda x: bool((x > 0).all())],
)
def test_reading_values_back_into_python_is_a_placement_problem(read):
    assert "back into Python" in problem_of(read, (3, 3))


def test_numpy_is_a_placement_problem():
    assert "to NumPy" in problem_of(lambda x: x.numpy(), (3, 3))


def test_a_training_loop_may_read_its_losses():
    assert problem_of(lambda x: float((x * 2).sum().item()), (3, 3), reads_values=True) == ""


def test_the_problem_names_the_tensor_and_the_line_that_made_it():
    def learner(x):
        one_hot = torch.zeros(3, 3)
        return x * one_hot

    problem = problem_of(learner, (3, 3))
    assert "`one_hot` (float32 (3, 3) on cpu)" in problem, problem
    assert "made by torch.zeros at test_placement.py line" in problem and "one_hot = torch.zeros(3, 3)" in problem
    assert "used by Tensor.mul" in problem and "return x * one_hot" in problem


def test_modules_move_parameters_and_buffers_but_not_plain_tensor_attributes():
    module = torch.nn.Linear(4, 2)
    module.register_buffer("moved", torch.ones(2))
    module.plain = torch.ones(2)
    with on_device("cpu") as place:
        place.move(module)
        out = module(place.move(torch.zeros(5, 4)))
        assert out.device.type == SIMULATED and out.shape == (5, 2)
        assert {p.device.type for p in module.parameters()} == {SIMULATED} and module.moved.device.type == SIMULATED
        assert module.plain.device.type == "cpu"
        problem = ""
        try:
            out + module.plain
        except RuntimeError as error:
            problem = device_problem(error)
    assert "`self.plain`" in problem or "made before this call" in problem, problem


def test_the_recorders_and_the_forbidden_call_check_see_simulated_code():
    with on_device("cpu") as place:
        x = place.move(torch.zeros(3, 4))
        with torch.no_grad(), Recording() as record:
            torch.softmax(x, -1)
            torch.exp(x - x.amax(-1, keepdim=True))
    assert "torch.softmax" in record.forbidden_uses(PART1.forbidden, False)
    assert record.functions["torch.exp"] == 1 and record.operators["exp"] == 1


def test_nothing_is_simulated_after_the_run():
    with on_device("cpu") as place:
        place.move(torch.zeros(2))
    after = torch.ones(2) * 3
    assert type(after) is torch.Tensor and after.tolist() == [3.0, 3.0]


def test_a_real_device_run_moves_modules_and_objects_and_reports_where_results_are():
    class Layer:  # a Part 2 style object: plain tensor attributes
        def __init__(self):
            self.W, self.cache = torch.ones(4, 2), [torch.zeros(1)]

    module, layer = torch.nn.Linear(4, 2), Layer()
    with on_device("cpu", simulate=False) as place:
        place.move([module, layer])
        x = place.move(torch.zeros(5, 4))
        result = place.describe([module(x), x @ layer.W, layer.cache])
    assert [(e["path"], e["device"], e["shape"]) for e in result] == [
        ("output[0]", "cpu", [5, 2]),
        ("output[1]", "cpu", [5, 2]),
        ("output[2][0]", "cpu", [1]),
    ]
    assert not any("origin" in e for e in result)
