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
    """Settings for every test run: real float32 (no TF32) and one CPU thread.

    The tests' tensors are small: threads only add overhead, and on a busy or
    shared machine (a CI runner, parallel grading) OpenMP threads fighting for
    cores made training tests 10-25 times slower. One thread also makes CPU
    results independent of the core count.
    """
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")
    torch.set_num_threads(1)
