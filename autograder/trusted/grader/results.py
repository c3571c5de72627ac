"""What grading one submission produces, as plain data shared by the grader, its files and the class report."""

from dataclasses import asdict, dataclass, field


@dataclass
class TestResult:
    name: str  # 'softmax: large logits stay finite'
    api: str
    part: int
    suite: str  # 'public' or 'hidden'
    score: float
    max_score: float
    status: str  # 'passed', 'failed', 'skipped'
    output: str = ""  # the hint shown to the learner
    kind: str = ""  # the verdict as data: one of autograder.shared.feedback.KINDS
    key: str = ""  # the test function's id (stable across runs; the name is for people)


@dataclass
class SubmissionResult:
    submission: str  # the submission's id (folder name, zip stem, or LMS learner key)
    score: float
    max_score: float
    parts: dict[int, tuple[float, float]]  # part number -> (score, max)
    tests: list[TestResult] = field(default_factory=list)
    seconds: float = 0.0  # wall time spent grading it
    error: str = ""  # why it could not be graded (it still gets a row, with score 0)
    notes: list[str] = field(default_factory=list)  # files ignored or refused while unpacking
    lms: dict[str, str] = field(default_factory=dict)  # e.g. {'lms': 'canvas', 'user_id': '12345', 'name': 'doejane'}

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "SubmissionResult":
        data = dict(data)
        data["tests"] = [TestResult(**t) for t in data.get("tests", [])]
        data["parts"] = {int(k): tuple(v) for k, v in data.get("parts", {}).items()}
        return cls(**data)
