"""`aam-explorer usage`: JSON summary, events and the saved price."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main
from explorer.store import usage_events as history
from explorer.store.db import transaction
from explorer.store.workspace import Workspace


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    """2026-01-01..2026-03-01: 2,000 Target calls a day to Jan 30, then 500 a day."""
    path = tmp_path / "t.aamws"
    start = date(2026, 1, 1)
    rows = []
    for i in range(60):
        day = (start + timedelta(days=i)).isoformat()
        rows.append((day, "target", 2000.0 if i < 30 else 500.0, "u.csv"))
        rows.append((day, "other", 7.0, "u.csv"))
    with Workspace.open(path, create=True) as ws, transaction(ws.conn) as conn:
        history.upsert_usage_days(conn, rows)
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def test_usage_json_with_an_event_and_a_price(ws_path: Path) -> None:
    code, out = run("usage", ws_path, "--add-event", "01/31/2026", "Data Collection",
                    "once per session", "--json")
    assert code == 0, out
    added = json.loads(out)["event"]
    assert (added["date"], added["setting"], added["value"], added["created"]) == (
        "2026-01-31", "data collection", "Once Per Session", True)
    code, out = run("usage", ws_path, "--json", "--price", "4")
    assert code == 0, out
    data = json.loads(out)
    assert data["series"]["target"][:2] == [["2026-01-01", 2000.0], ["2026-01-02", 2000.0]]
    assert len(data["series"]["other"]) == 60
    assert data["months"] == [
        {"month": "2026-01", "days": 31, "other": 217.0, "target": 60500.0,
         "estimated_cost": 242.0},
        {"month": "2026-02", "days": 28, "other": 196.0, "target": 14000.0,
         "estimated_cost": 56.0},
        {"month": "2026-03", "days": 1, "other": 7.0, "target": 500.0, "estimated_cost": 2.0},
    ]
    assert data["events"] == [{
        "id": added["id"], "date": "2026-01-31", "setting": "data collection",
        "value": "Once Per Session", "note": "", "target_avg_before": 2000.0,
        "target_avg_after": 500.0, "change_pct": -75.0}]
    assert data["estimate"]["current"]["monthly_cost"] == 60.0  # 500 x 30 / 1000 x 4
    assert data["estimate"]["price_per_1000"] == 4.0


def test_set_price_is_kept_and_delete_event(ws_path: Path) -> None:
    assert run("usage", ws_path, "--set-price", "2.5")[0] == 0
    code, out = run("usage", ws_path, "--add-event", "2026-02-10", "Shared Audiences", "off",
                    "--json")
    event_id = json.loads(out)["event"]["id"]
    data = json.loads(run("usage", ws_path, "--json")[1])
    assert data["estimate"]["price_per_1000"] == 2.5
    assert data["sharing"]["shared_audiences"] == "disabled"
    code, out = run("usage", ws_path, "--delete-event", str(event_id))
    assert code == 0 and f"deleted event: {event_id}" in out
    assert json.loads(run("usage", ws_path, "--json")[1])["events"] == []
    code, out = run("usage", ws_path, "--delete-event", str(event_id))
    assert code != 0 and "no settings event" in out


def test_bad_events_are_refused(ws_path: Path) -> None:
    code, out = run("usage", ws_path, "--add-event", "someday", "note", "x")
    assert code == 2 and "cannot read the date" in out
    code, out = run("usage", ws_path, "--add-event", "2026-01-01", "data collection", "hourly")
    assert code == 2 and "must be 'Real-Time' or 'Once Per Session'" in out


def test_text_output(ws_path: Path) -> None:
    run("usage", ws_path, "--add-event", "2026-01-31", "data collection", "Once Per Session")
    code, out = run("usage", ws_path, "--price", "1")
    assert code == 0, out
    assert "target: 60 days, 2026-01-01..2026-03-01" in out
    assert "2026-01              217         60,500" in out
    assert "Total                420         75,000" in out
    assert "2,000 -> 500 (-75.0 %)" in out
    assert "estimated cost per month: 15.00" in out
    assert "Shared Audiences: unknown; data collection: Once Per Session" in out


def test_missing_workspace_is_an_error(tmp_path: Path) -> None:
    code, out = run("usage", tmp_path / "nope.aamws")
    assert code != 0 and "no such workspace" in out


def test_price_with_currency_adds_a_cost_column(ws_path: Path) -> None:
    code, out = run("usage", ws_path, "--price", "4", "--currency", "EUR")
    assert code == 0, out
    assert out.splitlines()[3:] == [
        "month              other         target     cost (EUR)",
        "2026-01              217         60,500         242.00",
        "2026-02              196         14,000          56.00",
        "2026-03                7            500           2.00",
        "Total                420         75,000         300.00",
        "",
        "current Target calls per month: 15,000",
        "estimated cost per month: 60.00 EUR (at 4 EUR per 1,000 Target calls)",
        "Shared Audiences: unknown; data collection: unknown",
    ]
    code, out = run("usage", ws_path, "--price", "4")
    assert "month              other         target  cost (cost units)" in out.splitlines()
    assert ("estimated cost per month: 60.00 cost units (at 4 cost units per 1,000 Target "
            "calls)") in out.splitlines()
    code, out = run("usage", ws_path)
    assert "month              other         target" in out.splitlines()
    assert "cost" not in out.splitlines()[3]
    data = json.loads(run("usage", ws_path, "--json", "--price", "4", "--currency", "EUR")[1])
    assert data["currency"] == "EUR"
    assert data["months"][0]["estimated_cost"] == 242.0


def test_event_texts_with_terminal_controls_come_out_visible(ws_path: Path) -> None:
    code, out = run("usage", ws_path, "--add-event", "2026-02-01", "Launch\x1b]0;x\x07",
                    "new\x1b[2J site")
    assert code == 0, out
    assert out.splitlines() == [
        "event: #1 2026-02-01 Launch\\x1b]0;x\\x07 = new\\x1b[2J site"]
    code, out = run("usage", ws_path)
    assert "\x1b" not in out and "\x07" not in out
    assert any(line.startswith("  #1 2026-02-01 Launch\\x1b]0;x\\x07 = new\\x1b[2J site: ")
               for line in out.splitlines())
