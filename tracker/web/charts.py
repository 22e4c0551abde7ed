"""Bar charts as data for an inline SVG template: no JavaScript, no CDN, works offline and under a
strict Content-Security-Policy (geometry goes in attributes, never in style="")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.events.models import Event

# Drawing area in SVG user units; the SVG scales to the container width.
CHART_WIDTH = 600
CHART_HEIGHT = 160
AXIS_SPACE = 2  # room under the bars for the baseline
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


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def fill_gaps(series: list[tuple[dt.date, int]], *, by: str) -> list[tuple[dt.date, int]]:
    """Empty periods between the first and last get a zero bar, so the x axis is honest time.
    A day series longer than MAX_BARS days is regrouped by month to stay readable."""
    if not series:
        return []
    counts: dict[dt.date, int] = {}
    if by == "day" and (series[-1][0] - series[0][0]).days >= MAX_BARS:
        by = "month"
    for when, count in series:
        key = _month_start(when) if by == "month" else when
        counts[key] = counts.get(key, 0) + count
    start, end = min(counts), max(counts)
    filled, current = [], start
    while current <= end:
        filled.append((current, counts.get(current, 0)))
        current = _next_month(current) if by == "month" else current + dt.timedelta(days=1)
    return filled


def bar_chart(title: str, series: list[tuple[dt.date, int]], *, by: str = "month") -> Chart:
    """`series` is (period start, count) in date order; `by` is "day" or "month"."""
    if by == "day" and series and (series[-1][0] - series[0][0]).days >= MAX_BARS:
        by = "month"
    series = fill_gaps(series, by=by)[-MAX_BARS:]
    fmt = "%-d %b %Y" if by == "day" else "%b %Y"
    if not series:
        return Chart(title=title, bars=[], total=0, peak=0, first_label="", last_label="")
    peak = max(count for _, count in series) or 1
    plot_height = CHART_HEIGHT - AXIS_SPACE - 4
    slot = CHART_WIDTH / len(series)
    bar_width = max(slot * 0.8, 1.0)
    bars = []
    for index, (when, count) in enumerate(series):
        height = plot_height * count / peak
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


@dataclass
class Dot:
    cx: float
    cy: float
    r: float
    label: str
    href: str


@dataclass
class DotTimeline:
    dots: list[Dot]
    first_label: str
    last_label: str
    width: int = CHART_WIDTH
    height: int = 90

    @property
    def summary(self) -> str:
        if not self.dots:
            return "No dated events on this page."
        return f"{len(self.dots)} events on this page, from {self.first_label} to {self.last_label}."


# Dot radius bounds in SVG units: one article is visible, fifty do not swallow their neighbours.
MIN_RADIUS, MAX_RADIUS = 4.0, 14.0
LANES = 3  # events close in time alternate lanes so their dots do not cover each other


def dot_timeline(events: list[Event], href: Callable[[Event], str]) -> DotTimeline:
    """Events placed by event date, each a dot sized by its article count and linking to it."""
    dated = sorted((e for e in events if e.event_date), key=lambda e: (e.event_date, e.pk))
    if not dated:
        return DotTimeline(dots=[], first_label="", last_label="")
    first, last = dated[0].event_date, dated[-1].event_date
    span = max((last - first).days, 1)
    peak = max(e.article_count for e in dated) or 1
    margin = MAX_RADIUS + 2
    usable = CHART_WIDTH - 2 * margin
    dots = []
    for index, event in enumerate(dated):
        radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * (event.article_count / peak) ** 0.5
        dots.append(
            Dot(
                cx=round(margin + usable * (event.event_date - first).days / span, 2),
                cy=round(20 + (index % LANES) * 25, 2),
                r=round(radius, 2),
                label=f"{event.event_date:%-d %b %Y}: {event.title} ({event.article_count} articles)",
                href=href(event),
            )
        )
    return DotTimeline(dots=dots, first_label=f"{first:%-d %b %Y}", last_label=f"{last:%-d %b %Y}")
