"""Hidden tests for token_log_probs and sequence_log_prob: random shapes and dtypes, huge logits, views,
and a causal model whose every position depends on its whole prefix."""

import pytest
import torch

from assignments.part4.tests.lm_oracles import log_softmax64, on_model, sequence_oracle
from autograder.shared.inputs import non_contiguous, randn
from autograder.shared.lm_models import build, prefix_mean_spec
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close, expect_unchanged, snapshot
from autograder.trusted.harness.tolerances import Depth

GATHER = "log softmax over the last dimension, then gather each target along that dimension"


def _oracle(logits, targets):
    return log_softmax64(logits).gather(-1, targets.cpu()[..., None])[..., 0]


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.bfloat16], ids=str)
@graded("token_log_probs", points=1)
def test_token_log_probs_random_batches_in_every_dtype(impl, device, gen, dtype):
    """(3, 4, 11) random logits match log_softmax + gather in float64, returned in the input's dtype"""
    logits = randn(3, 4, 11, gen=gen, device=device, dtype=dtype, scale=3.0)
    targets = torch.randint(0, 11, (3, 4), generator=gen).to(device)
    before = snapshot({"logits": logits, "targets": targets})
    got = impl.token_log_probs(logits, targets)
    expect_close(
        got,
        _oracle(logits, targets).to(device=device, dtype=dtype),
        case=f"token log-probabilities in {dtype}",
        depth=Depth.REDUCTION,
        inputs={"logits": logits, "targets": targets},
        cause=GATHER,
    )
    expect_unchanged(before, {"logits": logits, "targets": targets}, case="token_log_probs inputs")


@graded("token_log_probs", points=2)
def test_token_log_probs_huge_logits(impl, device, gen):
    """logits of +-1e4 mixed at random stay finite and exact to the conditioning of the input"""
    logits = (torch.randint(-1, 2, (5, 6), generator=gen) * 1e4).double().to(device)
    targets = torch.randint(0, 6, (5,), generator=gen).to(device)
    expect_close(
        impl.token_log_probs(logits, targets),
        _oracle(logits, targets).to(device),
        case="log-probabilities of logits in {-1e4, 0, 1e4}",
        depth=Depth.ILL_CONDITIONED,
        inputs={"logits": logits, "targets": targets},
        cause="log(softmax(...)) underflows to -inf for the losers; use x - max - log(sum(exp(x - max)))",
    )


@graded("token_log_probs", points=1)
def test_token_log_probs_non_contiguous_and_unbatched(impl, device, gen):
    """a transposed (non-contiguous) view, and a single row (V,) with a 0-dim target"""
    logits = non_contiguous(randn(7, 5, gen=gen, device=device, dtype=torch.float64))
    targets = torch.randint(0, 5, (7,), generator=gen).to(device)
    expect_close(
        impl.token_log_probs(logits, targets),
        _oracle(logits, targets).to(device),
        case="non-contiguous logits",
        depth=Depth.REDUCTION,
        inputs={"logits": logits, "targets": targets},
        cause=GATHER,
    )
    row, target = logits[2].contiguous(), targets[2]
    expect_close(
        impl.token_log_probs(row, target),
        _oracle(row, target).to(device),
        case="one row of logits (V,), a 0-dim target",
        depth=Depth.REDUCTION,
        inputs={"logits": row, "targets": target},
        cause="work along dim=-1 and with targets.unsqueeze(-1), so '...' may be empty",
    )


@pytest.mark.parametrize("prompt_len", [1, 3, 6], ids=lambda n: f"prompt{n}")
@graded("sequence_log_prob", points=1)
def test_sequence_log_prob_causal_model(impl, ref, device, gen, prompt_len):
    """a model that reads the whole prefix: the chain rule, the reference, and a single model call"""
    spec = prefix_mean_spec(9, 6, gen, device)
    idx = torch.randint(0, 9, (4, 7), generator=gen).to(device)
    got, log = on_model(impl, "sequence_log_prob", spec, idx, prompt_len)
    model = build(spec)
    inputs = {"idx": idx}
    cause = "sum log p(idx[:, t] | idx[:, :t]) for t >= prompt_len: logits[:, t - 1] scores idx[:, t]"
    expect_close(
        got, sequence_oracle(model, idx, prompt_len).to(device), case="chain rule", depth=Depth.CHAIN, inputs=inputs
    )
    expect_close(
        got,
        ref.sequence_log_prob(model, idx, prompt_len),
        case="against the reference",
        depth=Depth.CHAIN,
        inputs=inputs,
        cause=cause,
    )
    expect(
        log["calls"] == 1 and log["rows"] == [4] and log["unchanged"],
        case="model calls",
        expected="one call of model(idx) on all 4 rows, the model left unchanged",
        got=f"{log['calls']} calls with {log['rows']} rows, unchanged: {log['unchanged']}",
        cause="one forward pass of the whole batch scores every position",
    )


@graded("sequence_log_prob", points=1)
def test_sequence_log_prob_float32_model(impl, device, gen):
    """a float32 model gives float32 log-probabilities"""
    spec = prefix_mean_spec(5, 4, gen, device, dtype=torch.float32)
    idx = torch.randint(0, 5, (3, 5), generator=gen).to(device)
    got, _ = on_model(impl, "sequence_log_prob", spec, idx, 2)
    expect_close(
        got,
        sequence_oracle(build(spec), idx, 2).float().to(device),
        case="float32 model",
        depth=Depth.CHAIN,
        inputs={"idx": idx},
        cause="keep the logits' dtype; no hard-coded dtype=",
    )
