"""Bar charts as data for an inline SVG template: no JavaScript, no CDN, works offline and under a
strict Content-Security-Policy (geometry goes in attributes, never in style="")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Drawing area in SVG user units; the SVG scales to the container width.
CHART_WIDTH = 600
CHART_HEIGHT = 160
AXIS_SPACE = 22  # room under the bars for the first/last labels
# More buckets than this become unreadable at phone width; older ones are folded away.
MAX_BARS = 60


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    count: int


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    total: int
    peak: int
    first_label: str
    last_label: str
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    baseline: int = CHART_HEIGHT - AXIS_SPACE

    @property
    def summary(self) -> str:
        if not self.bars:
            return f"{self.title}: no dated items yet."
        return (
            f"{self.title}: {self.total} in all from {self.first_label} to {self.last_label}, "
            f"at most {self.peak} in one period."
        )


def bar_chart(title: str, series: list[tuple[dt.date, int]], *, by: str = "month") -> Chart:
    """`series` is (period start, count) in date order; `by` is "day" or "month" for labels."""
    series = series[-MAX_BARS:]
    fmt = "%-d %b %Y" if by == "day" else "%b %Y"
    if not series:
        return Chart(title=title, bars=[], total=0, peak=0, first_label="", last_label="")
    peak = max(count for _, count in series) or 1
    plot_height = CHART_HEIGHT - AXIS_SPACE - 4
    slot = CHART_WIDTH / len(series)
    bar_width = max(slot * 0.8, 1.0)
    bars = []
    for index, (when, count) in enumerate(series):
        height = max(plot_height * count / peak, 1.0)
        bars.append(
            Bar(
                x=round(index * slot + (slot - bar_width) / 2, 2),
                y=round(CHART_HEIGHT - AXIS_SPACE - height, 2),
                width=round(bar_width, 2),
                height=round(height, 2),
                label=when.strftime(fmt),
                count=count,
            )
        )
    return Chart(
        title=title,
        bars=bars,
        total=sum(count for _, count in series),
        peak=peak,
        first_label=bars[0].label,
        last_label=bars[-1].label,
    )
