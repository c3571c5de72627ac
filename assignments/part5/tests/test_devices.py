"""Public device checks of Part 5: every API keeps its results on the inputs' device (docs/course_api.md, conventions).

Your code runs on a simulated GPU when this machine has none (the `cpu` run),
and on the real one where there is (`cuda`, `mps`). A tensor made without the
input's device (`torch.zeros(n, k)`, `torch.arange(T)`), or values sent through
`.numpy()`, `.tolist()` or `.item()`, cost these points; the hint names the
tensor and the line that made it.
"""

from autograder.trusted.harness.device_check import device_tests

globals().update(device_tests(part=5))
