"""Part 2: multi-layer perceptrons and hand-written backpropagation (slides, sections 4 and 5).

Each topic lives in its own file; the course API names are listed in
``autograder/shared/api.py``, which also says which file holds which name.
"""
