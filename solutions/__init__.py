"""Reference solutions of the course: the single source of every stub, notebook and test oracle.

Solution code sits between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` markers; the stub
generator (``autograder/build/stubs.py``) replaces each marked block with a
``raise NotImplementedError`` to make the learner's handout.
"""
