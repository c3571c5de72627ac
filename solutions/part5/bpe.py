"""Byte-level byte-pair encoding (BPE): learn a vocabulary by merging frequent pairs, then encode with it.

Sennrich et al. (2016), applied to bytes as GPT-2 does. The base vocabulary is
the 256 byte values, so every string (any script, emoji, control characters)
has an encoding and nothing is ever "unknown"; merges then give frequent byte
sequences their own ids. Text is first cut at special tokens and into
pre-tokens (words, numbers, punctuation runs, whitespace), and merges never
cross those cuts.
"""

import re

# Words, numbers and punctuation runs (each with an optional leading space), then whitespace.
PRETOKEN = r" ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+"


def split_special(text: str, special_tokens) -> list[str]:
    """``text`` cut at special tokens, which are kept as pieces of their own (longest match first)."""
    if not special_tokens:
        return [text]
    alternatives = "|".join(re.escape(s) for s in sorted(special_tokens, key=len, reverse=True))
    return [piece for piece in re.split(f"({alternatives})", text) if piece]


def train_bpe(text: str, vocab_size: int, special_tokens=()) -> tuple[dict[int, bytes], list[tuple[bytes, bytes]]]:
    """Learn byte-level BPE merges on ``text`` until the vocabulary has ``vocab_size`` entries.

    Ids 0..255 are the bytes, then the special tokens in order, then one id per merge. Each round
    merges the most frequent adjacent pair inside pre-tokens; ties go to the lexicographically
    greatest pair of byte strings. Stops early when no pair is left.

    Returns:
        ``(vocab, merges)``: id -> bytes, and the merged pairs in creation order.
    """
    # Hint: count each distinct pre-token once (as a tuple of single bytes) with its frequency,
    # skipping the special tokens. Each round: count adjacent pairs weighted by frequency, pick
    # max by (count, pair), rewrite every pre-token with the pair joined. Rescanning every
    # pre-token each round is fine; updating only those that contain the pair is faster.
    # BEGIN SOLUTION
    vocab = {i: bytes([i]) for i in range(256)}
    for token in special_tokens:
        vocab[len(vocab)] = token.encode("utf-8")
    specials = set(special_tokens)
    words: dict[tuple[bytes, ...], int] = {}
    for piece in split_special(text, special_tokens):
        if piece in specials:
            continue
        for match in re.finditer(PRETOKEN, piece):
            word = tuple(bytes([b]) for b in match.group().encode("utf-8"))
            words[word] = words.get(word, 0) + 1
    sequences = [list(word) for word in words]
    counts = list(words.values())
    pair_counts: dict[tuple[bytes, bytes], int] = {}
    where: dict[tuple[bytes, bytes], set[int]] = {}  # pair -> indices of the words holding it
    for index, (seq, count) in enumerate(zip(sequences, counts, strict=True)):
        for pair in zip(seq, seq[1:], strict=False):
            pair_counts[pair] = pair_counts.get(pair, 0) + count
            where.setdefault(pair, set()).add(index)
    merges: list[tuple[bytes, bytes]] = []
    while len(vocab) < vocab_size and pair_counts:
        best = max(pair_counts.items(), key=lambda item: (item[1], item[0]))[0]
        merged = best[0] + best[1]
        merges.append(best)
        vocab[len(vocab)] = merged
        for index in where.pop(best, ()):
            seq, count = sequences[index], counts[index]
            for pair in zip(seq, seq[1:], strict=False):  # take this word's pairs out ...
                pair_counts[pair] -= count
                if pair_counts[pair] == 0:
                    del pair_counts[pair]
            seq = _merge(seq, best, merged)
            sequences[index] = seq
            for pair in zip(seq, seq[1:], strict=False):  # ... and put the new ones in
                pair_counts[pair] = pair_counts.get(pair, 0) + count
                where.setdefault(pair, set()).add(index)
    return vocab, merges
    # END SOLUTION


def _merge(seq: list[bytes], pair: tuple[bytes, bytes], merged: bytes) -> list[bytes]:
    """``seq`` with every non-overlapping occurrence of ``pair``, left to right, replaced by ``merged``."""
    out, i = [], 0
    while i < len(seq):
        if i + 1 < len(seq) and seq[i] == pair[0] and seq[i + 1] == pair[1]:
            out.append(merged)
            i += 2
        else:
            out.append(seq[i])
            i += 1
    return out


class BPETokenizer:
    """Encode text to ids and back with a trained vocabulary and its merges.

    ``encode`` cuts the text exactly as ``train_bpe`` does, gives each special token its own id, and
    applies the merges inside each pre-token in the order they were created. ``decode`` joins the
    bytes of the ids and reads them as UTF-8, replacing invalid sequences: it never raises.
    """

    def __init__(self, vocab: dict[int, bytes], merges: list[tuple[bytes, bytes]], special_tokens=()):
        # Hint: keep vocab, a rank for each merge (its position in merges), the id of each special
        # token and of each ordinary byte string (bytes -> id).
        # BEGIN SOLUTION
        self.vocab = dict(vocab)
        self.special_tokens = list(special_tokens)
        self.ranks = {pair: rank for rank, pair in enumerate(merges)}
        special_bytes = {s.encode("utf-8"): s for s in self.special_tokens}
        self.special_ids: dict[str, int] = {}
        self.ids: dict[bytes, int] = {}
        for index in sorted(self.vocab):
            token = self.vocab[index]
            if index >= 256 and token in special_bytes and special_bytes[token] not in self.special_ids:
                self.special_ids[special_bytes[token]] = index
            else:
                self.ids.setdefault(token, index)
        self._cache: dict[str, list[int]] = {}
        # END SOLUTION

    def encode(self, text: str) -> list[int]:
        """The ids of ``text``."""
        # Hint: split_special, then special pieces to their ids and the rest through
        # re.finditer(PRETOKEN, piece) and _encode_pretoken.
        # BEGIN SOLUTION
        ids: list[int] = []
        for piece in split_special(text, self.special_tokens):
            if piece in self.special_ids:
                ids.append(self.special_ids[piece])
                continue
            for match in re.finditer(PRETOKEN, piece):
                ids.extend(self._encode_pretoken(match.group()))
        return ids
        # END SOLUTION

    def _encode_pretoken(self, word: str) -> list[int]:
        """The ids of one pre-token (remembered: text repeats its words)."""
        # Hint: start from the single bytes; while some adjacent pair has a rank, merge every
        # occurrence of the lowest-ranked one (_merge does that); then look each piece up.
        # BEGIN SOLUTION
        if word not in self._cache:
            seq = [bytes([b]) for b in word.encode("utf-8")]
            while len(seq) > 1:
                ranked = [(self.ranks.get(pair, len(self.ranks)), pair) for pair in zip(seq, seq[1:], strict=False)]
                rank, pair = min(ranked)
                if rank == len(self.ranks):
                    break
                seq = _merge(seq, pair, pair[0] + pair[1])
            self._cache[word] = [self.ids[token] for token in seq]
        return self._cache[word]
        # END SOLUTION

    def decode(self, ids) -> str:
        """The text of ``ids``; ids outside the vocabulary read as U+FFFD, invalid UTF-8 is replaced."""
        # Hint: b"".join of the vocab entries, then .decode("utf-8", errors="replace").
        # BEGIN SOLUTION
        unknown = "\ufffd".encode()
        return b"".join(self.vocab.get(int(i), unknown) for i in ids).decode("utf-8", errors="replace")
        # END SOLUTION
