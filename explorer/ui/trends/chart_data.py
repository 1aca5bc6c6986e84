"""What the trends chart draws, computed from a usage summary (no Qt, no pyqtgraph).

x positions are seconds since the epoch at midnight UTC of a period's first day, which is what
``pyqtgraph.DateAxisItem(utcOffset=0)`` labels as that date in any local time zone.
"""

from __future__ import annotations

from calendar import timegm
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from explorer.analysis.usage import DAY, DAYS_PER_MONTH, MONTH, WEEK, aggregate

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
PERIOD_DAYS = {DAY: 1, WEEK: 7, MONTH: DAYS_PER_MONTH}


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


@dataclass
class EventMark:
    event_id: int
    day: str
    x: float
    label: str


@dataclass
class ChartData:
    """The curves, markers and projection level of one chart state."""

    aggregation: str = DAY
    series: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # visible, aggregated
    events: list[EventMark] = field(default_factory=list)
    projection: float | None = None  # projected Target calls per period, Once Per Session

    def xs(self, name: str) -> list[float]:
        return [day_x(day) for day, _value in self.series[name]]

    def ys(self, name: str) -> list[float]:
        return [value for _day, value in self.series[name]]

    def periods(self) -> list[str]:
        return sorted({day for points in self.series.values() for day, _v in points})

    def hover_text(self, day: str) -> str:
        """The date and every visible value of the period starting on ``day``."""
        lines = [period_label(day, self.aggregation)]
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
        name: aggregate([(d, v) for d, v in summary["series"][name]], aggregation)
        for name in visible if name in summary["series"]
    }
    events = [EventMark(e["id"], e["date"], day_x(e["date"]),
                        event_label(e["setting"], e["value"])) for e in summary["events"]]
    projected = summary["estimate"]["projection"]["monthly_calls"]
    projection = None
    if projected is not None and "target" in series:
        projection = projected / DAYS_PER_MONTH * PERIOD_DAYS[aggregation]
    return ChartData(aggregation, series, events, projection)
