"""The Target calls section: monthly table, settings events and the chart PNG (drawn by the
caller's ``chart_renderer`` from the trends panel's chart data).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from explorer.analysis.trends import ChartData, chart_data
from explorer.analysis.usage import DAY, TARGET
from explorer.masking import TextMask
from explorer.report.snapshot.model import PriceChoice, UsageView

ChartRenderer = Callable[[ChartData], bytes]


def usage_view(conn: sqlite3.Connection, masker: TextMask,
               chart_renderer: ChartRenderer | None,
               price: PriceChoice | None = None) -> UsageView | None:
    """The Target calls chapter; the estimated cost only when ``price`` was chosen."""
    if conn.execute("SELECT 1 FROM usage_days WHERE series = 'target' LIMIT 1").fetchone() is None:
        return None
    from explorer.analysis.usage import table_totals, usage_summary

    # A price saved in the workspace (typed in the trends panel) never reaches the client's
    # report unasked: the summary is computed with the chosen price, or none at all.
    summary = usage_summary(conn, price=price.price if price else None)
    if price is None:
        for month in summary["months"]:
            month.pop("estimated_cost", None)
    events = [_event_view(e, masker) for e in summary["events"]]
    points = [(str(day), float(value)) for day, value in summary["series"].get("target", [])]
    columns = [c for c in ("target", "analytics", "other", "total") if c in summary["series"]]
    columns += [c for c in summary["series"] if c not in columns]
    chart_png, chart_error = None, ""
    if chart_renderer is not None:
        try:
            chart_png = chart_renderer(chart_data(summary, [TARGET], DAY, mask=masker))
        except Exception as exc:  # the report is still worth having without its picture
            chart_error = f"The chart could not be drawn: {exc}"
    current = summary["estimate"].get("current") or {}
    return UsageView(chart_png=chart_png, chart_error=chart_error, months=summary["months"],
                     columns=columns, totals=table_totals(summary["months"]), events=events,
                     first_day=points[0][0] if points else "",
                     last_day=points[-1][0] if points else "",
                     price=price.price if price else None,
                     currency=price.unit if price else "",
                     headline=_headline(current, events),
                     cost_line=_cost_line(current, price))


def _headline(current: Mapping[str, Any], events: list[dict[str, Any]]) -> str:
    """One sentence: the current monthly rate and the largest measured change."""
    parts = []
    daily, monthly = current.get("daily_avg"), current.get("monthly_calls")
    if isinstance(monthly, int | float) and isinstance(daily, int | float):
        parts.append(f"About {_short(monthly)} Target calls a month at the current rate "
                     f"({daily:,.0f} a day over the last 30 days).")
    measured = [e for e in events if isinstance(e.get("change_pct"), int | float)]
    if measured:
        largest = max(measured, key=lambda e: abs(e["change_pct"]))
        what = largest["value"] if largest["setting"] in ("note", "data collection", "") \
            else f"{largest['setting'].capitalize()} {largest['value']}"
        parts.append(f"Largest change: {what} on {largest['date']}, "
                     f"{largest['change_pct']:+.1f} % calls a day.")
    return " ".join(parts)


def _cost_line(current: Mapping[str, Any], price: PriceChoice | None) -> str:
    if price is None:
        return ""
    cost = current.get("monthly_cost")
    rate = f"at {price.price:,.2f} {price.unit} per 1,000 Target calls"
    if not isinstance(cost, int | float):
        return f"Estimated cost {rate}: not enough data for a monthly figure."
    return f"Estimated cost: about {cost:,.2f} {price.unit} a month {rate}."


def _short(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f} million"
    if value >= 1_000:
        return f"{value / 1_000:.0f} thousand"
    return f"{value:,.0f}"


def _event_view(event: Mapping[str, Any], masker: TextMask) -> dict[str, Any]:
    setting, value = str(event.get("setting") or ""), str(event.get("value") or "")
    free_text = setting in ("note", "")
    shown_value = masker(value) if free_text else value
    return {"date": event.get("date"), "setting": setting, "value": shown_value,
            "note": masker(str(event.get("note") or "")),
            "before": event.get("target_avg_before"), "after": event.get("target_avg_after"),
            "change_pct": event.get("change_pct")}
