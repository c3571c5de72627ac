"""Tensors cross the grader's protocol with their values, dtype, shape and strides, and no other storage bytes."""

import json

import pytest
import torch

from autograder.shared import protocol


def round_trip(value):
    frame = protocol.encode({"x": value})
    header_len, _ = protocol.FRAME.unpack(frame[: protocol.FRAME.size])
    header = frame[protocol.FRAME.size : protocol.FRAME.size + header_len]
    payload = frame[protocol.FRAME.size + header_len :]
    return protocol.decode(header, payload)["x"], payload


@pytest.mark.parametrize(
    "make",
    [
        lambda: torch.randn(3, 4),
        lambda: torch.randn(4, 3).T,  # transposed: strides survive
        lambda: torch.randn(2, 1, 3),  # a size-1 dimension
        lambda: torch.zeros(0, 3),
        lambda: torch.tensor(3.5, dtype=torch.float64),
        lambda: torch.randn(1, 3).expand(4, 3),  # overlapping view: sent as plain values
        lambda: torch.arange(10)[::3],
        lambda: torch.randn(2, 3).to(torch.bfloat16),
        lambda: torch.tensor([True, False]),
    ],
    ids=["contiguous", "transposed", "size-one", "empty", "scalar", "expanded", "stepped", "bfloat16", "bool"],
)
def test_tensor_round_trip_keeps_values_dtype_and_shape(make):
    sent = make()
    received, _ = round_trip(sent)
    assert received.dtype == sent.dtype and received.shape == sent.shape
    assert torch.equal(received, sent)


def test_a_slice_sends_its_own_bytes_not_its_whole_storage():
    storage = torch.arange(1000, dtype=torch.float64)
    received, payload = round_trip(storage[10:13])
    assert torch.equal(received, torch.tensor([10.0, 11.0, 12.0], dtype=torch.float64))
    assert len(payload) == 3 * 8


def test_bytes_round_trip_as_a_bpe_vocabulary_and_merges():
    vocab = {i: bytes([i]) for i in range(256)} | {256: b"<|end|>", 257: b"\xe2\x82", 258: b""}
    merges = [(b"\xe2", b"\x82"), (b" t", b"he")]
    (got_vocab, got_merges), _ = round_trip((vocab, merges))
    assert got_vocab == vocab and all(type(v) is bytes for v in got_vocab.values())
    assert got_merges == merges and all(type(a) is bytes and type(b) is bytes for a, b in got_merges)


def test_bytes_longer_than_the_cap_are_refused_when_sent():
    with pytest.raises(TypeError):
        protocol.encode({"x": b"x" * (protocol.MAX_BYTES + 1)})


@pytest.mark.parametrize(
    "body",
    ["not base64!", "QQ", 12, "A" * (4 * protocol.MAX_BYTES), "QUJD\n"],
    ids=["bad-alphabet", "bad-padding", "not-a-string", "oversized", "newline"],
)
def test_a_malformed_byte_string_is_a_protocol_error(body):
    header = json.dumps({"x": {"bytes": body}, "_tensors": []}).encode()
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(header, b"")
