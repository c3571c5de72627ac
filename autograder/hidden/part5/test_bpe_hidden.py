"""Hidden tests for train_bpe and BPETokenizer on the course's text: the reference's merges, ties, early stops,
encodings by merge rank, round trips of random Unicode, and decoding any ids."""

import functools

import torch

from assignments.part5.tests.modern_oracles import UNICODE_ALPHABET, naive_bpe, random_text
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect
from datasets.stdlib_text import stdlib_docstrings

SPECIALS = ["<|endoftext|>", "<|pad|>"]
VOCAB_SIZE = 256 + len(SPECIALS) + 150


@functools.cache
def course_text() -> str:
    """About 20,000 characters of the standard library's docstrings, documents separated by <|endoftext|>."""
    paragraphs = stdlib_docstrings()[:20_000].split("\n\n")
    return "<|endoftext|>".join(paragraphs[:-1]) + "<|pad|><|pad|>"


@functools.cache
def _reference_vocabulary(ref):
    return ref.train_bpe(course_text(), VOCAB_SIZE, SPECIALS)


def _first_difference(got, want) -> str:
    for index, (g, w) in enumerate(zip(got, want, strict=False)):
        if g != w:
            return f"merge {index}: {g!r} where {w!r} belongs"
    return f"{len(got)} merges where {len(want)} belong"


@graded("train_bpe", points=4)
def test_train_bpe_equals_reference_on_the_course_text(impl, ref):
    """20,000 characters of docstrings with two special tokens, 150 merges: the reference's vocab and merges"""
    vocab, merges = impl.train_bpe(course_text(), VOCAB_SIZE, SPECIALS)
    want_vocab, want_merges = _reference_vocabulary(ref)
    merges = [tuple(m) for m in merges]
    expect(
        merges == want_merges,
        case="merges of train_bpe(course text, 408, ['<|endoftext|>', '<|pad|>'])",
        expected="the reference's 150 merges, in order",
        got=_first_difference(merges, want_merges),
        cause="count pairs within pre-tokens, weighted by how often each pre-token occurs; special tokens never "
        "take part; the most frequent pair wins, ties to the greatest (left, right) bytes",
    )
    expect(
        dict(vocab) == want_vocab,
        case="vocab",
        expected="bytes 0-255, <|endoftext|> 256, <|pad|> 257, then the merges' concatenations 258..407",
        got=f"{len(vocab)} entries; 256 -> {vocab.get(256)!r}, 258 -> {vocab.get(258)!r}",
        cause="vocab[id] = left + right for each merge, ids in creation order",
    )


@graded("train_bpe", points=2)
def test_train_bpe_ties_early_stop_and_no_merges(impl):
    """ties broken toward the greatest pair; stops when no pair is left; a vocab_size with no room merges nothing"""
    cases = [("ab cd ab cd xy", 300, []), ("aaaa aaa", 1000, ["<|x|>"]), ("hello world", 256 + 1, ["<s>"])]
    for text, size, specials in cases:
        vocab, merges = impl.train_bpe(text, size, specials)
        want_vocab, want_merges = naive_bpe(text, size, specials)
        expect(
            [tuple(m) for m in merges] == want_merges and dict(vocab) == want_vocab,
            case=f"train_bpe({text!r}, {size}, {specials})",
            expected=f"merges {want_merges}",
            got=f"merges {[tuple(m) for m in merges]}",
            cause="ties: max by (count, pair); stop when no adjacent pair is left or the vocabulary is full",
        )


def _tokenizers(impl, ref):
    vocab, merges = _reference_vocabulary(ref)
    return impl.BPETokenizer(vocab, merges, SPECIALS), ref.BPETokenizer(vocab, merges, SPECIALS)


@graded("BPETokenizer", points=3)
def test_bpetokenizer_encodes_like_the_reference(impl, ref):
    """the reference's vocabulary on 5,000 characters of the course text: the same ids (merges applied by rank)"""
    tokenizer, reference = _tokenizers(impl, ref)
    text = course_text()[-5_000:]
    ((ids, _),) = impl.probe("BPETokenizer", "encode_decode_many", tokenizer, [text])
    want = reference.encode(text)
    first = next((i for i, (a, b) in enumerate(zip(ids, want, strict=False)) if a != b), min(len(ids), len(want)))
    expect(
        ids == want,
        case="encode of the last 5,000 characters of the course text",
        expected=f"{len(want)} ids",
        got=f"{len(ids)} ids, first difference at position {first}",
        cause="within each pre-token, repeatedly merge the adjacent pair created EARLIEST (lowest rank), not the "
        "most frequent or the first from the left; special tokens as one id each",
    )


@graded("BPETokenizer", points=2)
def test_bpetokenizer_round_trips_random_unicode(impl, ref, gen):
    """60 random strings (accents, CJK, emoji, control characters, whitespace runs, both special tokens)"""
    tokenizer, _ = _tokenizers(impl, ref)
    alphabet = UNICODE_ALPHABET + "the of and "
    texts = [random_text(gen, int(torch.randint(1, 80, (1,), generator=gen)), alphabet) for _ in range(60)]
    texts = [t if i % 3 else t[:5] + SPECIALS[i % 2] + t[5:] + SPECIALS[0] for i, t in enumerate(texts)]
    texts += ["\n" * 7, " \t \u3000 ", "<|pad|<|endoftext|>|>", "<|endoftext"]
    results = impl.probe("BPETokenizer", "encode_decode_many", tokenizer, texts)
    broken = [t for t, (_, decoded) in zip(texts, results, strict=True) if decoded != t]
    expect(
        not broken,
        case="decode(encode(t)) for 64 strings",
        expected="every string back unchanged",
        got=f"{len(broken)} changed, e.g. {broken[0]!r}" if broken else "",
        cause="encode every character (PRETOKEN covers them all, whitespace included); decode the joined bytes once",
    )


@graded("BPETokenizer", points=1)
def test_bpetokenizer_decodes_any_ids(impl, ref, gen):
    """30 random id sequences over the whole vocabulary (cutting characters in half) decode without an error"""
    tokenizer, _ = _tokenizers(impl, ref)
    id_lists = [
        torch.randint(0, VOCAB_SIZE, (int(n),), generator=gen).tolist()
        for n in torch.randint(0, 20, (30,), generator=gen)
    ]
    decoded = impl.probe("BPETokenizer", "decode_many", tokenizer, id_lists)
    expect(
        len(decoded) == 30 and all(isinstance(d, str) for d in decoded),
        case="decode of 30 random id sequences",
        expected="30 strings",
        got=f"{[type(d).__name__ for d in decoded][:5]}",
        cause='join the bytes first, then .decode("utf-8", errors="replace")',
    )
