"""Grading across the sandbox agrees with grading in-process: reference full marks, stubs zero, every part."""

import pytest

from autograder.shared.api import PARTS
from autograder.shared.paths import REPO_ROOT
from autograder.trusted.grader.grade_one import build_manifest, grade_files
from autograder.trusted.harness.device_check import DOC

PRESENT = [p for p in PARTS.values() if (REPO_ROOT / "solutions" / p.folder).is_dir()]


def files_of(root: str, part) -> dict[str, str]:
    return {f"{part.folder}/{p.name}": p.read_text() for p in sorted((REPO_ROOT / root / part.folder).glob("*.py"))}


@pytest.mark.parametrize("part", PRESENT, ids=lambda p: p.folder)
def test_reference_full_marks_and_stubs_zero_in_the_sandbox(server, tmp_path, part):
    manifest = build_manifest(parts=[part.number])
    reference, layers = grade_files(
        "reference", files_of("solutions", part), server, tmp_path / "a", manifest, device="cpu"
    )
    lost = [(t.name, t.output) for t in reference.tests if t.score < t.max_score]
    assert not lost and reference.max_score > 0, lost[:3]
    assert layers["process separation"].startswith("active")
    stubs, _ = grade_files("stubs", files_of("assignments", part), server, tmp_path / "b", manifest, device="cpu")
    assert stubs.score == 0 and stubs.max_score == reference.max_score
    assert all(t.kind == "not_implemented" for t in stubs.tests), [(t.kind, t.output) for t in stubs.tests][:3]
    assert all("not implemented yet" in t.output for t in stubs.tests), [t.output for t in stubs.tests][:3]


def test_a_forbidden_call_voids_its_exercise_in_the_sandbox_too(server, tmp_path):
    """LayerNorm via F.layer_norm: every LayerNorm test at zero with one reason, the structure test included."""
    part = PARTS[3]
    files = files_of("solutions", part)
    forward = "    def forward(self, x: torch.Tensor) -> torch.Tensor:\n"
    assert forward in files["part3/layer_norm.py"]
    files["part3/layer_norm.py"] = files["part3/layer_norm.py"].replace(
        forward,
        forward + "        return torch.nn.functional.layer_norm(x, x.shape[-1:], self.weight, self.bias, self.eps)\n",
    )
    manifest = [e for e in build_manifest(parts=[3]) if e.api == "LayerNorm"]
    result, _ = grade_files("builtin", files, server, tmp_path / "c", manifest, device="cpu", apis=["LayerNorm"])
    assert len(result.tests) == len(manifest) and result.score == 0
    assert {t.kind for t in result.tests} == {"forbidden_call"}
    assert len({t.output for t in result.tests}) == 1 and "earns no credit" in result.tests[0].output
    assert any(t.key.endswith("test_layernorm_parameters_and_state_dict") for t in result.tests)


def test_a_gpu_only_bug_loses_the_device_check_in_the_sandbox_with_the_same_hint(server, tmp_path):
    """The simulated GPU runs in the worker (the fork server imported it): only the verdict comes back."""
    part = PARTS[3]
    files = files_of("solutions", part)
    files["part3/language_model.py"] = files["part3/language_model.py"].replace(
        "torch.arange(T, device=idx.device)", "torch.arange(T)"
    )
    manifest = build_manifest(parts=[3])
    result, _ = grade_files("learner", files, server, tmp_path, manifest, device="cpu")
    lost = [t for t in result.tests if t.score < t.max_score]
    assert [t.name for t in lost] == [f"TransformerLM: {DOC}"]
    assert "`positions`" in lost[0].output and "positions = torch.arange(T)" in lost[0].output, lost[0].output
