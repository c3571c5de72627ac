"""What a failed test tells the learner: its verdict as data (a kind), and what each suite may show.

Every failure, whether a check on the learner's output (``checks.GradingFailure``)
or a verdict on how the code behaved (``verdicts.Verdict``), carries three texts:

- ``summary``: which property failed (``softmax on large logits: wrong values``),
  never a value computed from the test's inputs;
- ``cause``: the likely cause, in the learner's terms;
- ``values``: the evidence (inputs, expected and returned values, an error message).

and a ``kind`` from ``KINDS``, which travels with the outcome to results.json,
feedback.md, the score table and the class report. The one rule of what is shown
lives here: a suite whose inputs are secret (the hidden tests) shows the summary
and the cause, never the values. The words of the texts themselves live in ``hints/``.
"""

KINDS = (
    "passed",
    "wrong_value",  # a check on the returned value failed
    "not_implemented",  # still raises NotImplementedError
    "forbidden_call",  # called what the part forbids: the whole exercise earns no credit
    "wrong_device",  # an output (or a tensor made inside) is not on the input's device
    "learner_error",  # the learner's code raised, could not be loaded, or returned what cannot be used
    "timeout",  # a call ran past its deadline (or the submission's budget was spent)
    "crash",  # the worker died or broke the protocol
    "skipped",  # did not run here (a device this machine lacks)
)
FAILURE_KINDS = frozenset(KINDS) - {"passed", "skipped"}
# Verdicts that are about the exercise, not one test: the score table and feedback.md say them once per API.
EXERCISE_KINDS = ("not_implemented", "forbidden_call")


def label(kind: str) -> str:
    """'wrong value' for 'wrong_value': how a kind reads in the score table and the feedback."""
    return kind.replace("_", " ")


def shows_values(suite: str) -> bool:
    """The one rule: values computed on a suite's inputs are shown only where those inputs are public."""
    return suite == "public"


def hint_text(summary: str, cause: str = "", values: str = "", *, show_values: bool = True) -> str:
    """A failure as the learner reads it: what failed, the evidence (where shown), the likely cause."""
    lines = [summary] if summary else []
    if show_values and values:
        lines.append(values)
    if cause:
        lines.append(f"likely cause: {cause}")
    return "\n".join(lines)
