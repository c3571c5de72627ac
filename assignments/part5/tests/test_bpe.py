"""Public tests for train_bpe and BPETokenizer: the slow oracle's merges, special tokens, and lossless round trips."""

import torch

from assignments.part5.tests.modern_oracles import UNICODE_ALPHABET, naive_bpe, random_text
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect

SPECIAL = "<|endoftext|>"
TEXT = (
    "the cat sat on the mat. the hat is on the cat!" + SPECIAL + "low lower lowest, 1999 and 2024;  "
    "new newer   newest\n\nthe end" + SPECIAL + "theme: the them then"
)


def _described(merges, limit: int = 6) -> str:
    shown = ", ".join(repr(a + b) for a, b in merges[:limit])
    return f"{len(merges)} merges, first {shown}" if merges else "no merges"


@graded("train_bpe", points=3)
def test_train_bpe_matches_the_contract_loop_with_a_special_token(impl):
    """a short text with a special token, vocab_size 300: the same vocabulary and merges as a plain slow loop"""
    vocab, merges = impl.train_bpe(TEXT, 300, [SPECIAL])
    want_vocab, want_merges = naive_bpe(TEXT, 300, [SPECIAL])
    expect(
        [tuple(m) for m in merges] == want_merges,
        case="merges of train_bpe(TEXT, 300, ['<|endoftext|>'])",
        expected=_described(want_merges),
        got=_described([tuple(m) for m in merges]),
        cause="count pairs inside pre-tokens (re.finditer(PRETOKEN)) only, never across a special token; "
        "ties go to the greatest pair: max by (count, (left, right))",
    )
    expect(
        dict(vocab) == want_vocab,
        case="vocab",
        expected="ids 0-255 the bytes, 256 the special token, then one id per merge in order",
        got=f"{len(vocab)} entries; id 256 -> {vocab.get(256)!r}",
    )


def _tokenizer(impl):
    """The learner's tokenizer with the slow loop's vocabulary, so that it is graded apart from train_bpe."""
    vocab, merges = naive_bpe(TEXT, 300, [SPECIAL])
    return impl.BPETokenizer(vocab, merges, [SPECIAL])


@graded("BPETokenizer", points=3)
def test_bpetokenizer_round_trips_unicode_whitespace_and_special_tokens(impl, gen):
    """decode(encode(t)) == t for 20 random strings of accents, CJK, emoji, whitespace runs and the special token"""
    texts = [random_text(gen, 40, UNICODE_ALPHABET) for _ in range(20)]
    texts = [t[:20] + SPECIAL + t[20:] for t in texts] + ["", "   ", SPECIAL + SPECIAL, "the cat\n\n\n"]
    results = impl.probe("BPETokenizer", "encode_decode_many", _tokenizer(impl), texts)
    for text, (_, decoded) in zip(texts, results, strict=True):
        expect(
            decoded == text,
            case=f"decode(encode({text!r}))",
            expected=repr(text),
            got=repr(decoded),
            cause="encode must cover every byte of every pre-token (the PRETOKEN pattern matches all characters); "
            "decode joins the tokens' bytes and decodes them once, as UTF-8",
        )
    ids, _ = results[0]
    expect(
        ids.count(256) == 1,
        case=f"encode({texts[0]!r})",
        expected="the special token as its single id 256",
        got=f"ids {ids}",
        cause="split at special tokens first and give each its id; never encode one byte by byte",
    )


@graded("BPETokenizer", points=2)
def test_bpetokenizer_decode_never_raises(impl, gen):
    """decode of bytes that are not valid UTF-8 (a lone 0xff, half an emoji) gives U+FFFD, never an exception"""
    id_lists = [[0xFF], [0xF0, 0x9F], [104, 0xE2], torch.randint(0, 300, (30,), generator=gen).tolist()]
    decoded = impl.probe("BPETokenizer", "decode_many", _tokenizer(impl), id_lists)
    expect(
        all(isinstance(d, str) for d in decoded) and "\ufffd" in decoded[0],
        case="decode of invalid byte sequences",
        expected="strings, with U+FFFD for the invalid bytes",
        got=repr(decoded[:3]),
        cause='bytes.decode("utf-8", errors="replace")',
    )
