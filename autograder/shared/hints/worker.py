"""The words of a worker's failure: a request that broke, a call that hung, a worker that died or gave up.

The learner reads them when the sandboxed worker running their code failed
rather than their code: timeouts, crashes, the time budget, lost objects.
Imported by the sandboxed worker (``worker.py``) and the trusted session that
drives it (``trusted/grader/remote/``).
"""

from autograder.shared.hints.values import Hint, error_says


def request_broke_protocol(error: object) -> Hint:
    return Hint(f"the request broke the protocol ({error})")


def code_raised(error_type: str, message: str) -> Hint:
    """A request raised outside any guarded call (e.g. a bad attribute name on a learner object)."""
    return Hint(f"your code raised {error_type}", values=error_says(message))


def unsendable_result(error: object) -> Hint:
    return Hint("the result cannot be sent to the grader", values=str(error))


# What the worker was doing, in "the call timed out after 30 s while <doing>".
STARTING = "starting"
RERUNNING_NOTEBOOK = "running your notebook again after a restart"
RUNNING_CODE = "running your code"
IMPORTING_FILES = "importing your files"

TOO_MANY_RESTARTS = "the submission crashed its worker too many times; remaining tests are not run"
STOPPED_ACCEPTING = "the worker stopped accepting requests"
OVERSIZED_MESSAGE = "the worker sent an oversized message"
BUDGET_SPENT = "the submission used up its time budget; remaining tests are not run"
OBJECT_LOST = "this object was lost when an earlier failure restarted the worker"
WORKER_STOPPED = "it was stopped"  # how a worker that timed out ended: the session killed it
STOPPED_ANSWERING = "it stopped answering"
UNSTATED_FAILURE = "failed"  # the summary of a worker's verdict that came without one
_SIGNAL_MEANINGS = {"SIGSEGV": "a segfault", "SIGKILL": "killed (memory or CPU limit?)", "SIGXCPU": "CPU time limit"}


def call_timed_out(seconds: float, doing: str) -> str:
    return f"the call timed out after {seconds:g} s while {doing} (an endless loop?)"


def worker_closed(doing: str) -> str:
    return f"the worker closed while {doing}"


def worker_broke_protocol(error: object) -> str:
    return f"the worker broke the protocol ({error})"


def given_up(api: str, failures: int) -> str:
    """``api`` is not called again: it already hung or crashed the worker this many times."""
    return f"not run: {api} already hung or crashed the worker {failures} times"


def died_from_signal(name: str) -> str:
    """'it died from SIGSEGV (a segfault)': ``name`` is the signal's name, or 'signal N' for an unknown one."""
    return f"it died from {name} ({_SIGNAL_MEANINGS.get(name, 'a signal')})"


def exited_with(code: int) -> str:
    return f"it exited with status {code} (os._exit or sys.exit at import?)"


def worker_failed(why: str, how_it_ended: str) -> str:
    """'the worker closed while running your code; it died from SIGKILL (...)'."""
    return f"{why}; {how_it_ended}"
