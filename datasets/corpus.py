"""Containers shared by the text corpora, and their bag-of-words view.

A corpus is kept twice: as raw sentences with integer labels (to read, print
and tokenise), and as tensors ready for the slides' linear and MLP
classifiers. The vocabulary is built from the training texts only, as it
would be in practice: the test split must not leak into the features.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor

from datasets.text import bag_of_words, build_vocabulary


@dataclass(frozen=True)
class TextCorpus:
    """Labelled sentences split into a training and a test part."""

    train_texts: list[str]
    train_labels: list[int]
    test_texts: list[str]
    test_labels: list[int]


def draw_splits(
    make_one: Callable[[random.Random], tuple[str, int]], n_train: int, n_test: int, seed: int
) -> dict[str, list]:
    """``n_train`` then ``n_test`` labelled sentences from one seeded generator, as TextCorpus fields.

    The training split is drawn first, so changing ``n_test`` never changes the training texts.
    """
    if n_train < 0 or n_test < 0:
        raise ValueError("n_train and n_test must be non-negative")
    return {name: list(values) for name, values in _drawn(make_one, n_train, n_test, seed).items()}


@functools.lru_cache(maxsize=32)  # the same corpus is drawn by many tests, and by every submission a grader grades
def _drawn(make_one, n_train: int, n_test: int, seed: int) -> dict[str, tuple]:
    rng = random.Random(seed)
    train = [make_one(rng) for _ in range(n_train)]
    test = [make_one(rng) for _ in range(n_test)]
    return {
        "train_texts": tuple(text for text, _ in train),
        "train_labels": tuple(label for _, label in train),
        "test_texts": tuple(text for text, _ in test),
        "test_labels": tuple(label for _, label in test),
    }


@dataclass(frozen=True)
class BagOfWordsSplits:
    """A corpus featurized with binary bag-of-words.

    ``X_train[:, j]`` and ``X_test[:, j]`` both stand for ``vocabulary[j]``.
    """

    X_train: Tensor  # (n_train, V)
    y_train: Tensor  # (n_train,) int64
    X_test: Tensor  # (n_test, V)
    y_test: Tensor  # (n_test,) int64
    vocabulary: list[str]


def featurize_corpus(
    corpus: TextCorpus,
    binary: bool = True,
    min_count: int = 1,
    dtype: torch.dtype = torch.float32,
    device: torch.device | str | None = None,
) -> BagOfWordsSplits:
    """Build the vocabulary on the training texts and featurize both splits."""
    vocabulary = build_vocabulary(corpus.train_texts, min_count=min_count)
    X_train = bag_of_words(corpus.train_texts, vocabulary, binary=binary, dtype=dtype, device=device)  # (n_train, V)
    X_test = bag_of_words(corpus.test_texts, vocabulary, binary=binary, dtype=dtype, device=device)  # (n_test, V)
    y_train = torch.tensor(corpus.train_labels, dtype=torch.int64, device=device)
    y_test = torch.tensor(corpus.test_labels, dtype=torch.int64, device=device)
    return BagOfWordsSplits(X_train, y_train, X_test, y_test, vocabulary)


def remembered(load: Callable[..., BagOfWordsSplits]) -> Callable[..., BagOfWordsSplits]:
    """``load`` computed once per set of arguments, each caller getting its own copy of the tensors.

    Featurizing a corpus is pure, and a grader asks for the same corpus in
    several tests of every submission.
    """
    cached = functools.lru_cache(maxsize=16)(load)

    @functools.wraps(load)
    def copy(*args, **kwargs) -> BagOfWordsSplits:
        kept = cached(*args, **kwargs)
        tensors = (kept.X_train, kept.y_train, kept.X_test, kept.y_test)
        return BagOfWordsSplits(*(t.clone() for t in tensors), vocabulary=list(kept.vocabulary))

    return copy
