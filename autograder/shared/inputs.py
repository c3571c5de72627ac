"""Test inputs built the same way on every device: drawn on the CPU from the test's generator, then moved.

Drawing on the CPU keeps the numbers identical across devices, so a failure on
cuda can be replayed on cpu; ``float64`` is the working precision of every oracle.
"""

import torch


def randn(
    *shape: int, gen: torch.Generator, device: str = "cpu", dtype: torch.dtype = torch.float32, scale: float = 1.0
):
    """Standard normal values times ``scale``."""
    return (torch.randn(*shape, generator=gen, dtype=torch.float64) * scale).to(device=device, dtype=dtype)


def labels(n: int, k: int, *, gen: torch.Generator, device: str = "cpu") -> torch.Tensor:
    """``n`` int64 class indices in [0, k)."""
    return torch.randint(0, k, (n,), generator=gen).to(device)


def signs(n: int, *, gen: torch.Generator, device: str = "cpu", dtype: torch.dtype = torch.float32):
    """``n`` labels in {-1., +1.}."""
    return (torch.randint(0, 2, (n,), generator=gen) * 2 - 1).to(device=device, dtype=dtype)


def tensor(values, *, device: str = "cpu", dtype: torch.dtype = torch.float32) -> torch.Tensor:
    return torch.tensor(values, dtype=dtype, device=device)


def non_contiguous(t: torch.Tensor) -> torch.Tensor:
    """The same values as ``t`` in a strided (transposed-storage) view, to catch code that assumes contiguity."""
    t = t.detach()
    if t.dim() >= 2:
        view = t.transpose(-1, -2).contiguous().transpose(-1, -2)  # column-major storage
    else:
        view = torch.stack([t, t], dim=-1)[..., 0]  # every other element of a buffer
    return view if t.numel() <= 1 or not view.is_contiguous() else view.clone()
