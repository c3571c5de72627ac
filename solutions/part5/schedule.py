"""The learning-rate schedule of modern pre-training: linear warmup, then cosine decay to a floor.

Early steps use a small, growing rate while Adam's moment estimates settle; the
rate then falls smoothly along half a cosine, so training ends with small steps
that let the loss settle into its minimum.
"""

import math


def cosine_lr(step: int, max_lr: float, min_lr: float, warmup_steps: int, total_steps: int) -> float:
    """The learning rate at ``step`` (0-based).

    max_lr * step / warmup_steps while step < warmup_steps; then
    min_lr + (1 + cos(pi * (step - warmup_steps) / (total_steps - warmup_steps))) / 2 * (max_lr - min_lr)
    up to total_steps; min_lr after.
    """
    # Hint: three cases, in that order; math.cos and math.pi. Return a Python float.
    # BEGIN SOLUTION
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    if step >= total_steps:
        return float(min_lr)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)  # in [0, 1)
    return min_lr + (1 + math.cos(math.pi * progress)) / 2 * (max_lr - min_lr)
    # END SOLUTION
