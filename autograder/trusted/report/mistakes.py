"""The class's common mistakes: failed tests grouped by API, verdict kind and likely cause, for the next lecture.

A group is what one explanation in class fixes: "softmax, wrong value, subtract the
max first: 31 submissions". Each test result says why it failed through its verdict
kind (``extra_data["kind"]`` in results.json), never through the words of its hint.
"""

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from autograder.trusted.harness.results import ScoredTest, SubmissionResult

NOT_SUBMITTED = "file not submitted"
KIND_LABELS = {
    "wrong_value": "wrong value",
    "not_implemented": "not implemented",
    "forbidden_call": "forbidden call",
    "wrong_device": "wrong device",
    "learner_error": "raised an error",
    "timeout": "timeout",
    "crash": "crash",
    "skipped": "skipped",
    "not_submitted": "not submitted",
}


def likely_cause(test: ScoredTest, kind: str) -> str:
    """One short line a lecturer can act on: the test's 'likely cause', else its first line without numbers."""
    text = test.output
    if "file not found" in text:
        return NOT_SUBMITTED
    for line in text.splitlines():
        if line.startswith("likely cause:"):
            return line.removeprefix("likely cause:").strip()
    if kind == "forbidden_call":
        called = re.search(r" called (.+?), which Part", text)
        return f"calls {called.group(1)}" if called else "a forbidden call"
    if kind == "not_implemented":
        return "still raises NotImplementedError"
    first = text.splitlines()[0] if text else ""
    first = re.sub(r" \(at [^)]*\)", "", first)  # the learner's own file and line differ between submissions
    first = re.sub(r"(?<![\w.])/[\w./-]+", "<path>", first)
    return re.sub(r"(?<![\w.])-?\d+(\.\d+)?(e-?\d+)?\b", "N", first)[:160]


@dataclass
class Group:
    api: str
    kind: str
    cause: str
    submissions: list[str] = field(default_factory=list)
    tests: set[str] = field(default_factory=set)
    points_lost: float = 0.0

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.replace("_", " "))


def common_mistakes(results: list[SubmissionResult]) -> list[Group]:
    """Every (api, kind, cause) with its submissions, weakest API first, then the biggest group (files never
    submitted last: they are not a mistake to explain).

    One mistake counts once per submission and API: its first failing test names the
    cause (the same bug fails the same tests, so two learners with it land in one group).
    """
    groups: dict[tuple[str, str, str], Group] = {}
    earned: dict[str, float] = defaultdict(float)
    possible: dict[str, float] = defaultdict(float)
    for r in results:
        if r.error:
            continue
        failed: dict[str, list[ScoredTest]] = defaultdict(list)
        for t in r.tests:
            earned[t.api] += t.score
            possible[t.api] += t.max_score
            if t.score < t.max_score and t.kind != "passed":
                failed[t.api].append(t)
        for api, tests in failed.items():
            kind = tests[0].kind
            key = (api, kind, likely_cause(tests[0], kind))
            group = groups.setdefault(key, Group(*key))
            group.submissions.append(r.submission)
            group.tests.update(t.name for t in tests)
            group.points_lost += sum(t.max_score - t.score for t in tests)
    rate = {api: earned[api] / possible[api] if possible[api] else 1.0 for api in possible}
    return sorted(
        groups.values(),
        key=lambda g: (g.cause == NOT_SUBMITTED, rate[g.api], -len(g.submissions), g.api, g.kind, g.cause),
    )


def kind_counts(results: list[SubmissionResult]) -> dict[str, Counter]:
    """Test name -> how many graded submissions failed it in each way ('timeout': 23)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        if r.error:
            continue
        for t in r.tests:
            kind = t.kind
            if kind != "passed":
                counts[t.name]["not_submitted" if likely_cause(t, kind) == NOT_SUBMITTED else kind] += 1
    return counts


def describe_counts(counts: Counter) -> str:
    """'timeout ×23, wrong value ×2': the ways a test failed, most frequent first."""
    return ", ".join(f"{KIND_LABELS.get(kind, kind)} ×{n}" for kind, n in counts.most_common())


def mistakes_csv(groups: list[Group]) -> str:
    """common_mistakes.csv: one row per group, every submission id in it (the report shows five)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["api", "kind", "likely_cause", "submissions", "tests", "points_lost", "submission_ids"])
    for g in groups:
        writer.writerow(
            [g.api, g.kind, g.cause, len(g.submissions), len(g.tests), f"{g.points_lost:g}", " ".join(g.submissions)]
        )
    return buffer.getvalue()
