"""A multi-layer perceptron: Linear layers with a non-linearity between each pair.

Slides, section 4: "Going deeply non-linear" (stacked linear classifiers are
still linear) and section 5: "Non-linearities" (phi(x) = g(x·W'), y = phi(x)·W:
an element-wise function after every layer but the last, which produces the
logits). Backpropagation runs the layers' backward passes in reverse order.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

import torch

from .layers import Linear, ReLU, Sigmoid, Tanh

ACTIVATIONS = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid}


class MLP:
    """Feed-forward network Linear -> act -> Linear -> act -> ... -> Linear.

    Attributes:
        layers: list alternating ``Linear`` and activation layers, with no
            activation after the last ``Linear``; for sizes [d_in, h, d_out]:
            [Linear(d_in, h), act, Linear(h, d_out)].
    """

    def __init__(self, sizes: list[int], activation: str = "relu", generator: torch.Generator | None = None):
        """Build the layers.

        Args:
            sizes: [d_in, h1, ..., d_out], at least two entries.
            activation: "relu", "tanh" or "sigmoid": the layer put between two Linear layers.
            generator: passed to every Linear, the only source of randomness.
        """
        # Hint: one Linear(sizes[i], sizes[i + 1], generator=generator) per consecutive pair,
        # followed by a fresh activation layer, except after the last Linear.
        raise NotImplementedError("__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits for a batch.

        Args:
            x: shape (B, d_in).

        Returns:
            logits, shape (B, d_out).
        """
        # Hint: feed the output of each layer to the next one.
        raise NotImplementedError("forward")

    def backward(self, grad_logits: torch.Tensor) -> torch.Tensor:
        """Backpropagate dLoss/dlogits through every layer, filling each Linear's dW and db.

        Args:
            grad_logits: shape (B, d_out).

        Returns:
            dLoss/dx, shape (B, d_in).
        """
        # Hint: the chain rule runs backwards: the last layer first, each layer's
        # returned gradient being the next (earlier) layer's grad_out.
        raise NotImplementedError("backward")

    def parameters(self) -> list[torch.Tensor]:
        """[W1, b1, W2, b2, ...]: the layers' own tensors (not copies), so in-place updates train the model."""
        # Hint: collect layer.W and layer.b of every Linear, in order; no .clone().
        raise NotImplementedError("parameters")

    def gradients(self) -> list[torch.Tensor]:
        """[dW1, db1, dW2, db2, ...], in the same order as ``parameters()``."""
        # Hint: the same walk as parameters(), reading dW and db.
        raise NotImplementedError("gradients")
