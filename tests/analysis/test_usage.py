"""Target call trends with known numbers: aggregation, before/after, estimate, sharing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from explorer.analysis import usage as analysis
from explorer.store import usage_events as history
from explorer.store.db import transaction
from explorer.store.workspace import Workspace

# 2026-01-01 .. 2026-02-14: 1,000 Target calls a day; 2026-02-15 .. 2026-03-31: 400 a day.
SWITCH = date(2026, 2, 15)


def known_days() -> list[str]:
    start = date(2026, 1, 1)
    return [(start + timedelta(days=i)).isoformat() for i in range(90)]


def known_target() -> list[tuple[str, float]]:
    return [(d, 1000.0 if d < SWITCH.isoformat() else 400.0) for d in known_days()]


def known_analytics() -> list[tuple[str, float]]:
    return [(d, 10.0) for d in known_days()]


def event(event_id: int, day: str, setting: str, value: str) -> history.SettingEvent:
    return history.SettingEvent(event_id, day, setting, value)


OPS = event(1, "2026-02-15", history.DATA_COLLECTION, history.ONCE_PER_SESSION)
REAL_TIME = event(2, "2026-03-20", history.DATA_COLLECTION, history.REAL_TIME)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "t.aamws", create=True)
    rows = [(d, "target", v, "f.csv") for d, v in known_target()]
    rows += [(d, "analytics", v, "f.csv") for d, v in known_analytics()]
    with transaction(workspace.conn) as conn:
        history.upsert_usage_days(conn, rows)
        history.add_event(conn, OPS.date, OPS.setting, OPS.value)
        history.add_event(conn, "2025-12-01", "Shared Audiences", "on")
    yield workspace
    workspace.close()


def test_period_start() -> None:
    assert analysis.period_start("2026-01-01", "week") == "2025-12-29"  # a Thursday
    assert analysis.period_start("2026-01-05", "week") == "2026-01-05"  # a Monday
    assert analysis.period_start("2026-02-28", "month") == "2026-02-01"
    assert analysis.period_start("2026-02-28", "day") == "2026-02-28"
    with pytest.raises(ValueError):
        analysis.period_start("2026-02-28", "year")


def test_aggregation_by_day_week_and_month() -> None:
    target = known_target()
    assert len(analysis.aggregate(target, "day")) == 90
    weeks = dict(analysis.aggregate(target, "week"))
    assert len(weeks) == 14
    assert weeks["2025-12-29"] == 4000  # Thu 1 .. Sun 4 January
    assert weeks["2026-02-09"] == 6 * 1000 + 400  # the switch happens on Sunday the 15th
    assert weeks["2026-03-30"] == 2 * 400
    assert analysis.aggregate(target, "month") == [
        ("2026-01-01", 31000), ("2026-02-01", 19600), ("2026-03-01", 12400)]
    assert sum(v for _d, v in analysis.aggregate(target, "week")) == 31000 + 19600 + 12400


def test_monthly_table_with_totals_and_cost() -> None:
    rows = analysis.monthly_table({"target": known_target(), "analytics": known_analytics()},
                                  price=2.5)
    assert rows == [
        {"month": "2026-01", "days": 31, "target": 31000, "analytics": 310,
         "estimated_cost": 77.5},
        {"month": "2026-02", "days": 28, "target": 19600, "analytics": 280,
         "estimated_cost": 49.0},
        {"month": "2026-03", "days": 31, "target": 12400, "analytics": 310,
         "estimated_cost": 31.0},
    ]
    totals = analysis.table_totals(rows)
    assert totals == {"month": "Total", "days": 90, "target": 63000, "analytics": 900,
                      "estimated_cost": 157.5}


def test_before_after_an_event() -> None:
    impact = analysis.event_impact(known_target(), OPS)
    assert (impact.target_avg_before, impact.target_avg_after, impact.change_pct) == (
        1000, 400, -60)


def test_before_after_is_none_without_30_days_of_data() -> None:
    early = analysis.event_impact(known_target(), event(3, "2026-01-10", "note", "x"))
    assert early.target_avg_before is None and early.target_avg_after == 1000
    assert early.change_pct is None
    late = analysis.event_impact(known_target(), event(4, "2026-03-10", "note", "x"))
    assert late.target_avg_after is None  # only 22 days from the 10th to the 31st
    gap = [p for p in known_target() if p[0] != "2026-02-01"]
    assert analysis.event_impact(gap, OPS).target_avg_before is None


def test_mixed_window_mean() -> None:
    impact = analysis.event_impact(known_target(), event(5, "2026-02-20", "note", "x"))
    assert impact.target_avg_before == pytest.approx((25 * 1000 + 5 * 400) / 30, abs=0.01)
    assert impact.target_avg_after == 400


def test_estimate_already_once_per_session_projects_no_change() -> None:
    target = known_target()
    estimate = analysis.billing_estimate(target, [analysis.event_impact(target, OPS)], 2.5)
    assert estimate["current"] == {"daily_avg": 400, "monthly_calls": 12000,
                                   "monthly_cost": 30.0}
    assert estimate["months"][0] == {"month": "2026-01", "target_calls": 31000,
                                     "estimated_cost": 77.5}
    projection = estimate["projection"]
    assert projection["reduction_pct"] == 0
    assert projection["reduction_source"] == "already Once Per Session since 2026-02-15"
    assert projection["monthly_calls"] == 12000


def test_estimate_uses_the_observed_reduction_after_going_back_to_real_time() -> None:
    target = known_target()
    impacts = [analysis.event_impact(target, e) for e in (OPS, REAL_TIME)]
    projection = analysis.billing_estimate(target, impacts, 2.5)["projection"]
    assert projection["reduction_pct"] == 60
    assert projection["reduction_source"] == "observed after the event of 2026-02-15"
    assert projection["monthly_calls"] == 4800
    assert projection["monthly_cost"] == 12.0
    assert projection["monthly_savings"] == 18.0


def test_estimate_with_an_entered_reduction_and_without_a_price() -> None:
    target = known_target()
    estimate = analysis.billing_estimate(target, [], None, reduction_pct=25)
    assert estimate["current"]["monthly_cost"] is None
    assert estimate["projection"]["monthly_calls"] == 9000
    assert estimate["projection"]["reduction_source"] == "entered"
    assert estimate["projection"]["monthly_cost"] is None
    no_event = analysis.billing_estimate(target, [], 1.0)["projection"]
    assert no_event["monthly_calls"] is None and no_event["reduction_pct"] is None


def test_sharing_status_from_the_latest_event() -> None:
    assert analysis.sharing_status([])["shared_audiences"] == "unknown"
    events = [event(1, "2025-01-01", history.SHARED_AUDIENCES, history.DISABLED),
              event(2, "2025-06-01", history.SHARED_AUDIENCES, history.ENABLED), OPS]
    status = analysis.sharing_status(events)
    assert status["shared_audiences"] == "enabled"
    assert status["shared_audiences_since"] == "2025-06-01"
    assert status["data_collection"] == history.ONCE_PER_SESSION
    assert any("deleted in Audience Manager" in f for f in status["facts"])
    assert any("cookie destination" in f for f in status["facts"])


def test_what_if_disabled_compares_three_scenarios(ws: Workspace) -> None:
    with transaction(ws.conn) as conn:
        history.add_event(conn, REAL_TIME.date, REAL_TIME.setting, REAL_TIME.value)
    summary = analysis.usage_summary(ws.conn, price=2.0)
    scenarios = {s["scenario"]: s for s in summary["what_if_disabled"]["scenarios"]}
    assert scenarios["current"]["monthly_calls"] == 12000
    assert scenarios["current"]["monthly_cost"] == 24.0
    assert scenarios["once-per-session"]["monthly_calls"] == 4800
    assert scenarios["disabled"]["monthly_calls"] == 0
    assert scenarios["disabled"]["monthly_cost"] == 0
    assert any("drops to zero" in s for s in summary["what_if_disabled"]["stops"])
    assert any("Target Support" in s for s in summary["what_if_disabled"]["once_per_session"])


def test_usage_summary_reads_the_workspace(ws: Workspace) -> None:
    with transaction(ws.conn) as conn:
        history.set_price(conn, 3.0)
    summary = analysis.usage_summary(ws.conn)
    assert set(summary["series"]) == {"analytics", "target"}
    assert summary["series"]["target"][0] == ["2026-01-01", 1000.0]
    assert [m["month"] for m in summary["months"]] == ["2026-01", "2026-02", "2026-03"]
    assert summary["months"][1]["estimated_cost"] == 58.8
    ops = next(e for e in summary["events"] if e["setting"] == "data collection")
    assert (ops["target_avg_before"], ops["target_avg_after"], ops["change_pct"]) == (
        1000, 400, -60)
    assert summary["estimate"]["price_per_1000"] == 3.0
    assert summary["sharing"]["shared_audiences"] == "enabled"
    assert analysis.usage_summary(ws.conn, price=1.0)["estimate"]["current"][
        "monthly_cost"] == 12.0


def test_empty_workspace_summary(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "e.aamws", create=True) as ws:
        summary = analysis.usage_summary(ws.conn)
    assert summary["series"] == {} and summary["months"] == [] and summary["events"] == []
    assert summary["estimate"]["current"]["monthly_calls"] is None
