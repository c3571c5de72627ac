"""The test harness of LLMs Under the Hood: what ``make test`` runs your files with.

Written into the release as ``autograder/__init__.py`` by ``autograder/build/release.py``.

- ``trusted/harness/``: the fixtures, tolerances, hints and score table behind
  the public tests in ``assignments/partN/tests/``. You never need to edit it.
- ``sandboxed/``: what loads your files and runs beside them (the loader, the
  call recorder, the probes); ``shared/``: the course contract, hint words and
  seeded inputs both use.
- ``__main__.py``: ``python -m autograder test`` (what ``make test`` calls).

Your grade comes from the same tests plus hidden ones (other inputs, edge
cases, training outcomes), run by your instructor's grader.
"""
