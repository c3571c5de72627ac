"""The class report: where did the class struggle? A single self-contained report.html with inline SVG plots.

Shows the score distribution, the pass rate of every test (weakest first, so
the concept the class missed is at the top), the slowest submissions, the
submissions that could not be graded, and which sandbox layers were active.
"""

import html
from collections import Counter, defaultdict
from pathlib import Path

from autograder.grader.outputs import write_atomically
from autograder.grader.results import SubmissionResult

BAR_WIDTH = 420


def _histogram(results: list[SubmissionResult], bins: int = 10) -> str:
    counts = [0] * bins
    for r in results:
        fraction = r.score / r.max_score if r.max_score else 0.0
        counts[min(int(fraction * bins), bins - 1)] += 1
    tallest = max(counts) or 1
    width, height, gap, top = 44, 160, 6, 16  # top: room for the count above the tallest bar
    bars = []
    for i, count in enumerate(counts):
        h = round(height * count / tallest)
        x = i * (width + gap)
        y = top + height - h
        bars.append(
            f'<rect x="{x}" y="{y}" width="{width}" height="{h}" fill="#4a78c2"><title>{count}</title></rect>'
            f'<text x="{x + width / 2}" y="{top + height + 14}" font-size="11" text-anchor="middle">'
            f"{i * 100 // bins}-{(i + 1) * 100 // bins}%</text>"
            f'<text x="{x + width / 2}" y="{y - 3}" font-size="11" text-anchor="middle">{count or ""}</text>'
        )
    total_width = bins * (width + gap)
    return f'<svg width="{total_width}" height="{top + height + 20}" role="img">{"".join(bars)}</svg>'


def _pass_rates(results: list[SubmissionResult]) -> list[tuple[str, str, float, int]]:
    """(test name, api, pass rate, number graded) for every test, weakest first."""
    passed: dict[str, int] = Counter()
    seen: dict[str, int] = Counter()
    api_of: dict[str, str] = {}
    for r in results:
        if r.error:
            continue
        for t in r.tests:
            seen[t.name] += 1
            passed[t.name] += t.status == "passed"
            api_of[t.name] = t.api
    rows = [(name, api_of[name], passed[name] / seen[name], seen[name]) for name in seen]
    return sorted(rows, key=lambda row: (row[2], row[0]))


def _bar(rate: float) -> str:
    """A horizontal bar on a grey track: red below 50%, amber below 80%, green above."""
    colour = "#c24a4a" if rate < 0.5 else ("#d9a441" if rate < 0.8 else "#4a9c5d")
    track = f'<rect width="{BAR_WIDTH}" height="12" fill="#e6e6e6"/>'
    fill = f'<rect width="{round(BAR_WIDTH * rate)}" height="12" fill="{colour}"/>'
    return f'<svg width="{BAR_WIDTH}" height="12">{track}{fill}</svg>'


def _rate_bars(rows: list[tuple[str, str, float, int]]) -> str:
    lines = [
        f"<tr><td>{html.escape(name)}</td><td>{_bar(rate)}</td><td>{rate:.0%}&nbsp;of&nbsp;{n}</td></tr>"
        for name, _, rate, n in rows
    ]
    return "<table>" + "".join(lines) + "</table>"


def _api_rates(results: list[SubmissionResult]) -> list[tuple[str, float]]:
    earned: dict[str, float] = defaultdict(float)
    possible: dict[str, float] = defaultdict(float)
    for r in results:
        for t in r.tests:
            earned[t.api] += t.score
            possible[t.api] += t.max_score
    return sorted(((api, earned[api] / possible[api]) for api in possible if possible[api]), key=lambda x: x[1])


def write_report(out: Path, results: list[SubmissionResult], layers: dict[str, dict[str, str]]) -> Path:
    graded = [r for r in results if not r.error]
    mean = sum(r.score for r in graded) / len(graded) if graded else 0.0
    top = max((r.max_score for r in results), default=0.0)
    rows = _pass_rates(results)
    slowest = sorted(graded, key=lambda r: r.seconds, reverse=True)[:10]
    layer_summary: dict[str, Counter] = defaultdict(Counter)
    for per_submission in layers.values():
        for layer, status in per_submission.items():
            layer_summary[layer][status] += 1
    parts = [
        "<!doctype html><meta charset='utf-8'><title>Class report</title>",
        "<style>body{font-family:sans-serif;max-width:980px;margin:2em auto}td{padding:2px 8px;font-size:13px}"
        "h2{margin-top:1.6em}</style>",
        "<h1>Class report</h1>",
        f"<p>{len(results)} submissions, {len(graded)} graded; mean score {mean:.1f} / {top:g}.</p>",
        "<h2>Score distribution</h2>",
        _histogram(graded),
        "<h2>Where the class struggles: points earned per function</h2>",
        "<table>"
        + "".join(
            f"<tr><td><code>{html.escape(api)}</code></td><td>{_bar(rate)}</td><td>{rate:.0%}</td></tr>"
            for api, rate in _api_rates(graded)
        )
        + "</table>",
        "<h2>Pass rate of every test (weakest first)</h2>",
        _rate_bars(rows),
        "<h2>Slowest submissions</h2>",
        "<table>"
        + "".join(f"<tr><td>{html.escape(r.submission)}</td><td>{r.seconds:.1f} s</td></tr>" for r in slowest)
        + "</table>",
    ]
    failed = [r for r in results if r.error]
    if failed:
        parts += [
            "<h2>Not graded</h2>",
            "<table>"
            + "".join(f"<tr><td>{html.escape(r.submission)}</td><td>{html.escape(r.error)}</td></tr>" for r in failed)
            + "</table>",
        ]
    parts.append("<h2>Sandbox layers</h2><table>")
    for layer, statuses in sorted(layer_summary.items()):
        for status, count in statuses.most_common():
            parts.append(f"<tr><td>{html.escape(layer)}</td><td>{html.escape(status)}</td><td>{count}</td></tr>")
    parts.append("</table>")
    if not layer_summary:
        parts.append("<p>No submission reached a worker in this run.</p>")
    path = out / "report.html"
    write_atomically(path, "\n".join(parts))
    return path
