"""Training loop for ModernLM: random batches, cross-entropy, clipping, a cosine schedule and AdamW.

Every piece is the learner's own from this part (get_batch, clip_grad_norm,
cosine_lr, AdamW); only the loss comes from torch (F.cross_entropy).
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

import torch
import torch.nn.functional as F

from .adamw import AdamW
from .batches import get_batch
from .clipping import clip_grad_norm
from .schedule import cosine_lr


def train_lm(
    model,
    data: torch.Tensor,
    steps: int,
    batch_size: int,
    context_len: int,
    max_lr: float,
    min_lr: float = 0.0,
    warmup_steps: int = 0,
    weight_decay: float = 0.01,
    max_grad_norm: float = 1.0,
    generator: torch.Generator | None = None,
) -> list[float]:
    """Train ``model`` (a ModernLM) in place on ``data`` (1-D int64); return the loss of each step.

    Each step: a batch from get_batch, the mean next-token cross-entropy, backward,
    clip_grad_norm, the learning rate cosine_lr(step, ..., total_steps=steps), an AdamW step.
    """
    # Hint: one AdamW over model.parameters(); before each step set group["lr"] for every
    # param group; the model returns (logits, kvs): reshape logits to (-1, vocab) for F.cross_entropy.
    raise NotImplementedError("train_lm")
