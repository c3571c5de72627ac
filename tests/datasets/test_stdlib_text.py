"""The standard-library docstring corpus: real text, deterministic, cached, and cut into clean splits."""

from datasets.stdlib_text import (
    CACHE_ENV,
    CharTokenizer,
    collect_stdlib_docstrings,
    load_stdlib_text,
    stdlib_docstrings,
)


def test_corpus_is_deterministic_ascii_prose():
    text = collect_stdlib_docstrings(("textwrap", "string"))
    assert text == collect_stdlib_docstrings(("string", "textwrap"))  # sorted: order of the request is irrelevant
    assert len(text) > 2_000
    assert all(c == "\n" or " " <= c <= "~" for c in text)
    assert "the" in text.split()


def test_cache_is_written_once_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    first = stdlib_docstrings()
    cached = list(tmp_path.glob("stdlib-docstrings-py*.txt"))
    assert len(cached) == 1 and cached[0].read_text() == first
    cached[0].write_text("cached text\n")
    assert stdlib_docstrings() == "cached text\n"  # the cache, not a fresh parse


def test_splits_and_tokenizer_round_trip(tmp_path):
    data = load_stdlib_text(max_chars=5_000, val_fraction=0.2, cache=tmp_path)
    assert len(data.train) + len(data.val) == 5_000 and len(data.val) == 1_000
    text = data.tokenizer.decode(data.train[:200])
    assert data.tokenizer.encode(text).tolist() == data.train[:200].tolist()
    assert int(data.val.max()) < data.tokenizer.vocab_size
    assert CharTokenizer.from_text("cab").chars == "abc"
