"""The test harness shared by the public tests, the hidden tests and the grader.

Tests never import a learner's module: they reach the implementation through the
``impl`` fixture (see ``plugin.py``), so the same test runs in-process for
``make test`` and across the sandbox boundary during grading. Both build the
same results (``results.py``: one scored test, one submission) from the test
runs (``scoring.py``), rendered by ``render.py`` (the score table, feedback.md,
results.json).
"""

from autograder.trusted.harness.grading import graded

__all__ = ["graded"]
