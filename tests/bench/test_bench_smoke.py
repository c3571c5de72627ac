"""The benchmark still runs: Part 1 only, one submission, classes of 1 and 2 (the full run is ``make bench``)."""

from bench.__main__ import main


def test_bench_runs_end_to_end_and_prints_its_table(tmp_path, capsys):
    assert main(["--sizes", "1,2", "--baseline", "1", "--part", "1", "--work", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    for figure in (
        "CPU s per submission",
        "fixed cost",
        "round trips x",
        "the learner's code",
        "make test PART=1",
        "peak memory",
        "fit: wall",
        "GPU",
    ):
        assert figure in printed
