"""What the ``impl`` fixture is during grading: one submission's course API, across the sandbox.

``RemoteImplementation`` has the interface of the in-process ``Implementation``
(``impl.softmax(z)``, ``impl.MLP(...)``, ``impl.probe(...)``,
``impl.last_record``), so the very same tests grade across the boundary.
Trusted side.
"""

from autograder.sandboxed.recording import CallRecord
from autograder.shared.hints import worker as worker_hints
from autograder.trusted.grader.remote.objects import RemoteCallable
from autograder.trusted.grader.remote.session import WorkerSession


class RemoteImplementation:
    """What the ``impl`` fixture is during grading: the course API of one submission, across the sandbox."""

    def __init__(self, session: WorkerSession, label: str = "submission"):
        self._session = session
        self.label = label

    def __getattr__(self, api: str):
        if api.startswith("_"):
            raise AttributeError(api)
        return RemoteCallable(self._session, {"op": "call", "api": api}, api)

    def probe(self, api: str, name: str, *args, **kwargs):
        return RemoteCallable(self._session, {"op": "probe", "api": api, "name": name}, name)(*args, **kwargs)

    @property
    def session(self) -> WorkerSession:
        return self._session

    @property
    def last_record(self) -> CallRecord | None:
        return self._session.last_record

    def load(self, notebooks: dict | None = None, timeout: float | None = None) -> dict:
        """Run the notebooks and import every course file, up front: what failed and what was printed, for the
        feedback. ``notebooks`` is the plan for the notebooks' cells (see ``notebook_load.py``)."""
        message = {"op": "load", "notebooks": notebooks or {}}
        return self._session.request(message, timeout=timeout, what=worker_hints.IMPORTING_FILES).get("ok") or {}
