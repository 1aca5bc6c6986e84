"""`usage`: Target call trends, settings events and the billing estimate of a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from explorer.analysis.usage import table_totals, usage_summary
from explorer.cli import main
from explorer.cli.common import (
    WS_ARGUMENT,
    FiniteFloatRange,
    echo_json,
    one_line,
    open_workspace,
)
from explorer.importers.usage import parse_date
from explorer.store import usage_events as history
from explorer.store.db import transaction

COST_UNITS = "cost units"  # what a price is counted in when no currency is given


@main.command()
@WS_ARGUMENT
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--price", type=FiniteFloatRange(min=0), metavar="P",
              help="Price per 1,000 Target calls for this run (not saved).")
@click.option("--currency", metavar="CODE",
              help="The currency of the price, e.g. EUR (default: 'cost units').")
@click.option("--reduction", type=FiniteFloatRange(min=0, max=100), metavar="PCT",
              help="Reduction in % to project for Once Per Session (default: the one observed "
                   "after an earlier Once Per Session event).")
@click.option("--set-price", type=FiniteFloatRange(min=0), metavar="P",
              help="Save the price per 1,000 Target calls in WS.")
@click.option("--add-event", nargs=3, metavar="DATE SETTING VALUE",
              help="Add a settings event, e.g. 2026-03-01 'data collection' 'Once Per Session'.")
@click.option("--note", default="", help="A note for --add-event.")
@click.option("--delete-event", type=int, metavar="ID", help="Delete the settings event ID.")
def usage(ws: Path, as_json: bool, price: float | None, currency: str | None,
          reduction: float | None,
          set_price: float | None, add_event: tuple[str, str, str] | None, note: str,
          delete_event: int | None) -> None:
    """Target call trends in WS: daily series, monthly totals, the change around each settings
    event, the billing estimate and the Shared Audiences status.

    With --add-event, --delete-event or --set-price, change WS instead of reporting.
    """
    if add_event or delete_event is not None or set_price is not None:
        _change(ws, add_event, note, delete_event, set_price, as_json)
        return
    with open_workspace(ws, readonly=True) as workspace:
        summary = usage_summary(workspace.conn, price=price, reduction_pct=reduction)
    unit = one_line(currency.strip()) if currency and currency.strip() else COST_UNITS
    if as_json:
        echo_json({**summary, "currency": unit})
    else:
        for line in _describe(summary, unit).splitlines():
            click.echo(one_line(line))  # series names and events come from the export


def _change(ws: Path, add_event: tuple[str, str, str] | None, note: str,
            delete_event: int | None, set_price: float | None, as_json: bool) -> None:
    done: dict[str, Any] = {}
    with open_workspace(ws) as workspace, transaction(workspace.conn) as conn:
        if set_price is not None:
            history.set_price(conn, set_price)
            done["price_per_1000"] = set_price
        if delete_event is not None:
            if not history.delete_event(conn, delete_event):
                raise click.ClickException(f"no settings event with id {delete_event}")
            done["deleted_event"] = delete_event
        if add_event:
            done["event"] = _add(conn, add_event, note)
    if as_json:
        echo_json(done)
        return
    for key, value in done.items():
        click.echo(one_line(
            f"{key.replace('_', ' ')}: {_event_line(value) if key == 'event' else value}"))


def _add(conn: Any, add_event: tuple[str, str, str], note: str) -> dict[str, Any]:
    raw_date, setting, value = add_event
    day = parse_date(raw_date)
    if day is None:
        raise click.BadParameter(f"cannot read the date {raw_date!r}", param_hint="--add-event")
    try:
        event_id, created = history.add_event(conn, day, setting, value, note=note,
                                              source="cli")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--add-event") from None
    event = history.get_event(conn, event_id)
    assert event is not None
    return {**event.to_json(), "created": created}


def _event_line(event: dict[str, Any]) -> str:
    existing = "" if event.get("created", True) else " (already there)"
    return f"#{event['id']} {event['date']} {event['setting']} = {event['value']}{existing}"


def _number(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _describe(summary: dict[str, Any], unit: str) -> str:
    lines: list[str] = []
    series = summary["series"]
    if not series:
        return "no usage history in this workspace (import an Activity Usage CSV)"
    for name, points in series.items():
        lines.append(f"{name}: {len(points)} days, {points[0][0]}..{points[-1][0]}")
    names = list(series)
    priced = summary["estimate"]["price_per_1000"] is not None
    cost_header = f"cost ({unit})" if priced else ""
    lines.append("")
    lines.append("month    " + "".join(f"{n:>15}" for n in names)
                 + (f"{cost_header:>{max(15, len(cost_header) + 2)}}" if priced else ""))
    for row in [*summary["months"], table_totals(summary["months"])]:
        cost = (f"{_number(row.get('estimated_cost'), 2):>{max(15, len(cost_header) + 2)}}"
                if priced else "")
        lines.append(f"{row['month']:<9}" + "".join(f"{_number(row.get(n)):>15}" for n in names)
                     + cost)
    if summary["events"]:
        lines.append("")
        lines.append("events (mean daily Target calls, 30 days before / from the event):")
        for e in summary["events"]:
            change = "-" if e["change_pct"] is None else f"{e['change_pct']:+.1f} %"
            lines.append(f"  #{e['id']} {e['date']} {e['setting']} = {e['value']}: "
                         f"{_number(e['target_avg_before'])} -> "
                         f"{_number(e['target_avg_after'])} ({change})")
    lines.extend(["", *_describe_estimate(summary["estimate"], unit)])
    sharing = summary["sharing"]
    lines.append(f"Shared Audiences: {sharing['shared_audiences']}; "
                 f"data collection: {sharing['data_collection']}")
    return "\n".join(lines)


def _describe_estimate(estimate: dict[str, Any], unit: str) -> list[str]:
    current, projection = estimate["current"], estimate["projection"]
    price = estimate["price_per_1000"]
    lines = [f"current Target calls per month: {_number(current['monthly_calls'])}"]
    if price is None:
        lines.append("no price per 1,000 Target calls (use --price or --set-price)")
    else:
        lines.append(f"estimated cost per month: {_number(current['monthly_cost'], 2)} {unit} "
                     f"(at {price:g} {unit} per 1,000 Target calls)")
    if projection["monthly_calls"] is not None:
        lines.append(f"with Once Per Session ({projection['reduction_pct']:g} % fewer, "
                     f"{projection['reduction_source']}): "
                     f"{_number(projection['monthly_calls'])} calls, "
                     f"{_number(projection['monthly_cost'], 2)} {unit} per month")
    return lines
