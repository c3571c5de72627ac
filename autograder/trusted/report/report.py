"""The class report: where did the class struggle? A single self-contained report.html with inline SVG plots.

Shows the score distribution, the common mistakes (failures grouped by API,
verdict kind and likely cause), the pass rate of every test and how it failed
(weakest first, so the concept the class missed is at the top), what a regrade
changed, the most similar pairs of submissions (with ``--similarity``), the
slowest submissions, the submissions that could not be graded, and which sandbox
layers were active. No script: it reads the same with JavaScript off.
"""

import html
from collections import Counter, defaultdict
from pathlib import Path

from autograder.shared.api import part_of
from autograder.trusted.grader.outputs import write_atomically
from autograder.trusted.harness.results import SubmissionResult
from autograder.trusted.report.mistakes import NOT_SUBMITTED, Group, common_mistakes, describe_counts, kind_counts
from autograder.trusted.report.regrade import Regrade, describe_test
from autograder.trusted.report.similarity import INSTALL_HINT, Pair, flagged

BAR_WIDTH = 420
MAX_GROUPS = 40  # rows of the common-mistakes table (common_mistakes.csv has them all)
# The report's section headings (the browser check looks for them).
SECTIONS = {
    "distribution": "Score distribution",
    "regrade": "Regrade: what changed since the last run",
    "mistakes": "Common mistakes",
    "similarity": "Code similarity",
    "apis": "Where the class struggles: points earned per function",
    "tests": "Pass rate of every test (weakest first)",
    "slowest": "Slowest submissions",
    "not_graded": "Not graded",
    "layers": "Sandbox layers",
}


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


def _bar(rate: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar on a grey track: red below 50%, amber below 80%, green above."""
    colour = "#c24a4a" if rate < 0.5 else ("#d9a441" if rate < 0.8 else "#4a9c5d")
    track = f'<rect width="{width}" height="12" fill="#e6e6e6"/>'
    fill = f'<rect width="{round(width * rate)}" height="12" fill="{colour}"/>'
    return f'<svg width="{width}" height="12">{track}{fill}</svg>'


def _rate_bars(rows: list[tuple[str, str, float, int]], kinds: dict[str, Counter]) -> str:
    lines = [
        f"<tr><td>{html.escape(name)}</td><td>{_bar(rate, 240)}</td><td class='num'>{rate:.0%}&nbsp;of&nbsp;{n}</td>"
        f"<td class='why'>{html.escape(describe_counts(kinds.get(name, Counter())))}</td></tr>"
        for name, _, rate, n in rows
    ]
    head = "<tr><th>test</th><th>pass rate</th><th></th><th>how it failed</th></tr>"
    return "<table>" + head + "".join(lines) + "</table>"


def _mistakes(groups: list[Group]) -> str:
    """The common-mistakes table (at most MAX_GROUPS rows), and one line on what was not submitted at all."""
    mistakes = [g for g in groups if g.cause != NOT_SUBMITTED]
    missing = [g for g in groups if g.cause == NOT_SUBMITTED]
    parts = []
    if mistakes:
        rows = []
        for g in mistakes[:MAX_GROUPS]:
            ids = ", ".join(html.escape(s) for s in g.submissions[:5])
            more = f" and {len(g.submissions) - 5} more" if len(g.submissions) > 5 else ""
            rows.append(
                f"<tr><td class='num'>{len(g.submissions)}</td><td><code>{html.escape(g.api)}</code></td>"
                f"<td><span class='kind {html.escape(g.kind)}'>{html.escape(g.label)}</span></td>"
                f"<td>{html.escape(g.cause)}</td><td class='num'>{g.points_lost:g}</td><td>{ids}{more}</td></tr>"
            )
        parts.append(
            "<table><tr><th>submissions</th><th>API</th><th>verdict</th><th>likely cause</th><th>points lost</th>"
            "<th>who</th></tr>" + "".join(rows) + "</table>"
        )
        if len(mistakes) > MAX_GROUPS:
            parts.append(f"<p class='note'>{len(mistakes) - MAX_GROUPS} smaller groups: see common_mistakes.csv.</p>")
    else:
        parts.append("<p>No test failed.</p>")
    if missing:
        by_part: dict[int, set[str]] = defaultdict(set)
        for g in missing:
            by_part[part_of(g.api).number].update(g.submissions)
        said = "; ".join(
            f"Part {n} by {len(who)} ({', '.join(html.escape(s) for s in sorted(who)[:5])}"
            f"{' ...' if len(who) > 5 else ''})"
            for n, who in sorted(by_part.items())
        )
        parts.append(f"<p class='note'>Not counted as mistakes, files not submitted at all: {said}.</p>")
    return "".join(parts)


def _regrade(change: Regrade) -> str:
    lines = [
        f"<p>Class mean {change.mean_before:.1f} before, {change.mean_after:.1f} after "
        f"({change.mean_after - change.mean_before:+.1f}); {len(change.changes)} changed, "
        f"{change.unchanged} unchanged. The previous grades are in grades.previous.csv.</p>"
    ]
    if change.changes:
        lines.append("<table><tr><th>submission</th><th>before</th><th>after</th><th>tests that changed</th></tr>")
        for c in change.changes:
            tests = "<br>".join(html.escape(describe_test(*t)) for t in c.tests[:8])
            more = f"<br>and {len(c.tests) - 8} more (regrade.csv)" if len(c.tests) > 8 else ""
            before = "new" if c.before is None else f"{c.before:g}"
            after = "gone" if c.after is None else f"{c.after:g}"
            lines.append(f"<tr><td>{html.escape(c.submission)}</td><td class='num'>{before}</td>"
                         f"<td class='num'>{after}</td><td class='why'>{tests}{more}</td></tr>")  # fmt: skip
        lines.append("</table>")
    return "".join(lines)


def _similarity(pairs: list[Pair] | None) -> str:
    if pairs is None:
        return f"<p>Not computed: copydetect is not installed ({html.escape(INSTALL_HINT)}).</p>"
    shown = flagged(pairs)
    if not shown:
        return "<p>No pair of submissions above the threshold (<a href='similarity.html'>similarity.html</a>).</p>"
    rows = "".join(
        f"<tr><td>{html.escape(p.a)} &amp; {html.escape(p.b)}</td><td class='num'>{p.score:.0%}</td></tr>"
        for p in shown[:10]
    )
    return (
        f"<p>{len(shown)} pairs share much of their code; the shared code is marked side by side in "
        f"<a href='similarity.html'>similarity.html</a>.</p><table><tr><th>pair</th><th>similarity</th></tr>"
        f"{rows}</table>"
    )


def _api_rates(results: list[SubmissionResult]) -> list[tuple[str, float]]:
    earned: dict[str, float] = defaultdict(float)
    possible: dict[str, float] = defaultdict(float)
    for r in results:
        for t in r.tests:
            earned[t.api] += t.score
            possible[t.api] += t.max_score
    return sorted(((api, earned[api] / possible[api]) for api in possible if possible[api]), key=lambda x: x[1])


STYLE = """
body{font-family:system-ui,sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:.2em} h2{margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse} td,th{padding:3px 8px;font-size:13px;text-align:left;vertical-align:top}
th{font-weight:600;border-bottom:1px solid #ccc} tr:nth-child(even) td{background:#f6f6f6}
td.num{text-align:right;white-space:nowrap} td.why{color:#555} .note{color:#555;font-size:14px}
.kind{padding:0 6px;border-radius:8px;background:#e8e8e8;white-space:nowrap}
.wrong_value{background:#f6d3d3} .not_implemented{background:#e4e4f4} .forbidden_call{background:#f3e1c2}
.timeout,.crash{background:#f4c9e6} .learner_error{background:#fde9b8} .wrong_device{background:#cfe6f7}
"""


def write_report(
    out: Path,
    results: list[SubmissionResult],
    layers: dict[str, dict[str, str]],
    *,
    regrade: Regrade | None = None,
    similarity: list[Pair] | None | bool = False,
) -> Path:
    """report.html; ``regrade`` adds what changed since the last run, ``similarity`` (pairs, or None when
    copydetect is missing; False when not asked for) the most similar pairs."""
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
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>Class report</title>",
        f"<style>{STYLE}</style>",
        "<h1>Class report</h1>",
        f"<p>{len(results)} submissions, {len(graded)} graded; mean score {mean:.1f} / {top:g}. "
        "The same figures for spreadsheets: grades.csv, tests.csv, common_mistakes.csv.</p>",
        f"<h2>{SECTIONS['distribution']}</h2>",
        "<p class='note'>Submissions by score, as a share of the maximum.</p>",
        _histogram(graded),
    ]
    if regrade is not None:
        parts += [f"<h2>{SECTIONS['regrade']}</h2>", _regrade(regrade)]
    parts += [
        f"<h2>{SECTIONS['mistakes']}</h2>",
        "<p class='note'>Each failing API of each submission counts once, under the cause its first failing test "
        "names; weakest API first. These are what the next class can fix.</p>",
        _mistakes(common_mistakes(results)),
    ]
    if similarity is not False:
        parts += [f"<h2>{SECTIONS['similarity']}</h2>", _similarity(similarity)]
    parts += [
        f"<h2>{SECTIONS['apis']}</h2>",
        "<table>"
        + "".join(
            f"<tr><td><code>{html.escape(api)}</code></td><td>{_bar(rate)}</td><td class='num'>{rate:.0%}</td></tr>"
            for api, rate in _api_rates(graded)
        )
        + "</table>",
        f"<h2>{SECTIONS['tests']}</h2>",
        _rate_bars(rows, kind_counts(results)),
    ]
    parts += [
        f"<h2>{SECTIONS['slowest']}</h2>",
        "<table>"
        + "".join(
            f"<tr><td>{html.escape(r.submission)}</td><td class='num'>{r.seconds:.1f} s</td></tr>" for r in slowest
        )
        + "</table>",
    ]
    failed = [r for r in results if r.error]
    if failed:
        parts += [
            f"<h2>{SECTIONS['not_graded']}</h2>",
            "<table>"
            + "".join(f"<tr><td>{html.escape(r.submission)}</td><td>{html.escape(r.error)}</td></tr>" for r in failed)
            + "</table>",
        ]
    parts.append(f"<h2>{SECTIONS['layers']}</h2><table>")
    for layer, statuses in sorted(layer_summary.items()):
        for status, count in statuses.most_common():
            parts.append(f"<tr><td>{html.escape(layer)}</td><td>{html.escape(status)}</td><td>{count}</td></tr>")
    parts.append("</table>")
    if not layer_summary:
        parts.append("<p>No submission reached a worker in this run.</p>")
    path = out / "report.html"
    write_atomically(path, "\n".join(parts))
    return path
