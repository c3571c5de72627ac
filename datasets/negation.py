"""A negation-sensitive corpus that defeats bag-of-words linear models.

Follows the slides' point that a linear model over a bag of words cannot
understand "not good": every phrase holds exactly one opinion word, and half
of the phrases put a negation word ("not", "never", "hardly", "barely") in
front of it, which flips the label. In binary bag-of-words features the
label is then the XOR of "contains a positive word" and "contains a negation
word", the slides' XOR problem in disguise:

* every opinion word appears equally often with label 0 and label 1, and so
  does every negation word, so no single weight carries information and a
  logistic regression stays near chance;
* a one-hidden-layer MLP can combine the two facts and gets it almost right.

Labels are noise-free: any error is the model's, not the data's. Drawn from
``random.Random(seed)`` like ``datasets.sentiment``, training split first.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import torch

from datasets.corpus import BagOfWordsSplits, TextCorpus, draw_splits, featurize_corpus, remembered
from datasets.lexicon import (
    NEGATION_WORDS,
    NEGATIVE_WORDS,
    NEUTRAL_PREFIXES,
    NEUTRAL_SUFFIXES,
    POSITIVE_WORDS,
    SUBJECTS,
)

NEGATIVE, POSITIVE = 0, 1

# "{s}" is the subject, "{v}" the verb ("was" or "is"), "{n}" the negation
# word followed by a space (or nothing), "{a}" the opinion word.
_PHRASE_TEMPLATES: tuple[str, ...] = (
    "{s} {v} {n}{a}",
    "i thought {s} was {n}{a}",
    "i found {s} {n}{a}",
)
_VERBS: tuple[str, ...] = ("was", "is")
# Adverbs that may sit between the negation and the adjective ("not really
# good"); they must not flip polarity themselves.
_ADVERBS: tuple[str, ...] = ("", "", "really ", "very ")


@dataclass(frozen=True)
class NegationCorpus(TextCorpus):
    """Phrases with labels 0 = negative, 1 = positive, negation flips them."""


def _phrase(rng: random.Random) -> tuple[str, int]:
    """Draw one phrase and its label."""
    word_polarity = rng.choice((NEGATIVE, POSITIVE))
    negated = rng.random() < 0.5
    words = POSITIVE_WORDS if word_polarity == POSITIVE else NEGATIVE_WORDS
    negation = rng.choice(NEGATION_WORDS) + " " if negated else ""
    body = rng.choice(_PHRASE_TEMPLATES).format(
        s=rng.choice(SUBJECTS),
        v=rng.choice(_VERBS),
        n=negation,
        a=rng.choice(_ADVERBS) + rng.choice(words),
    )
    text = rng.choice(NEUTRAL_PREFIXES) + body + rng.choice(NEUTRAL_SUFFIXES)
    label = 1 - word_polarity if negated else word_polarity
    return text, label


def make_negation_corpus(n_train: int = 800, n_test: int = 200, seed: int = 0) -> NegationCorpus:
    """Generate ``n_train`` + ``n_test`` labelled, half-negated phrases."""
    return NegationCorpus(**draw_splits(_phrase, n_train, n_test, seed))


@remembered
def load_negation(
    n_train: int = 800,
    n_test: int = 200,
    seed: int = 0,
    dtype: torch.dtype = torch.float32,
    device: torch.device | str | None = None,
) -> BagOfWordsSplits:
    """The negation corpus as binary bag-of-words tensors.

    The vocabulary comes from the training phrases only.
    """
    corpus = make_negation_corpus(n_train=n_train, n_test=n_test, seed=seed)
    return featurize_corpus(corpus, binary=True, dtype=dtype, device=device)
