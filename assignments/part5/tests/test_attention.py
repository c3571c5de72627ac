"""Public tests for GroupedQueryAttention: shapes, PyTorch's attention with a window, and the KV cache."""

import torch

from assignments.part5.tests.modern_oracles import gqa_oracle, gqa_state
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.modules import build
from autograder.trusted.harness.tolerances import Depth

GQA_CAUSE = (
    "q from q_proj as (B, n_heads, T, d_head), k and v as (B, n_kv_heads, T, d_head); rope on q and k at their "
    "positions; query head h reads kv head h // (n_heads // n_kv_heads) (repeat_interleave); mask, softmax, o_proj"
)


@graded("GroupedQueryAttention", points=2)
def test_gqa_attributes_and_projection_shapes(impl):
    """n_heads, n_kv_heads, d_head and bias-free projections: k_proj and v_proj are n_kv_heads * d_head wide"""
    attn = impl.GroupedQueryAttention(16, 4, 2)
    shapes = {k: tuple(v.shape) for k, v in attn.state_dict().items()}
    expected = {
        "q_proj.weight": (16, 16),
        "k_proj.weight": (8, 16),
        "v_proj.weight": (8, 16),
        "o_proj.weight": (16, 16),
    }
    expect(
        (attn.n_heads, attn.n_kv_heads, attn.d_head) == (4, 2, 4) and shapes == expected,
        case="GroupedQueryAttention(16, n_heads=4, n_kv_heads=2)",
        expected=f"n_heads 4, n_kv_heads 2, d_head 4, state_dict {expected}",
        got=f"n_heads {attn.n_heads}, n_kv_heads {attn.n_kv_heads}, d_head {attn.d_head}, state_dict {shapes}",
        cause="nn.Linear(..., bias=False) for all four; keys and values have n_kv_heads * d_head features",
    )


@graded("GroupedQueryAttention", points=4)
def test_gqa_matches_pytorch_attention_with_a_window(impl, device, gen):
    """(2, 7, 16), 4 query heads on 2 kv heads, window 3: equals F.scaled_dot_product_attention(enable_gqa=True)"""
    state = gqa_state(16, 4, 2, gen)
    attn = build(impl, "GroupedQueryAttention", (16, 4, 2), state, device, window=3)
    x = randn(2, 7, 16, gen=gen, device=device, dtype=torch.float64)
    out, (k, v) = attn(x)
    expected, (k_expected, v_expected) = gqa_oracle(state, 4, 2, x, window=3)
    expect_close(out, expected.to(device), case="output", depth=Depth.CHAIN, inputs={"x": x}, cause=GQA_CAUSE)
    expect_close(
        k,
        k_expected.to(device),
        case="present_kv keys",
        depth=Depth.CHAIN,
        cause="the cache holds the ROTATED keys, (B, n_kv_heads, T, d_head): n_kv_heads wide, not n_heads",
    )
    expect_close(
        v, v_expected.to(device), case="present_kv values", depth=Depth.CHAIN, cause="(B, n_kv_heads, T, d_head)"
    )


@graded("GroupedQueryAttention", points=4)
def test_gqa_cached_chunks_equal_the_full_forward(impl, device, gen):
    """7 positions fed as 4, then 2, then 1 with past_kv give the full forward's outputs (no window and window 3)"""
    state = gqa_state(12, 6, 2, gen)
    x = randn(1, 7, 12, gen=gen, device=device, dtype=torch.float64)
    for window in (None, 3):
        attn = build(impl, "GroupedQueryAttention", (12, 6, 2), state, device, window=window)
        full, _ = attn(x)
        outs, kv = [], None
        for start, stop in ((0, 4), (4, 6), (6, 7)):
            out, kv = attn(x[:, start:stop], kv)
            outs.append(out)
        expect(
            tuple(kv[0].shape) == (1, 2, 7, 2),
            case=f"the cache after 7 positions (window {window})",
            expected="keys of shape (1, 2, 7, 2): (B, n_kv_heads, T_past + T, d_head)",
            got=f"shape {tuple(kv[0].shape)}",
            cause="present_kv is past_kv with this call's keys appended along dim 2",
        )
        expect_close(
            torch.cat(outs, dim=1),
            full,
            case=f"chunks 4 + 2 + 1 vs one forward (window {window})",
            depth=Depth.CHAIN,
            inputs={"x": x},
            cause="the new positions are T_past .. T_past + T - 1 (rope and mask): a query at position p sees "
            "cached keys 0..p, within the window",
        )
