"""Device checks of Part 1 (linear and log-linear models): one entry per API, see ``__init__.py``."""

from autograder.shared.device_cases import DeviceCase, call


def _sgd_step_run(sgd_step, params, grads, lr, *, device: str, **kwargs):
    """sgd_step updates in place and returns None: what is checked is the parameters after the step."""
    sgd_step(params, grads, lr, **kwargs)
    return params


CASES = (
    DeviceCase("linear", lambda d: call(d.randn(5, 4), d.randn(4, 3), d.randn(3))),
    DeviceCase("predict_sign", lambda d: call(d.randn(7))),
    DeviceCase("predict_class", lambda d: call(d.randn(6, 4))),
    DeviceCase("sigmoid", lambda d: call(d.randn(3, 5))),
    DeviceCase("softmax", lambda d: call(d.randn(3, 5))),
    DeviceCase("log_softmax", lambda d: call(d.randn(3, 5))),
    DeviceCase("xor_features", lambda d: call(d.randn(6, 2))),
    DeviceCase("mse_loss", lambda d: call(d.randn(6, 2), d.randn(6, 2))),
    DeviceCase("hinge_loss", lambda d: call(d.randn(8), d.signs(8))),
    DeviceCase("multiclass_hinge_loss", lambda d: call(d.randn(6, 4), d.labels(6, 4))),
    DeviceCase("binary_cross_entropy", lambda d: call(d.randn(8), (d.signs(8) + 1) / 2)),
    DeviceCase("cross_entropy", lambda d: call(d.randn(6, 4), d.labels(6, 4))),
    DeviceCase("cross_entropy_grad", lambda d: call(d.randn(6, 4), d.labels(6, 4))),
    DeviceCase("linear_backward", lambda d: call(d.randn(5, 4), d.randn(4, 3), d.randn(5, 3))),
    DeviceCase(
        "sgd_step",
        lambda d: call([d.randn(4, 3), d.randn(3)], [d.randn(4, 3), d.randn(3)], 0.1, weight_decay=0.01),
        run=_sgd_step_run,
    ),
    DeviceCase(
        "train_log_linear",
        lambda d: call(d.randn(8, 3), d.labels(8, 3), 3, epochs=1, lr=0.1, batch_size=4, generator=d.gen),
        reads_values=True,
    ),
)
