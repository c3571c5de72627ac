"""The secure grader's trusted side: student code never runs in the process that decides the score.

- ``unpack``: turns a class export (folders, zips, LMS bulk downloads,
  notebooks) into submissions made of course files, refusing what is unsafe;
- ``remote``: the client of the fork server (``autograder/sandboxed/forkserver.py``)
  and the ``impl`` the tests see during grading, a proxy to a worker;
- ``grade_one``: grades one submission (the orchestrator bulk grading and the LMS bundle share);
- ``bulk``: grades a whole class (progress, resume, parallel workers) and writes ``grades.csv``;
- ``results`` / ``outputs``: what grading produces, and ``results.json`` and ``feedback.md``;
- ``lms`` / ``notebook_load``: LMS exports, and loading a notebook into the worker.
"""
