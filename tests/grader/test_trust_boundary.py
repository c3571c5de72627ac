"""The sandboxed side holds nothing that decides a score: no hidden suite, no reference, no trusted-side module.

A learner function run in a real worker lists the modules it can reach through
``sys.modules``. The hidden tests, ``solutions/``, the catalog and the grader's
trusted-side modules (the orchestrator, the proxy, the outputs, the report, the
pytest plugin) must all be absent; the worker's own modules must be present,
which shows the listing itself works.
"""

import torch

from autograder.grader.grade_one import write_scratch
from autograder.grader.remote import ForkServerClient, RemoteImplementation, WorkerSession

TRUSTED_ONLY = (
    "autograder.hidden",
    "solutions",
    "autograder.catalog",
    "autograder.examples",
    "autograder.build",
    "autograder.grader.bulk",
    "autograder.grader.grade_one",
    "autograder.grader.remote",
    "autograder.grader.outputs",
    "autograder.grader.report",
    "autograder.grader.mistakes",
    "autograder.grader.regrade",
    "autograder.grader.similarity",
    "autograder.grader.unpack",
    "autograder.grader.lms",
    "autograder.grader.notebook_load",
    "autograder.harness.plugin",
    "autograder.harness.run",
)
SANDBOX_SIDE = ("autograder.grader.worker", "autograder.grader.sandbox", "autograder.harness.loader")

SPY = f"""
def xor_features(x):
    import sys
    def held(prefix):
        return sorted(n for n in sys.modules if n == prefix or n.startswith(prefix + "."))
    trusted = [n for p in {TRUSTED_ONLY!r} for n in held(p)]
    return {{"trusted": trusted, "own": [p for p in {SANDBOX_SIDE!r} if held(p)]}}
"""


def test_the_worker_holds_no_hidden_suite_no_reference_and_no_trusted_module(tmp_path):
    server = ForkServerClient(tmp_path / "home")
    try:
        scratch = tmp_path / "scratch" / "submission"
        write_scratch({"part1/features.py": SPY}, scratch)
        remote = RemoteImplementation(WorkerSession(server, scratch, call_timeout=30.0))
        remote.load()
        seen = remote.xor_features(torch.zeros(1, 2))
    finally:
        server.close()
    assert sorted(seen["own"]) == sorted(SANDBOX_SIDE), seen  # the listing works: the worker's own modules are there
    assert seen["trusted"] == [], f"the sandboxed worker can reach trusted-side modules: {seen['trusted']}"
