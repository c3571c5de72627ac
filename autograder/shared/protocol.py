"""The wire format between the trusted grader and a sandboxed worker: framed JSON plus raw tensor bytes, never pickle.

A frame is ``!II`` (header length, payload length), a UTF-8 JSON header, then a
payload holding the bytes of every tensor in the message. Values are encoded as
a small tree of tagged JSON objects; a tensor is ``{"tensor": i}`` pointing at
entry ``i`` of the header's tensor table (dtype, shape, strides, offset, byte
count, device). Byte strings (a BPE vocabulary's tokens) travel as
``{"bytes": base64}``, each at most ``MAX_BYTES`` long.

The trusted side treats every frame from a worker as hostile: sizes are capped
before anything is read, every field is type-checked, dtypes come from an
allow-list, shapes and strides must fit the bytes that were sent, nesting is
bounded, and tensors are rebuilt from those bytes into fresh memory.
"""

import base64
import binascii
import json
import math
import socket
import struct
from dataclasses import dataclass

import torch

FRAME = struct.Struct("!II")
MAX_HEADER_BYTES = 4 * 2**20
MAX_PAYLOAD_BYTES = 64 * 2**20  # far above any tensor the course's tests exchange
MAX_DEPTH = 32
MAX_ITEMS = 100_000  # list items plus dict entries plus tensors in one message
MAX_STRING = 1 * 2**20
MAX_BYTES = 2**16  # one byte string (a token of a BPE vocabulary is a few bytes)
_MAX_BYTES_BASE64 = 4 * ((MAX_BYTES + 2) // 3)

DTYPES: dict[str, torch.dtype] = {
    "float64": torch.float64,
    "float32": torch.float32,
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "int64": torch.int64,
    "int32": torch.int32,
    "int16": torch.int16,
    "int8": torch.int8,
    "uint8": torch.uint8,
    "bool": torch.bool,
}
DTYPE_NAMES = {v: k for k, v in DTYPES.items()}
ITEMSIZES = {name: torch.empty((), dtype=dtype).element_size() for name, dtype in DTYPES.items()}
DEVICE_TYPES = ("cpu", "cuda", "mps")


class ProtocolError(Exception):
    """A frame that breaks the rules; the trusted side kills the worker that sent it."""


@dataclass(frozen=True)
class Handle:
    """A learner object living in the worker, named by a number."""

    id: int
    type_name: str = ""


@dataclass(frozen=True)
class Opaque:
    """A value the worker could not encode (a NumPy array, a custom object): only its type name crosses."""

    type_name: str

    def __repr__(self) -> str:
        return f"<{self.type_name} object>"


# -- encoding -------------------------------------------------------------------


class _Encoder:
    def __init__(self, encode_object=None):
        self.tensors: list[dict] = []
        self.chunks: list[bytes] = []
        self.offset = 0
        self.encode_object = encode_object  # worker side: learner objects -> Handle

    def tensor(self, t: torch.Tensor) -> dict:
        t = t.detach()
        device = t.device.type
        cpu = t.to("cpu")
        if any(stride == 0 and size > 1 for size, stride in zip(cpu.shape, cpu.stride(), strict=True)):
            cpu = cpu.contiguous()  # an expanded (overlapping) view: send its values plainly
        if cpu.dtype not in DTYPE_NAMES:
            raise TypeError(f"tensors of dtype {cpu.dtype} cannot be sent")
        if cpu.numel() == 0:
            raw = b""
        elif cpu.is_contiguous():  # the common case: the view's own bytes, in order
            raw = cpu.reshape(-1).view(torch.uint8).numpy().tobytes()
        else:
            # Compact the strided layout into a fresh zero-filled buffer so the
            # strides survive the trip but no unrelated bytes of the storage do.
            span = 1 + sum((size - 1) * stride for size, stride in zip(cpu.shape, cpu.stride(), strict=True))
            buffer = torch.zeros(span, dtype=cpu.dtype)
            buffer.as_strided(cpu.shape, cpu.stride()).copy_(cpu)
            raw = buffer.view(torch.uint8).numpy().tobytes()
        entry = {
            "dtype": DTYPE_NAMES[cpu.dtype],
            "shape": list(cpu.shape),
            "stride": list(cpu.stride()),
            "offset": self.offset,
            "nbytes": len(raw),
            "device": device,
        }
        self.tensors.append(entry)
        self.chunks.append(raw)
        self.offset += len(raw)
        return {"tensor": len(self.tensors) - 1}

    def value(self, v, depth: int = 0):
        if depth > MAX_DEPTH:
            raise TypeError("value nested too deeply")
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            return v if abs(v) < 2**63 else {"float": float(v)}
        if isinstance(v, float):
            return v if math.isfinite(v) else {"float": repr(v)}
        if isinstance(v, torch.Tensor):
            return self.tensor(v)
        if isinstance(v, (bytes, bytearray)):
            if len(v) > MAX_BYTES:
                raise TypeError(f"a byte string of {len(v)} bytes is longer than the {MAX_BYTES} allowed")
            return {"bytes": base64.b64encode(bytes(v)).decode("ascii")}
        if isinstance(v, torch.Generator):
            return {"generator": self.tensor(v.get_state())}
        if isinstance(v, torch.dtype):
            return {"dtype": DTYPE_NAMES.get(v, str(v))}
        if isinstance(v, torch.device):
            return {"device": str(v)}
        if isinstance(v, Handle):
            return {"handle": v.id, "type": v.type_name}
        if isinstance(v, (list, tuple)):
            items = [self.value(x, depth + 1) for x in v]
            return {"list": items} if isinstance(v, list) else {"tuple": items}
        if isinstance(v, dict):
            return {"dict": [[self.value(k, depth + 1), self.value(x, depth + 1)] for k, x in v.items()]}
        if self.encode_object is not None:
            return self.encode_object(v)
        return {"opaque": type(v).__name__}


def encode(message: dict, encode_object=None) -> bytes:
    """One frame for ``message`` (a dict of values)."""
    encoder = _Encoder(encode_object)
    body = {key: encoder.value(val) for key, val in message.items()}
    body["_tensors"] = encoder.tensors
    header = json.dumps(body, allow_nan=False).encode()
    payload = b"".join(encoder.chunks)
    if len(header) > MAX_HEADER_BYTES or len(payload) > MAX_PAYLOAD_BYTES:
        raise ValueError("message too large to send")
    return FRAME.pack(len(header), len(payload)) + header + payload


# -- decoding -------------------------------------------------------------------


class _Decoder:
    def __init__(self, tensors: list, payload: bytes, decode_handle=None, device_map=None, decode_api=None):
        self.table = tensors
        self.payload = payload
        self.items = 0
        self.decode_handle = decode_handle
        self.device_map = device_map
        self.decode_api = decode_api  # worker side: a course function passed as an argument (to a probe)

    def _count(self, n: int = 1) -> None:
        self.items += n
        if self.items > MAX_ITEMS:
            raise ProtocolError("too many items in one message")

    def tensor(self, index) -> torch.Tensor:
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(self.table):
            raise ProtocolError("tensor reference out of range")
        entry = self.table[index]
        if not isinstance(entry, dict):
            raise ProtocolError("malformed tensor entry")
        dtype = DTYPES.get(entry.get("dtype"))
        shape, stride = entry.get("shape"), entry.get("stride")
        offset, nbytes, device = entry.get("offset"), entry.get("nbytes"), entry.get("device")
        if dtype is None:
            raise ProtocolError(f"dtype {entry.get('dtype')!r} is not allowed")
        for name, seq in (("shape", shape), ("stride", stride)):
            if not isinstance(seq, list) or len(seq) > 16 or not all(_is_count(x) for x in seq):
                raise ProtocolError(f"malformed {name}")
        if len(shape) != len(stride):
            raise ProtocolError("shape and stride differ in length")
        if not (_is_count(offset) and _is_count(nbytes)) or offset + nbytes > len(self.payload):
            raise ProtocolError("tensor bytes out of range")
        if device not in DEVICE_TYPES:
            raise ProtocolError(f"device {device!r} is not allowed")
        itemsize = ITEMSIZES[entry["dtype"]]
        numel = math.prod(shape)
        span = 0 if numel == 0 else 1 + sum((s - 1) * st for s, st in zip(shape, stride, strict=True))
        if span * itemsize != nbytes:
            raise ProtocolError("tensor bytes do not match its shape")
        self._count(1)
        raw = bytearray(self.payload[offset : offset + nbytes])  # a private copy
        flat = torch.frombuffer(raw, dtype=dtype) if nbytes else torch.empty(0, dtype=dtype)
        result = flat.as_strided(shape, stride) if numel else torch.empty(shape, dtype=dtype)
        target = self.device_map(device) if self.device_map else device
        return result.to(target) if target != "cpu" else result

    def value(self, v, depth: int = 0):
        if depth > MAX_DEPTH:
            raise ProtocolError("value nested too deeply")
        if v is None or isinstance(v, (bool, int, float)):
            return v
        if isinstance(v, str):
            if len(v) > MAX_STRING:
                raise ProtocolError("string too long")
            return v
        if not isinstance(v, dict) or len(v) not in (1, 2):
            raise ProtocolError("malformed value")
        (tag, body), *rest = v.items()
        if tag == "tensor":
            return self.tensor(body)
        if tag in ("list", "tuple"):
            if not isinstance(body, list):
                raise ProtocolError("malformed list")
            self._count(len(body))
            items = [self.value(x, depth + 1) for x in body]
            return items if tag == "list" else tuple(items)
        if tag == "dict":
            if not isinstance(body, list) or not all(isinstance(p, list) and len(p) == 2 for p in body):
                raise ProtocolError("malformed dict")
            self._count(len(body))
            out = {}
            for key, val in body:
                key = self.value(key, depth + 1)
                if not isinstance(key, (str, bytes, int, float, bool, type(None), tuple)):
                    raise ProtocolError("dict keys must be plain values")
                out[key] = self.value(val, depth + 1)
            return out
        if tag == "bytes":
            if not isinstance(body, str) or len(body) > _MAX_BYTES_BASE64:
                raise ProtocolError("malformed or oversized byte string")
            try:
                return base64.b64decode(body.encode("ascii"), validate=True)
            except (binascii.Error, UnicodeEncodeError):
                raise ProtocolError("malformed byte string") from None
        if tag == "float" and isinstance(body, (str, float)):
            return float(body) if body in ("nan", "inf", "-inf") or isinstance(body, float) else _bad()
        if tag == "generator":
            state = self.value(body, depth + 1)
            if not isinstance(state, torch.Tensor) or state.dtype != torch.uint8 or state.dim() != 1:
                raise ProtocolError("malformed generator state")
            generator = torch.Generator()
            try:
                generator.set_state(state.cpu())
            except RuntimeError as error:
                raise ProtocolError("invalid generator state") from error
            return generator
        if tag == "dtype" and body in DTYPES:
            return DTYPES[body]
        if tag == "device" and isinstance(body, str) and body.split(":")[0] in DEVICE_TYPES and len(body) < 16:
            return torch.device(body)
        if tag == "handle" and _is_count(body):
            type_name = rest[0][1] if rest and rest[0][0] == "type" and isinstance(rest[0][1], str) else ""
            handle = Handle(body, type_name[:100])
            return self.decode_handle(handle) if self.decode_handle else handle
        if tag == "api" and isinstance(body, str) and self.decode_api is not None:
            return self.decode_api(body)
        if tag == "opaque" and isinstance(body, str):
            return Opaque(body[:100])
        raise ProtocolError(f"unknown value tag {tag!r}")


def _bad():
    raise ProtocolError("malformed float")


def _is_count(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and 0 <= x < 2**40


def decode(header: bytes, payload: bytes, decode_handle=None, device_map=None, decode_api=None) -> dict:
    """The message in a frame; raises ProtocolError on anything malformed."""
    try:
        body = json.loads(header.decode("utf-8"), parse_constant=lambda c: _bad())
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ProtocolError(f"unreadable header: {type(error).__name__}") from None
    if not isinstance(body, dict) or not isinstance(body.get("_tensors", []), list):
        raise ProtocolError("header is not a message")
    decoder = _Decoder(body.pop("_tensors", []), payload, decode_handle, device_map, decode_api)
    try:
        return {key: decoder.value(val) for key, val in body.items()}
    except RecursionError:
        raise ProtocolError("value nested too deeply") from None


# -- sockets ----------------------------------------------------------------------


def send(sock: socket.socket, message: dict, encode_object=None) -> None:
    sock.sendall(encode(message, encode_object))


def _recv_exactly(sock: socket.socket, n: int) -> bytes:
    chunks, remaining = [], n
    while remaining:
        chunk = sock.recv(min(remaining, 4 * 2**20))
        if not chunk:
            raise EOFError("the other side closed the connection")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def receive(sock: socket.socket, decode_handle=None, device_map=None, decode_api=None) -> dict:
    """Read one frame (sizes checked before reading the body) and decode it."""
    header_len, payload_len = FRAME.unpack(_recv_exactly(sock, FRAME.size))
    if header_len > MAX_HEADER_BYTES or payload_len > MAX_PAYLOAD_BYTES:
        raise ProtocolError("frame larger than allowed")
    header = _recv_exactly(sock, header_len)
    payload = _recv_exactly(sock, payload_len)
    return decode(header, payload, decode_handle, device_map, decode_api)
