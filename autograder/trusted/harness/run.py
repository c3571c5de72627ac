"""Run the course's test suites on an implementation and get the graded results back.

``python -m autograder test`` (what ``make test`` calls) and the project's own
checks (reference full marks, stubs zero, the bug catalog) all go through
``run_suite``, so they grade exactly as a learner's run does.
"""

import queue
import threading
from collections.abc import Iterable
from pathlib import Path

import pytest

from autograder.shared.api import PARTS
from autograder.shared.paths import REPO_ROOT
from autograder.trusted.harness import plugin
from autograder.trusted.harness.plugin import InjectedImplementation, graded_tests, inject
from autograder.trusted.harness.results import ScoredTest

SUITE_FOLDERS = {
    "public": lambda part: REPO_ROOT / "assignments" / part.folder / "tests",
    "hidden": lambda part: REPO_ROOT / "autograder" / "hidden" / part.folder,
}


def test_paths(parts: Iterable[int], suites: Iterable[str]) -> list[Path]:
    paths = [SUITE_FOLDERS[suite](PARTS[n]) for n in parts for suite in suites]
    return [p for p in paths if p.is_dir()]


def main(args: list[str], plugins: Iterable[object] = ()) -> int:
    """pytest.main with the course plugin registered (as a module object, so it is imported once)."""
    return int(pytest.main(args, plugins=[plugin, *plugins]))


def pytest_args(
    parts: Iterable[int],
    suites: Iterable[str],
    *,
    device: str = "all",
    apis: Iterable[str] = (),
    extra: Iterable[str] = (),
) -> list[str]:
    args = [str(p) for p in test_paths(parts, suites)]
    args += [
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(REPO_ROOT),
        "--import-mode=importlib",
        "--device",
        device,
    ]
    if apis:
        args += ["--api", ",".join(apis)]
    return args + list(extra)


# pytest plugins a quiet run has no use for, each a measurable cost on every test of every submission: the
# terminal report, log capturing (a handler added to and removed from the root logger three times per test),
# and the unraisable-exception and thread-exception hooks (two full garbage collections per session).
QUIET_PLUGINS_OFF = (
    "-p", "no:terminal", "-p", "no:logging", "-p", "no:unraisableexception", "-p", "no:threadexception",
)  # fmt: skip
# pytest exit codes that mean the tests ran, whatever they found
RAN = (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED)
QUIET_ARGS = ("--no-score-table", *QUIET_PLUGINS_OFF)  # tuples: every run builds its own argument list


class _Collector:
    def __init__(self):
        self.tests: list[ScoredTest] = []

    def pytest_sessionfinish(self, session):
        self.tests = graded_tests(session.config)


def run_suite(
    implementation,
    parts: Iterable[int] = tuple(PARTS),
    suites: Iterable[str] = ("public", "hidden"),
    *,
    device: str = "all",
    apis: Iterable[str] = (),
    quiet: bool = True,
    first_failure_only: bool = False,
    plugins: Iterable[object] = (),
) -> list[ScoredTest]:
    """Run the suites in this process against ``implementation`` and return its scored tests.

    ``first_failure_only`` stops at the first failing test: enough to prove a bug is caught.
    ``plugins`` join the run (the benchmark's per-test clock, for one).
    """
    collector = _Collector()
    extra = [*(QUIET_ARGS if quiet else ["-q"]), *(["-x"] if first_failure_only else [])]
    code = main(
        pytest_args(parts, suites, device=device, apis=apis, extra=extra),
        plugins=[InjectedImplementation(implementation), collector, *plugins],
    )
    if code not in RAN:
        raise RuntimeError(f"the test run itself failed (pytest exit code {code}); see the output above")
    return collector.tests


class SuiteSession:
    """The suites, collected once in a pytest session that stays open, run again for each implementation.

    What the grader uses for a stream of submissions: pytest's start-up,
    configuration and collection are paid once per grading process rather than
    once per submission. pytest has no public way to run a session's tests
    twice, so the session lives in a helper thread whose ``pytest_runtestloop``
    waits for the next implementation; ``run`` hands one over and waits for its
    graded tests. Each run ends by tearing every fixture down (``nextitem`` is
    None after the last test), so no fixture value outlives its submission.
    """

    def __init__(
        self,
        parts: Iterable[int],
        suites: Iterable[str] = ("public", "hidden"),
        *,
        device: str = "all",
        apis: Iterable[str] = (),
    ):
        self._requests: queue.Queue = queue.Queue()
        self._results: queue.Queue = queue.Queue()
        self._collected = threading.Event()
        args = pytest_args(parts, suites, device=device, apis=apis, extra=QUIET_ARGS)
        self._thread = threading.Thread(target=self._serve, args=(args,), name="suite-session", daemon=True)
        self._thread.start()
        while not self._collected.wait(0.05) and self._thread.is_alive():
            pass  # returns once the tests are collected (or the session failed: run() then says why)

    def run(self, implementation) -> list[ScoredTest]:
        """Every collected test against ``implementation``; its graded results."""
        if not self._thread.is_alive():
            raise RuntimeError("the test session has ended")
        self._requests.put(implementation)
        result = self._results.get()
        if isinstance(result, BaseException):
            raise RuntimeError(f"the test session failed: {result!r}") from result
        return result

    def close(self) -> None:
        if self._thread.is_alive():
            self._requests.put(None)
            self._thread.join()

    def _serve(self, args: list[str]) -> None:
        try:
            code = main(args, plugins=[self])
        except BaseException as error:  # noqa: BLE001 - handed to whoever waits in run()
            self._results.put(error)
            return
        if code not in RAN:
            self._results.put(RuntimeError(f"pytest exit code {code}"))

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session) -> bool:
        self._collected.set()
        while (implementation := self._requests.get()) is not None:
            try:
                inject(session.config, implementation)
                items = session.items
                for index, item in enumerate(items):
                    following = items[index + 1] if index + 1 < len(items) else None
                    item.config.hook.pytest_runtest_protocol(item=item, nextitem=following)
                self._results.put(graded_tests(session.config))
            except BaseException as error:  # noqa: BLE001 - the session cannot go on; the caller hears why
                self._results.put(error)
                return True
        return True
