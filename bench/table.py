"""The benchmark's table: each figure, its baseline from the same run, the ratio, the target and whether it is met."""

from dataclasses import dataclass


@dataclass
class Row:
    figure: str
    measured: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None  # None: informative, no target


def render(rows: list[Row]) -> str:
    header = Row("figure", "measured", "baseline", "ratio", "target")
    cells = [[r.figure, r.measured, r.baseline, r.ratio, r.target, _verdict(r.met)] for r in rows]
    cells.insert(0, [header.figure, header.measured, header.baseline, header.ratio, header.target, "met"])
    widths = [max(len(row[i]) for row in cells) for i in range(6)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _verdict(met: bool | None) -> str:
    return "" if met is None else ("yes" if met else "NO")
