"""A verdict crosses the sandbox as data: the worker sends its kind and fields, the trusted side checks them."""

from autograder.sandboxed.worker import verdict_reply
from autograder.shared.feedback import FAILURE_KINDS
from autograder.shared.verdicts import ForbiddenCall, LearnerError, NotImplementedYet, Unavailable
from autograder.trusted.grader.remote.failures import RemoteVerdict, WorkerFailure


def test_every_verdict_class_names_a_failure_kind():
    verdicts = [
        NotImplementedYet("softmax", "part1/probabilities.py"),
        Unavailable("softmax", "no file"),
        ForbiddenCall("softmax", 1, ["torch.softmax"]),
        LearnerError("softmax", ZeroDivisionError("division by zero"), None),
        WorkerFailure("it hung", "timeout"),
    ]
    expected = ["not_implemented", "learner_error", "forbidden_call", "learner_error", "timeout"]
    assert [v.kind for v in verdicts] == expected
    assert all(v.kind in FAILURE_KINDS for v in verdicts)


def test_a_learner_error_keeps_its_message_apart_from_what_failed():
    error = LearnerError("softmax", ValueError("x was [0.731059, 2.5]"), None)
    assert error.summary == "softmax raised ValueError" and "0.731059" in error.values


def test_the_reply_carries_the_kind_and_the_trusted_side_reads_it():
    verdict = ForbiddenCall("softmax", 1, ["torch.softmax"])
    remote = RemoteVerdict.from_reply(verdict_reply(verdict.kind, verdict.summary, verdict.cause, verdict.values))
    assert (remote.kind, remote.summary) == ("forbidden_call", verdict.summary)


def test_a_forged_kind_or_field_is_not_believed():
    assert RemoteVerdict.from_reply({"verdict": "passed", "summary": "all good"}).kind == "learner_error"
    assert RemoteVerdict.from_reply({"verdict": "NotImplementedYet"}).kind == "learner_error"
    forged = RemoteVerdict.from_reply({"verdict": "timeout", "summary": ["not", "text"], "values": "v" * 10_000})
    assert forged.kind == "timeout" and forged.summary == "failed" and len(forged.values) == 2000
