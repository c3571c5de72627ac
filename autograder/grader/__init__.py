"""The secure bulk grader: student code never runs in the process that decides the score.

- ``unpack``: turns a class export (folders, zips, LMS bulk downloads,
  notebooks) into submissions made of course files, refusing what is unsafe;
- ``sandbox`` / ``forkserver`` / ``worker``: the isolated processes that run
  learner code (the fork server is a fresh ``python -I`` exec, so it holds
  nothing of the trusted process: no test, no reference);
- ``protocol``: the framed, pickle-free messages between the two sides;
- ``remote``: the ``impl`` the tests see during grading, a proxy to a worker;
- ``bulk``: grades a whole class (progress, resume, parallel workers) and
  writes ``grades.csv``, each ``results.json`` and ``feedback.md``;
- ``report``: the class report (score distribution, pass rate per test).
"""
