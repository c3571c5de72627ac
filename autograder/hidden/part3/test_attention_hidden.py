"""Hidden tests for scaled_dot_product_attention and causal_mask: every mask shape, one-position rows, long
sequences, dtypes, gradients, devices."""

import pytest
import torch

from assignments.part3.tests.transformer_oracles import attention_oracle, op_count
from autograder.hidden.oracle import check_against_reference
from autograder.shared.inputs import non_contiguous, randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close, expect_equal
from autograder.trusted.harness.tolerances import Depth

MASK_CAUSE = "mask is True where attention is allowed: masked_fill(~mask, -inf) on the scores, broadcasting the mask"


def _random_mask(shape, gen, device):
    """A random boolean mask where every row allows at least one key."""
    mask = torch.rand(shape, generator=gen) < 0.5
    first = torch.zeros(shape, dtype=torch.bool)
    first[..., int(torch.randint(0, shape[-1], (1,), generator=gen))] = True
    return (mask | first).to(device)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.bfloat16])
@graded("scaled_dot_product_attention", points=3)
def test_scaled_dot_product_attention_random_matches_reference(impl, ref, device, gen, dtype):
    """random (3, 2, 7, 5) queries against 9 keys, in three dtypes"""
    args = {
        "q": randn(3, 2, 7, 5, gen=gen, device=device, dtype=dtype),
        "k": randn(3, 2, 9, 5, gen=gen, device=device, dtype=dtype),
        "v": randn(3, 2, 9, 6, gen=gen, device=device, dtype=dtype),
    }
    check_against_reference(
        impl,
        ref,
        "scaled_dot_product_attention",
        args,
        case=f"attention in {dtype}",
        depth=Depth.CHAIN,
        cause="softmax(q·kᵀ / sqrt(d_k)) · v, in the input's dtype",
    )


@pytest.mark.parametrize(
    "mask_shape",
    [(9,), (7, 9), (1, 9), (3, 7, 9), (2, 1, 7, 9), (1, 3, 1, 9), (2, 3, 7, 9)],
    ids=lambda s: "x".join(map(str, s)),
)
@graded("scaled_dot_product_attention", points=2)
def test_scaled_dot_product_attention_every_broadcastable_mask_shape(impl, device, gen, mask_shape):
    """masks of shape (S,), (T, S), (1, S), (H, T, S), (B, 1, T, S), (1, H, 1, S), (B, H, T, S) on (2, 3, 7, 9)"""
    q = randn(2, 3, 7, 4, gen=gen, device=device, dtype=torch.float64)
    k = randn(2, 3, 9, 4, gen=gen, device=device, dtype=torch.float64)
    v = randn(2, 3, 9, 5, gen=gen, device=device, dtype=torch.float64)
    mask = _random_mask(mask_shape, gen, device)
    out, weights = impl.scaled_dot_product_attention(q, k, v, mask)
    expected_out, expected_w = attention_oracle(q, k, v, mask)
    inputs = {"q": q, "k": k, "v": v, "mask": mask}
    case = f"attention with a mask of shape {tuple(mask_shape)}"
    expect_close(
        weights, expected_w.to(device), case=case + ", weights", depth=Depth.REDUCTION, inputs=inputs, cause=MASK_CAUSE
    )
    expect_close(
        out, expected_out.to(device), case=case + ", output", depth=Depth.CHAIN, inputs=inputs, cause=MASK_CAUSE
    )


@graded("scaled_dot_product_attention", points=3)
def test_scaled_dot_product_attention_one_allowed_position(impl, device, gen):
    """a row that may see a single key copies that key's value and gives it weight exactly 1"""
    q = randn(4, 6, 3, gen=gen, device=device, scale=5)
    k = randn(4, 6, 3, gen=gen, device=device, scale=5)
    v = randn(4, 6, 2, gen=gen, device=device)
    mask = torch.eye(6, dtype=torch.bool, device=device).flip(-1)  # query i sees only key 5 - i
    out, weights = impl.scaled_dot_product_attention(q, k, v, mask)
    expect_equal(
        weights,
        mask.float().expand(4, 6, 6),
        case="weights with one allowed key per row",
        inputs={"mask": mask},
        cause=MASK_CAUSE + "; e^-inf is exactly 0, adding a large negative number is not",
    )
    expect_close(
        out,
        v.flip(-2),
        case="output with one allowed key per row",
        depth=Depth.ELEMENTWISE,
        inputs={"mask": mask},
        cause=MASK_CAUSE,
    )


@graded("scaled_dot_product_attention", points=2)
def test_scaled_dot_product_attention_large_scores_stay_finite(impl, device, gen):
    """queries and keys of scale 30 (scores in the hundreds) give finite, correct weights"""
    q = randn(2, 5, 8, gen=gen, device=device, scale=30)
    k = randn(2, 5, 8, gen=gen, device=device, scale=30)
    v = randn(2, 5, 4, gen=gen, device=device)
    out, weights = impl.scaled_dot_product_attention(q, k, v)
    expected_out, expected_w = attention_oracle(q, k, v)
    expect_close(
        weights,
        expected_w.float().to(device),
        case="weights for very large scores",
        depth=Depth.ILL_CONDITIONED,
        inputs={"q": q, "k": k},
        cause="use a numerically stable softmax",
    )


@graded("scaled_dot_product_attention", points=2)
def test_scaled_dot_product_attention_long_causal_sequence(impl, device, gen):
    """a causal mask over 512 positions, float64"""
    q, k = (randn(1, 512, 16, gen=gen, device=device, dtype=torch.float64) for _ in range(2))
    v = randn(1, 512, 8, gen=gen, device=device, dtype=torch.float64)
    mask = torch.ones(512, 512, dtype=torch.bool, device=device).tril()
    out, weights = impl.scaled_dot_product_attention(q, k, v, mask)
    expected_out, expected_w = attention_oracle(q, k, v, mask)
    expect_close(
        out,
        expected_out.to(device),
        case="causal attention over 512 positions",
        depth=Depth.CHAIN,
        inputs={"q": q, "mask": mask},
        cause=MASK_CAUSE,
    )


@graded("scaled_dot_product_attention", points=2)
def test_scaled_dot_product_attention_non_contiguous_inputs(impl, ref, device, gen):
    """transposed-storage q, k and v"""
    args = {
        "q": non_contiguous(randn(2, 4, 3, gen=gen, device=device)),
        "k": non_contiguous(randn(2, 5, 3, gen=gen, device=device)),
        "v": non_contiguous(randn(2, 5, 3, gen=gen, device=device)),
    }
    check_against_reference(
        impl,
        ref,
        "scaled_dot_product_attention",
        args,
        case="non-contiguous q, k, v",
        depth=Depth.CHAIN,
        cause="use reshape or transpose(-2, -1), not view on a strided tensor",
    )


@graded("scaled_dot_product_attention", points=3)
def test_scaled_dot_product_attention_gradients_match_pytorch(impl, device, gen):
    """gradients for q, k and v under a causal mask match PyTorch's attention in float64"""
    q, k, v = (randn(2, 5, 4, gen=gen, device=device, dtype=torch.float64) for _ in range(3))
    mask = torch.ones(5, 5, dtype=torch.bool, device=device).tril()
    upstream = randn(2, 5, 4, gen=gen, device=device, dtype=torch.float64)
    grads = impl.probe(
        "scaled_dot_product_attention",
        "attention_grads",
        impl.scaled_dot_product_attention,
        q,
        k,
        v,
        mask,
        upstream=upstream,
    )
    leaves = [t.detach().cpu().requires_grad_() for t in (q, k, v)]
    out = torch.nn.functional.scaled_dot_product_attention(*leaves, attn_mask=mask.cpu())
    out.backward(upstream.cpu())
    for name, got, leaf in zip("qkv", grads, leaves, strict=True):
        expect_close(
            got,
            leaf.grad.to(device),
            case=f"gradient for {name}",
            depth=Depth.CHAIN,
            inputs={"q": q, "k": k, "v": v},
            cause="build the output from differentiable torch operations "
            "(no .detach(), .item() or in-place writes into tensors autograd needs)",
        )


@graded("scaled_dot_product_attention", points=2)
def test_scaled_dot_product_attention_op_count_constant(impl, device, gen):
    """the operation count does not grow with batch, heads or length, with and without a mask"""
    for with_mask in (False, True):
        counts = []
        for shape in ((1, 1, 2, 4), (5, 6, 11, 4)):
            q, k, v = (randn(*shape, gen=gen, device=device) for _ in range(3))
            mask = torch.ones(shape[2], shape[2], dtype=torch.bool, device=device).tril() if with_mask else None
            counts.append(op_count(impl, impl.scaled_dot_product_attention, q, k, v, mask))
        expect(
            counts[0] == counts[1],
            case=f"operation count, small vs large inputs (mask: {with_mask})",
            expected="equal counts",
            got=f"{counts[0]} vs {counts[1]}",
            cause="a Python loop over batch items, heads or positions",
        )


@pytest.mark.parametrize("T", [1, 2, 7, 64])
@graded("causal_mask", points=1)
def test_causal_mask_matches_lower_triangle(impl, device, T):
    """causal_mask(T) for T = 1, 2, 7 and 64 on the requested device"""
    expected = torch.ones(T, T, dtype=torch.bool, device=device).tril()
    expect_equal(
        impl.causal_mask(T, device=device),
        expected,
        case=f"causal_mask({T}, device={device!r})",
        cause="True on and below the diagonal (query t may see keys 0..t), dtype torch.bool",
    )


@graded("causal_mask", points=2)
def test_causal_mask_drives_attention(impl, ref, device, gen):
    """attention under causal_mask(6) equals attention under the reference's mask"""
    q, k, v = (randn(2, 6, 3, gen=gen, device=device) for _ in range(3))
    out, _ = ref.scaled_dot_product_attention(q, k, v, impl.causal_mask(6, device=device))
    expected, _ = ref.scaled_dot_product_attention(q, k, v, ref.causal_mask(6, device=device))
    expect_close(
        out,
        expected,
        case="attention with your causal mask",
        depth=Depth.CHAIN,
        inputs={"q": q},
        cause="a causal mask lets each position see itself and the past, never the future (lower triangle)",
    )
