"""Hidden tests for score_options: options of many lengths after a causal model's prompt, padding tokens that
collide with real ones, and a quiz where length normalisation changes the answer."""

import torch

from assignments.part4.tests.lm_oracles import on_model, sequence_oracle
from assignments.part4.tests.worked_examples import bigram
from autograder.shared.lm_models import build, prefix_mean_spec
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.tolerances import Depth


def _oracle(model, prompt, options, normalize):
    scores = []
    for option in options:
        idx = torch.cat([prompt, option])[None]  # (1, T_p + L)
        total = sequence_oracle(model, idx, len(prompt))[0]
        scores.append(total / len(option) if normalize else total)
    return torch.stack(scores)


@graded("score_options", points=2)
def test_score_options_causal_model_any_lengths(impl, ref, device, gen):
    """five options of 1 to 5 tokens after a 3-token prompt, totals and per-token, against the chain rule"""
    spec = prefix_mean_spec(7, 5, gen, device)
    prompt = torch.randint(0, 7, (3,), generator=gen).to(device)
    options = [torch.randint(0, 7, (n,), generator=gen).to(device) for n in (3, 1, 5, 2, 4)]
    model = build(spec)
    for normalize in (False, True):
        got, _ = on_model(impl, "score_options", spec, prompt, options, length_normalize=normalize)
        expected = _oracle(model, prompt, options, normalize).to(device)
        case = "per-token scores" if normalize else "total scores"
        expect_close(got, expected, case=case, depth=Depth.CHAIN, inputs={"prompt": prompt})
        expect_close(
            got,
            ref.score_options(model, prompt, options, length_normalize=normalize),
            case=f"{case} against the reference",
            depth=Depth.CHAIN,
            inputs={"prompt": prompt},
            cause="score each option after the whole prompt; pad, but add up only each option's own tokens",
        )


@graded("score_options", points=1)
def test_score_options_padding_never_counts(impl, device):
    """options made of every token, including the ones a padding scheme might use (0 and V - 1)"""
    prompt = torch.tensor([1], device=device)
    options = [torch.tensor(o, device=device) for o in ([0, 0, 0, 0], [2], [0], [2, 2, 2])]
    got, _ = on_model(impl, "score_options", bigram(device, torch.float64), prompt, options, length_normalize=False)
    expect_close(
        got,
        _oracle(build(bigram("cpu", torch.float64)), prompt.cpu(), [o.cpu() for o in options], False).to(device),
        case="totals of options padded with real tokens",
        depth=Depth.CHAIN,
        inputs={"prompt": prompt},
        cause="mask the padded positions out by each option's length, not by the token value",
    )


@graded("score_options", points=2)
def test_score_options_answers_a_quiz(impl, device):
    """after [2]: the total prefers the short [1] (log 0.05), per token the long [0, 1, 0, 1, 0] wins"""
    prompt = torch.tensor([2], device=device)
    options = [torch.tensor([1], device=device), torch.tensor([0, 1, 0, 1, 0], device=device)]
    spec = bigram(device, torch.float64)
    totals, _ = on_model(impl, "score_options", spec, prompt, options, length_normalize=False)
    means, _ = on_model(impl, "score_options", spec, prompt, options, length_normalize=True)
    ok = isinstance(totals, torch.Tensor) and isinstance(means, torch.Tensor) and totals.shape == means.shape == (2,)
    expect(
        ok and int(totals.argmax()) == 0 and int(means.argmax()) == 1,
        case="the answers with and without length normalisation",
        expected="option 0 by total log-probability, option 1 per token",
        got=f"totals {totals.tolist() if ok else totals}, per token {means.tolist() if ok else means}",
        cause="totals favour short options; dividing by the length removes that bias",
    )


@graded("score_options", points=1)
def test_score_options_float32_one_token_prompt(impl, device, gen):
    """a float32 model and a one-token prompt: float32 scores"""
    spec = prefix_mean_spec(6, 4, gen, device, dtype=torch.float32)
    prompt = torch.randint(0, 6, (1,), generator=gen).to(device)
    options = [torch.randint(0, 6, (n,), generator=gen).to(device) for n in (2, 4)]
    got, _ = on_model(impl, "score_options", spec, prompt, options)
    expect_close(
        got,
        _oracle(build(spec), prompt, options, True).float().to(device),
        case="float32 per-token scores",
        depth=Depth.CHAIN,
        inputs={"prompt": prompt},
        cause="keep the logits' dtype when dividing by the lengths",
    )
