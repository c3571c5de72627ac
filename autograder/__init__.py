"""The grader, laid out by the side of the sandbox each file runs on.

- ``trusted/``: the process that decides the score. ``harness/`` is what every
  test imports (the ``impl`` fixture, ``@graded``, checks, tolerances, the score
  table); ``grader/`` grades one submission or a whole class (unpack, the
  fork-server client, ``results.json``, ``grades.csv``); ``report/`` is what the
  instructor reads about the class. The sandboxed side never imports it.
- ``sandboxed/``: the code that runs next to learner code: the fork server, the
  worker and its sandbox layers, the loader, the call recorder and the probes.
  During grading it runs only in the worker; under ``make test`` it runs in the
  learner's own process.
- ``shared/``: what both sides import: the wire format (``protocol.py``), the
  course contract (``api.py``), the verdict kinds and hint words, seeded inputs
  and the test models. It holds no test, no reference and no decision.
- ``hidden/``, ``catalog/``, ``examples/``, ``build/``: the hidden suites, the
  bug catalog, the demo class and the generators. Instructor-only, trusted.

``tests/grader/test_trust_boundary.py`` proves the worker holds nothing of
``trusted/``, ``hidden/`` or ``solutions/``.
"""
