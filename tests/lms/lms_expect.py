"""What ``make check-lms`` expects of a results.json written by the bundle: the scores and the sandbox layers.

Pure functions on plain data, shared by the bare-Python and the Docker runs
(``check_lms.py``) and unit-tested in ``test_lms_expect.py``. Each returns a list
of problems, empty when the result is what it must be.
"""

import ctypes
import os
import platform
import subprocess
from pathlib import Path

LAYERS = ("process separation", "namespaces", "rlimits", "unprivileged uid", "landlock", "seccomp")
# The functions the hostile example attacks with (autograder/examples/hostile/part1): they must earn nothing.
HOSTILE_APIS = ("softmax", "sigmoid", "xor_features")
# Honest functions of the same submission: grading them must survive the attacks next to them.
HONEST_APIS = ("linear", "log_softmax")


def supported_layers(in_docker: bool = False) -> dict[str, str]:
    """Each sandbox layer this machine can give a worker, with the reason when it cannot (probed, not assumed)."""
    supported = {"process separation": "", "rlimits": ""}
    supported["unprivileged uid"] = "" if os.getuid() == 0 else "not root: the grader already runs unprivileged"
    if in_docker:
        supported["namespaces"] = "Docker's default seccomp profile refuses unshare"
    else:
        probe = subprocess.run(
            ["unshare", "--net", "--pid", "--ipc", "--uts", "--fork", "/bin/true"], capture_output=True, text=True
        )
        supported["namespaces"] = "" if probe.returncode == 0 else f"unshare refused: {probe.stderr.strip()[:200]}"
    supported["landlock"] = "" if _landlock_abi() > 0 else "the kernel has no Landlock"
    seccomp = "Seccomp:" in Path("/proc/self/status").read_text()
    supported["seccomp"] = "" if seccomp and platform.machine() == "x86_64" else "no seccomp filter for this machine"
    return supported


def _landlock_abi() -> int:
    if platform.machine() not in ("x86_64", "aarch64"):
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return max(int(libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(1))), 0)  # landlock_create_ruleset


def layer_problems(layers: dict[str, str], supported: dict[str, str]) -> list[str]:
    """Every layer reported; each one the machine supports active; the others say why not."""
    problems = [f"layer {name!r} not reported" for name in LAYERS if name not in layers]
    for name, state in layers.items():
        why_not = supported.get(name)
        if why_not is None:
            problems.append(f"unknown layer {name!r}: {state}")
        elif why_not == "" and not state.startswith("active"):
            problems.append(f"layer {name!r} is off although this machine supports it: {state}")
    return problems


def _per_api(results: dict) -> dict[str, tuple[float, float]]:
    scores: dict[str, tuple[float, float]] = {}
    for test in results.get("tests", []):
        api = test["tags"][0]
        earned, top = scores.get(api, (0.0, 0.0))
        scores[api] = (earned + test["score"], top + test["max_score"])
    return scores


def complete_problems(results: dict, manifest: list[dict]) -> list[str]:
    """Every test of the manifest has a line, each line within its points, the score the sum of the lines."""
    problems = []
    names = sorted(t["name"] for t in results.get("tests", []))
    if names != sorted(e["name"] for e in manifest):
        problems.append(f"results list {len(names)} tests, the manifest {len(manifest)}")
    total = sum(t["score"] for t in results.get("tests", []))
    if abs(results.get("score", -1) - total) > 1e-6:
        problems.append(f"score {results.get('score')} is not the sum of its tests ({total})")
    if any(not 0 <= t["score"] <= t["max_score"] for t in results.get("tests", [])):
        problems.append("a test scored outside [0, max_score]")
    return problems


def score_problems(case: str, results: dict, manifest: list[dict]) -> list[str]:
    """The reference scores full marks, the stubs zero, the hostile example nothing for its attacks."""
    problems = complete_problems(results, manifest)
    top = sum(e["points"] for e in manifest)
    score = results.get("score", -1)
    if case == "reference" and not (top > 0 and abs(score - top) < 1e-6):
        failed = [t["name"] for t in results.get("tests", []) if t["score"] < t["max_score"]][:5]
        problems.append(f"the reference scored {score} of {top}; lost points on {failed}")
    elif case == "stubs" and score != 0:
        problems.append(f"the stubs scored {score}, not 0")
    elif case == "hostile":
        scores = _per_api(results)
        for api in HOSTILE_APIS:
            if scores.get(api, (0, 0))[0] > 0:
                problems.append(f"the hostile {api} earned {scores[api][0]:g} points")
        for api in HONEST_APIS:
            earned, possible = scores.get(api, (0.0, 0.0))
            if not earned == possible > 0:
                problems.append(f"the honest {api} next to the attacks got {earned:g} of {possible:g}")
        if score >= top:
            problems.append(f"the hostile submission scored {score} of {top}")
    return problems
