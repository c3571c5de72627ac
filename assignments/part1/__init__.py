"""Part 1: linear and log-linear models (slides, sections 2 and 3).

Each topic lives in its own file; the course API names are listed in
``autograder/shared/api.py``, which also says which file holds which name.
"""
