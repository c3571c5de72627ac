"""Public tests for sgd_step (slides: move the parameters against the gradient)."""

from autograder.shared.inputs import tensor
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.tolerances import Depth


@graded("sgd_step", points=2)
def test_sgd_step_updates_in_place(impl, device):
    """p <- p - lr*g changes the caller's tensors and returns None"""
    W, b = tensor([[1.0, 2.0]], device=device), tensor([0.5], device=device)
    gW, gb = tensor([[0.5, -1.0]], device=device), tensor([2.0], device=device)
    returned = impl.sgd_step([W, b], [gW, gb], 0.1)
    expect(returned is None, case="sgd_step's return value", expected="None", got=repr(type(returned).__name__))
    expect_close(
        W,
        tensor([[0.95, 2.1]], device=device),
        case="W after sgd_step(lr=0.1)",
        depth=Depth.ELEMENTWISE,
        cause="update the tensor in place (p -= ... or p.sub_(...)); p = p - ... only rebinds a local name",
    )
    expect_close(b, tensor([0.3], device=device), case="b after sgd_step(lr=0.1)", depth=Depth.ELEMENTWISE)


@graded("sgd_step", points=2)
def test_sgd_step_weight_decay(impl, device):
    """with weight decay: p <- p - lr*(g + wd*p)"""
    p, g = tensor([2.0, -4.0], device=device), tensor([0.0, 1.0], device=device)
    impl.sgd_step([p], [g], 0.5, weight_decay=0.1)
    expect_close(
        p,
        tensor([1.9, -4.3], device=device),
        case="sgd_step(lr=0.5, weight_decay=0.1)",
        depth=Depth.ELEMENTWISE,
        cause="weight decay adds wd * p to the gradient before scaling by lr",
    )
