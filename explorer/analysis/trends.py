"""What the Target-call trends say and draw, for the window's trends panel and the report's
chart alike (no Qt, no pyqtgraph): compact numbers, the measured effect of a settings event,
the headline above the chart, and the curves, markers and colours of one chart state.

Every sentence is computed from a ``usage_summary``: nothing here is a canned story.
Chart x positions are seconds since the epoch at midnight UTC of a period's first day, which
is what ``pyqtgraph.DateAxisItem(utcOffset=0)`` labels as that date in any local time zone.
"""

from __future__ import annotations

import math
from calendar import timegm
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from explorer.analysis.usage import (
    DAY,
    DAYS_PER_MONTH,
    MONTH,
    TARGET,
    WEEK,
    WINDOW_DAYS,
    Points,
    aggregate,
    period_start,
)
from explorer.masking import TextMask
from explorer.store import usage_events as history

MINUS = "\u2212"  # a real minus sign: "−35 %" reads better than "-35 %"
_UNITS = ((1e9, "G"), (1e6, "M"), (1e3, "k"))
# settings whose change moves Target calls: their markers carry the measured effect
EFFECT_SETTINGS = (history.DATA_COLLECTION, history.SHARED_AUDIENCES)


def _trim(text: str) -> str:
    """'1.50' -> '1.5', '2.0' -> '2' (only after a decimal point)."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def compact(value: float) -> str:
    """Three significant digits with an SI suffix: 430029 -> '430k', 1234567 -> '1.23M'."""
    magnitude = abs(value)
    for unit, suffix in _UNITS:
        if magnitude >= unit * 0.9995:  # 999,600 rounds to '1M', not '1000k'
            scaled = value / unit
            digits = 0 if abs(scaled) >= 99.95 else 1 if abs(scaled) >= 9.995 else 2
            return _trim(f"{scaled:.{digits}f}") + suffix
    return _trim(f"{value:.{0 if magnitude >= 10 else 1}f}")


def compact_ticks(values: list[float], spacing: float) -> list[str]:
    """Axis tick labels in one unit, with just enough decimals to tell ticks apart:
    [0, 250000, 500000] -> ['0', '250k', '500k']; [1e6, 1.5e6] -> ['1M', '1.5M']."""
    largest = max((abs(v) for v in values), default=0.0)
    unit, suffix = next(((u, s) for u, s in _UNITS if largest >= u), (1.0, ""))
    decimals = _decimals(spacing / unit)
    return ["0" if v == 0 else _trim(f"{v / unit:.{decimals}f}") + suffix for v in values]


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round axis values from 0 to at least ``top`` (1, 2, 2.5 or 5 times a power of ten)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _decimals(step: float) -> int:
    """The fewest decimals that write multiples of ``step`` exactly (2.5 -> 1, 0.25 -> 2)."""
    if step <= 0:
        return 0
    for decimals in range(7):
        scaled = step * 10**decimals
        if abs(scaled - round(scaled)) < 1e-6 * max(1.0, scaled):
            return decimals
    return 6


def percent(change: float) -> str:
    """A signed whole percentage with a real minus sign: -35.35 -> '−35 %'."""
    text = f"{change:+.0f} %"
    return text.replace("-", MINUS)


def measured_change(event: dict[str, Any]) -> str | None:
    """'−35 %' for a settings change (not a note) whose before/after change is measured."""
    change = event.get("change_pct")
    if event.get("setting") not in EFFECT_SETTINGS or change is None:
        return None
    return percent(change)


def effect_text(change: str) -> str:
    """'−35 % Target calls (30-day avg)': what a marker's percentage compares."""
    return f"{change} Target calls ({WINDOW_DAYS}-day avg)"


def projection_shown(summary: dict[str, Any]) -> bool:
    """The Once Per Session projection means something only for a tenant that is not on
    Once Per Session yet (latest data-collection setting Real-Time, or not known)."""
    current = summary["sharing"]["data_collection"]
    projected = summary["estimate"]["projection"]["monthly_calls"]
    return projected is not None and current != history.ONCE_PER_SESSION


def projected_per_day(summary: dict[str, Any]) -> float | None:
    if not projection_shown(summary):
        return None
    return summary["estimate"]["projection"]["monthly_calls"] / DAYS_PER_MONTH


def projection_label(summary: dict[str, Any]) -> str:
    """'Projected with Once Per Session: 190k/day (−35 %)'."""
    per_day = projected_per_day(summary)
    if per_day is None:
        return ""
    reduction = summary["estimate"]["projection"]["reduction_pct"]
    change = f" ({percent(-reduction)})" if reduction else ""
    return f"Projected with {history.ONCE_PER_SESSION}: {compact(per_day)}/day{change}"


# --- the headline ---------------------------------------------------------------------------

def headline(summary: dict[str, Any]) -> str:
    """What the chart shows, in two or three plain sentences."""
    if not summary["series"].get("target"):
        return _sharing_sentence(summary["sharing"])
    sentences = [_collection_sentence(summary)]
    if projection_shown(summary):
        sentences.append(f"With {history.ONCE_PER_SESSION} they would be about "
                         f"{compact(projected_per_day(summary) or 0)} per day.")
    sentences.append(_sharing_sentence(summary["sharing"]))
    return " ".join(s for s in sentences if s)


def _collection_sentence(summary: dict[str, Any]) -> str:
    collection = [e for e in summary["events"] if e["setting"] == history.DATA_COLLECTION]
    measured = [e for e in collection if e["change_pct"] is not None]
    latest = collection[-1] if collection else None
    if measured and measured[-1] is latest:
        return _measured_sentence(latest)
    if latest is not None:
        before = _measured_sentence(measured[-1]) + " " if measured else ""
        return before + (f"Data collection: {latest['value']} since {latest['date']} "
                         f"({_why_unmeasured(latest)}).")
    daily = summary["estimate"]["current"]["daily_avg"]
    level = f"Target calls: about {compact(daily)} per day over the last {WINDOW_DAYS} days. " \
        if daily is not None else ""
    return level + "Data-collection setting not recorded: add an event when it changes."


def _measured_sentence(event: dict[str, Any]) -> str:
    change = event["change_pct"]
    verb = "stayed level" if abs(change) < 0.5 else "fell" if change < 0 else "rose"
    amount = "" if verb == "stayed level" else f" {abs(change):.0f} %"
    return (f"Target calls {verb}{amount} after data collection switched to {event['value']} "
            f"on {event['date']} ({compact(event['target_avg_before'])} \u2192 "
            f"{compact(event['target_avg_after'])} per day, {WINDOW_DAYS}-day averages).")


def _why_unmeasured(event: dict[str, Any]) -> str:
    if event["target_avg_before"] is None:
        return f"no {WINDOW_DAYS} days of data before it to measure a change"
    return f"fewer than {WINDOW_DAYS} days of data since: too early to measure"


def _sharing_sentence(sharing: dict[str, Any]) -> str:
    state = sharing["shared_audiences"]
    if state == "unknown":
        return "Shared Audiences: not recorded."
    since = sharing["shared_audiences_since"]
    return f"Shared Audiences: {state}" + (f" since {since}." if since else ".")


# --- the chart ------------------------------------------------------------------------------

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

    def label_within(self, limit: int) -> str:
        """The longest label of at most ``limit`` characters (the name cut short otherwise)."""
        fitting = next((label for label in self.labels() if len(label) <= limit), None)
        if fitting is not None:
            return fitting
        return self.name[: limit - 1] + "…"


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


def chart_data(summary: dict[str, Any], visible: list[str], aggregation: str,
               mask: TextMask | None = None) -> ChartData:
    """Aggregate the visible series of a ``usage_summary`` and place its events; ``mask``
    (workshop or report masking) covers the client's words: marker names and the headline."""
    shown = mask or (lambda text: text)
    series = {
        name: period_means([(d, v) for d, v in summary["series"][name]], aggregation)
        for name in visible if name in summary["series"]
    }
    events = [EventMark(e["id"], e["date"], day_x(e["date"]),
                        shown(event_label(e["setting"], e["value"])), measured_change(e),
                        e["target_avg_before"], e["target_avg_after"])
              for e in summary["events"]]
    projection = projected_per_day(summary) if TARGET in series else None
    return ChartData(aggregation, series, events, projection,
                     projection_label(summary) if projection is not None else "",
                     y_label(list(series) or visible, aggregation), shown(headline(summary)))
