"""Course data for "LLMs Under the Hood", generated on the fly, no downloads.

* ``xor_dataset`` / ``noisy_xor``: the XOR problem that no linear model solves.
* ``tokenize`` / ``build_vocabulary`` / ``bag_of_words``: text to features.
* ``make_sentiment_corpus`` / ``load_sentiment``: reviews a one-neuron
  bag-of-words classifier handles well.
* ``make_negation_corpus`` / ``load_negation``: phrases where "not" flips the
  label, which a bag-of-words linear model cannot follow but an MLP can.
"""

from datasets.corpus import BagOfWordsSplits, TextCorpus, featurize_corpus
from datasets.negation import NegationCorpus, load_negation, make_negation_corpus
from datasets.sentiment import SentimentCorpus, load_sentiment, make_sentiment_corpus
from datasets.text import bag_of_words, build_vocabulary, tokenize
from datasets.xor import noisy_xor, xor_dataset

__all__ = [
    "BagOfWordsSplits",
    "NegationCorpus",
    "SentimentCorpus",
    "TextCorpus",
    "bag_of_words",
    "build_vocabulary",
    "featurize_corpus",
    "load_negation",
    "load_sentiment",
    "make_negation_corpus",
    "make_sentiment_corpus",
    "noisy_xor",
    "tokenize",
    "xor_dataset",
]
