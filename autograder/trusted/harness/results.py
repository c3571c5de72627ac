"""What a run of the suites produces, as plain frozen data: one run, one scored test, one submission. Trusted side.

``make test`` (the plugin) and grading (``grader/grade_one.py``) build the same
objects; every renderer (``render.py``: the score table, feedback.md,
results.json) and every report (grades.csv, the class report, LMS files) reads
them. Each is built once, complete: nothing is filled in afterwards.
"""

from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass, field

from autograder.shared.api import part_of
from autograder.shared.feedback import hint_text


@dataclass(frozen=True)
class Outcome:
    """One run of one test (one device parametrisation)."""

    key: str  # the test function, without its parametrisation
    name: str  # display name, 'softmax: large logits stay finite'
    api: str
    points: float
    suite: str  # 'public' or 'hidden'
    status: str  # 'passed', 'failed' or 'skipped'
    variant: str = ""  # the parametrisation, e.g. 'cpu'
    kind: str = ""  # one of feedback.KINDS
    summary: str = ""  # what failed, value-free: shown for any suite
    cause: str = ""  # the likely cause: shown for any suite
    values: str = ""  # the evidence: shown only where feedback.shows_values(suite)

    def text(self, show_values: bool) -> str:
        return hint_text(self.summary, self.cause, self.values, show_values=show_values)

    @property
    def hint(self) -> str:
        """The whole hint, values included, as a public test shows it."""
        return self.text(show_values=True)


@dataclass(frozen=True)
class ScoredTest:
    """One test function, scored from all its runs (``scoring.scored_test``): what the learner's line says."""

    key: str  # the test function's id (stable across runs; the name is for people)
    name: str
    api: str
    suite: str
    points: float  # what the test is worth where it ran
    status: str  # 'passed', 'failed', 'skipped'
    score: float
    kind: str  # the verdict as data: one of autograder.shared.feedback.KINDS
    output: str  # the hint shown to the learner (values only where the suite may show them)
    outcomes: tuple[Outcome, ...] = ()  # the runs it was scored from, one per device

    @property
    def part(self) -> int:
        return part_of(self.api).number

    @property
    def max_score(self) -> float:
        return 0.0 if self.status == "skipped" else self.points

    @property
    def ran(self) -> bool:
        return self.status != "skipped"

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def failures(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "failed")

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "ScoredTest":
        outcomes = tuple(Outcome(**o) for o in data.get("outcomes", ()))
        return cls(**{**data, "outcomes": outcomes})


@dataclass(frozen=True)
class SubmissionResult:
    """One submission's scored tests and what grading it said: a ``make test`` run, or one graded submission."""

    submission: str  # the submission's id (folder name, zip stem, or LMS learner key)
    tests: tuple[ScoredTest, ...] = ()
    seconds: float = 0.0  # wall time spent grading it
    error: str = ""  # why it could not be graded (it still gets a row, with score 0)
    notes: tuple[str, ...] = ()  # files ignored or refused while unpacking, problems while importing
    lms: dict[str, str] = field(default_factory=dict)  # e.g. {'lms': 'canvas', 'user_id': '12345', 'name': 'doe'}

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 4)

    @property
    def max_score(self) -> float:
        return sum(t.max_score for t in self.tests)

    @property
    def parts(self) -> dict[int, tuple[float, float]]:
        """Part number -> (score, max), for the parts it has tests of."""
        return self.points_by(lambda t: t.part)

    def points_by(self, key: Callable[[ScoredTest], Hashable]) -> dict:
        """(score, max) summed over its tests grouped by ``key`` (their part, their API), in first-seen order."""
        points: dict = {}
        for t in self.tests:
            score, top = points.get(key(t), (0.0, 0.0))
            points[key(t)] = (score + t.score, top + t.max_score)
        return points

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "SubmissionResult":
        tests = tuple(ScoredTest.from_json(t) for t in data.get("tests", ()))
        return cls(**{**data, "tests": tests, "notes": tuple(data.get("notes", ()))})
