"""The device checks of Parts 4 and 5 across the sandbox: a GPU-only mistake costs its device checks, nothing else.

Part 4's decoding functions call a model that the check builds in the worker
(``cpu_in_worker``), so this is also the test that such a case runs there.
"""

import pytest

from autograder.shared.paths import REPO_ROOT
from autograder.trusted.grader.grade_one import build_manifest, grade_files
from autograder.trusted.harness.device_check import DOC

# (part, file, correct code, the same code without the inputs' device, the API whose device check must fail)
MISTAKES = [
    (4, "generation.py", "next_token[:, None]]", "next_token[:, None].cpu()]", "generate"),
    (5, "rope.py", "torch.arange(0, d, 2, device=x.device, dtype=work)", "torch.arange(0, d, 2, dtype=work)", "rope"),
]


@pytest.mark.parametrize(("part", "file", "old", "new", "api"), MISTAKES, ids=[m[-1] for m in MISTAKES])
def test_a_gpu_only_mistake_loses_only_device_checks_in_the_sandbox(server, tmp_path, part, file, old, new, api):
    folder = f"part{part}"
    files = {f"{folder}/{p.name}": p.read_text() for p in sorted((REPO_ROOT / "solutions" / folder).glob("*.py"))}
    assert old in files[f"{folder}/{file}"]
    files[f"{folder}/{file}"] = files[f"{folder}/{file}"].replace(old, new)
    result, _ = grade_files("learner", files, server, tmp_path, build_manifest(parts=[part]), device="cpu")
    lost = {t.name: t for t in result.tests if t.score < t.max_score}
    assert f"{api}: {DOC}" in lost, sorted(lost)
    assert all(name.endswith(DOC) for name in lost), sorted(lost)  # every other test still passes
    hint = lost[f"{api}: {DOC}"].output
    assert f"{file} line" in hint and new in hint and "simulated GPU" in hint, hint  # the learner's own line
