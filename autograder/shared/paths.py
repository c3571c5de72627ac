"""Where the course lives on disk: the one definition of the repository root.

Every module that needs a folder of the course (``solutions/``, ``assignments/``,
``autograder/hidden/``, ``datasets/``) finds it from here. In the learner release
and the Gradescope bundle this file sits at the same depth, so the root is the
release's or the bundle's own.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
