"""Code similarity between the submissions of a class, with copydetect: similarity.html and similarity.csv.

An instructor tool, opt-in with ``--similarity``: copydetect comes from
requirements/instructor.txt and is imported only here, only when asked for, never
by grading in an LMS container. Learner code is only read (tokenised by Pygments),
never imported or run.

Each course file of a submission is compared with the same file of every other
submission (the course fixes which function lives in which file), and a pair's
score adds up over its files. Functions put in another order still match, and
copydetect replaces every name by a placeholder and drops comments, so renamed
variables do not hide a copy either. Docstrings are left out (they come from the
stubs, and a match touching one would mark all of it). What the course hands out is
boilerplate, never counted as copied: the released stubs (``assignments/partN/*.py``)
and the code blocks of the handouts (``assignments/partN/README.md``).
"""

import ast
import csv
import html
import io
import re
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from autograder.shared.paths import REPO_ROOT
from autograder.trusted.grader.outputs import write_atomically

NOISE = 25  # copydetect's k: the shortest run of matching (normalised) characters that counts
WINDOW = 1  # winnowing window: 1 keeps every k-gram (classes are small; exact beats fast here)
THRESHOLD = 0.5  # pairs listed in similarity.html: at least half of one side's code is shared
MIN_OVERLAP = 80  # ... and at least this many normalised characters, so a two-line submission is not "100% copied"
# The page's section headings (the browser check looks for them).
SECTIONS = ("How similar the pairs are", "Most similar pairs", "Shared code, side by side")
MAX_SIDE_BY_SIDE = 50  # pairs shown with their code (the table lists every flagged pair, the CSV every pair)
OPEN_PAIRS = 5  # the most similar pairs are shown unfolded; the others open with a click
CONTEXT_LINES = 3  # unshared lines shown around the shared code
INSTALL_HINT = "pip install -r requirements/instructor.txt (copydetect)"


@dataclass
class Pair:
    a: str
    b: str
    share_a: float  # the fraction of a's (non-boilerplate) code found in b
    share_b: float
    overlap: int  # normalised characters in common
    code_a: str = ""  # a's files that share code with b's, as HTML with the shared code marked
    code_b: str = ""

    @property
    def score(self) -> float:
        return max(self.share_a, self.share_b)


def available() -> bool:
    try:
        import copydetect  # noqa: F401
    except ImportError:
        return False
    return True


def without_docstrings(source: str) -> str:
    """``source`` without its docstrings: they come from the stubs, and a match touching one would mark it all.

    Only parsed, never run; a file that does not parse is returned as it is.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return source
    drop: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                drop.update(range(body[0].lineno, body[0].end_lineno + 1))
    lines = [line for number, line in enumerate(source.splitlines(), 1) if number not in drop]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def course_files(files: dict[str, str]) -> dict[str, str]:
    """The Python course files of a submission, docstrings removed (``part1/linear.py`` -> source)."""
    found = {name: without_docstrings(text) for name, text in sorted(files.items()) if name.endswith(".py")}
    return {name: text for name, text in found.items() if text.strip()}


def handout_code(readme: str) -> str:
    """The fenced Python blocks of a handout (the prose is not code and is not tokenised)."""
    return "\n\n".join(re.findall(r"```(?:python|py)?\n(.*?)```", readme, flags=re.DOTALL))


def boilerplate_texts(root: Path = REPO_ROOT) -> list[str]:
    """What every learner received: the released stubs and the handouts' code."""
    texts = [without_docstrings(path.read_text()) for path in sorted((root / "assignments").glob("part*/*.py"))]
    texts += [handout_code(path.read_text()) for path in sorted((root / "assignments").glob("part*/README.md"))]
    return [t for t in texts if t.strip()]


def compare_class(
    submissions: dict[str, dict[str, str]], boilerplate: list[str], threshold: float = THRESHOLD
) -> list[Pair]:
    """Every pair of submissions (id -> course files), most similar first (copydetect, boilerplate removed).

    Only the pairs ``flagged`` at ``threshold`` keep their marked code (a class of 200 has 19,900 pairs).
    """
    import numpy as np
    from copydetect import CodeFingerprint, compare_files
    from copydetect.utils import highlight_overlap

    def fingerprint(name: str, text: str, boiler=None):
        return CodeFingerprint(name, NOISE, WINDOW, boilerplate=boiler, fp=io.StringIO(text), language="python")

    hashes = [h for t in boilerplate for h in fingerprint("handout.py", t).hashes]
    boiler = np.unique(np.array(hashes, dtype=np.int64))
    prints = {
        sid: {name: fingerprint(name, text, boiler) for name, text in course_files(files).items()}
        for sid, files in submissions.items()
    }
    prints = {sid: files for sid, files in prints.items() if files}
    pairs = []
    for a, b in combinations(sorted(prints), 2):
        shared_a = shared_b = overlap = 0.0
        matches = []  # (file, slices in a, slices in b)
        for name in sorted(set(prints[a]) & set(prints[b])):
            first, second = prints[a][name], prints[b][name]
            common, (share_first, share_second), (slices_a, slices_b) = compare_files(first, second)
            if common:
                overlap += common
                shared_a += share_first * first.token_coverage
                shared_b += share_second * second.token_coverage
                matches.append((name, slices_a, slices_b))
        total_a = sum(f.token_coverage for f in prints[a].values()) or 1.0
        total_b = sum(f.token_coverage for f in prints[b].values()) or 1.0
        pair = Pair(a, b, shared_a / total_a, shared_b / total_b, int(overlap))
        if flagged([pair], threshold):
            pair.code_a = "\n\n".join(
                f"# ==== {n} ====\n" + _marked(highlight_overlap, prints[a][n].raw_code, sa) for n, sa, _ in matches
            )
            pair.code_b = "\n\n".join(
                f"# ==== {n} ====\n" + _marked(highlight_overlap, prints[b][n].raw_code, sb) for n, _, sb in matches
            )
        pairs.append(pair)
    return sorted(pairs, key=lambda p: (-p.score, -p.overlap, p.a, p.b))


def _marked(highlight_overlap, code: str, slices) -> str:
    """The code as HTML, shared runs in <mark>, lines far from any of them cut to '...' (copydetect's truncate)."""
    return highlight_overlap(code, slices, "<mark>", "</mark>", truncate=CONTEXT_LINES, escape_html=True)[0]


def flagged(pairs: list[Pair], threshold: float = THRESHOLD) -> list[Pair]:
    return [p for p in pairs if p.score >= threshold and p.overlap >= MIN_OVERLAP]


def similarity_csv(pairs: list[Pair], threshold: float = THRESHOLD) -> str:
    """similarity.csv: every pair (not only the flagged ones), most similar first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["submission_a", "submission_b", "similarity", "share_of_a", "share_of_b", "overlap", "flagged"])
    shown = {(p.a, p.b) for p in flagged(pairs, threshold)}
    for p in pairs:
        row = [p.a, p.b, f"{p.score:.3f}", f"{p.share_a:.3f}", f"{p.share_b:.3f}", p.overlap]
        writer.writerow([*row, "yes" if (p.a, p.b) in shown else ""])
    return buffer.getvalue()


STYLE = """
body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse} td,th{padding:3px 10px;font-size:14px;text-align:left}
tr:nth-child(even) td{background:#f6f6f6} .note{color:#555}
details{margin:1em 0;border:1px solid #ddd;border-radius:6px;padding:.4em .8em}
summary{cursor:pointer;font-weight:600} .sides{display:flex;gap:12px;margin-top:.6em}
.sides>div{flex:1;min-width:0} .sides h3{font-size:14px;margin:.2em 0}
pre{font-size:12px;background:#fafafa;border:1px solid #eee;padding:8px;max-height:36em;overflow:auto;margin:0}
mark{background:#ffd9a0}
"""


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _histogram(pairs: list[Pair], threshold: float, bins: int = 20) -> str:
    """An inline SVG: how many pairs have each similarity, with the threshold drawn across; copies stand out."""
    counts = [0] * bins
    for p in pairs:
        counts[min(int(p.score * bins), bins - 1)] += 1
    tallest = max(counts, default=0) or 1
    width, height, top, gap = 30, 120, 16, 4
    step = width + gap
    items = []
    for i, count in enumerate(counts):
        h = round(height * count / tallest)
        colour = "#c24a4a" if i / bins >= threshold else "#4a78c2"
        items.append(
            f'<rect x="{i * step}" y="{top + height - h}" width="{width}" height="{h}" fill="{colour}">'
            f"<title>{count} pairs at {i * 100 // bins}-{(i + 1) * 100 // bins}%</title></rect>"
            f'<text x="{i * step + width / 2}" y="{top + height - h - 3}" font-size="11" text-anchor="middle">'
            f"{count or ''}</text>"
        )
    for i in range(0, bins + 1, 4):
        items.append(f'<text x="{i * step}" y="{top + height + 14}" font-size="11">{i * 100 // bins}%</text>')
    x = threshold * bins * step
    items.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{top + height}" stroke="#333" stroke-dasharray="4 3"/>')
    items.append(f'<text x="{x + 4}" y="10" font-size="11">threshold</text>')
    return f'<svg width="{bins * step + 30}" height="{top + height + 20}" role="img">{"".join(items)}</svg>'


def similarity_html(pairs: list[Pair], submissions: int, threshold: float = THRESHOLD) -> str:
    """The flagged pairs, most similar first, each with both documents side by side and the shared code marked."""
    shown = flagged(pairs, threshold)
    parts = [
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>Code similarity</title>",
        f"<style>{STYLE}</style>",
        "<h1>Code similarity</h1>",
        f"<p>{submissions} submissions, {len(pairs)} pairs compared with copydetect; "
        f"{len(shown)} pairs share at least {_percent(threshold)} of one side's code. The released stubs and "
        "the handouts' code are boilerplate and never count; names are normalised, so renaming does not hide a "
        "copy. A high score is a reason to look, not a verdict: a short exercise has few ways to be written.</p>",
        f"<h2>{SECTIONS[0]}</h2>",
        "<p class='note'>Pairs of submissions by similarity (the larger share of the two); red: above the "
        f"threshold. A pair with fewer than {MIN_OVERLAP} normalised characters in common is not listed below, "
        "however large its share (a nearly empty submission).</p>",
        _histogram(pairs, threshold),
        f"<h2>{SECTIONS[1]}</h2>",
    ]
    if shown:
        parts.append("<table><tr><th>#</th><th>submissions</th><th>similarity</th><th>share of each</th></tr>")
        for i, p in enumerate(shown, 1):
            names = f"{html.escape(p.a)} &amp; {html.escape(p.b)}"
            names = f"<a href='#pair{i}'>{names}</a>" if i <= MAX_SIDE_BY_SIDE else names
            shares = f"{_percent(p.share_a)} / {_percent(p.share_b)}"
            parts.append(f"<tr><td>{i}</td><td>{names}</td><td>{_percent(p.score)}</td><td>{shares}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>No pair above the threshold.</p>")
    parts.append(f"<h2>{SECTIONS[2]}</h2>")
    parts.append(
        "<p class='note'>Marked: runs of code found in both submissions, after names are normalised. A run can "
        "reach a little into the docstring or line around the shared code; lines far from any run are cut to "
        "'...'.</p>"
    )
    for i, p in enumerate(shown[:MAX_SIDE_BY_SIDE], 1):
        parts += [
            f"<details id='pair{i}'{' open' if i <= OPEN_PAIRS else ''}><summary>{i}. {html.escape(p.a)} and "
            f"{html.escape(p.b)}: {_percent(p.score)} similar ({p.overlap} characters in common)</summary>",
            "<div class='sides'>",
            f"<div><h3>{html.escape(p.a)} ({_percent(p.share_a)} shared)</h3><pre>{p.code_a}</pre></div>",
            f"<div><h3>{html.escape(p.b)} ({_percent(p.share_b)} shared)</h3><pre>{p.code_b}</pre></div>",
            "</div></details>",
        ]
    if not shown:
        parts.append("<p>Nothing to show.</p>")
    elif len(shown) > MAX_SIDE_BY_SIDE:
        parts.append(f"<p class='note'>The code of the {MAX_SIDE_BY_SIDE} most similar pairs only.</p>")
    parts.append(f"<p class='note'>Every pair's figures are in similarity.csv. Threshold {_percent(threshold)}, "
                 f"copydetect noise threshold {NOISE} normalised characters.</p>")  # fmt: skip
    return "\n".join(parts)


def unavailable_html(reason: str) -> str:
    return (
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>Code similarity</title>"
        f"<style>{STYLE}</style><h1>Code similarity</h1><p>Not computed: {html.escape(reason)}.</p>"
    )


def write_similarity(out: Path, files: dict[str, dict[str, str]], threshold: float = THRESHOLD) -> list[Pair] | None:
    """similarity.html and similarity.csv for these submissions (id -> course files); None if copydetect is missing."""
    if not available():
        write_atomically(out / "similarity.html", unavailable_html(f"copydetect is not installed ({INSTALL_HINT})"))
        return None
    pairs = compare_class(files, boilerplate_texts(), threshold)
    write_atomically(out / "similarity.csv", similarity_csv(pairs, threshold))
    write_atomically(out / "similarity.html", similarity_html(pairs, len(files), threshold))
    return pairs
