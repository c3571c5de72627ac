"""The pytest plugin behind every test run: fixtures, the ``@graded`` bookkeeping and the score table.

Loaded with ``-p autograder.trusted.harness.plugin`` (the ``python -m autograder test``
command does this). Fixtures:

- ``impl``: the implementation under test (``--impl assignments|reference|PATH``,
  or an object handed in by ``run_suite``); the only way tests reach learner code;
- ``ref``: the reference solutions, for hidden tests only;
- ``device``: one run per device in ``cpu, cuda, mps`` (``--device`` picks one),
  a visible skip where the device is missing;
- ``gen``: a ``torch.Generator`` seeded from the test's own id, so every test
  draws the same numbers on every machine and in any order.
"""

import functools
import hashlib
import json
from pathlib import Path

import pytest
import torch

from autograder.sandboxed.loader import Implementation, default_roots
from autograder.shared.hints import checks as check_hints
from autograder.shared.paths import REPO_ROOT
from autograder.shared.verdicts import Verdict
from autograder.trusted.harness.checks import GradingFailure
from autograder.trusted.harness.devices import ALL_DEVICES, is_available, make_deterministic
from autograder.trusted.harness.grading import display_name
from autograder.trusted.harness.render import gradescope_results, score_table
from autograder.trusted.harness.results import Outcome, ScoredTest, SubmissionResult
from autograder.trusted.harness.scoring import VISIBILITIES, scored_tests

_OUTCOMES = pytest.StashKey[list]()
_IMPL = pytest.StashKey[object]()


def pytest_addoption(parser):
    group_ = parser.getgroup("course", "LLMs Under the Hood grading")
    group_.addoption(
        "--impl", default="assignments", help="assignments, reference, or a folder laid out like assignments/"
    )
    group_.addoption("--device", default="all", help="cpu, cuda, mps or all (default: every available device)")
    group_.addoption("--results-json", default=None, help="write Gradescope's results.json here")
    group_.addoption("--no-score-table", action="store_true", help="do not print the score table")
    group_.addoption("--api", default="", help="only the tests of these API names (comma-separated)")
    group_.addoption(
        "--hidden-visibility",
        default="visible",
        choices=VISIBILITIES,
        help="Gradescope visibility of the hidden tests in --results-json (default: visible)",
    )


def pytest_configure(config):
    config.addinivalue_line("markers", "graded(api, points): the course API this test grades and its points")
    config.stash[_OUTCOMES] = []
    make_deterministic()
    if not config.getoption("no_score_table"):
        # The score table replaces tracebacks: a learner reads hints, not pytest internals.
        config.option.tbstyle = "no"
        config.option.reportchars = ""
    elif not config.pluginmanager.has_plugin("terminal"):
        # A quiet run (the grader's, the project's checks) shows no traceback at all, and pytest's default
        # style parses the source of every frame of every failure: seconds for a submission that fails often.
        config.option.tbstyle = "value"


class InjectedImplementation:
    """Plugin object for ``pytest.main(plugins=[...])``: grade this implementation object."""

    def __init__(self, implementation):
        self.implementation = implementation

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config):
        inject(config, self.implementation)


def inject(config, implementation) -> None:
    """Grade ``implementation`` from now on in this session, with no graded outcome recorded yet."""
    config.stash[_IMPL] = implementation
    config.stash[_OUTCOMES] = []


def _resolve_impl(config) -> object:
    if _IMPL in config.stash:
        return config.stash[_IMPL]
    choice = config.getoption("impl")
    roots = default_roots(REPO_ROOT)
    root = roots.get(choice, Path(choice))
    return Implementation(root, label=choice)


@pytest.fixture(scope="session")
def impl(pytestconfig):
    return _resolve_impl(pytestconfig)


@pytest.fixture(scope="session")
def ref():
    root = default_roots(REPO_ROOT)["reference"]
    if not root.is_dir():
        pytest.skip(check_hints.NO_REFERENCE)
    return reference_implementation(root)


@functools.cache
def reference_implementation(root: Path) -> Implementation:
    """One reference per process, shared by every pytest session it runs (one per submission in the grader).

    Trusted code: not recorded (the recorders cost 2-3x on every operator, and
    nothing is checked for the reference), and its pure answers are remembered.
    """
    return Implementation(root, label="reference", record=False, memo=True)


def pytest_generate_tests(metafunc):
    if "device" in metafunc.fixturenames:
        choice = metafunc.config.getoption("device")
        devices = list(ALL_DEVICES) if choice == "all" else [choice]
        metafunc.parametrize("device", devices, indirect=True)


@pytest.fixture
def device(request) -> str:
    name = request.param
    if not is_available(name):
        pytest.skip(check_hints.device_unavailable(name))
    return name


@pytest.fixture
def gen(request) -> torch.Generator:
    """A CPU generator seeded by the test's id: same numbers everywhere, independent of test order."""
    digest = hashlib.sha256(request.node.nodeid.split("[")[0].encode()).digest()
    generator = torch.Generator()
    generator.manual_seed(int.from_bytes(digest[:8], "little"))
    return generator


def _suite_of(item) -> str:
    return "hidden" if "hidden" in Path(str(item.path)).parts else "public"


def pytest_collection_modifyitems(config, items):
    wanted = {name.strip() for name in config.getoption("api").split(",") if name.strip()}
    kept, dropped = [], []
    for item in items:
        marker = item.get_closest_marker("graded")
        if marker is None:
            kept.append(item)
            continue
        api = marker.kwargs["api"]
        item.user_properties.append(("course_name", display_name(api, item.function)))
        item.repr_failure = _brief_failure(item.repr_failure)
        (kept if not wanted or api in wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _brief_failure(repr_failure):
    """A graded test's failure as its message alone when the message is the whole story (a hint or a verdict).

    pytest's own report reads and parses the source of every frame, about 30 ms
    a failure, for a traceback the score table never shows.
    """

    def brief(excinfo, *args, **kwargs):
        if isinstance(excinfo.value, (GradingFailure, Verdict)):
            return excinfo.exconly()
        return repr_failure(excinfo, *args, **kwargs)

    return brief


def _failure_from(excinfo, api: str) -> tuple[str, str, str, str]:
    """(kind, summary, cause, values) of a failed or skipped run (see feedback.py)."""
    error = excinfo.value
    if isinstance(error, (GradingFailure, Verdict)):
        return error.kind, error.summary, error.cause, error.values
    if isinstance(error, pytest.skip.Exception):
        return "skipped", str(error), "", ""
    return ("learner_error", *check_hints.unusable_result(api, type(error).__name__, str(error)[:300]))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    marker = item.get_closest_marker("graded")
    if marker is None:
        return report
    # One outcome per test run: the call phase, or setup when setup did not pass.
    if call.when == "call" or (call.when == "setup" and not report.passed):
        api = marker.kwargs["api"]
        kind, summary, cause, values = ("", "", "", "") if call.excinfo is None else _failure_from(call.excinfo, api)
        callspec = getattr(item, "callspec", None)
        item.config.stash[_OUTCOMES].append(
            Outcome(
                key=item.nodeid.split("[")[0],
                name=dict(item.user_properties)["course_name"],
                api=api,
                points=marker.kwargs["points"],
                suite=_suite_of(item),
                status=report.outcome,
                variant=str(callspec.params.get("device", "")) if callspec else "",
                kind=kind or report.outcome,
                summary=summary,
                cause=cause,
                values=values,
            )
        )
    return report


def graded_tests(config) -> list[ScoredTest]:
    from autograder.trusted.harness.device_check import only_for_working_functions

    return scored_tests(only_for_working_functions(config.stash[_OUTCOMES]))


def pytest_sessionfinish(session, exitstatus):
    """Nothing graded ran (e.g. DEVICE=cuda on a machine without one): that is not a pass."""
    tests = graded_tests(session.config)
    if tests and exitstatus == pytest.ExitCode.OK and not any(t.ran for t in tests):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    result = SubmissionResult(config.getoption("impl"), tuple(graded_tests(config)))  # the one learner tested
    path = config.getoption("results_json")
    if path:
        results = gradescope_results(result, hidden_visibility=config.getoption("hidden_visibility"))
        Path(path).write_text(json.dumps(results, indent=2))
    if result.tests and not config.getoption("no_score_table"):
        terminalreporter.write_sep("=", "score")
        terminalreporter.write_line(score_table(result))
