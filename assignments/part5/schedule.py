"""The learning-rate schedule of modern pre-training: linear warmup, then cosine decay to a floor.

Early steps use a small, growing rate while Adam's moment estimates settle; the
rate then falls smoothly along half a cosine, so training ends with small steps
that let the loss settle into its minimum.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

import math


def cosine_lr(step: int, max_lr: float, min_lr: float, warmup_steps: int, total_steps: int) -> float:
    """The learning rate at ``step`` (0-based).

    max_lr * step / warmup_steps while step < warmup_steps; then
    min_lr + (1 + cos(pi * (step - warmup_steps) / (total_steps - warmup_steps))) / 2 * (max_lr - min_lr)
    up to total_steps; min_lr after.
    """
    # Hint: three cases, in that order; math.cos and math.pi. Return a Python float.
    raise NotImplementedError("cosine_lr")
