"""Public tests for scaled_dot_product_attention and causal_mask (slides, section 6: applications of attention)."""

import math

import torch

from assignments.part3.tests.transformer_oracles import attention_oracle, op_count
from autograder.shared.inputs import randn, tensor
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close, expect_equal
from autograder.trusted.harness.tolerances import Depth


@graded("scaled_dot_product_attention", points=3)
def test_scaled_dot_product_attention_small_example(impl, device):
    """two queries, three keys: weights = softmax(q·kᵀ / sqrt(2)), output = weights · v"""
    q = tensor([[1.0, 0.0], [0.0, 2.0]], device=device)
    k = tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], device=device)
    v = tensor([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]], device=device)
    out, weights = impl.scaled_dot_product_attention(q, k, v)
    scores = torch.tensor([[1.0, 0.0, 1.0], [0.0, 2.0, 2.0]], dtype=torch.float64) / math.sqrt(2)
    expected_w = torch.softmax(scores, dim=-1)
    cause = "scores are q @ k.transpose(-2, -1) / sqrt(d_k) with d_k = q.shape[-1], softmax over the keys (last dim)"
    expect_close(
        weights,
        expected_w.float().to(device),
        case="attention weights",
        depth=Depth.REDUCTION,
        inputs={"q": q, "k": k, "v": v},
        cause=cause,
    )
    expect_close(
        out,
        (expected_w @ v.double().cpu()).float().to(device),
        case="attention output",
        depth=Depth.CHAIN,
        inputs={"q": q, "k": k, "v": v},
        cause="output = weights @ v",
    )


@graded("scaled_dot_product_attention", points=3)
def test_scaled_dot_product_attention_matches_pytorch(impl, device, gen):
    """batched (2, 3, 5, 4) queries against 6 keys match PyTorch's attention in float64"""
    q = randn(2, 3, 5, 4, gen=gen, device=device, dtype=torch.float64)
    k = randn(2, 3, 6, 4, gen=gen, device=device, dtype=torch.float64)
    v = randn(2, 3, 6, 7, gen=gen, device=device, dtype=torch.float64)
    out, weights = impl.scaled_dot_product_attention(q, k, v)
    expected_out, expected_w = attention_oracle(q, k, v)
    inputs = {"q": q, "k": k, "v": v}
    expect_close(
        weights,
        expected_w.to(device),
        case="weights of batched attention",
        depth=Depth.REDUCTION,
        inputs=inputs,
        cause="transpose only the last two dimensions of k (k.transpose(-2, -1)), not k.T",
    )
    expect_close(
        out,
        expected_out.to(device),
        case="output of batched attention",
        depth=Depth.CHAIN,
        inputs=inputs,
        cause="output = weights @ v, shape (..., T_q, d_v)",
    )


@graded("scaled_dot_product_attention", points=3)
def test_scaled_dot_product_attention_causal_mask_zeroes_the_future(impl, device, gen):
    """with a causal (5, 5) mask, weights above the diagonal are exactly 0 and the first query sees only key 0"""
    q = randn(2, 5, 8, gen=gen, device=device)
    k = randn(2, 5, 8, gen=gen, device=device)
    v = randn(2, 5, 3, gen=gen, device=device)
    mask = torch.ones(5, 5, dtype=torch.bool, device=device).tril()
    out, weights = impl.scaled_dot_product_attention(q, k, v, mask)
    expected_out, expected_w = attention_oracle(q, k, v, mask)
    inputs = {"q": q, "k": k, "v": v, "mask": mask}
    cause = "mask is True where attention is ALLOWED: fill the scores with -inf where mask is False, before the softmax"
    expect_close(
        weights,
        expected_w.float().to(device),
        case="weights under a causal mask",
        depth=Depth.REDUCTION,
        inputs=inputs,
        cause=cause,
    )
    expect_close(
        out,
        expected_out.float().to(device),
        case="output under a causal mask",
        depth=Depth.CHAIN,
        inputs=inputs,
        cause=cause,
    )


@graded("scaled_dot_product_attention", points=2)
def test_scaled_dot_product_attention_no_python_loops(impl, device, gen):
    """the number of tensor operations does not grow with batch size or sequence length"""
    counts = []
    for B, T in ((1, 2), (4, 9)):
        q, k, v = (randn(B, 2, T, 4, gen=gen, device=device) for _ in range(3))
        mask = torch.ones(T, T, dtype=torch.bool, device=device).tril()
        counts.append(op_count(impl, impl.scaled_dot_product_attention, q, k, v, mask))
    expect(
        counts[0] == counts[1],
        case="operation count for (1, 2, 2, 4) vs (4, 2, 9, 4) inputs",
        expected="the same number of torch calls for both sizes",
        got=f"{counts[0]} vs {counts[1]}",
        cause="a Python loop over batch items, heads or positions; use batched matrix products (@)",
    )


@graded("causal_mask", points=2)
def test_causal_mask_four_positions(impl, device):
    """causal_mask(4) is the boolean lower triangle, diagonal included"""
    expected = torch.tensor([[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]], dtype=torch.bool, device=device)
    expect_equal(
        impl.causal_mask(4, device=device),
        expected,
        case="causal_mask(4)",
        cause="True on and below the diagonal (torch.tril), dtype torch.bool, on the requested device",
    )


@graded("causal_mask", points=1)
def test_causal_mask_default_device_and_length_one(impl):
    """causal_mask(1) is [[True]] on the CPU when no device is given"""
    expect_equal(
        impl.causal_mask(1),
        torch.ones(1, 1, dtype=torch.bool),
        case="causal_mask(1)",
        cause="a single position may attend to itself",
    )
