"""Device checks of Part 4 (scoring and decoding with a language model): one entry per API, see ``__init__.py``.

The functions that call a model get one from the run itself, built directly on
the device (trusted code, as the docstring of ``__init__.py`` allows): the logits
of a ``PrefixMeanLM`` from ``lm_models.py``, called without its input checks,
which read token values back into Python and so cannot run on the simulated GPU.
The sampling functions draw with no generator away from the CPU: a CPU
generator cannot drive a GPU's sampler, and the contract's own tests give one.
"""

import torch

from autograder.shared import lm_models
from autograder.shared.device_cases import DeviceCase, call

VOCAB, D = 7, 4


def _model(device: str):
    """A fixed causal model on ``device``: (B, T) int64 ids -> (B, T, VOCAB) float32 logits."""
    spec = lm_models.prefix_mean_spec(VOCAB, D, torch.Generator().manual_seed(0), device=device, dtype=torch.float32)
    return lm_models.build(spec).logits


def _generator(device: str, generator):
    """The inputs' generator on the CPU; none elsewhere (the simulated GPU has no generator of its own)."""
    return generator if torch.device(device).type == "cpu" else None


def _with_model(function, *args, device: str, **kwargs):
    """Call ``function(model, *args, **kwargs)`` with the fixed model on ``device``."""
    return function(_model(device), *args, **kwargs)


def _perplexity_run(perplexity, logits, targets, mask, *, device: str):
    """Every token counted, then only the masked ones."""
    return [perplexity(logits, targets), perplexity(logits, targets, mask)]


def _sample_run(sample, logits, *, device: str, generator=None, **kwargs):
    return sample(logits, generator=_generator(device, generator), **kwargs)


def _generate_run(generate, idx, *args, device: str, generator=None, **kwargs):
    return generate(_model(device), idx, *args, generator=_generator(device, generator), **kwargs)


SAMPLING = {"temperature": 0.8, "top_k": 5, "top_p": 0.9}

CASES = (
    DeviceCase("token_log_probs", lambda d: call(d.randn(2, 5, VOCAB), d.tokens(2, 5, vocab=VOCAB))),
    DeviceCase(
        "sequence_log_prob", lambda d: call(d.tokens(2, 6, vocab=VOCAB), 2), run=_with_model, cpu_in_worker=True
    ),
    DeviceCase(
        "perplexity",
        lambda d: call(d.randn(2, 5, VOCAB), d.tokens(2, 5, vocab=VOCAB), d.randn(2, 5) > 0),
        run=_perplexity_run,
    ),
    DeviceCase(
        "score_options",
        lambda d: call(d.tokens(3, vocab=VOCAB), [d.tokens(n, vocab=VOCAB) for n in (1, 3, 2)]),
        run=_with_model,
        cpu_in_worker=True,
    ),
    DeviceCase("sample_next_token", lambda d: call(d.randn(3, VOCAB), generator=d.gen, **SAMPLING), run=_sample_run),
    DeviceCase(
        "generate",
        lambda d: call(d.tokens(2, 3, vocab=VOCAB), 2, 4, generator=d.gen, **SAMPLING),
        run=_generate_run,
        cpu_in_worker=True,
    ),
    DeviceCase(
        "beam_search", lambda d: call(d.tokens(1, 3, vocab=VOCAB), 2, 3, 4), run=_with_model, cpu_in_worker=True
    ),
)
