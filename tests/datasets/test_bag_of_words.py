"""Tests for datasets.text: tokenisation, vocabulary and bag-of-words."""

from __future__ import annotations

import torch

from datasets import bag_of_words, build_vocabulary, tokenize
from datasets.corpus import TextCorpus, featurize_corpus


def test_tokenize_lowercases_and_keeps_inner_apostrophes() -> None:
    assert tokenize("The plot wasn't BAD, honestly!") == [
        "the",
        "plot",
        "wasn't",
        "bad",
        "honestly",
    ]


def test_tokenize_treats_digits_and_quotes_as_separators() -> None:
    assert tokenize("'Great' movie, 10/10") == ["great", "movie"]
    assert tokenize("") == []


def test_build_vocabulary_is_sorted_unique_and_order_independent() -> None:
    texts = ["b a c", "a a d"]
    assert build_vocabulary(texts) == ["a", "b", "c", "d"]
    assert build_vocabulary(list(reversed(texts))) == ["a", "b", "c", "d"]


def test_build_vocabulary_min_count_drops_rare_words() -> None:
    assert build_vocabulary(["b a c", "a a d", "c"], min_count=2) == ["a", "c"]


def test_bag_of_words_binary_values_on_a_tiny_example() -> None:
    vocabulary = ["bad", "good", "movie", "not"]
    X = bag_of_words(["Good good movie", "not a bad movie", ""], vocabulary)
    expected = torch.tensor(
        [
            [0.0, 1.0, 1.0, 0.0],
            [1.0, 0.0, 1.0, 1.0],
            [0.0, 0.0, 0.0, 0.0],
        ]
    )
    assert X.dtype == torch.float32
    assert torch.equal(X, expected)


def test_bag_of_words_counts_when_not_binary() -> None:
    vocabulary = ["bad", "good", "movie", "not"]
    X = bag_of_words(["good good movie good"], vocabulary, binary=False)
    assert torch.equal(X, torch.tensor([[0.0, 3.0, 1.0, 0.0]]))


def test_bag_of_words_ignores_unknown_words() -> None:
    X = bag_of_words(["zebra good xylophone"], ["good", "movie"])
    assert torch.equal(X, torch.tensor([[1.0, 0.0]]))


def test_bag_of_words_shape_and_dtype_edge_cases() -> None:
    assert bag_of_words([], ["a", "b"]).shape == (0, 2)
    assert bag_of_words(["a b"], []).shape == (1, 0)
    X = bag_of_words(["a"], ["a"], dtype=torch.float64)
    assert X.dtype == torch.float64


def test_featurize_corpus_builds_vocabulary_from_training_split_only() -> None:
    corpus = TextCorpus(
        train_texts=["good movie", "bad movie"],
        train_labels=[1, 0],
        test_texts=["good unseen words"],
        test_labels=[1],
    )
    splits = featurize_corpus(corpus)
    assert splits.vocabulary == ["bad", "good", "movie"]
    # The test-only words have no column, so only "good" lights up.
    assert torch.equal(splits.X_test, torch.tensor([[0.0, 1.0, 0.0]]))
    assert splits.y_train.dtype == torch.int64
    assert torch.equal(splits.y_test, torch.tensor([1]))
