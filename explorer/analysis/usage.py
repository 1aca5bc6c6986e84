"""Target call trends: aggregation, before/after each settings event, billing estimate, sharing.

Pure functions over ``[(day, value), ...]`` lists, plus ``usage_summary(conn)`` that reads the
workspace history and returns what ``aam-explorer usage --json`` prints and the trends panel
shows. Days are ISO ``YYYY-MM-DD`` strings throughout.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from explorer.store import usage_events as history

Points = Sequence[tuple[str, float]]

DAY, WEEK, MONTH = "day", "week", "month"
AGGREGATIONS = (DAY, WEEK, MONTH)
TARGET = "target"
WINDOW_DAYS = 30  # the before/after window of an event
DAYS_PER_MONTH = 30  # the "current monthly calls" are the last 30 days' daily mean x 30

SHARING_FACTS: tuple[str, ...] = (
    "Every Audience Manager segment is shared with Target as soon as it is created.",
    "A segment shared with Target cannot be removed in Target: it must be deleted in "
    "Audience Manager (pausing it does not remove it).",
    "A cookie destination is not how Target receives segments: Target fetches them through "
    "the server-side integration (Core Services, Profiles and Audiences).",
)
DISABLED_STOPS: tuple[str, ...] = (
    "All Target calls to Audience Manager stop, so the billable Target server-call volume "
    "drops to zero.",
    "Audiences are no longer shared with Target and the other Experience Cloud solutions.",
)
DISABLED_LOST_USE_CASES: tuple[str, ...] = (
    "Target activities that target Audience Manager segments no longer qualify visitors.",
    "Personalisation in Target on onboarded, second- or third-party data held in Audience "
    "Manager segments is lost.",
    "Audience Manager segments no longer reach the other Experience Cloud solutions through "
    "Shared Audiences.",
)
ONCE_PER_SESSION_NOTES: tuple[str, ...] = (
    "Only reduces the number of calls: segments keep reaching Target, once per session "
    "instead of on every request.",
    "The setting is changed by Target Support (a support ticket), not in the Audience "
    "Manager UI.",
    "Segment qualifications made during a session reach Target only in the next session.",
)


# --- aggregation ----------------------------------------------------------------------------

def period_start(day: str, aggregation: str) -> str:
    """First day of the period holding ``day``: itself, its ISO week's Monday, or the 1st."""
    if aggregation == DAY:
        return day
    parsed = date.fromisoformat(day)
    if aggregation == WEEK:
        return (parsed - timedelta(days=parsed.weekday())).isoformat()
    if aggregation == MONTH:
        return parsed.replace(day=1).isoformat()
    raise ValueError(f"aggregation must be one of {', '.join(AGGREGATIONS)}, not {aggregation!r}")


def aggregate(points: Points, aggregation: str) -> list[tuple[str, float]]:
    """Sum the daily values per period; each period is named by its first day."""
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"aggregation must be one of {', '.join(AGGREGATIONS)}")
    totals: dict[str, float] = defaultdict(float)
    for day, value in points:
        totals[period_start(day, aggregation)] += value
    return sorted(totals.items())


def monthly_table(series: Mapping[str, Points], price: float | None = None
                  ) -> list[dict[str, Any]]:
    """One row per month: {"month": "YYYY-MM", "days": n, NAME: total, ..., "estimated_cost"}.

    ``days`` counts the days with any data, so a partial month is visible as such;
    ``estimated_cost`` (Target calls / 1,000 x price) is present when a price is known.
    """
    months: dict[str, dict[str, Any]] = {}
    days: dict[str, set[str]] = defaultdict(set)
    for name, points in series.items():
        for day, value in points:
            month = day[:7]
            row = months.setdefault(month, {"month": month})
            row[name] = row.get(name, 0.0) + value
            days[month].add(day)
    rows = []
    for month in sorted(months):
        row = {"month": month, "days": len(days[month]),
               **{name: months[month].get(name) for name in series}}
        if price is not None:
            row["estimated_cost"] = _cost(row.get(TARGET), price)
        rows.append(row)
    return rows


def table_totals(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The totals row of a monthly table (sums of every numeric column)."""
    totals: dict[str, Any] = {"month": "Total"}
    for row in rows:
        for key, value in row.items():
            if key != "month" and isinstance(value, int | float):
                totals[key] = totals.get(key, 0) + value
    return totals


def _cost(calls: float | None, price: float) -> float | None:
    return None if calls is None else round(calls / 1000 * price, 2)


# --- before / after an event ----------------------------------------------------------------

@dataclass(frozen=True)
class EventImpact:
    event: history.SettingEvent
    target_avg_before: float | None
    target_avg_after: float | None
    change_pct: float | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.event.id, "date": self.event.date, "setting": self.event.setting,
                "value": self.event.value, "note": self.event.note,
                "target_avg_before": self.target_avg_before,
                "target_avg_after": self.target_avg_after, "change_pct": self.change_pct}


def window_mean(points: Points, first_day: str, days: int = WINDOW_DAYS) -> float | None:
    """Mean daily value over ``days`` days from ``first_day``; None unless every day has data."""
    start = date.fromisoformat(first_day)
    wanted = {(start + timedelta(days=i)).isoformat() for i in range(days)}
    values = [value for day, value in points if day in wanted]
    return sum(values) / days if len(values) == days else None


def event_impact(target: Points, event: history.SettingEvent) -> EventImpact:
    """Mean daily Target calls in the 30 days before the event and the 30 days from it."""
    event_day = date.fromisoformat(event.date)
    before = window_mean(target, (event_day - timedelta(days=WINDOW_DAYS)).isoformat())
    after = window_mean(target, event.date)
    change = None
    if before is not None and after is not None and before > 0:
        change = round((after - before) / before * 100, 2)
    return EventImpact(event, _round(before), _round(after), change)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# --- billing estimate -----------------------------------------------------------------------

def observed_once_per_session(impacts: Iterable[EventImpact]) -> EventImpact | None:
    """The latest switch to Once Per Session whose before/after change is known."""
    found = [i for i in impacts if i.event.setting == history.DATA_COLLECTION
             and i.event.value == history.ONCE_PER_SESSION and i.change_pct is not None]
    return found[-1] if found else None


def billing_estimate(target: Points, impacts: Sequence[EventImpact], price: float | None,
                     reduction_pct: float | None = None) -> dict[str, Any]:
    """Estimated cost per month, current monthly volume, and a projection for a change.

    The projection uses ``reduction_pct`` when the user gave one, else the reduction observed
    after an earlier switch to Once Per Session, else there is none. When the tenant already
    runs Once Per Session (its latest data-collection event), switching changes nothing: 0 %.
    """
    months = [{"month": r["month"], "target_calls": r.get(TARGET),
               "estimated_cost": None if price is None else _cost(r.get(TARGET), price)}
              for r in monthly_table({TARGET: target})]
    daily = _last_days_mean(target)
    monthly_calls = None if daily is None else round(daily * DAYS_PER_MONTH, 2)
    reduction_pct, source = _reduction(impacts, reduction_pct)
    projected = None
    if monthly_calls is not None and reduction_pct is not None:
        projected = round(monthly_calls * (1 - reduction_pct / 100), 2)
    return {
        "price_per_1000": price,
        "months": months,
        "current": {"daily_avg": _round(daily), "monthly_calls": monthly_calls,
                    "monthly_cost": _maybe_cost(monthly_calls, price)},
        "projection": {
            "change": history.ONCE_PER_SESSION, "reduction_pct": _round(reduction_pct),
            "reduction_source": source, "monthly_calls": projected,
            "monthly_cost": _maybe_cost(projected, price),
            "monthly_savings": _maybe_cost(
                None if projected is None or monthly_calls is None
                else monthly_calls - projected, price),
        },
    }


def _reduction(impacts: Sequence[EventImpact], entered: float | None
               ) -> tuple[float | None, str | None]:
    """(reduction %, where it comes from) for the Once Per Session projection."""
    if entered is not None:
        return entered, "entered"
    collection = latest_value([i.event for i in impacts], history.DATA_COLLECTION)
    if collection is not None and collection.value == history.ONCE_PER_SESSION:
        return 0.0, f"already {history.ONCE_PER_SESSION} since {collection.date}"
    observed = observed_once_per_session(impacts)
    if observed is not None and observed.change_pct is not None:
        return -observed.change_pct, f"observed after the event of {observed.event.date}"
    return None, None


def _last_days_mean(points: Points, days: int = WINDOW_DAYS) -> float | None:
    """Mean over the last ``days`` days of data (fewer when the history is shorter)."""
    if not points:
        return None
    last = date.fromisoformat(max(day for day, _ in points))
    first = (last - timedelta(days=days - 1)).isoformat()
    values = [value for day, value in points if day >= first]
    return sum(values) / len(values)


def _maybe_cost(calls: float | None, price: float | None) -> float | None:
    return None if calls is None or price is None else _cost(calls, price)


# --- sharing --------------------------------------------------------------------------------

def latest_value(events: Iterable[history.SettingEvent], setting: str
                 ) -> history.SettingEvent | None:
    matching = [e for e in events if e.setting == setting]
    return max(matching, key=lambda e: (e.date, e.id)) if matching else None


def sharing_status(events: Sequence[history.SettingEvent]) -> dict[str, Any]:
    """Shared Audiences enabled/disabled/unknown (latest event) and the facts that go with it."""
    shared = latest_value(events, history.SHARED_AUDIENCES)
    collection = latest_value(events, history.DATA_COLLECTION)
    return {
        "shared_audiences": shared.value if shared else "unknown",
        "shared_audiences_since": shared.date if shared else None,
        "data_collection": collection.value if collection else "unknown",
        "data_collection_since": collection.date if collection else None,
        "facts": list(SHARING_FACTS),
    }


def what_if_disabled(estimate: dict[str, Any]) -> dict[str, Any]:
    """Current volume vs Once Per Session vs Shared Audiences disabled, with what each means."""
    current, projection = estimate["current"], estimate["projection"]
    price = estimate["price_per_1000"]
    return {
        "scenarios": [
            {"scenario": "current", "label": "Current setting",
             "monthly_calls": current["monthly_calls"], "monthly_cost": current["monthly_cost"]},
            {"scenario": "once-per-session", "label": "Once Per Session",
             "monthly_calls": projection["monthly_calls"],
             "monthly_cost": projection["monthly_cost"],
             "reduction_pct": projection["reduction_pct"],
             "reduction_source": projection["reduction_source"]},
            {"scenario": "disabled", "label": "Shared Audiences disabled",
             "monthly_calls": None if current["monthly_calls"] is None else 0.0,
             "monthly_cost": None if price is None or current["monthly_calls"] is None
             else 0.0},
        ],
        "stops": list(DISABLED_STOPS),
        "lost_use_cases": list(DISABLED_LOST_USE_CASES),
        "once_per_session": list(ONCE_PER_SESSION_NOTES),
    }


# --- the whole picture ----------------------------------------------------------------------

def usage_summary(conn: sqlite3.Connection, *, price: float | None = None,
                  reduction_pct: float | None = None) -> dict[str, Any]:
    """What ``aam-explorer usage --json`` prints; ``price`` overrides the workspace's price."""
    series = history.usage_series(conn)
    events = history.list_events(conn)
    if price is None:
        price = history.get_price(conn)
    target = series.get(TARGET, [])
    impacts = [event_impact(target, e) for e in events]
    estimate = billing_estimate(target, impacts, price, reduction_pct)
    return {
        "series": {name: [[day, value] for day, value in points]
                   for name, points in series.items()},
        "months": monthly_table(series, price),
        "events": [i.to_json() for i in impacts],
        "estimate": estimate,
        "sharing": sharing_status(events),
        "what_if_disabled": what_if_disabled(estimate),
    }
