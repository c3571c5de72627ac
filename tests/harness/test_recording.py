"""Forbidden calls are seen whichever way learner code spells them, and allowed arithmetic is not flagged."""

import pytest
import torch
import torch.nn.functional as F

from autograder.sandboxed.recording import Recording
from autograder.shared.api import PART1, PART2, PART3, PART4


def uses(part, fn):
    with torch.no_grad(), Recording() as record:
        fn(torch.randn(3, 4))
    return record.forbidden_uses(part.forbidden, part.autograd_allowed, part.torch_nn_allowed)


@pytest.mark.parametrize(
    "spelling",
    [
        lambda z: torch.softmax(z, -1),
        lambda z: z.softmax(-1),
        lambda z: F.softmax(z, -1),
        lambda z: torch.special.softmax(z, -1),
        lambda z: torch.ops.aten._softmax(z, -1, False),
        lambda z: torch.special.expit(z),
        lambda z: z.sigmoid_(),
        lambda z: torch.logsumexp(z, -1),
        lambda z: F.cross_entropy(z, torch.zeros(3, dtype=torch.long)),
    ],
)
def test_part1_one_call_versions_are_caught(spelling):
    assert uses(PART1, spelling)


def test_part1_tensor_arithmetic_is_allowed():
    def manual_softmax(z):
        e = torch.exp(z - z.amax(-1, keepdim=True))
        return torch.where(e > 0, e / e.sum(-1, keepdim=True), e)

    assert uses(PART1, manual_softmax) == []


def test_autograd_is_caught_even_when_re_enabled():
    def sneaky(z):
        with torch.enable_grad():
            leaf = z.clone().requires_grad_()
            (leaf**2).sum().backward()
            return leaf.grad

    found = uses(PART1, sneaky)
    assert any("autograd" in use for use in found)


def test_numpy_escape_is_caught():
    assert any("NumPy" in use for use in uses(PART1, lambda z: torch.from_numpy(z.numpy() * 2)))


def test_part2_may_call_the_builtins_part1_graded_but_not_tanh():
    assert uses(PART2, lambda z: torch.softmax(z, -1) + torch.sigmoid(z)) == []
    assert uses(PART2, torch.tanh)


def test_part3_may_use_torch_nn_but_not_layer_norm():
    assert uses(PART3, lambda z: F.linear(z, torch.eye(4)).relu()) == []
    assert uses(PART3, lambda z: F.layer_norm(z, (4,)))


@pytest.mark.parametrize(
    "draw",
    [
        lambda z: torch.distributions.Categorical(logits=z).sample(),
        lambda z: torch.distributions.Gumbel(torch.zeros_like(z), torch.ones_like(z)).sample(),
    ],
)
def test_part4_forbids_sampling_through_torch_distributions(draw):
    found = uses(PART4, draw)
    assert found and all(label.startswith("torch.distributions") for label in found), found
    assert not uses(PART3, draw)  # only a part that forbids the library by name objects to it


def test_part4_allows_its_own_sampling_calls():
    def sampler(z):
        probs = torch.softmax(z, -1).sort(-1, descending=True).values.cumsum(-1)
        return torch.multinomial(probs, 1), torch.topk(z, 2), torch.log_softmax(z, -1)

    assert uses(PART4, sampler) == []
