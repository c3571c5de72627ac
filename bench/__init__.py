"""The performance benchmark behind ``make bench``: each figure is measured next to its baseline in the same run.

One concept per file: ``submissions`` writes the class that is graded,
``processes`` measures CPU time and memory of process trees, ``baseline`` is
the plain unsandboxed pytest grader, ``secure`` measures the sandboxed grader
(per submission, and a whole class at several sizes), ``learner_loop`` times
``make test``, ``memory`` the peak memory of grading one submission, ``fit``
the cost-growth line, and ``table`` prints the results. ``python -m bench``
runs them all.
"""
