"""What ``make check-lms`` accepts as a result: its score rules and its layer rule, on made-up results.json.

The check itself needs root, apt and a dockerd (``make check-lms``); these
tests make sure its judge fails what it must fail.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import lms_expect  # noqa: E402

MANIFEST = [
    {"name": "softmax: rows sum to one", "points": 2.0},
    {"name": "linear: shapes", "points": 1.0},
    {"name": "log_softmax: stable", "points": 1.0},
]
ALL_ACTIVE = {name: "active (...)" for name in lms_expect.LAYERS}
SUPPORTED = {name: "" for name in lms_expect.LAYERS}


def results(scores: dict[str, float]) -> dict:
    tests = []
    for entry in MANIFEST:
        api = entry["name"].split(":")[0]
        tests.append(
            {"name": entry["name"], "score": scores.get(api, 0.0), "max_score": entry["points"], "tags": [api]}
        )
    return {"score": sum(t["score"] for t in tests), "tests": tests}


def test_the_reference_must_score_every_point():
    assert (
        lms_expect.score_problems("reference", results({"softmax": 2, "linear": 1, "log_softmax": 1}), MANIFEST) == []
    )
    assert lms_expect.score_problems("reference", results({"softmax": 2, "linear": 1}), MANIFEST)


def test_the_stubs_must_score_zero():
    assert lms_expect.score_problems("stubs", results({}), MANIFEST) == []
    assert lms_expect.score_problems("stubs", results({"linear": 1}), MANIFEST)


def test_the_hostile_attacks_earn_nothing_and_the_honest_functions_keep_their_points():
    assert lms_expect.score_problems("hostile", results({"linear": 1, "log_softmax": 1}), MANIFEST) == []
    assert lms_expect.score_problems("hostile", results({"softmax": 2, "linear": 1, "log_softmax": 1}), MANIFEST)
    assert lms_expect.score_problems("hostile", results({"log_softmax": 1}), MANIFEST)


def test_a_forged_or_incomplete_result_fails():
    forged = results({"linear": 1, "log_softmax": 1}) | {"score": 1000}
    assert lms_expect.score_problems("hostile", forged, MANIFEST)
    missing = results({})
    missing["tests"].pop()
    assert lms_expect.score_problems("stubs", missing, MANIFEST)


def test_a_supported_layer_that_is_off_fails_and_an_unsupported_one_may_be_off():
    assert lms_expect.layer_problems(ALL_ACTIVE, SUPPORTED) == []
    uid_off = ALL_ACTIVE | {"unprivileged uid": "unavailable (the Python installation is not readable)"}
    assert lms_expect.layer_problems(uid_off, SUPPORTED)
    in_docker = SUPPORTED | {"namespaces": "Docker's default seccomp profile refuses unshare"}
    namespaces_off = ALL_ACTIVE | {"namespaces": "unavailable (unshare: Operation not permitted)"}
    assert lms_expect.layer_problems(namespaces_off, in_docker) == []
    assert lms_expect.layer_problems(namespaces_off, SUPPORTED)


def test_every_layer_must_be_reported():
    assert lms_expect.layer_problems({}, SUPPORTED)
    assert lms_expect.layer_problems({k: v for k, v in ALL_ACTIVE.items() if k != "seccomp"}, SUPPORTED)
