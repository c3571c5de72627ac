"""Tokenisation and the bag-of-words featurizer.

Follows the slides' "sentiment analysis with only one neuron and binary
bag-of-words": a text becomes a vector with one coordinate per vocabulary
word, holding 1 when the word occurs (or its count, when ``binary=False``).
Word order is thrown away, which is exactly why such a representation cannot
tell "good" from "not good" (see ``datasets.negation``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import torch
from torch import Tensor

# A word is a run of ASCII letters, optionally joined by inner apostrophes,
# so contractions such as "wasn't" stay one token while quotes around a word
# ('great') do not become part of it.
_WORD_PATTERN = re.compile(r"[a-z]+(?:'[a-z]+)*")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into lowercase words made of letters and apostrophes.

    Digits, punctuation and whitespace all act as separators.

    >>> tokenize("The plot wasn't BAD, honestly!")
    ['the', 'plot', "wasn't", 'bad', 'honestly']
    """
    return _WORD_PATTERN.findall(text.lower())


def build_vocabulary(texts: Iterable[str], min_count: int = 1) -> list[str]:
    """Return the sorted list of words seen at least ``min_count`` times.

    Counting is over all occurrences in all ``texts``. Sorting makes the
    word -> column mapping independent of the order the texts arrive in.
    """
    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, got {min_count}")
    word_counts = Counter(word for text in texts for word in tokenize(text))
    return sorted(word for word, count in word_counts.items() if count >= min_count)


def bag_of_words(
    texts: Sequence[str],
    vocabulary: Sequence[str],
    binary: bool = True,
    dtype: torch.dtype = torch.float32,
    device: torch.device | str | None = None,
) -> Tensor:
    """Turn ``texts`` into a (n, V) bag-of-words matrix over ``vocabulary``.

    Column j stands for ``vocabulary[j]``. With ``binary=True`` an entry is 1
    if the word occurs in the text and 0 otherwise; with ``binary=False`` it is
    the number of occurrences. Words outside the vocabulary are ignored.
    """
    column_of_word = {word: column for column, word in enumerate(vocabulary)}
    if len(column_of_word) != len(vocabulary):
        raise ValueError("vocabulary contains duplicate words")

    # Collect one (row, column) pair per known token, then fill the matrix in
    # a single scatter instead of a Python loop over tensor elements.
    rows: list[int] = []
    columns: list[int] = []
    for row, text in enumerate(texts):
        for word in tokenize(text):
            column = column_of_word.get(word)
            if column is not None:
                rows.append(row)
                columns.append(column)

    counts = torch.zeros(len(texts), len(vocabulary), dtype=torch.float64)  # (n, V)
    row_index = torch.tensor(rows, dtype=torch.int64)  # (tokens,)
    column_index = torch.tensor(columns, dtype=torch.int64)  # (tokens,)
    ones = torch.ones(len(rows), dtype=torch.float64)  # (tokens,)
    counts.index_put_((row_index, column_index), ones, accumulate=True)  # (n, V)

    features = (counts > 0).to(torch.float64) if binary else counts  # (n, V)
    return features.to(dtype=dtype, device=device)
