"""Hidden tests for train_mlp, judged by outcome: XOR and the negation corpus solved, seeded order, decay, dtypes.

Measured with the reference (see assignments/part2/README.md): on the negation
corpus (800 training and 200 held-out phrases, binary bag of words) a
[V, 64, 2] ReLU MLP trained 50 epochs (lr 0.2, batch 16, weight decay 0.01)
reaches 0.99 to 1.00 held-out accuracy on every seed we tried (0 to 5), while
the log-linear model of Part 1 on the same features stays at 0.49 to 0.55
whatever its settings, the chance level this corpus is built to enforce.
"""

import torch

from autograder.hidden.part2.mlp_oracle import to64
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.tolerances import Depth
from datasets import load_negation, noisy_xor, xor_dataset

NEGATION_MLP_TARGET = 0.90  # the reference: 0.99 to 1.00 on six seeds
NEGATION_LOG_LINEAR_MEASURED = 0.50  # Part 1's train_log_linear, best of the settings we tried: 0.55


def on_device(impl, model, device, dtype=None):
    """Move a learner MLP's own parameters to ``device`` (and ``dtype``) through the assign probe."""
    params = [p.to(device, dtype) if dtype else p.to(device) for p in model.parameters()]
    impl.probe("MLP", "assign_parameters", model, params)
    return model


def accuracy(model, X, y) -> float:
    return float((model.forward(X).argmax(dim=1) == y).double().mean())


@graded("train_mlp", points=3)
def test_train_mlp_solves_xor_where_a_linear_model_cannot(impl, ref, device, gen):
    """a [2, 4, 2] tanh MLP gets all four XOR points right, the best linear classifier at most three"""
    X, y = xor_dataset(device=device)
    W, b, _ = ref.train_log_linear(X, y, 2, epochs=150, lr=1.0, batch_size=4, generator=torch.Generator())
    linear = float(((X @ W + b).argmax(dim=1) == y).double().mean())
    model = on_device(impl, impl.MLP([2, 4, 2], activation="tanh", generator=gen), device)
    impl.train_mlp(model, X, y, epochs=150, lr=1.0, batch_size=4, generator=gen)
    reached = accuracy(model, X, y)
    expect(
        reached == 1.0,
        case=f"train_mlp on XOR, [2, 4, 2] tanh, 150 epochs, lr 1.0 (a linear model trained alike: {linear:.2f})",
        expected="accuracy 1.00",
        got=f"accuracy {reached:.2f}",
        cause="each batch: forward, gradient (softmax - one_hot) / B, model.backward, in-place step on parameters()",
    )


@graded("train_mlp", points=2)
def test_train_mlp_on_noisy_xor_generalises(impl, device, gen):
    """100 noisy XOR points: 95% accuracy on 200 fresh ones"""
    X, y = noisy_xor(100, noise=0.1, generator=gen, device=device)
    X_test, y_test = noisy_xor(200, noise=0.1, generator=gen, device=device)
    model = on_device(impl, impl.MLP([2, 8, 2], activation="tanh", generator=gen), device)
    impl.train_mlp(model, X, y, epochs=40, lr=0.5, batch_size=25, generator=gen)
    reached = accuracy(model, X_test, y_test)
    expect(
        reached >= 0.95,
        case="train_mlp on 100 noisy XOR points, [2, 8, 2] tanh, 40 epochs, batch 25",
        expected="held-out accuracy >= 0.95",
        got=f"accuracy {reached:.3f}",
        cause="visit every batch of every epoch, the short last one included",
    )


@graded("train_mlp", points=4)
def test_train_mlp_understands_negation(impl, ref, device, gen):
    """on the negation corpus the MLP reaches 90% held-out accuracy; log-linear stays near 50%"""
    data = load_negation(device=device)
    W, b, _ = ref.train_log_linear(
        data.X_train, data.y_train, 2, epochs=20, lr=0.5, batch_size=32, generator=torch.Generator().manual_seed(0)
    )
    log_linear = float(((data.X_test @ W + b).argmax(dim=1) == data.y_test).double().mean())
    model = impl.MLP([data.X_train.shape[1], 64, 2], activation="relu", generator=gen)
    on_device(impl, model, device)
    losses = impl.train_mlp(
        model, data.X_train, data.y_train, epochs=50, lr=0.2, batch_size=16, weight_decay=0.01, generator=gen
    )
    reached = accuracy(model, data.X_test, data.y_test)
    expect(
        reached >= NEGATION_MLP_TARGET,
        case=(
            "train_mlp on the negation corpus, [V, 64, 2] ReLU, 50 epochs, lr 0.2, batch 16, weight decay 0.01 "
            f"(the reference reaches 0.99 to 1.00; Part 1's log-linear model on the same features: {log_linear:.2f} "
            f"here, {NEGATION_LOG_LINEAR_MEASURED:.2f} when measured)"
        ),
        expected=f"held-out accuracy >= {NEGATION_MLP_TARGET}",
        got=f"accuracy {reached:.3f}, training loss {losses[0]:.3f} -> {losses[-1]:.3f}",
        cause="check the update p -= lr * (g + weight_decay * p) on the tensors parameters() returns",
    )


@graded("train_mlp", points=2)
def test_train_mlp_order_comes_from_the_generator(impl, device):
    """the same seed gives the same model; another seed shuffles differently"""
    X = torch.randn(40, 3, generator=torch.Generator().manual_seed(5)).to(device)
    y = (X[:, 0] * X[:, 1] > 0).long()
    results = []
    for seed in (11, 11, 12):
        model = on_device(
            impl, impl.MLP([3, 6, 2], activation="tanh", generator=torch.Generator().manual_seed(0)), device
        )
        impl.train_mlp(model, X, y, epochs=3, lr=0.5, batch_size=8, generator=torch.Generator().manual_seed(seed))
        results.append(torch.cat([p.detach().cpu().double().reshape(-1) for p in model.parameters()]))
    same = torch.equal(results[0], results[1])
    shuffled = not torch.equal(results[0], results[2])
    expect(
        same and shuffled,
        case="train_mlp from one initial model with generators seeded 11, 11 and 12 (batch 8 of 40)",
        expected="seed 11 twice gives identical parameters, seed 12 different ones",
        got=f"same seed identical: {same}; other seed different: {shuffled}",
        cause="shuffle every epoch with torch.randperm(n, generator=generator), and use no other randomness",
    )


@graded("train_mlp", points=2)
def test_train_mlp_reports_the_mean_epoch_loss(impl, device, gen):
    """with lr = 0 every epoch's loss is the model's mean cross-entropy on the data"""
    X = torch.randn(24, 4, generator=gen).to(device)
    y = torch.randint(0, 3, (24,), generator=gen).to(device)
    model = on_device(impl, impl.MLP([4, 5, 3], activation="sigmoid", generator=gen), device)
    params = to64(model.parameters())
    h = torch.sigmoid(X.double().cpu() @ params[0] + params[1]) @ params[2] + params[3]
    loss = float(torch.nn.functional.cross_entropy(h, y.cpu()))
    losses = impl.train_mlp(model, X, y, epochs=2, lr=0.0, batch_size=6, generator=gen)
    expect(
        isinstance(losses, list) and len(losses) == 2 and all(isinstance(v, float) for v in losses),
        case="train_mlp(epochs=2) return value",
        expected="a list of 2 Python floats",
        got=f"{type(losses).__name__} {losses!r}"[:200],
        cause="append the epoch's mean loss as a float (.item()) once per epoch",
    )
    expect_close(
        torch.tensor(losses, dtype=torch.float32),
        torch.tensor([loss, loss], dtype=torch.float32),
        case="the losses of train_mlp(epochs=2, lr=0.0, batch_size=6) on 24 samples",
        depth=Depth.CHAIN,
        cause="the epoch loss is the mean cross-entropy over the epoch's samples: mean of -log softmax(logits)[i, y_i]",
    )


@graded("train_mlp", points=2)
def test_train_mlp_weight_decay_shrinks_the_weights(impl, device, gen):
    """weight decay 0.05 gives clearly smaller weights than none"""
    X, y = noisy_xor(64, noise=0.2, generator=gen, device=device)
    norms = []
    for decay in (0.0, 0.05):
        model = impl.MLP([2, 8, 2], activation="relu", generator=torch.Generator().manual_seed(4))
        on_device(impl, model, device)
        impl.train_mlp(
            model,
            X,
            y,
            epochs=40,
            lr=0.3,
            batch_size=16,
            weight_decay=decay,
            generator=torch.Generator().manual_seed(9),
        )
        norms.append(float(torch.cat([p.detach().cpu().double().reshape(-1) for p in model.parameters()]).norm()))
    expect(
        norms[1] < 0.9 * norms[0],
        case="the parameters' norm after training with weight_decay=0.05 against weight_decay=0",
        expected="clearly smaller with decay",
        got=f"{norms[1]:.3f} with decay vs {norms[0]:.3f} without",
        cause="add weight_decay * p to each gradient before the step: p -= lr * (g + weight_decay * p)",
    )


@graded("train_mlp", points=2)
def test_train_mlp_float64_and_a_ragged_last_batch(impl, device, gen):
    """float64 data, 50 samples in batches of 16: stays float64 and learns"""
    X, y = noisy_xor(50, noise=0.05, generator=gen, dtype=torch.float64, device=device)
    model = on_device(impl, impl.MLP([2, 8, 2], activation="tanh", generator=gen), device, torch.float64)
    losses = impl.train_mlp(model, X, y, epochs=80, lr=0.5, batch_size=16, generator=gen)
    dtypes = {str(p.dtype).removeprefix("torch.") for p in model.parameters()}
    expect(
        dtypes == {"float64"},
        case="parameter dtypes after train_mlp on float64 data",
        expected="float64",
        got=", ".join(sorted(dtypes)),
        cause="keep the update in the parameters' dtype: p -= ... in place, no new float32 tensors",
    )
    reached = accuracy(model, X, y)
    expect(
        reached >= 0.95 and losses[-1] < losses[0],
        case="training accuracy on 50 noisy XOR points, batch 16 (the last batch holds 2)",
        expected="accuracy >= 0.95 and a falling loss",
        got=f"accuracy {reached:.3f}, loss {losses[0]:.3f} -> {losses[-1]:.3f}",
        cause="iterate over every batch, the short last one included, dividing its gradient by its own size",
    )
