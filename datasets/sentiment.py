"""A small synthetic movie-review corpus for binary sentiment classification.

Follows the slides' "sentiment analysis with only one neuron and binary
bag-of-words": each review is a short English sentence whose opinion is
carried by a few adjectives, so one weight per word (a logistic regression)
already does well. Two things keep it from being trivially solvable:

* contrast sentences ("the plot was dull but the acting was superb") whose
  label follows the clause after "but"; a bag of words cannot see which
  clause came last, so these are close to a coin flip for a linear model;
* a small fraction of flipped labels, standing in for sarcastic reviewers
  and careless annotators.

Everything is drawn from ``random.Random(seed)``, pure Python, so the corpus
is identical on every machine and every torch version. The training split is
drawn first, so changing ``n_test`` never changes the training sentences.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import torch

from datasets.corpus import BagOfWordsSplits, TextCorpus, draw_splits, featurize_corpus, remembered
from datasets.lexicon import (
    NEGATIVE_WORDS,
    NEUTRAL_ADVERBS,
    NEUTRAL_PREFIXES,
    NEUTRAL_SUFFIXES,
    POSITIVE_WORDS,
    SUBJECTS,
)

NEGATIVE, POSITIVE = 0, 1

# Share of reviews that contrast two opinions with "but".
CONTRAST_FRACTION = 0.12
# Share of reviews with a single opinion clause; the rest chain two agreeing
# clauses with "and".
SINGLE_CLAUSE_FRACTION = 0.43
# Share of reviews whose label is flipped after generation.
LABEL_NOISE = 0.04

# Ways of attaching an opinion word to a subject; "{s}" is the subject,
# "{a}" the (optionally adverb-prefixed) adjective.
_CLAUSE_TEMPLATES: tuple[str, ...] = (
    "{s} was {a}",
    "{s} is {a}",
    "i found {s} {a}",
    "i thought {s} was {a}",
    "{s} felt {a}",
)
# Second clause of an agreeing review, allowed to drop the verb as in
# "the plot was wonderful and the acting superb".
_FOLLOW_UP_TEMPLATES: tuple[str, ...] = (*_CLAUSE_TEMPLATES, "{s} {a}")


@dataclass(frozen=True)
class SentimentCorpus(TextCorpus):
    """Review sentences with labels 0 = negative, 1 = positive."""


def _opinion(rng: random.Random, label: int) -> str:
    """An adverb-prefixed adjective of the requested polarity."""
    words = POSITIVE_WORDS if label == POSITIVE else NEGATIVE_WORDS
    return rng.choice(NEUTRAL_ADVERBS) + rng.choice(words)


def _clause(rng: random.Random, label: int, templates: tuple[str, ...]) -> str:
    """One opinion clause, such as "the plot was very dull"."""
    return rng.choice(templates).format(s=rng.choice(SUBJECTS), a=_opinion(rng, label))


def _review(rng: random.Random) -> tuple[str, int]:
    """Draw one review sentence and its (possibly noisy) label."""
    label = rng.choice((NEGATIVE, POSITIVE))
    sentence_shape = rng.random()
    if sentence_shape < CONTRAST_FRACTION:
        # The clause after "but" decides, as a human reader would judge it.
        body = _clause(rng, 1 - label, _CLAUSE_TEMPLATES) + " but " + _clause(rng, label, _CLAUSE_TEMPLATES)
    elif sentence_shape < CONTRAST_FRACTION + SINGLE_CLAUSE_FRACTION:
        body = _clause(rng, label, _CLAUSE_TEMPLATES)
    else:
        body = _clause(rng, label, _CLAUSE_TEMPLATES) + " and " + _clause(rng, label, _FOLLOW_UP_TEMPLATES)
    text = rng.choice(NEUTRAL_PREFIXES) + body + rng.choice(NEUTRAL_SUFFIXES)
    if rng.random() < LABEL_NOISE:
        label = 1 - label
    return text, label


def make_sentiment_corpus(n_train: int = 800, n_test: int = 200, seed: int = 0) -> SentimentCorpus:
    """Generate ``n_train`` + ``n_test`` labelled review sentences."""
    return SentimentCorpus(**draw_splits(_review, n_train, n_test, seed))


@remembered
def load_sentiment(
    n_train: int = 800,
    n_test: int = 200,
    seed: int = 0,
    dtype: torch.dtype = torch.float32,
    device: torch.device | str | None = None,
) -> BagOfWordsSplits:
    """The sentiment corpus as binary bag-of-words tensors.

    The vocabulary comes from the training sentences only; test words never
    seen in training are dropped.
    """
    corpus = make_sentiment_corpus(n_train=n_train, n_test=n_test, seed=seed)
    return featurize_corpus(corpus, binary=True, dtype=dtype, device=device)
