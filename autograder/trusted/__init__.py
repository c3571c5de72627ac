"""The process that decides the score: the tests' harness, the grader and the class report.

Learner code never runs here. During grading the tests reach the learner's
functions through a proxy (``grader/remote/``) to a sandboxed worker.
"""
