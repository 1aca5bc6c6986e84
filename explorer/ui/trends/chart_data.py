"""What the trends chart draws, computed from a usage summary (no Qt, no pyqtgraph).

x positions are seconds since the epoch at midnight UTC of a period's first day, which is what
``pyqtgraph.DateAxisItem(utcOffset=0)`` labels as that date in any local time zone.
"""

from __future__ import annotations

from calendar import timegm
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from explorer.analysis.usage import DAY, MONTH, TARGET, WEEK, Points, aggregate, period_start
from explorer.ui.trends.story import (
    effect_text,
    headline,
    measured_change,
    projected_per_day,
    projection_label,
)

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
SERIES_COLOURS: dict[str, str] = {
    "target": "#D55E00", "analytics": "#0072B2", "other": "#009E73", "total": "#000000",
}
TOTAL_ON_DARK = "#999999"
MARKER_COLOUR = "#CC79A7"
PROJECTION_COLOUR = "#D55E00"
EXTRA_COLOURS = ("#E69F00", "#56B4E9", "#F0E442")
SERIES_LABELS = {"target": "Target", "analytics": "Analytics", "other": "Other",
                 "total": "Total"}
MEAN_OF = {WEEK: "weekly mean", MONTH: "monthly mean"}


def day_x(day: str) -> float:
    """The chart x of a YYYY-MM-DD day (midnight UTC)."""
    return float(timegm(date.fromisoformat(day).timetuple()))


def series_label(name: str) -> str:
    return SERIES_LABELS.get(name, name.replace("-", " ").capitalize())


def series_colour(name: str, index: int = 0, *, dark: bool = False) -> str:
    if name == "total" and dark:
        return TOTAL_ON_DARK
    return SERIES_COLOURS.get(name, EXTRA_COLOURS[index % len(EXTRA_COLOURS)])


def period_label(day: str, aggregation: str) -> str:
    if aggregation == WEEK:
        return f"week of {day}"
    if aggregation == MONTH:
        return day[:7]
    return day


def y_label(visible: list[str], aggregation: str) -> str:
    """What the y axis measures: daily calls, or the mean daily calls of each week/month."""
    what = "Target calls per day" if visible == [TARGET] else "Calls per day"
    return what if aggregation == DAY else f"{what} ({MEAN_OF[aggregation]})"


def period_means(points: Points, aggregation: str) -> list[tuple[str, float]]:
    """The mean daily value of each period (named by its first day).

    Means, not sums: weeks and months stay on the daily scale of the markers, the headline
    and the projection, and a period cut short by the history's ends does not dip.
    """
    if aggregation == DAY:
        return sorted((day, float(value)) for day, value in points)
    counts = Counter(period_start(day, aggregation) for day, _value in points)
    return [(start, total / counts[start]) for start, total in aggregate(points, aggregation)]


@dataclass
class EventMark:
    event_id: int
    day: str
    x: float
    name: str  # 'Once Per Session', 'Shared Audiences enabled', a note (masked by the panel)
    change: str | None = None  # the measured change of Target calls, '−35 %', if any
    before: float | None = None  # mean Target calls per day in the window before the event
    after: float | None = None  # ... and in the window from it

    @property
    def label(self) -> str:
        """'Once Per Session · −35 % Target calls (30-day avg)', or the name alone."""
        return self.labels()[0]

    def labels(self) -> list[str]:
        """The marker's label from the longest to the shortest, for a chart short of room."""
        if self.change is None:
            return [self.name]
        return [f"{self.name} · {effect_text(self.change)}",
                f"{self.name} · {self.change}", self.name]


@dataclass
class ChartData:
    """The curves, markers, projection and wording of one chart state."""

    aggregation: str = DAY
    series: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # visible, per day
    events: list[EventMark] = field(default_factory=list)
    projection: float | None = None  # projected Target calls per day with Once Per Session
    projection_label: str = ""
    y_label: str = "Calls per day"
    headline: str = ""  # the exported image's title (the panel shows it above the chart)

    def xs(self, name: str) -> list[float]:
        return [day_x(day) for day, _value in self.series[name]]

    def ys(self, name: str) -> list[float]:
        return [value for _day, value in self.series[name]]

    def periods(self) -> list[str]:
        return sorted({day for points in self.series.values() for day, _v in points})

    def highest(self) -> float:
        """The highest value drawn (curves and projection); 0 without data."""
        values = [v for points in self.series.values() for _day, v in points]
        if self.projection is not None:
            values.append(self.projection)
        return max(values, default=0.0)

    def hover_text(self, day: str) -> str:
        """The date and every visible value of the period starting on ``day``."""
        title = period_label(day, self.aggregation)
        if self.aggregation != DAY:
            title += " · mean per day"
        lines = [title]
        for name, points in self.series.items():
            value = dict(points).get(day)
            if value is not None:
                lines.append(f"{series_label(name)}: {value:,.0f}")
        return "\n".join(lines)


def event_label(setting: str, value: str) -> str:
    """A short marker label: 'Once Per Session', 'Shared Audiences disabled', a note's text."""
    if setting in ("data collection", "note", ""):
        text = value
    elif setting == "shared audiences":
        text = f"Shared Audiences {value}"
    else:
        text = f"{setting}: {value}"
    return text if len(text) <= 32 else text[:31] + "…"


def chart_data(summary: dict[str, Any], visible: list[str], aggregation: str) -> ChartData:
    """Aggregate the visible series of a ``usage_summary`` and place its events."""
    series = {
        name: period_means([(d, v) for d, v in summary["series"][name]], aggregation)
        for name in visible if name in summary["series"]
    }
    events = [EventMark(e["id"], e["date"], day_x(e["date"]),
                        event_label(e["setting"], e["value"]), measured_change(e),
                        e["target_avg_before"], e["target_avg_after"])
              for e in summary["events"]]
    projection = projected_per_day(summary) if TARGET in series else None
    return ChartData(aggregation, series, events, projection,
                     projection_label(summary) if projection is not None else "",
                     y_label(list(series) or visible, aggregation), headline(summary))
