"""The words a learner reads when something fails: one function (or constant) per message, one module per stage.

Detection stays at the site: the check, the loader, the worker session, the
unpacker decides *that* something failed and how, and calls a function here for
*what the learner reads*. A function returns the one text it writes (a summary,
a note, a reason), or a ``values.Hint`` when it writes several of a failure's
fields (see ``feedback.py`` for what each field is and which suites show the
values). Both sides of the sandbox import these modules, so they import nothing
but the standard library and each other.

- ``values``: how a tensor, a learner's line, an error's message, a subject and a
  cut-short list are said, and ``Hint``; the phrases the other modules build on;
- ``checks``: a check's failed property on a learner's output (``Mismatch``), skips;
- ``verdicts``: not implemented, not loadable, forbidden calls, the learner's code raised;
- ``worker``: the sandboxed worker and the session that drives it, timeouts and crashes;
- ``probes``: the probes, the test models of Part 4 and the device check;
- ``grading``: grading one submission (tests not run, what importing said);
- ``unpack``: unpacking what an instructor hands the grader, refusals and notes;
- ``notebooks``: converting a notebook, running it cell by cell, the notes on the run.

Nothing is re-exported here: a caller imports the module it needs, named for
it, e.g. ``from autograder.shared.hints import unpack as unpack_hints``.
"""
