"""Part 5: a modern language model, the recipe of LLaMA and Mistral, and how to train it and its tokenizer.

Each topic lives in its own file; the course API names are listed in
``autograder/shared/api.py``, which also says which file holds which name.
"""
