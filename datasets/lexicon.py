"""Hand-written word lists shared by the sentiment and negation corpora.

The slides' one-neuron sentiment classifier learns one weight per word; these
lists decide which words should end up with a large positive weight, a large
negative weight, or (for the neutral filler) a weight near zero. All phrases
are written to be grammatical with a singular subject ("the plot was ...").
"""

from __future__ import annotations

POSITIVE_WORDS: tuple[str, ...] = (
    "wonderful",
    "superb",
    "brilliant",
    "delightful",
    "excellent",
    "charming",
    "moving",
    "gripping",
    "clever",
    "beautiful",
    "stunning",
    "hilarious",
    "engaging",
    "fresh",
    "memorable",
    "great",
    "good",
    "enjoyable",
    "touching",
    "thoughtful",
    "impressive",
    "inventive",
    "lovely",
    "powerful",
)

NEGATIVE_WORDS: tuple[str, ...] = (
    "dull",
    "boring",
    "awful",
    "terrible",
    "clumsy",
    "bland",
    "tedious",
    "weak",
    "messy",
    "predictable",
    "forgettable",
    "lifeless",
    "painful",
    "dreadful",
    "flat",
    "shallow",
    "bad",
    "poor",
    "confusing",
    "sluggish",
    "stale",
    "silly",
    "annoying",
    "disappointing",
)

# What a review talks about; all singular so "was" and "is" agree.
SUBJECTS: tuple[str, ...] = (
    "the plot",
    "the acting",
    "the script",
    "the soundtrack",
    "the dialogue",
    "the ending",
    "the cast",
    "the pacing",
    "the direction",
    "the story",
    "the camera work",
    "the lead actor",
    "the score",
    "this film",
    "the movie",
    "the finale",
    "the editing",
    "the first half",
    "the villain",
    "the set design",
)

# Degree adverbs that sit in front of an adjective without changing its
# polarity. The empty string means "no adverb".
NEUTRAL_ADVERBS: tuple[str, ...] = ("", "", "really ", "quite ", "very ", "rather ")

# Openings and closings that carry no opinion; they add vocabulary the model
# has to learn to ignore. The empty string means "none".
NEUTRAL_PREFIXES: tuple[str, ...] = (
    "",
    "",
    "honestly, ",
    "overall ",
    "to be fair, ",
    "in my opinion ",
    "i have to say ",
    "as far as i can tell ",
)
NEUTRAL_SUFFIXES: tuple[str, ...] = (
    "",
    "",
    " from start to finish",
    " for the most part",
    " if you ask me",
    " this time around",
    " on the whole",
    " in the cinema last night",
)

# Negation words that flip the polarity of the adjective that follows them.
NEGATION_WORDS: tuple[str, ...] = ("not", "never", "hardly", "barely")
