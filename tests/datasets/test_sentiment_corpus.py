"""Tests for datasets.sentiment: determinism, shapes and label balance."""

from __future__ import annotations

import torch

from datasets import (
    build_vocabulary,
    load_sentiment,
    make_sentiment_corpus,
    tokenize,
)
from datasets.lexicon import (
    NEGATION_WORDS,
    NEGATIVE_WORDS,
    NEUTRAL_ADVERBS,
    NEUTRAL_PREFIXES,
    NEUTRAL_SUFFIXES,
    POSITIVE_WORDS,
    SUBJECTS,
)


def test_same_seed_gives_identical_sentiment_corpus() -> None:
    assert make_sentiment_corpus(seed=7) == make_sentiment_corpus(seed=7)


def test_different_seeds_give_different_sentiment_corpora() -> None:
    first = make_sentiment_corpus(seed=0)
    second = make_sentiment_corpus(seed=1)
    assert first.train_texts != second.train_texts
    assert first.test_texts != second.test_texts


def test_sentiment_train_split_does_not_depend_on_test_size() -> None:
    small_test = make_sentiment_corpus(n_train=100, n_test=10, seed=2)
    large_test = make_sentiment_corpus(n_train=100, n_test=300, seed=2)
    assert small_test.train_texts == large_test.train_texts
    assert small_test.train_labels == large_test.train_labels


def test_sentiment_corpus_sizes_and_label_values() -> None:
    corpus = make_sentiment_corpus(n_train=120, n_test=30, seed=0)
    assert len(corpus.train_texts) == len(corpus.train_labels) == 120
    assert len(corpus.test_texts) == len(corpus.test_labels) == 30
    assert set(corpus.train_labels) | set(corpus.test_labels) == {0, 1}
    assert all(isinstance(text, str) and text for text in corpus.train_texts)


def test_sentiment_labels_are_roughly_balanced() -> None:
    corpus = make_sentiment_corpus(seed=0)
    positive_share = sum(corpus.train_labels) / len(corpus.train_labels)
    assert 0.4 <= positive_share <= 0.6


def test_sentiment_labels_mostly_match_the_opinion_words() -> None:
    # Sentences with only positive (or only negative) words should carry that
    # label apart from the deliberate label noise.
    corpus = make_sentiment_corpus(seed=0)
    positive, negative = set(POSITIVE_WORDS), set(NEGATIVE_WORDS)
    agree = total = 0
    for text, label in zip(corpus.train_texts, corpus.train_labels, strict=True):
        words = set(text.split())
        has_positive, has_negative = bool(words & positive), bool(words & negative)
        if has_positive != has_negative:
            total += 1
            agree += int(label == int(has_positive))
    assert total > 0.8 * len(corpus.train_texts)
    assert 0.9 <= agree / total < 1.0


def test_load_sentiment_shapes_dtypes_and_training_vocabulary() -> None:
    data = load_sentiment(n_train=200, n_test=50, seed=0, dtype=torch.float64)
    corpus = make_sentiment_corpus(n_train=200, n_test=50, seed=0)
    vocabulary_size = len(data.vocabulary)
    assert data.vocabulary == build_vocabulary(corpus.train_texts)
    assert data.X_train.shape == (200, vocabulary_size)
    assert data.X_test.shape == (50, vocabulary_size)
    assert data.X_train.dtype == data.X_test.dtype == torch.float64
    assert data.y_train.shape == (200,) and data.y_train.dtype == torch.int64
    assert data.y_test.shape == (50,) and data.y_test.dtype == torch.int64
    assert set(data.X_train.unique().tolist()) == {0.0, 1.0}
    assert data.y_train.tolist() == corpus.train_labels


def test_word_lists_do_not_overlap() -> None:
    # A word in two roles would blur what the model is supposed to learn.
    neutral_words = {
        word for phrase in SUBJECTS + NEUTRAL_ADVERBS + NEUTRAL_PREFIXES + NEUTRAL_SUFFIXES for word in tokenize(phrase)
    }
    roles = [set(POSITIVE_WORDS), set(NEGATIVE_WORDS), set(NEGATION_WORDS)]
    roles.append(neutral_words)
    for index, role in enumerate(roles):
        for other in roles[index + 1 :]:
            assert not role & other, role & other
