"""Tests for datasets.negation: structure of the phrases and the XOR labels."""

from __future__ import annotations

import torch

from datasets import build_vocabulary, load_negation, make_negation_corpus
from datasets.lexicon import NEGATION_WORDS, NEGATIVE_WORDS, POSITIVE_WORDS


def test_same_seed_gives_identical_negation_corpus() -> None:
    assert make_negation_corpus(seed=5) == make_negation_corpus(seed=5)


def test_different_seeds_give_different_negation_corpora() -> None:
    first = make_negation_corpus(seed=0)
    second = make_negation_corpus(seed=1)
    assert first.train_texts != second.train_texts


def test_one_opinion_word_per_phrase_and_label_is_polarity_xor_negation() -> None:
    corpus = make_negation_corpus(n_train=400, n_test=100, seed=0)
    positive, negative = set(POSITIVE_WORDS), set(NEGATIVE_WORDS)
    negations = set(NEGATION_WORDS)
    texts = corpus.train_texts + corpus.test_texts
    labels = corpus.train_labels + corpus.test_labels
    for text, label in zip(texts, labels, strict=True):
        words = text.split()
        opinion_words = [word for word in words if word in positive | negative]
        negation_words = [word for word in words if word in negations]
        assert len(opinion_words) == 1, text
        assert len(negation_words) <= 1, text
        is_positive_word = opinion_words[0] in positive
        is_negated = bool(negation_words)
        assert label == int(is_positive_word != is_negated), text


def test_negation_cells_are_balanced_so_no_single_word_decides() -> None:
    corpus = make_negation_corpus(seed=0)
    negations = set(NEGATION_WORDS)
    positive = set(POSITIVE_WORDS)
    cell_counts = {(p, n): 0 for p in (False, True) for n in (False, True)}
    for text in corpus.train_texts:
        words = set(text.split())
        cell_counts[(bool(words & positive), bool(words & negations))] += 1
    share = [count / len(corpus.train_texts) for count in cell_counts.values()]
    assert all(0.2 <= cell_share <= 0.3 for cell_share in share), cell_counts
    positive_share = sum(corpus.train_labels) / len(corpus.train_labels)
    assert 0.4 <= positive_share <= 0.6


def test_load_negation_shapes_dtypes_and_training_vocabulary() -> None:
    data = load_negation(n_train=150, n_test=40, seed=0)
    corpus = make_negation_corpus(n_train=150, n_test=40, seed=0)
    vocabulary_size = len(data.vocabulary)
    assert data.vocabulary == build_vocabulary(corpus.train_texts)
    assert data.X_train.shape == (150, vocabulary_size)
    assert data.X_test.shape == (40, vocabulary_size)
    assert data.X_train.dtype == torch.float32
    assert data.y_train.dtype == data.y_test.dtype == torch.int64
    assert data.y_test.tolist() == corpus.test_labels


def test_each_load_is_a_private_copy():
    """loads are remembered, but a caller writing into its tensors changes nobody else's"""
    first = load_negation()
    first.X_train.add_(5.0)
    first.vocabulary.append("extra")
    second = load_negation()
    assert float(second.X_train.max()) == 1.0
    assert "extra" not in second.vocabulary
