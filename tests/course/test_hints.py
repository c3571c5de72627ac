"""Hints name what to fix in the learner's own terms, for mistakes whose raw error says it poorly."""

from autograder.catalog.part3 import LayerNormGammaBeta
from autograder.harness.loader import Implementation
from autograder.harness.plugin import REPO_ROOT
from autograder.harness.run import run_suite


def test_misnamed_module_parameters_get_the_contract_names_in_every_hint():
    learner = Implementation(REPO_ROOT / "solutions", "reference").with_override("LayerNorm", LayerNormGammaBeta)
    tests = run_suite(learner, parts=[3], apis=["LayerNorm"], device="cpu")
    summaries = [t.failures[0].hint for t in tests if t.failures]
    assert len(summaries) >= 5  # every test that builds a LayerNorm fails, and says why in the contract's names
    for summary in summaries:
        assert "weight" in summary and "bias" in summary and "gamma" in summary, summary
    built = [s for s in summaries if "missing bias, weight; not in the contract beta, gamma" in s]
    assert len(built) >= 4, summaries
