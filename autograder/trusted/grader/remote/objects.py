"""Proxies of what lives in the worker: a learner object (``RemoteObject``) and a callable (``RemoteCallable``).

Attribute reads and calls go over the session's socket; in-place updates the
learner's code made to tensor arguments are mirrored back (``apply_mutations``).
Only handles of worker objects travel, never a trusted-side object
(``encode_remote``). Trusted side.
"""

from typing import TYPE_CHECKING

import torch

from autograder.shared import protocol
from autograder.shared.hints import worker as worker_hints
from autograder.trusted.grader.remote.failures import WorkerFailure

if TYPE_CHECKING:  # the session creates these proxies, so importing it here would be circular
    from autograder.trusted.grader.remote.session import WorkerSession


def encode_remote(value) -> dict:
    """Trusted-side values that stand for worker objects travel as their handles; nothing else does."""
    if isinstance(value, RemoteObject):
        return {"handle": value._handle.id, "type": value._handle.type_name}
    if isinstance(value, RemoteCallable) and value._message.get("op") == "call":
        return {"api": value._message["api"]}  # a course function handed to a probe
    raise TypeError(f"{type(value).__name__} objects cannot be sent to the sandbox")


def apply_mutations(args: list, kwargs: dict, mutated) -> None:
    """Mirror in-place updates the learner's code made to tensor arguments."""
    if not isinstance(mutated, list):
        return
    root = [args, kwargs]
    for entry in mutated[:10_000]:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], list)):
            continue
        path, value = entry
        target = root
        try:
            for key in path:
                target = target[key]
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(target, torch.Tensor) and isinstance(value, torch.Tensor) and value.dtype == target.dtype:
            with torch.no_grad():
                if target.shape != value.shape:
                    target.resize_(value.shape)
                target.copy_(value)
        elif isinstance(target, torch.Generator) and isinstance(value, torch.Generator):
            target.set_state(value.get_state())


class RemoteCallable:
    def __init__(self, session: "WorkerSession", message: dict, label: str):
        self._session, self._message, self.__name__ = session, message, label

    def __call__(self, *args, **kwargs):
        message = {**self._message, "args": list(args), "kwargs": kwargs}
        reply = self._session.request(message, timeout=self._session.timeout_for(message))
        apply_mutations(list(args), kwargs, reply.get("mutated"))
        return reply.get("ok")


class RemoteObject:
    """A learner object living in the worker: attribute reads and method calls go over the socket."""

    __slots__ = ("_session", "_handle", "_generation")

    def __init__(self, session: "WorkerSession", handle: protocol.Handle, generation: int):
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_generation", generation)

    def _check(self) -> None:
        if self._generation != self._session.generation:
            raise WorkerFailure(worker_hints.OBJECT_LOST)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        self._check()
        method = RemoteCallable(self._session, {"op": "method", "handle": self._handle, "name": name}, name)
        known = (self._handle.type_name, name)
        if known in self._session.methods:
            return method
        value = self._session.request({"op": "getattr", "handle": self._handle, "name": name}).get("ok")
        if isinstance(value, dict) and value.get("__callable__") is True:
            self._session.methods.add(known)
            return method
        return value

    def __setattr__(self, name: str, value) -> None:
        self._check()
        self._session.request({"op": "setattr", "handle": self._handle, "name": name, "value": value})

    def __call__(self, *args, **kwargs):
        self._check()
        return RemoteCallable(self._session, {"op": "call_handle", "handle": self._handle}, "call")(*args, **kwargs)

    def __repr__(self) -> str:
        return f"RemoteObject({self._handle.type_name})"
