"""Activation functions and their backward passes, written with tensor arithmetic.

Slides, section 5: "Non-linearities": the sigmoid, the ReLU and the hyperbolic
tangent, the element-wise functions that keep a stack of linear layers from
collapsing into one linear map. Each ``*_backward(x, grad_out)`` takes the
forward input ``x`` and dLoss/d(output), and returns dLoss/dx by the chain rule:
grad_x = grad_out * f'(x), element by element.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

import torch


def relu(x: torch.Tensor) -> torch.Tensor:
    """The rectified linear unit max(0, x), elementwise.

    Args:
        x: any shape.

    Returns:
        same shape and dtype as ``x``: x where x > 0, else 0.
    """
    # Hint: torch.where(condition, a, b) picks elementwise; torch.zeros_like(x)
    # gives a zero of the right dtype and device. Do not modify x in place.
    raise NotImplementedError("relu")


def relu_backward(x: torch.Tensor, grad_out: torch.Tensor) -> torch.Tensor:
    """dLoss/dx for out = relu(x): grad_out where x > 0, else 0.

    relu'(x) = 1 for x > 0 and 0 otherwise (0 at x = 0 exactly, by convention).

    Args:
        x: the forward input, any shape.
        grad_out: dLoss/dout, same shape as ``x``.

    Returns:
        dLoss/dx, same shape and dtype as ``grad_out``.
    """
    # Hint: the derivative is a 0/1 mask decided by the sign of the INPUT x;
    # multiply it into grad_out (chain rule), do not return the mask alone.
    raise NotImplementedError("relu_backward")


def tanh(x: torch.Tensor) -> torch.Tensor:
    """The hyperbolic tangent (e^2x - 1) / (e^2x + 1), elementwise, finite for any finite x.

    Args:
        x: any shape.

    Returns:
        values in [-1, 1], same shape and dtype as ``x``.
    """
    # Hint: e^2x overflows for x around 45 (float32) and 355 (float64), giving inf/inf = nan.
    # tanh is odd: compute it for |x| with t = e^(-2|x|), which lies in (0, 1], as
    # (1 - t) / (1 + t), then put the sign of x back. torch.expm1(u) = e^u - 1 keeps
    # precision when x is tiny.
    raise NotImplementedError("tanh")


def tanh_backward(x: torch.Tensor, grad_out: torch.Tensor) -> torch.Tensor:
    """dLoss/dx for out = tanh(x): grad_out * (1 - tanh(x)^2).

    Args:
        x: the forward INPUT (not the output tanh(x)), any shape.
        grad_out: dLoss/dout, same shape as ``x``.

    Returns:
        dLoss/dx, same shape and dtype as ``grad_out``.
    """
    # Hint: tanh'(x) = 1 - tanh(x)^2. x is the input: compute tanh(x) first
    # (you may call your own tanh from this file).
    raise NotImplementedError("tanh_backward")


def sigmoid_backward(x: torch.Tensor, grad_out: torch.Tensor) -> torch.Tensor:
    """dLoss/dx for out = sigmoid(x): grad_out * sigmoid(x) * (1 - sigmoid(x)).

    Part 2 may call ``torch.sigmoid`` (Part 1 graded your own sigmoid).

    Args:
        x: the forward INPUT, any shape.
        grad_out: dLoss/dout, same shape as ``x``.

    Returns:
        dLoss/dx, same shape and dtype as ``grad_out``.
    """
    # Hint: sigma'(x) = sigma(x) * (1 - sigma(x)); both factors, times grad_out.
    raise NotImplementedError("sigmoid_backward")
