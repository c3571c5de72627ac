"""Part 1 catalog: mistakes learners really make with linear models, and correct solutions written differently.

Each bug names the API it breaks; the tests of that API must catch it. Each
variant is a correct answer that must keep full marks.
"""

import torch

from autograder.catalog.registry import bug, variant

# -- linear ------------------------------------------------------------------


@bug("linear", "forgets the bias")
def linear_no_bias(x, W, b):
    return x @ W


@bug("linear", "multiplies by the transposed weights (only works when square)")
def linear_transposed(x, W, b):
    return x @ W.T + b if W.shape[0] == W.shape[1] else (W.T @ x.T).T + b


@bug("linear", "subtracts the bias")
def linear_minus_bias(x, W, b):
    return x @ W - b


@variant("linear", "einsum over the feature dimension")
def linear_einsum(x, W, b):
    return torch.einsum("...i,io->...o", x, W) + b


@variant("linear", "torch.addmm on a flattened batch")
def linear_addmm(x, W, b):
    flat = x.reshape(-1, x.shape[-1])
    return torch.addmm(b, flat, W).reshape(*x.shape[:-1], W.shape[1])


# -- predict_sign --------------------------------------------------------------


@bug("predict_sign", "torch.sign (gives 0 for a score of exactly 0)")
def predict_sign_torch_sign(scores):
    return torch.sign(scores)


@bug("predict_sign", "strict inequality sends 0 to -1")
def predict_sign_strict(scores):
    return torch.where(scores > 0, torch.ones_like(scores), -torch.ones_like(scores))


@bug("predict_sign", "returns a boolean mask instead of +-1")
def predict_sign_bool(scores):
    return scores >= 0


@variant("predict_sign", "2 * (s >= 0) - 1 cast back to the dtype")
def predict_sign_arith(scores):
    return (scores >= 0).to(scores.dtype) * 2 - 1


# -- predict_class -------------------------------------------------------------


@bug("predict_class", "argmax over the batch dimension")
def predict_class_dim0(scores):
    return scores.argmax(dim=0)


@bug("predict_class", "1-based class indices as on the slide")
def predict_class_one_based(scores):
    return scores.argmax(dim=-1) + 1


@bug("predict_class", "returns the maximum score instead of its index")
def predict_class_values(scores):
    return scores.max(dim=-1).values


@variant("predict_class", "max(...).indices")
def predict_class_max_indices(scores):
    return scores.max(dim=-1).indices


# -- sigmoid -------------------------------------------------------------------


@bug("sigmoid", "e^z / (1 + e^z) overflows to nan for large z")
def sigmoid_overflow(z):
    e = torch.exp(z)
    return e / (1 + e)


@bug("sigmoid", "forgets the minus sign in the exponent")
def sigmoid_no_minus(z):
    return 1 / (1 + torch.exp(z))


@variant("sigmoid", "the naive 1 / (1 + e^-z), which saturates correctly")
def sigmoid_naive(z):
    return 1 / (1 + torch.exp(-z))


@variant("sigmoid", "via tanh-free softmax of [0, z]")
def sigmoid_two_class_softmax(z):
    pair = torch.stack([torch.zeros_like(z), z], dim=-1)
    pair = pair - pair.amax(dim=-1, keepdim=True)
    e = torch.exp(pair)
    return e[..., 1] / e.sum(dim=-1)


# -- softmax -------------------------------------------------------------------


@bug("softmax", "no max shift: overflows for large scores")
def softmax_no_shift(z, dim=-1):
    e = torch.exp(z)
    return e / e.sum(dim=dim, keepdim=True)


@bug("softmax", "normalises over dim 0 whatever dim says")
def softmax_wrong_dim(z, dim=-1):
    e = torch.exp(z - z.amax(dim=0, keepdim=True))
    return e / e.sum(dim=0, keepdim=True)


@bug("softmax", "shifts by the global max but sums over everything")
def softmax_global_sum(z, dim=-1):
    e = torch.exp(z - z.max())
    return e / e.sum()


@bug("softmax", "adds an epsilon to the denominator")
def softmax_eps(z, dim=-1):
    e = torch.exp(z - z.amax(dim=dim, keepdim=True))
    return e / (e.sum(dim=dim, keepdim=True) + 1e-3)


@bug("softmax", "calls the built-in torch.softmax (forbidden: voids every softmax test)")
def softmax_builtin(z, dim=-1):
    return torch.softmax(z, dim=dim)


@variant("softmax", "exp(z - logsumexp) written by hand")
def softmax_via_lse(z, dim=-1):
    m = z.amax(dim=dim, keepdim=True)
    lse = m + torch.log(torch.exp(z - m).sum(dim=dim, keepdim=True))
    return torch.exp(z - lse)


@variant("softmax", "computed in float64 and cast back")
def softmax_float64(z, dim=-1):
    z64 = z.double()
    e = torch.exp(z64 - z64.amax(dim=dim, keepdim=True))
    return (e / e.sum(dim=dim, keepdim=True)).to(z.dtype)


# -- log_softmax ---------------------------------------------------------------


@bug("log_softmax", "log of an unshifted softmax")
def log_softmax_naive(z, dim=-1):
    e = torch.exp(z)
    return torch.log(e / e.sum(dim=dim, keepdim=True))


@bug("log_softmax", "log of a stable softmax (underflows to -inf)")
def log_softmax_log_of_softmax(z, dim=-1):
    e = torch.exp(z - z.amax(dim=dim, keepdim=True))
    return torch.log(e / e.sum(dim=dim, keepdim=True))


@bug("log_softmax", "forgets to subtract the log-normaliser")
def log_softmax_no_normaliser(z, dim=-1):
    return z - z.amax(dim=dim, keepdim=True)


@variant("log_softmax", "logsumexp written with the max added back")
def log_softmax_lse(z, dim=-1):
    m = z.amax(dim=dim, keepdim=True)
    return z - (m + torch.log(torch.exp(z - m).sum(dim=dim, keepdim=True)))


# -- xor_features ----------------------------------------------------------------


@bug("xor_features", "columns in the wrong order")
def xor_features_swapped(x):
    return torch.stack([x[:, 0] * x[:, 1], x[:, 0] + x[:, 1]], dim=1)


@bug("xor_features", "difference instead of sum")
def xor_features_difference(x):
    return torch.stack([x[:, 0] - x[:, 1], x[:, 0] * x[:, 1]], dim=1)


@variant("xor_features", "sum and product by reductions")
def xor_features_reductions(x):
    return torch.stack([x.sum(dim=1), x.prod(dim=1)], dim=1)


# -- losses ---------------------------------------------------------------------


@bug("mse_loss", "sum instead of mean")
def mse_sum(pred, target):
    return ((pred - target) ** 2).sum()


@bug("mse_loss", "absolute instead of squared error")
def mse_abs(pred, target):
    return (pred - target).abs().mean()


@variant("mse_loss", "dot product of the flattened difference")
def mse_dot(pred, target):
    d = (pred - target).reshape(-1)
    return d @ d / d.numel()


@bug("hinge_loss", "forgets the margin of 1")
def hinge_no_margin(scores, y):
    return torch.clamp(-y * scores, min=0).mean()


@bug("hinge_loss", "no clamp at zero")
def hinge_no_clamp(scores, y):
    return (1 - y * scores).mean()


@bug("hinge_loss", "sum instead of mean")
def hinge_sum(scores, y):
    return torch.clamp(1 - y * scores, min=0).sum()


@variant("hinge_loss", "torch.maximum with a zero tensor")
def hinge_maximum(scores, y):
    return torch.maximum(1 - y * scores, torch.zeros_like(scores)).mean()


@bug("multiclass_hinge_loss", "max over all classes, gold included")
def mc_hinge_gold_included(scores, y):
    gold = scores.gather(1, y[:, None])[:, 0]
    return torch.clamp(1 + scores.amax(dim=1) - gold, min=0).mean()


@bug("multiclass_hinge_loss", "sums the hinge over every wrong class (Weston-Watkins)")
def mc_hinge_sum_wrong(scores, y):
    gold = scores.gather(1, y[:, None])
    per_class = torch.clamp(1 + scores - gold, min=0)
    is_gold = torch.arange(scores.shape[1], device=scores.device) == y[:, None]
    return per_class.masked_fill(is_gold, 0).sum(dim=1).mean()


@bug("multiclass_hinge_loss", "masks the gold class with 0 instead of -inf")
def mc_hinge_zero_mask(scores, y):
    is_gold = torch.arange(scores.shape[1], device=scores.device) == y[:, None]
    gold = scores.gather(1, y[:, None])[:, 0]
    return torch.clamp(1 + scores.masked_fill(is_gold, 0).amax(dim=1) - gold, min=0).mean()


@variant("multiclass_hinge_loss", "top-2 trick: second best when the gold is the best")
def mc_hinge_topk(scores, y):
    top2 = scores.topk(2, dim=1)
    gold = scores.gather(1, y[:, None])[:, 0]
    best_wrong = torch.where(top2.indices[:, 0] == y, top2.values[:, 1], top2.values[:, 0])
    return torch.clamp(1 + best_wrong - gold, min=0).mean()


@bug("binary_cross_entropy", "log of the sigmoid: -inf for large logits")
def bce_naive(logits, y):
    s = 1 / (1 + torch.exp(-logits))
    return -(y * torch.log(s) + (1 - y) * torch.log(1 - s)).mean()


@bug("binary_cross_entropy", "clamps probabilities to [1e-7, 1 - 1e-7] (wrong for confident mistakes)")
def bce_clamped(logits, y):
    s = torch.clamp(1 / (1 + torch.exp(-logits)), 1e-7, 1 - 1e-7)
    return -(y * torch.log(s) + (1 - y) * torch.log(1 - s)).mean()


@bug("binary_cross_entropy", "sum instead of mean")
def bce_sum(logits, y):
    return (torch.clamp(logits, min=0) - y * logits + torch.log1p(torch.exp(-logits.abs()))).sum()


@variant("binary_cross_entropy", "softplus written with logaddexp")
def bce_logaddexp(logits, y):
    zero = torch.zeros_like(logits)
    return (torch.logaddexp(zero, logits) - y * logits).mean()


@bug("cross_entropy", "log of an unshifted softmax")
def ce_naive(logits, y):
    e = torch.exp(logits)
    p = e / e.sum(dim=1, keepdim=True)
    return -torch.log(p[torch.arange(len(y), device=logits.device), y]).mean()


@bug("cross_entropy", "sum over the batch instead of mean")
def ce_sum(logits, y):
    m = logits.amax(dim=1, keepdim=True)
    log_p = logits - m - torch.log(torch.exp(logits - m).sum(dim=1, keepdim=True))
    return -log_p[torch.arange(len(y), device=logits.device), y].sum()


@bug("cross_entropy", "averages over every entry of the log-probability matrix")
def ce_mean_all(logits, y):
    m = logits.amax(dim=1, keepdim=True)
    log_p = logits - m - torch.log(torch.exp(logits - m).sum(dim=1, keepdim=True))
    one_hot = (torch.arange(logits.shape[1], device=logits.device) == y[:, None]).to(logits.dtype)
    return -(log_p * one_hot).mean()


@variant("cross_entropy", "one-hot dot product with gather-free log-probabilities")
def ce_one_hot(logits, y):
    m = logits.amax(dim=1, keepdim=True)
    log_p = logits - m - torch.log(torch.exp(logits - m).sum(dim=1, keepdim=True))
    one_hot = (torch.arange(logits.shape[1], device=logits.device) == y[:, None]).to(logits.dtype)
    return -(log_p * one_hot).sum(dim=1).mean()


@variant("cross_entropy", "logsumexp minus the gold logit")
def ce_lse_minus_gold(logits, y):
    m = logits.amax(dim=1)
    lse = m + torch.log(torch.exp(logits - m[:, None]).sum(dim=1))
    return (lse - logits.gather(1, y[:, None])[:, 0]).mean()


# -- gradients ------------------------------------------------------------------


def _softmax(z):
    e = torch.exp(z - z.amax(dim=-1, keepdim=True))
    return e / e.sum(dim=-1, keepdim=True)


def _one_hot(y, logits):
    return (torch.arange(logits.shape[1], device=logits.device) == y[:, None]).to(logits.dtype)


@bug("cross_entropy_grad", "forgets to divide by the batch size")
def ce_grad_no_mean(logits, y):
    return _softmax(logits) - _one_hot(y, logits)


@bug("cross_entropy_grad", "one-hot minus softmax (wrong sign)")
def ce_grad_sign(logits, y):
    return (_one_hot(y, logits) - _softmax(logits)) / logits.shape[0]


@bug("cross_entropy_grad", "divides by the number of classes")
def ce_grad_by_k(logits, y):
    return (_softmax(logits) - _one_hot(y, logits)) / logits.shape[1]


@variant("cross_entropy_grad", "scatter_ into a zero matrix for the one-hot")
def ce_grad_scatter(logits, y):
    one_hot = torch.zeros_like(logits).scatter_(1, y[:, None], 1.0)
    return (_softmax(logits) - one_hot) / logits.shape[0]


@bug("linear_backward", "missing bias gradient (zeros)")
def lb_no_bias(x, W, grad_out):
    return grad_out @ W.T, x.T @ grad_out, torch.zeros_like(grad_out[0])


@bug("linear_backward", "bias gradient averaged instead of summed")
def lb_mean_bias(x, W, grad_out):
    return grad_out @ W.T, x.T @ grad_out, grad_out.mean(dim=0)


@bug("linear_backward", "weight gradient transposed (only right when square)")
def lb_transposed_weights(x, W, grad_out):
    grad_W = (x.T @ grad_out).T
    return grad_out @ W.T, grad_W if grad_W.shape == W.shape else x.T @ grad_out * 0.5, grad_out.sum(dim=0)


@bug("linear_backward", "input gradient uses W instead of W.T (square layers)")
def lb_no_transpose_x(x, W, grad_out):
    grad_x = grad_out @ W if W.shape[0] == W.shape[1] else grad_out @ W.T * 2
    return grad_x, x.T @ grad_out, grad_out.sum(dim=0)


@variant("linear_backward", "einsum for every gradient")
def lb_einsum(x, W, grad_out):
    return (
        torch.einsum("no,io->ni", grad_out, W),
        torch.einsum("ni,no->io", x, grad_out),
        torch.einsum("no->o", grad_out),
    )


# -- sgd_step --------------------------------------------------------------------


@bug("sgd_step", "rebinds a local name: the caller's tensors never change")
def sgd_rebind(params, grads, lr, weight_decay=0.0):
    for p, g in zip(params, grads, strict=True):
        p = p - lr * (g + weight_decay * p)  # noqa: PLW2901 - the bug on purpose


@bug("sgd_step", "adds the gradient (ascends the loss)")
def sgd_ascend(params, grads, lr, weight_decay=0.0):
    for p, g in zip(params, grads, strict=True):
        p += lr * (g + weight_decay * p)


@bug("sgd_step", "applies weight decay without the learning rate")
def sgd_decay_unscaled(params, grads, lr, weight_decay=0.0):
    for p, g in zip(params, grads, strict=True):
        p -= lr * g + weight_decay * p


@variant("sgd_step", "decay first with mul_, then add_ with alpha")
def sgd_mul_add(params, grads, lr, weight_decay=0.0):
    for p, g in zip(params, grads, strict=True):
        p.mul_(1 - lr * weight_decay).add_(g, alpha=-lr)


# -- train_log_linear --------------------------------------------------------------


def _train(X, y, k, epochs, lr, batch_size, weight_decay, generator, *, sign=1.0, shuffle=True, init=None):
    """A plain training loop with knobs that turn it into the bugs below."""
    n, d = X.shape
    W = torch.zeros(d, k, dtype=X.dtype, device=X.device) if init is None else init(d, k, X)
    b = torch.zeros(k, dtype=X.dtype, device=X.device)
    losses = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator).to(X.device) if shuffle else torch.arange(n, device=X.device)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            xb, yb = X[idx], y[idx]
            logits = xb @ W + b
            p = _softmax(logits)
            total += float(-torch.log(p[torch.arange(len(yb), device=X.device), yb]).sum())
            g = (p - _one_hot(yb, logits)) / len(yb)
            W -= sign * lr * (xb.T @ g + weight_decay * W)
            b -= sign * lr * (g.sum(dim=0) + weight_decay * b)
        losses.append(total / n)
    return W, b, losses


@bug("train_log_linear", "gradient ascent (wrong sign of the update)")
def train_ascent(X, y, num_classes, epochs=50, lr=0.5, batch_size=32, weight_decay=0.0, generator=None):
    return _train(X, y, num_classes, epochs, lr, batch_size, weight_decay, generator, sign=-1.0)


@bug("train_log_linear", "returns the initial weights (trains a copy)")
def train_copy(X, y, num_classes, epochs=50, lr=0.5, batch_size=32, weight_decay=0.0, generator=None):
    W, b, losses = _train(X, y, num_classes, epochs, lr, batch_size, weight_decay, generator)
    return torch.zeros_like(W), torch.zeros_like(b), losses


@bug("train_log_linear", "losses as tensors instead of floats, one per batch")
def train_tensor_losses(X, y, num_classes, epochs=50, lr=0.5, batch_size=32, weight_decay=0.0, generator=None):
    W, b, losses = _train(X, y, num_classes, epochs, lr, batch_size, weight_decay, generator)
    return W, b, [torch.tensor(v) for v in losses for _ in range(2)]


@variant("train_log_linear", "no shuffling and small random initial weights")
def train_no_shuffle(X, y, num_classes, epochs=50, lr=0.5, batch_size=32, weight_decay=0.0, generator=None):
    def init(d, k, X):
        return 0.01 * torch.randn(d, k, generator=generator, dtype=torch.float64).to(X.device, X.dtype)

    return _train(X, y, num_classes, epochs, lr, batch_size, weight_decay, generator, shuffle=False, init=init)


# -- device placement: right on the CPU, wrong on a GPU (caught anywhere by the device check) -------------------------


@bug("predict_class", "argmax through NumPy (.numpy() and back)")
def predict_class_numpy(scores):
    return torch.from_numpy(scores.detach().cpu().numpy().argmax(axis=-1))


@bug("linear_backward", "bias gradient through .tolist() and back")
def linear_backward_tolist(x, W, grad_out):
    grad_b = torch.tensor(grad_out.sum(dim=0).tolist(), dtype=grad_out.dtype)
    return grad_out @ W.T, x.T @ grad_out, grad_b


@bug("cross_entropy", "one-hot targets from torch.zeros(n, k) without the logits' device")
def cross_entropy_cpu_one_hot(logits, y):
    n, k = logits.shape
    one_hot = torch.zeros(n, k, dtype=logits.dtype)
    one_hot[torch.arange(n), y] = 1.0
    shifted = logits - logits.amax(dim=-1, keepdim=True)
    log_probs = shifted - torch.log(torch.exp(shifted).sum(dim=-1, keepdim=True))
    return -(one_hot * log_probs).sum() / n


@bug("cross_entropy_grad", "one-hot targets from torch.zeros(n, k) without the logits' device")
def ce_grad_cpu_one_hot(logits, y):
    n, k = logits.shape
    one_hot = torch.zeros(n, k, dtype=logits.dtype)
    one_hot[torch.arange(n), y] = 1.0
    return (_softmax(logits) - one_hot) / n


@bug("hinge_loss", "max against torch.zeros(n) made without the scores' device")
def hinge_cpu_zeros(scores, y):
    return torch.maximum(torch.zeros(scores.shape, dtype=scores.dtype), 1 - y * scores).mean()


@variant("hinge_loss", "max against a 0-dim CPU zero (0-dim CPU tensors mix with any device)")
def hinge_scalar_zero(scores, y):
    return torch.maximum(torch.tensor(0.0, dtype=scores.dtype), 1 - y * scores).mean()


@bug("train_log_linear", "initial weights from torch.zeros(d, k) without the data's device")
def train_cpu_weights(X, y, num_classes, epochs=50, lr=0.5, batch_size=32, weight_decay=0.0, generator=None):
    def init(d, k, X):
        return torch.zeros(d, k, dtype=X.dtype)

    return _train(X, y, num_classes, epochs, lr, batch_size, weight_decay, generator, init=init)
