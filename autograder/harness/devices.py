"""Which devices a test can run on: a test taking ``device`` runs on each, with a visible skip where one is missing."""

import torch

ALL_DEVICES = ("cpu", "cuda", "mps")


def is_available(device: str) -> bool:
    if device == "cpu":
        return True
    if device == "cuda":
        return torch.cuda.is_available()
    if device == "mps":
        return bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_available()
    return False


def make_deterministic() -> None:
    """No TF32 and no reduced-precision matmul shortcuts while grading: compare real float32."""
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")
