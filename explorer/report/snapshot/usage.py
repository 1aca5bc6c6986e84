"""The Target calls section: monthly table, settings events and the chart PNG
(drawn by a ``chart_renderer``; the default one imports Qt only when called).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from explorer.report.snapshot.model import ChartSpec, Mask, UsageView


def default_chart_renderer(spec: ChartSpec) -> bytes:
    from explorer.report.chart_png import render_target_chart  # Qt: only when a chart is drawn

    return render_target_chart(spec)


def usage_view(conn: sqlite3.Connection, masker: Mask,
               chart_renderer: Callable[[ChartSpec], bytes] | None) -> UsageView | None:
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
        spec = ChartSpec("Target calls per day", points,
                         [{"date": e["date"], "label": e["label"], "before": e["before"],
                           "after": e["after"]} for e in events])
        try:
            chart_png = chart_renderer(spec)
        except Exception as exc:  # the report is still worth having without its picture
            chart_error = f"The chart could not be drawn: {exc}"
    price = summary["estimate"].get("price_per_1000")
    return UsageView(chart_png=chart_png, chart_error=chart_error, months=summary["months"],
                     columns=columns, totals=table_totals(summary["months"]), events=events,
                     first_day=points[0][0] if points else "",
                     last_day=points[-1][0] if points else "", price=price)


def _event_view(event: Mapping[str, Any], masker: Mask) -> dict[str, Any]:
    setting, value = str(event.get("setting") or ""), str(event.get("value") or "")
    free_text = setting in ("note", "")
    shown_value = masker(value) if free_text else value
    label = shown_value if free_text or setting == "data collection" else \
        f"{setting.capitalize()}: {value}"
    if setting == "shared audiences":
        label = f"Shared Audiences {value}"
    return {"date": event.get("date"), "setting": setting, "value": shown_value,
            "note": masker(str(event.get("note") or "")), "label": label,
            "before": event.get("target_avg_before"), "after": event.get("target_avg_after"),
            "change_pct": event.get("change_pct")}
