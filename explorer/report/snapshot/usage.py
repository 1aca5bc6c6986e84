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
from explorer.report.snapshot.model import UsageView

ChartRenderer = Callable[[ChartData], bytes]


def usage_view(conn: sqlite3.Connection, masker: TextMask,
               chart_renderer: ChartRenderer | None) -> UsageView | None:
    if conn.execute("SELECT 1 FROM usage_days WHERE series = 'target' LIMIT 1").fetchone() is None:
        return None
    from explorer.analysis.usage import table_totals, usage_summary

    summary = usage_summary(conn)
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
    price = summary["estimate"].get("price_per_1000")
    return UsageView(chart_png=chart_png, chart_error=chart_error, months=summary["months"],
                     columns=columns, totals=table_totals(summary["months"]), events=events,
                     first_day=points[0][0] if points else "",
                     last_day=points[-1][0] if points else "", price=price)


def _event_view(event: Mapping[str, Any], masker: TextMask) -> dict[str, Any]:
    setting, value = str(event.get("setting") or ""), str(event.get("value") or "")
    free_text = setting in ("note", "")
    shown_value = masker(value) if free_text else value
    return {"date": event.get("date"), "setting": setting, "value": shown_value,
            "note": masker(str(event.get("note") or "")),
            "before": event.get("target_avg_before"), "after": event.get("target_avg_after"),
            "change_pct": event.get("change_pct")}
