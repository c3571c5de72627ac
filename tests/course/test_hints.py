"""Hints name what to fix in the learner's own terms, for mistakes whose raw error says it poorly."""

import shutil

from autograder.catalog.part3 import LayerNormGammaBeta
from autograder.sandboxed.loader import Implementation
from autograder.shared.paths import REPO_ROOT
from autograder.trusted.harness.run import run_suite


def test_misnamed_module_parameters_get_the_contract_names_in_every_hint():
    learner = Implementation(REPO_ROOT / "solutions", "reference").with_override("LayerNorm", LayerNormGammaBeta)
    tests = run_suite(learner, parts=[3], apis=["LayerNorm"], device="cpu")
    summaries = [t.failures[0].hint for t in tests if t.failures]
    assert len(summaries) >= 5  # every test that builds a LayerNorm fails, and says why in the contract's names
    for summary in summaries:
        assert "weight" in summary and "bias" in summary and "gamma" in summary, summary
    built = [s for s in summaries if "missing bias, weight; not in the contract beta, gamma" in s]
    assert len(built) >= 4, summaries


def _learner_copy(tmp_path, part: str, file: str, old: str, new: str) -> tuple[Implementation, int]:
    """A learner folder: the reference of ``part`` with one line of ``file`` changed; the changed line's number."""
    folder = tmp_path / part
    shutil.copytree(REPO_ROOT / "solutions" / part, folder)
    source = (folder / file).read_text()
    assert old in source
    (folder / file).write_text(source.replace(old, new))
    line = next(i for i, text in enumerate(source.splitlines(), 1) if old in text)
    return Implementation(tmp_path, "learner"), line


def _device_failures(tests) -> list[str]:
    return [t.failures[0].summary for t in tests if t.failures and "inputs' device" in t.name]


def test_a_tensor_made_without_the_inputs_device_loses_only_the_device_check_and_is_named_with_its_line(tmp_path):
    learner, line = _learner_copy(
        tmp_path, "part3", "language_model.py", "torch.arange(T, device=idx.device)", "torch.arange(T)"
    )
    tests = run_suite(learner, parts=[3], apis=["TransformerLM"], device="cpu")
    assert [t.name for t in tests if t.failures] == [t.name for t in tests if "inputs' device" in t.name]
    (summary,) = _device_failures(tests)
    assert "`positions`" in summary, summary  # the tensor, by the learner's name
    assert f"language_model.py line {line}: positions = torch.arange(T)" in summary, summary  # the line that made it
    assert "torch.nn.functional.embedding" in summary and "simulated GPU" in summary, summary  # where it met the device


def test_a_round_trip_through_python_lists_is_named_with_its_line(tmp_path):
    learner, line = _learner_copy(
        tmp_path,
        "part1",
        "gradients.py",
        "grad_b = grad_out.sum(dim=0)",
        "grad_b = torch.tensor(grad_out.sum(dim=0).tolist())",
    )
    tests = run_suite(learner, parts=[1], apis=["linear_backward"], device="cpu")
    (summary,) = _device_failures(tests)
    assert "back into Python" in summary and f"gradients.py line {line}:" in summary and ".tolist()" in summary, summary
