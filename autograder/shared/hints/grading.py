"""The words of grading one submission: tests that did not run, and what importing its files said.

The learner reads them as notes on their submission and as the hint of every test
of a submission that was not graded. Imported by the trusted orchestrator
(``trusted/grader/grade_one.py``) only.
"""

DID_NOT_RUN = "this test did not run for this submission"
NO_COURSE_FILE = "no course file found"


def not_graded(reason: str) -> str:
    """Every test of a refused submission says this."""
    return f"not graded: {reason}"


def printed_while_importing(output: str) -> str:
    return "your files printed while being imported:\n" + output


def importing_failed(summary: str) -> str:
    """The worker failed (timed out, crashed) while importing the submission's files."""
    return f"importing your files failed: {summary}"


def importing_raised(failure: object) -> str:
    """A verdict (or any error) while importing the submission's files: reported, grading goes on."""
    return f"importing your files: {failure}"
