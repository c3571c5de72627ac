"""Part 2 catalog: backpropagation mistakes learners really make, and correct MLPs written differently.

Each bug names the API it breaks; the tests of that API must catch it. Each
variant is a correct answer that must keep full marks. Classes subclass the
reference and override only what the entry is about.
"""

import math

import torch

from autograder.catalog.registry import bug, variant
from solutions.part2.activations import relu, tanh
from solutions.part2.layers import Linear as ReferenceLinear
from solutions.part2.layers import ReLU as ReferenceReLU
from solutions.part2.layers import Sigmoid as ReferenceSigmoid
from solutions.part2.layers import Tanh as ReferenceTanh
from solutions.part2.mlp import MLP as ReferenceMLP  # noqa: N811
from solutions.part2.mlp_training import train_mlp as reference_train_mlp

# -- relu ----------------------------------------------------------------------


@bug("relu", "clamps the input in place")
def relu_in_place(x):
    return x.clamp_(min=0)


@bug("relu", "leaky slope of 0.01 for negative inputs")
def relu_leaky(x):
    return torch.where(x > 0, x, 0.01 * x)


@variant("relu", "(x + |x|) / 2")
def relu_abs(x):
    return (x + x.abs()) / 2


@variant("relu", "torch.clamp(x, min=0)")
def relu_clamp(x):
    return torch.clamp(x, min=0)


# -- relu_backward ---------------------------------------------------------------


@bug("relu_backward", "lets the gradient through at x = 0 (x >= 0)")
def relu_backward_ge(x, grad_out):
    return grad_out * (x >= 0).to(grad_out.dtype)


@bug("relu_backward", "returns the 0/1 mask without multiplying by grad_out")
def relu_backward_mask_only(x, grad_out):
    return (x > 0).to(grad_out.dtype)


@bug("relu_backward", "masks by the sign of grad_out instead of x")
def relu_backward_grad_sign(x, grad_out):
    return torch.where(grad_out > 0, grad_out, torch.zeros_like(grad_out))


@variant("relu_backward", "grad_out times the mask cast to the dtype")
def relu_backward_mul(x, grad_out):
    return grad_out * (x > 0).to(grad_out.dtype)


# -- tanh --------------------------------------------------------------------------


@bug("tanh", "the slide's formula as is: e^2x overflows to nan")
def tanh_naive(x):
    e = torch.exp(2 * x)
    return (e - 1) / (e + 1)


@bug("tanh", "forgets the 2 in the exponent (computes tanh(x / 2))")
def tanh_half(x):
    e = torch.exp(-x.abs())
    magnitude = (1 - e) / (1 + e)
    return torch.where(x < 0, -magnitude, magnitude)


@bug("tanh", "calls the built-in torch.tanh")
def tanh_builtin(x):
    return torch.tanh(x)


@variant("tanh", "2 * sigmoid(2x) - 1")
def tanh_via_sigmoid(x):
    return 2 * torch.sigmoid(2 * x) - 1


@variant("tanh", "(1 - t) / (1 + t) with t = e^-2|x| and the sign restored")
def tanh_stable_exp(x):
    t = torch.exp(-2 * x.abs())
    return torch.sign(x) * (1 - t) / (1 + t)


# -- tanh_backward -------------------------------------------------------------------


@bug("tanh_backward", "treats x as the output: 1 - x^2")
def tanh_backward_output_formula(x, grad_out):
    return grad_out * (1 - x * x)


@bug("tanh_backward", "forgets the square: 1 - tanh(x)")
def tanh_backward_no_square(x, grad_out):
    return grad_out * (1 - tanh(x))


@bug("tanh_backward", "asks torch.autograd after re-enabling gradients")
def tanh_backward_autograd(x, grad_out):
    with torch.enable_grad():
        leaf = x.detach().requires_grad_()
        (grad,) = torch.autograd.grad(tanh(leaf), leaf, grad_out)
    return grad


@variant("tanh_backward", "sech^2 computed as 4t / (1 + t)^2 with t = e^-2|x|")
def tanh_backward_sech(x, grad_out):
    t = torch.exp(-2 * x.abs())
    return grad_out * 4 * t / (1 + t) ** 2


# -- sigmoid_backward ------------------------------------------------------------------


@bug("sigmoid_backward", "misses the (1 - sigmoid) factor")
def sigmoid_backward_one_factor(x, grad_out):
    return grad_out * torch.sigmoid(x)


@bug("sigmoid_backward", "treats x as the output: x * (1 - x)")
def sigmoid_backward_output_formula(x, grad_out):
    return grad_out * x * (1 - x)


@variant("sigmoid_backward", "sigmoid(x) * sigmoid(-x)")
def sigmoid_backward_symmetric(x, grad_out):
    return grad_out * torch.sigmoid(x) * torch.sigmoid(-x)


# -- Linear ------------------------------------------------------------------------------


@bug("Linear", "dW transposed: grad_out.T @ x")
class LinearTransposedGrad(ReferenceLinear):
    def backward(self, grad_out):
        super().backward(grad_out)
        self.dW = grad_out.T @ self.x
        return grad_out @ self.W.T


@bug("Linear", "db averaged over the batch instead of summed")
class LinearMeanBias(ReferenceLinear):
    def backward(self, grad_out):
        grad_x = super().backward(grad_out)
        self.db = grad_out.mean(dim=0)
        return grad_x


@bug("Linear", "initialises W with zeros")
class LinearZeroInit(ReferenceLinear):
    def __init__(self, d_in, d_out, generator=None):
        super().__init__(d_in, d_out, generator)
        self.W = torch.zeros(d_in, d_out)


@bug("Linear", "accumulates dW and db across backward calls")
class LinearAccumulates(ReferenceLinear):
    def backward(self, grad_out):
        dW, db = self.dW, self.db
        grad_x = super().backward(grad_out)
        if dW is not None and dW.shape == self.dW.shape:
            self.dW, self.db = self.dW + dW, self.db + db
        return grad_x


@bug("Linear", "initialises from the global RNG, ignoring the generator")
class LinearGlobalRng(ReferenceLinear):
    def __init__(self, d_in, d_out, generator=None):
        super().__init__(d_in, d_out, generator)
        self.W = (torch.rand(d_in, d_out) * 2 - 1) / math.sqrt(d_in)


@bug("Linear", "backward re-runs forward under enable_grad and asks autograd")
class LinearAutograd(ReferenceLinear):
    def backward(self, grad_out):
        with torch.enable_grad():
            x = self.x.detach().requires_grad_()
            W = self.W.detach().requires_grad_()
            b = self.b.detach().requires_grad_()
            grad_x, self.dW, self.db = torch.autograd.grad(x @ W + b, (x, W, b), grad_out)
        return grad_x


@variant("Linear", "einsum for every product, Xavier-uniform initialisation")
class LinearEinsumXavier(ReferenceLinear):
    def __init__(self, d_in, d_out, generator=None):
        super().__init__(d_in, d_out, generator)
        bound = math.sqrt(6.0 / (d_in + d_out))
        self.W = (torch.rand(d_in, d_out, generator=generator) * 2 - 1) * bound

    def forward(self, x):
        self.x = x
        return torch.einsum("bi,io->bo", x, self.W) + self.b

    def backward(self, grad_out):
        self.dW = torch.einsum("bi,bo->io", self.x, grad_out)
        self.db = torch.einsum("bo->o", grad_out)
        return torch.einsum("bo,io->bi", grad_out, self.W)


@variant("Linear", "normal initialisation, small random bias, addmm")
class LinearNormalInit(ReferenceLinear):
    def __init__(self, d_in, d_out, generator=None):
        super().__init__(d_in, d_out, generator)
        self.W = torch.randn(d_in, d_out, generator=generator) / math.sqrt(d_in)
        self.b = torch.randn(d_out, generator=generator) * 0.01

    def forward(self, x):
        self.x = x
        return torch.addmm(self.b, x, self.W)


# -- activation layers -------------------------------------------------------------------


@bug("ReLU", "backward skips the activation (returns grad_out unchanged)")
class ReLUIdentityBackward(ReferenceReLU):
    def backward(self, grad_out):
        return grad_out


@bug("ReLU", "backward masks by the sign of grad_out")
class ReLUGradSign(ReferenceReLU):
    def backward(self, grad_out):
        return relu(grad_out)


@variant("ReLU", "caches the 0/1 mask instead of the input")
class ReLUCachesMask(ReferenceReLU):
    def forward(self, x):
        self.mask = x > 0
        return relu(x)

    def backward(self, grad_out):
        return grad_out * self.mask.to(grad_out.dtype)


@bug("Tanh", "backward uses 1 - x^2 on the cached input")
class TanhWrongCache(ReferenceTanh):
    def backward(self, grad_out):
        return grad_out * (1 - self.x * self.x)


@bug("Tanh", "backward skips the activation")
class TanhIdentityBackward(ReferenceTanh):
    def backward(self, grad_out):
        return grad_out


@variant("Tanh", "caches the output y and uses 1 - y^2")
class TanhCachesOutput(ReferenceTanh):
    def forward(self, x):
        self.y = tanh(x)
        return self.y

    def backward(self, grad_out):
        return grad_out * (1 - self.y * self.y)


@bug("Sigmoid", "backward misses the (1 - s) factor")
class SigmoidOneFactor(ReferenceSigmoid):
    def backward(self, grad_out):
        return grad_out * torch.sigmoid(self.x)


@bug("Sigmoid", "forward forgets the minus sign: 1 / (1 + e^x)")
class SigmoidNoMinus(ReferenceSigmoid):
    def forward(self, x):
        self.x = x
        return 1 / (1 + torch.exp(x))


@variant("Sigmoid", "caches the output s and uses s * (1 - s)")
class SigmoidCachesOutput(ReferenceSigmoid):
    def forward(self, x):
        self.s = torch.sigmoid(x)
        return self.s

    def backward(self, grad_out):
        return grad_out * self.s * (1 - self.s)


# -- MLP -----------------------------------------------------------------------------------


@bug("MLP", "puts an activation after the last Linear too")
class MLPActivationOnLogits(ReferenceMLP):
    def __init__(self, sizes, activation="relu", generator=None):
        super().__init__(sizes, activation, generator)
        self.layers.append(type(self.layers[1])() if len(self.layers) > 1 else ReferenceReLU())


@bug("MLP", "parameters() returns copies")
class MLPCopiedParameters(ReferenceMLP):
    def parameters(self):
        return [p.clone() for p in super().parameters()]


@bug("MLP", "gradients() lists all dW before all db")
class MLPGradientsGrouped(ReferenceMLP):
    def gradients(self):
        grads = super().gradients()
        return grads[0::2] + grads[1::2]


@bug("MLP", "always uses ReLU whatever the activation argument")
class MLPIgnoresActivation(ReferenceMLP):
    def __init__(self, sizes, activation="relu", generator=None):
        super().__init__(sizes, "relu", generator)


@bug("MLP", "backward forgets to go through the activation layers")
class MLPSkipsActivations(ReferenceMLP):
    def backward(self, grad_logits):
        grad = grad_logits
        for layer in reversed(self.layers):
            if isinstance(layer, ReferenceLinear):
                grad = layer.backward(grad)
        return grad


@variant("MLP", "builds the Linear layers first, backward by index, parameters by attribute walk")
class MLPByIndex(ReferenceMLP):
    def __init__(self, sizes, activation="relu", generator=None):
        activations = {"relu": ReferenceReLU, "tanh": ReferenceTanh, "sigmoid": ReferenceSigmoid}
        linears = [ReferenceLinear(a, b, generator=generator) for a, b in zip(sizes, sizes[1:], strict=False)]
        self.layers = [linears[0]]
        for linear in linears[1:]:
            self.layers += [activations[activation](), linear]

    def backward(self, grad_logits):
        grad = grad_logits
        for i in range(len(self.layers) - 1, -1, -1):
            grad = self.layers[i].backward(grad)
        return grad

    def parameters(self):
        params = []
        for layer in self.layers:
            if hasattr(layer, "W"):
                params.extend([layer.W, layer.b])
        return params


# -- train_mlp -------------------------------------------------------------------------------


def _cross_entropy_grad(logits, y):
    one_hot = torch.zeros_like(logits).scatter_(1, y[:, None], 1.0)
    return (torch.softmax(logits, dim=-1) - one_hot) / len(y)


@bug("train_mlp", "uses autograd for the gradients")
def train_mlp_autograd(model, X, y, epochs=100, lr=0.5, batch_size=32, weight_decay=0.0, generator=None):
    n = X.shape[0]
    losses = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator).to(X.device)
        total = 0.0
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            with torch.enable_grad():
                for p in model.parameters():
                    p.requires_grad_(True)
                log_p = torch.log_softmax(model.forward(X[batch]), dim=-1)
                loss = -log_p.gather(1, y[batch][:, None]).mean()
                loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= lr * (p.grad + weight_decay * p)
                    p.grad = None
            total += loss.item() * len(batch)
        losses.append(total / n)
    return losses


@bug("train_mlp", "never shuffles (and so never uses the generator)")
def train_mlp_no_shuffle(model, X, y, epochs=100, lr=0.5, batch_size=32, weight_decay=0.0, generator=None):
    n = X.shape[0]
    losses = []
    for _ in range(epochs):
        total = 0.0
        for start in range(0, n, batch_size):
            xb, yb = X[start : start + batch_size], y[start : start + batch_size]
            logits = model.forward(xb)
            total += -torch.log_softmax(logits, dim=-1).gather(1, yb[:, None]).sum().item()
            model.backward(_cross_entropy_grad(logits, yb))
            for p, g in zip(model.parameters(), model.gradients(), strict=True):
                p -= lr * (g + weight_decay * p)
        losses.append(total / n)
    return losses


@bug("train_mlp", "ignores weight_decay")
def train_mlp_no_decay(model, X, y, epochs=100, lr=0.5, batch_size=32, weight_decay=0.0, generator=None):
    return reference_train_mlp(model, X, y, epochs, lr, batch_size, 0.0, generator)


@bug("train_mlp", "reports the last batch's loss instead of the epoch mean")
def train_mlp_last_batch_loss(model, X, y, epochs=100, lr=0.5, batch_size=32, weight_decay=0.0, generator=None):
    n = X.shape[0]
    losses = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator).to(X.device)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            logits = model.forward(X[batch])
            last = -torch.log_softmax(logits, dim=-1).gather(1, y[batch][:, None]).mean().item()
            model.backward(_cross_entropy_grad(logits, y[batch]))
            for p, g in zip(model.parameters(), model.gradients(), strict=True):
                p -= lr * (g + weight_decay * p)
        losses.append(last)
    return losses


@variant("train_mlp", "mean of equal-size batch losses, decay folded into a separate shrink step")
def train_mlp_shrink(model, X, y, epochs=100, lr=0.5, batch_size=32, weight_decay=0.0, generator=None):
    n = X.shape[0]
    losses = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator).to(X.device)
        batch_losses, sizes = [], []
        for batch in torch.split(order, batch_size):
            xb, yb = X.index_select(0, batch), y.index_select(0, batch)
            logits = model.forward(xb)
            log_p = torch.log_softmax(logits, dim=-1)
            batch_losses.append(-log_p[torch.arange(len(yb), device=X.device), yb].mean())
            sizes.append(len(yb))
            model.backward(_cross_entropy_grad(logits, yb))
            for p, g in zip(model.parameters(), model.gradients(), strict=True):
                p.mul_(1 - lr * weight_decay)
                p.sub_(lr * g)
        weights = torch.tensor(sizes, dtype=X.dtype, device=X.device)
        losses.append(float((torch.stack(batch_losses) * weights).sum() / weights.sum()))
    return losses


# -- device placement: right on the CPU, wrong on a GPU (caught anywhere by the device check) -------------------------


@bug("relu_backward", "zeros for the blocked entries from torch.zeros(shape) without the device")
def relu_backward_cpu_zeros(x, grad_out):
    return torch.where(x > 0, grad_out, torch.zeros(x.shape, dtype=grad_out.dtype))


@bug("Linear", "bias gradient as a ones-vector product, the ones made without the device")
class LinearCpuOnes(ReferenceLinear):
    def backward(self, grad_out):
        self.dW = self.x.T @ grad_out  # (d_in, d_out)
        self.db = torch.ones(grad_out.shape[0], dtype=grad_out.dtype) @ grad_out  # (d_out,)
        return grad_out @ self.W.T  # (B, d_in)


@bug("train_mlp", "one-hot targets from torch.zeros(n, k) without the data's device")
def train_mlp_cpu_one_hot(model, X, y, epochs=100, lr=0.5, batch_size=32, weight_decay=0.0, generator=None):
    n = X.shape[0]
    losses = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator).to(X.device)
        total = 0.0
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            logits = model.forward(X[batch])
            log_p = torch.log_softmax(logits, dim=-1)
            one_hot = torch.zeros(len(batch), logits.shape[1], dtype=X.dtype)
            one_hot[torch.arange(len(batch)), y[batch]] = 1.0
            total += -(one_hot * log_p).sum().item()
            model.backward((torch.softmax(logits, dim=-1) - one_hot) / len(batch))
            for p, g in zip(model.parameters(), model.gradients(), strict=True):
                p -= lr * (g + weight_decay * p)
        losses.append(total / n)
    return losses


@variant("train_mlp", "shuffles with CPU indices (a GPU tensor may be indexed by CPU indices)")
def train_mlp_cpu_order(model, X, y, epochs=100, lr=0.5, batch_size=32, weight_decay=0.0, generator=None):
    n = X.shape[0]
    losses = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)  # stays on the CPU
        total = 0.0
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            xb, yb = X[batch], y[batch]
            logits = model.forward(xb)
            total += -torch.log_softmax(logits, dim=-1).gather(1, yb[:, None]).sum().item()
            model.backward(_cross_entropy_grad(logits, yb))
            for p, g in zip(model.parameters(), model.gradients(), strict=True):
                p -= lr * (g + weight_decay * p)
        losses.append(total / n)
    return losses
