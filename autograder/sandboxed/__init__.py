"""The code that runs next to learner code; never trusted with a score.

During grading all of it runs in the sandboxed worker, a child of the fork
server (a fresh ``python -I`` exec holding no test and no reference). Under
``make test`` the loader, recorder and probes run in the learner's own process.

- ``forkserver`` / ``worker`` / ``sandbox``: the server that forks one worker per
  submission, the worker's request loop, and its isolation layers;
- ``cells`` / ``stand_ins``: notebooks run cell by cell, with display-only modules stood in;
- ``loader``: finds and imports the learner's files, one ``Implementation`` per submission;
- ``recording`` / ``placement`` / ``optimizer_support``: the forbidden-call recorder,
  the simulated-GPU device check, and torch's optimizer base without dynamo;
- ``probes/``: checks that must run beside the learner's objects (autograd, in-place updates).

It imports ``autograder.shared`` and nothing of ``autograder.trusted``.
"""
