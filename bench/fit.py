"""A straight line through (number of submissions, seconds): fixed cost, cost per submission, and how well it fits."""

from dataclasses import dataclass


@dataclass
class Line:
    intercept: float  # seconds that do not depend on the class size (start-up, the manifest)
    slope: float  # seconds per submission
    r_squared: float


def fit_line(points: list[tuple[float, float]]) -> Line:
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx if sxx else 0.0
    intercept = mean_y - slope * mean_x
    total = sum((y - mean_y) ** 2 for _, y in points)
    residual = sum((y - intercept - slope * x) ** 2 for x, y in points)
    return Line(intercept, slope, 1.0 - residual / total if total else 1.0)
