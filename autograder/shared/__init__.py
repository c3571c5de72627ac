"""What both sides of the sandbox import: nothing here decides a score or holds a secret.

- ``protocol``: the framed, pickle-free messages between the trusted process and a worker;
- ``api``: the course contract as data (parts, names, signatures, what each part forbids);
- ``feedback`` / ``verdicts``: the verdict kinds, what each suite shows, and the verdicts as exceptions;
- ``hints/``: the words of every hint, refusal and note a learner reads, one function per message,
  one module per stage (values, checks, verdicts, worker, probes, grading, unpack, notebooks);
- ``inputs``, ``lm_models``, ``device_cases``: seeded inputs, Part 4's test models and the
  device-check table, built the same way on either side;
- ``notebooks``: reading a notebook's cells as data (never running them);
- ``memo``, ``paths``: a reference-result cache for ``make test`` and the checkout's root.

Modules here import only each other, torch and the standard library.
"""
