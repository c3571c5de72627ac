"""The test harness shared by the public tests, the hidden tests and the grader.

Tests never import a learner's module: they reach the implementation through the
``impl`` fixture (see ``plugin.py``), so the same test runs in-process for
``make test`` and across the sandbox boundary during grading.
"""

from autograder.trusted.harness.grading import graded

__all__ = ["graded"]
