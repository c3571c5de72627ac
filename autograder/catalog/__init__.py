"""The project's own catalog of realistic learner bugs and of correct-but-different solutions.

Each entry replaces one API name of the reference with another function or
class. ``tests/course/test_catalog.py`` grades every entry: a bug must lose
points on a test of the API it breaks, a variant must keep full marks. This is
how the project proves its tests catch real mistakes and never punish a correct
answer written differently.

Add entries with ``@bug("softmax", "forgets to subtract the max")`` or
``@variant("softmax", "via logsumexp")`` in ``partN.py`` next to this file.
"""

from autograder.catalog.registry import ENTRIES, Entry, bug, load_all, variant

__all__ = ["ENTRIES", "Entry", "bug", "load_all", "variant"]
