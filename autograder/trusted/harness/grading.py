"""How a test declares what it grades: ``@graded("softmax", points=2)``.

The API name opens the test's display name (``softmax: large logits stay
finite``, the rest taken from the docstring's first line), groups it in the
score table, and tells the harness which exercise loses points when it fails.
"""

import pytest

from autograder.shared.api import all_api_names


def graded(api: str, points: float = 1):
    """Mark a test as grading the course API name ``api`` and worth ``points``."""
    if api not in all_api_names():
        raise ValueError(f"@graded: {api!r} is not a course API name")
    if points <= 0:
        raise ValueError("@graded: points must be positive")
    return pytest.mark.graded(api=api, points=points)


def display_name(api: str, test_function) -> str:
    """'softmax: large logits stay finite' from the marker and the docstring."""
    doc = (test_function.__doc__ or "").strip().splitlines()
    title = doc[0].strip().rstrip(".") if doc else test_function.__name__.removeprefix("test_")
    return f"{api}: {title}"
