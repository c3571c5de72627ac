"""Layers with a hand-written backward pass: a fully-connected layer and three activations.

Slides, section 4: "Going deeply non-linear: multi-layered perceptrons" (a layer
is a vector-matrix multiplication x·W, plus a bias) and section 5:
"Non-linearities" (an element-wise function after each layer). Every layer has
``forward(x)``, which caches what its backward pass needs, and
``backward(grad_out)``, which returns dLoss/dx for the latest forward's input.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

import math

import torch

from .activations import relu, relu_backward, sigmoid_backward, tanh, tanh_backward


class Linear:
    """Fully-connected layer out = x·W + b.

    Attributes:
        W: weights, shape (d_in, d_out), drawn at random so that hidden units differ.
        b: bias, shape (d_out,), zeros.
        dW, db: gradients of the loss with respect to W and b, set by ``backward``
            (None before the first backward).
    """

    def __init__(self, d_in: int, d_out: int, generator: torch.Generator | None = None):
        """Draw W uniformly in [-1/sqrt(d_in), 1/sqrt(d_in)] from ``generator``; b = 0.

        Args:
            d_in: input features.
            d_out: output features.
            generator: the only source of randomness (a CPU torch.Generator, or None).
        """
        # Hint: all-zero (or all-equal) weights make every hidden unit compute the same
        # thing and receive the same gradient forever. Draw W with
        # torch.rand(d_in, d_out, generator=generator), rescaled to [-1/sqrt(d_in), 1/sqrt(d_in)];
        # b may start at zero. Also set self.dW = self.db = None and a cache for x.
        raise NotImplementedError("__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """out = x·W + b, remembering x for the backward pass.

        Args:
            x: shape (B, d_in).

        Returns:
            shape (B, d_out).
        """
        # Hint: backward needs this x: keep a reference to it on self.
        raise NotImplementedError("forward")

    def backward(self, grad_out: torch.Tensor) -> torch.Tensor:
        """Set dW = xᵀ·grad_out and db = grad_out summed over the batch; return grad_out·Wᵀ.

        Every sample of the batch used the same W and b, so their contributions add
        up; any averaging (e.g. the 1/B of a mean loss) is already inside grad_out.
        Calling backward twice after one forward gives the same gradients: they are
        overwritten, never accumulated.

        Args:
            grad_out: dLoss/dout, shape (B, d_out).

        Returns:
            dLoss/dx, shape (B, d_in).
        """
        # Hint: each gradient has the shape of what it is the gradient of: dW (d_in, d_out)
        # = x.T @ grad_out, db (d_out,) = sum over dim 0, grad_x (B, d_in) = grad_out @ W.T.
        # Assign (=) the gradients; do not add them to the previous ones.
        raise NotImplementedError("backward")


class ReLU:
    """Element-wise max(0, x) as a layer (no parameters)."""

    def __init__(self):
        self.x: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """relu(x), remembering x. Any shape in, same shape out."""
        # Hint: cache the input, then call relu from activations.py.
        raise NotImplementedError("forward")

    def backward(self, grad_out: torch.Tensor) -> torch.Tensor:
        """dLoss/dx = grad_out where the cached x > 0, else 0."""
        # Hint: relu_backward(cached input, grad_out).
        raise NotImplementedError("backward")


class Tanh:
    """Element-wise hyperbolic tangent as a layer (no parameters)."""

    def __init__(self):
        self.x: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """tanh(x), remembering x. Any shape in, same shape out."""
        # Hint: cache the input, then call tanh from activations.py.
        raise NotImplementedError("forward")

    def backward(self, grad_out: torch.Tensor) -> torch.Tensor:
        """dLoss/dx = grad_out * (1 - tanh(x)^2) for the cached x."""
        # Hint: tanh_backward(cached input, grad_out).
        raise NotImplementedError("backward")


class Sigmoid:
    """Element-wise logistic sigmoid as a layer (no parameters)."""

    def __init__(self):
        self.x: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """sigmoid(x), remembering x. Any shape in, same shape out."""
        # Hint: cache the input; torch.sigmoid is allowed in Part 2.
        raise NotImplementedError("forward")

    def backward(self, grad_out: torch.Tensor) -> torch.Tensor:
        """dLoss/dx = grad_out * sigmoid(x) * (1 - sigmoid(x)) for the cached x."""
        # Hint: sigmoid_backward(cached input, grad_out).
        raise NotImplementedError("backward")
