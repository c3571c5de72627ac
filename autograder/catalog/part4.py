"""Part 4 catalog: mistakes learners really make when scoring with and decoding from a language model, and
correct solutions written differently (other exact samplers among them).

Each entry replaces one API name; the reference's other functions keep using the reference.
"""

import torch
import torch.nn.functional as F

from autograder.catalog.registry import bug, variant
from solutions.part4.sampling import sample_next_token as reference_sample
from solutions.part4.scoring import sequence_log_prob as reference_sequence_log_prob
from solutions.part4.scoring import token_log_probs as reference_token_log_probs

# -- token_log_probs ---------------------------------------------------------------------


@bug("token_log_probs", "takes the log of softmax, which underflows for large logits")
def log_of_softmax(logits, targets):
    return torch.softmax(logits, dim=-1).log().gather(-1, targets.unsqueeze(-1)).squeeze(-1)


@bug("token_log_probs", "returns the raw logit of the target, never normalised")
def raw_logit(logits, targets):
    return logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1)


@variant("token_log_probs", "subtracts logsumexp, reads the target with a one-hot mask")
def logsumexp_one_hot(logits, targets):
    shifted = logits - torch.logsumexp(logits, dim=-1, keepdim=True)  # (..., V)
    chosen = torch.arange(logits.shape[-1], device=logits.device) == targets.unsqueeze(-1)  # (..., V)
    return torch.where(chosen, shifted, torch.zeros_like(shifted)).sum(dim=-1)


# -- sequence_log_prob -------------------------------------------------------------------


@bug("sequence_log_prob", "pairs the logits at position t with the token at t (no shift)")
def sequence_no_shift(model, idx, prompt_len):
    with torch.no_grad():
        logits = model(idx)
    return reference_token_log_probs(logits[:, prompt_len:], idx[:, prompt_len:]).sum(dim=-1)


@bug("sequence_log_prob", "counts the prompt's tokens too")
def sequence_with_prompt(model, idx, prompt_len):
    return reference_sequence_log_prob(model, idx, 1)


@bug("sequence_log_prob", "averages the log-probabilities instead of adding them")
def sequence_mean(model, idx, prompt_len):
    with torch.no_grad():
        logits = model(idx)
    return reference_token_log_probs(logits[:, prompt_len - 1 : -1], idx[:, prompt_len:]).mean(dim=-1)


@variant("sequence_log_prob", "scores every position, then keeps those after the prompt")
def sequence_all_positions(model, idx, prompt_len):
    with torch.no_grad():
        logits = model(idx)  # (B, T, V)
    every = torch.log_softmax(logits[:, :-1], dim=-1).gather(-1, idx[:, 1:, None])[..., 0]  # (B, T - 1)
    return every[:, prompt_len - 1 :].sum(dim=-1)


# -- perplexity --------------------------------------------------------------------------


def _nll(logits, targets):
    return -reference_token_log_probs(logits, targets)  # (B, T)


@bug("perplexity", "raises 2 to the mean loss measured in nats")
def perplexity_base_two(logits, targets, mask=None):
    nll = _nll(logits, targets)
    mean = nll.mean() if mask is None else (nll * mask).sum() / mask.sum()
    return 2**mean


@bug("perplexity", "divides the masked sum by every position, not the counted ones")
def perplexity_mask_wrong_count(logits, targets, mask=None):
    nll = _nll(logits, targets)
    return (nll if mask is None else torch.where(mask, nll, torch.zeros_like(nll))).mean().exp()


@bug("perplexity", "averages 1 / p (exp of each loss) instead of exponentiating the mean loss")
def perplexity_mean_of_exp(logits, targets, mask=None):
    per_token = _nll(logits, targets).exp()
    return per_token.mean() if mask is None else per_token[mask].mean()


@variant("perplexity", "exp of PyTorch's cross-entropy of the selected positions")
def perplexity_cross_entropy(logits, targets, mask=None):
    flat_logits, flat_targets = logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)
    if mask is not None:
        keep = mask.reshape(-1)
        flat_logits, flat_targets = flat_logits[keep], flat_targets[keep]
    return F.cross_entropy(flat_logits, flat_targets).exp()


# -- score_options -----------------------------------------------------------------------


def _padded_scores(model, prompt, options):
    """(K, L) token log-probabilities of the padded options and (K, L) bool: which positions are real."""
    T_p, L = prompt.shape[0], max(len(o) for o in options)
    padded = torch.stack([F.pad(o, (0, L - len(o))) for o in options])  # (K, L)
    with torch.no_grad():
        logits = model(torch.cat([prompt.expand(len(options), T_p), padded], dim=1))
    lengths = torch.tensor([len(o) for o in options], device=prompt.device)
    real = torch.arange(L, device=prompt.device) < lengths[:, None]
    return reference_token_log_probs(logits[:, T_p - 1 : -1], padded), real, lengths


@bug("score_options", "divides every total by the longest option's length")
def options_divide_by_padded_length(model, prompt, options, length_normalize=True):
    scored, real, _ = _padded_scores(model, prompt, options)
    totals = (scored * real).sum(dim=-1)
    return totals / real.shape[1] if length_normalize else totals


@bug("score_options", "lets the padding tokens count")
def options_padding_counts(model, prompt, options, length_normalize=True):
    scored, _, lengths = _padded_scores(model, prompt, options)
    totals = scored.sum(dim=-1)
    return totals / lengths if length_normalize else totals


@variant("score_options", "one sequence_log_prob call per option")
def options_one_call_each(model, prompt, options, length_normalize=True):
    scores = []
    for option in options:
        total = reference_sequence_log_prob(model, torch.cat([prompt, option])[None], prompt.shape[0])[0]
        scores.append(total / len(option) if length_normalize else total)
    return torch.stack(scores)


# -- sample_next_token -------------------------------------------------------------------


def _nucleus(scaled, top_p, keep_crossing=True):
    probs, order = torch.softmax(scaled, dim=-1).sort(dim=-1, descending=True)
    before = probs.cumsum(dim=-1) - probs
    drop = before >= top_p if keep_crossing else probs.cumsum(dim=-1) > top_p
    drop[..., 0] = False
    return scaled.masked_fill(torch.zeros_like(drop).scatter(-1, order, drop), float("-inf"))


def _top_k(scaled, top_k):
    kth = scaled.topk(top_k, dim=-1).values[..., -1:]
    return scaled.masked_fill(scaled < kth, float("-inf"))


@bug("sample_next_token", "applies top-k after the nucleus")
def sample_nucleus_first(logits, temperature=1.0, top_k=None, top_p=None, generator=None):
    if temperature == 0:
        return logits.argmax(dim=-1)
    scaled = logits / temperature
    scaled = _nucleus(scaled, top_p) if top_p is not None else scaled
    scaled = _top_k(scaled, top_k) if top_k is not None else scaled
    return torch.multinomial(torch.softmax(scaled, dim=-1), 1, generator=generator).squeeze(-1)


@bug("sample_next_token", "ignores the generator (draws from the global random state)")
def sample_global_rng(logits, temperature=1.0, top_k=None, top_p=None, generator=None):
    return reference_sample(logits, temperature, top_k, top_p, generator=None)


@bug("sample_next_token", "multiplies the logits by the temperature")
def sample_times_temperature(logits, temperature=1.0, top_k=None, top_p=None, generator=None):
    if temperature == 0:
        return logits.argmax(dim=-1)
    return reference_sample(logits * temperature**2, temperature, top_k, top_p, generator)


@bug("sample_next_token", "drops the token that carries the nucleus across top_p")
def sample_nucleus_too_small(logits, temperature=1.0, top_k=None, top_p=None, generator=None):
    if temperature == 0:
        return logits.argmax(dim=-1)
    scaled = logits / temperature
    scaled = _top_k(scaled, top_k) if top_k is not None else scaled
    scaled = _nucleus(scaled, top_p, keep_crossing=False) if top_p is not None else scaled
    return torch.multinomial(torch.softmax(scaled, dim=-1), 1, generator=generator).squeeze(-1)


@bug("sample_next_token", "draws with torch.distributions.Categorical (not allowed in Part 4)")
def sample_with_distributions(logits, temperature=1.0, top_k=None, top_p=None, generator=None):
    if temperature == 0:
        return logits.argmax(dim=-1)
    scaled = _restricted(logits, temperature, top_k, top_p)
    return torch.distributions.Categorical(logits=scaled).sample()


@bug("sample_next_token", "loops over the rows, one multinomial call each")
def sample_row_by_row(logits, temperature=1.0, top_k=None, top_p=None, generator=None):
    if temperature == 0:
        return logits.argmax(dim=-1)
    probs = torch.softmax(_restricted(logits, temperature, top_k, top_p), dim=-1)
    return torch.cat([torch.multinomial(row, 1, generator=generator) for row in probs])


def _restricted(logits, temperature, top_k, top_p):
    scaled = logits / temperature
    scaled = _top_k(scaled, top_k) if top_k is not None else scaled  # keeps every token tied with the k-th
    return _nucleus(scaled, top_p) if top_p is not None else scaled


@variant("sample_next_token", "Gumbel-max: the argmax of the log-probabilities plus Gumbel noise")
def sample_gumbel_max(logits, temperature=1.0, top_k=None, top_p=None, generator=None):
    if temperature == 0:
        return logits.argmax(dim=-1)
    scaled = _restricted(logits.double(), temperature, top_k, top_p)
    uniform = torch.rand(scaled.shape, generator=generator, dtype=scaled.dtype).clamp_min(1e-300)
    return (scaled - torch.log(-torch.log(uniform)).to(scaled.device)).argmax(dim=-1)


@variant("sample_next_token", "inverse CDF: a uniform number looked up in the cumulative probabilities")
def sample_inverse_cdf(logits, temperature=1.0, top_k=None, top_p=None, generator=None):
    if temperature == 0:
        return logits.argmax(dim=-1)
    cdf = torch.softmax(_restricted(logits.double(), temperature, top_k, top_p), dim=-1).cumsum(dim=-1)  # (B, V)
    u = torch.rand(cdf.shape[0], 1, generator=generator, dtype=cdf.dtype).to(cdf.device) * cdf[:, -1:]
    return torch.searchsorted(cdf, u, right=True).squeeze(-1).clamp_max(cdf.shape[-1] - 1)


# -- generate ----------------------------------------------------------------------------


@bug("generate", "never crops to the last max_len tokens")
def generate_no_crop(model, idx, max_new_tokens, max_len, temperature=1.0, top_k=None, top_p=None, generator=None):
    with torch.no_grad():
        for _ in range(max_new_tokens):
            token = reference_sample(model(idx)[:, -1], temperature, top_k, top_p, generator)
            idx = torch.cat([idx, token[:, None]], dim=1)
    return idx


@bug("generate", "samples from the first position's logits instead of the last")
def generate_first_position(
    model, idx, max_new_tokens, max_len, temperature=1.0, top_k=None, top_p=None, generator=None
):
    with torch.no_grad():
        for _ in range(max_new_tokens):
            token = reference_sample(model(idx[:, -max_len:])[:, 0], temperature, top_k, top_p, generator)
            idx = torch.cat([idx, token[:, None]], dim=1)
    return idx


@bug("generate", "crops to max_len - 1 tokens")
def generate_window_too_short(
    model, idx, max_new_tokens, max_len, temperature=1.0, top_k=None, top_p=None, generator=None
):
    with torch.no_grad():
        for _ in range(max_new_tokens):
            token = reference_sample(model(idx[:, -(max_len - 1) :])[:, -1], temperature, top_k, top_p, generator)
            idx = torch.cat([idx, token[:, None]], dim=1)
    return idx


@variant("generate", "fills a preallocated output tensor column by column")
def generate_preallocated(model, idx, max_new_tokens, max_len, temperature=1.0, top_k=None, top_p=None, generator=None):
    B, T = idx.shape
    out = torch.empty(B, T + max_new_tokens, dtype=idx.dtype, device=idx.device)
    out[:, :T] = idx
    with torch.no_grad():
        for t in range(T, T + max_new_tokens):
            logits = model(out[:, max(0, t - max_len) : t])[:, -1]
            out[:, t] = reference_sample(logits, temperature, top_k, top_p, generator)
    return out


# -- beam_search -------------------------------------------------------------------------


def _beam(model, idx, max_new_tokens, beam_width, max_len, rank, pick=0, per_beam_calls=False, cpu_scores=False):
    scores = torch.zeros(1, dtype=torch.float64, device=None if cpu_scores else idx.device)  # (1,)
    beams = idx
    with torch.no_grad():
        for _ in range(max_new_tokens):
            window = beams[:, -max_len:]
            if per_beam_calls:
                logits = torch.cat([model(row[None])[:, -1] for row in window])
            else:
                logits = model(window)[:, -1]
            step = torch.log_softmax(logits.double(), dim=-1)  # (n, V)
            totals = scores[:, None] + step
            V = step.shape[-1]
            order = rank(totals, step).reshape(-1).topk(min(beam_width, totals.numel())).indices
            beams = torch.cat([beams[order // V], (order % V)[:, None]], dim=1)
            scores = totals.reshape(-1)[order]
    return beams[pick : pick + 1] if pick >= 0 else beams[-1:]


@bug("beam_search", "ranks candidates by the new token's log-probability alone")
def beam_last_token_only(model, idx, max_new_tokens, beam_width, max_len):
    return _beam(model, idx, max_new_tokens, beam_width, max_len, rank=lambda totals, step: step)


@bug("beam_search", "returns the last kept beam (the worst) instead of the best")
def beam_returns_worst(model, idx, max_new_tokens, beam_width, max_len):
    return _beam(model, idx, max_new_tokens, beam_width, max_len, rank=lambda totals, step: totals, pick=-1)


@bug("beam_search", "calls the model once per beam")
def beam_one_call_per_beam(model, idx, max_new_tokens, beam_width, max_len):
    return _beam(model, idx, max_new_tokens, beam_width, max_len, rank=lambda t, s: t, per_beam_calls=True)


# Ranking by the mean log-probability per new token is a correct variant here, not a bug: without an
# end-of-sequence token every beam of a step has the same length, so the mean orders beams as the total does.
@variant("beam_search", "ranks by the mean log-probability per new token (same order: equal lengths)")
def beam_by_mean(model, idx, max_new_tokens, beam_width, max_len):
    steps = iter(range(1, max_new_tokens + 1))
    return _beam(model, idx, max_new_tokens, beam_width, max_len, rank=lambda totals, step: totals / next(steps))


# -- device placement: right on the CPU, wrong on a GPU (caught anywhere by the device check) -------------------------


@bug("score_options", "option lengths from torch.tensor([...]) without the prompt's device")
def options_cpu_lengths(model, prompt, options, length_normalize=True):
    scored, real, _ = _padded_scores(model, prompt, options)
    totals = torch.where(real, scored, torch.zeros_like(scored)).sum(dim=-1)  # (K,)
    lengths = torch.tensor([len(o) for o in options], dtype=totals.dtype)  # (K,), on the CPU
    return totals / lengths if length_normalize else totals


@bug("generate", "preallocates the output with torch.zeros(B, T + n) without the input's device")
def generate_cpu_output(model, idx, max_new_tokens, max_len, temperature=1.0, top_k=None, top_p=None, generator=None):
    B, T = idx.shape
    out = torch.zeros(B, T + max_new_tokens, dtype=idx.dtype)  # (B, T + n), on the CPU
    out[:, :T] = idx
    with torch.no_grad():
        for t in range(T, T + max_new_tokens):
            logits = model(out[:, max(0, t - max_len) : t].to(idx.device))[:, -1]
            out[:, t] = reference_sample(logits, temperature, top_k, top_p, generator)
    return out


@bug("beam_search", "starts the beam scores from torch.zeros(1) without the input's device")
def beam_cpu_scores(model, idx, max_new_tokens, beam_width, max_len):
    return _beam(model, idx, max_new_tokens, beam_width, max_len, rank=lambda totals, step: totals, cpu_scores=True)
