"""The secure grader's trusted side: student code never runs in the process that decides the score.

- ``unpack``: turns a class export (folders, zips, LMS bulk downloads,
  notebooks) into submissions made of course files, refusing what is unsafe;
- ``remote``: the client of the fork server (``autograder/sandboxed/forkserver.py``)
  and the ``impl`` the tests see during grading, a proxy to a worker;
- ``grade_one``: grades one submission (the orchestrator bulk grading and the LMS bundle share);
- ``bulk``: grades a whole class (progress, resume, parallel workers) and writes ``grades.csv``;
- ``outputs``: writing files atomically, and ``grades.csv``; the results themselves and their
  ``results.json`` and ``feedback.md`` are the harness's (``harness/results.py``, ``harness/render.py``),
  so that ``make test`` and grading build and render the same objects;
- ``lms`` / ``notebook_load``: LMS exports, and loading a notebook into the worker.
"""
