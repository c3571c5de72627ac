"""Device checks of Part 2 (multi-layer perceptrons): one entry per API, see ``__init__.py``."""

from autograder.shared.device_cases import DeviceCase, call


def _forward_backward(layer, x, grad_out, *, device: str):
    """A layer's forward, then its backward: the output and the gradient for x."""
    return [layer.forward(x), layer.backward(grad_out)]


def _linear_run(layer, x, grad_out, *, device: str):
    """forward and backward of a Linear layer, then the gradients it keeps."""
    return [*_forward_backward(layer, x, grad_out, device=device), layer.dW, layer.db]


def _mlp_run(model, x, grad_logits, *, device: str):
    """forward, backward, then every gradient and parameter the model hands out."""
    return [model.forward(x), model.backward(grad_logits), list(model.gradients()), list(model.parameters())]


def _activation_layer(api: str) -> DeviceCase:
    return DeviceCase(api, lambda d: call(d.randn(4, 5), d.randn(4, 5)), build=lambda d: call(), run=_forward_backward)


CASES = (
    DeviceCase("relu", lambda d: call(d.randn(4, 5))),
    DeviceCase("relu_backward", lambda d: call(d.randn(4, 5), d.randn(4, 5))),
    DeviceCase("tanh", lambda d: call(d.randn(4, 5))),
    DeviceCase("tanh_backward", lambda d: call(d.randn(4, 5), d.randn(4, 5))),
    DeviceCase("sigmoid_backward", lambda d: call(d.randn(4, 5), d.randn(4, 5))),
    DeviceCase(
        "Linear",
        lambda d: call(d.randn(6, 4), d.randn(6, 3)),
        build=lambda d: call(4, 3, generator=d.gen),
        run=_linear_run,
    ),
    _activation_layer("ReLU"),
    _activation_layer("Tanh"),
    _activation_layer("Sigmoid"),
    DeviceCase(
        "MLP",
        lambda d: call(d.randn(6, 3), d.randn(6, 2)),
        build=lambda d: call([3, 5, 2], activation="tanh", generator=d.gen),
        run=_mlp_run,
    ),
    DeviceCase(
        "train_mlp",
        lambda d: call(
            d.impl.MLP([2, 4, 2], generator=d.gen),
            d.randn(8, 2),
            d.labels(8, 2),
            epochs=1,
            lr=0.1,
            batch_size=4,
            generator=d.gen,
        ),
        reads_values=True,
    ),
)
