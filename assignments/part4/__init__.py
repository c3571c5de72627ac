"""Part 4: using a language model: scoring text, multiple choice, sampling and beam search.

Each topic lives in its own file; the course API names are listed in
``autograder/shared/api.py``, which also says which file holds which name.
A *model* is any callable from int64 token ids (B, T) to next-token logits (B, T, V).
"""
