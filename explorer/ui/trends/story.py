"""The words the trends chart speaks: compact numbers, the measured effect of a settings event
and the one-paragraph headline above the chart (no Qt, no pyqtgraph).

Every sentence is computed from a ``usage_summary``: nothing here is a canned story.
"""

from __future__ import annotations

from typing import Any

from explorer.analysis.usage import DAYS_PER_MONTH, WINDOW_DAYS
from explorer.store import history

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
