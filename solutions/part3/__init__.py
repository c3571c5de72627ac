"""Part 3: attention, the Transformer block and a small language model (slides, section 6).

Each topic lives in its own file; the course API names are listed in
``autograder/shared/api.py``, which also says which file holds which name.
"""
