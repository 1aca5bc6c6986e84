"""The tenant history store: setting events, usage days, the price per 1,000 Target calls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.store import usage_events as history
from explorer.store.db import transaction
from explorer.store.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "t.aamws", create=True)
    yield workspace
    workspace.close()


@pytest.mark.parametrize("setting, value, expected", [
    ("Data Collection", "real time", ("data collection", "Real-Time")),
    ("data-collection", "REALTIME", ("data collection", "Real-Time")),
    ("Target call setting", "once-per-session", ("data collection", "Once Per Session")),
    ("Shared Audiences", "Enabled", ("shared audiences", "enabled")),
    ("shared audience", "off", ("shared audiences", "disabled")),
    ("", "New homepage", ("note", "New homepage")),
    ("Campaign", " Spring sale ", ("Campaign", "Spring sale")),
])
def test_normalise_setting(setting: str, value: str, expected: tuple[str, str]) -> None:
    assert history.normalise_setting(setting, value) == expected


@pytest.mark.parametrize("setting, value", [
    ("data collection", "hourly"), ("shared audiences", "maybe"), ("", ""),
])
def test_normalise_setting_refuses_values_a_setting_cannot_take(setting: str, value: str
                                                                ) -> None:
    with pytest.raises(ValueError):
        history.normalise_setting(setting, value)


def test_add_edit_delete_events(ws: Workspace) -> None:
    with transaction(ws.conn) as conn:
        first, created = history.add_event(conn, "2026-03-01", "data collection", "session",
                                           note="ticket 7")
        again, created_again = history.add_event(conn, "2026-03-01", "Data Collection",
                                                 "Once Per Session")
        second, _ = history.add_event(conn, "2026-01-01", "shared audiences", "on")
    assert created and not created_again and again == first
    assert [(e.id, e.date) for e in history.list_events(ws.conn)] == [
        (second, "2026-01-01"), (first, "2026-03-01")]
    with transaction(ws.conn) as conn:
        moved = history.update_event(conn, first, day="2026-02-01", value="real-time")
    assert (moved.date, moved.setting, moved.value, moved.note) == (
        "2026-02-01", "data collection", "Real-Time", "ticket 7")
    assert history.get_event(ws.conn, first) == moved
    with transaction(ws.conn) as conn:
        assert history.delete_event(conn, second)
        assert not history.delete_event(conn, second)
    assert [e.id for e in history.list_events(ws.conn)] == [first]


def test_bad_event_edits_are_refused(ws: Workspace) -> None:
    with transaction(ws.conn) as conn:
        event_id, _ = history.add_event(conn, "2026-03-01", "note", "x")
        with pytest.raises(ValueError):
            history.add_event(conn, "03/01/2026", "note", "y")  # the store takes ISO only
        with pytest.raises(ValueError):
            history.update_event(conn, event_id, setting="shared audiences", value="x")
        with pytest.raises(KeyError):
            history.update_event(conn, 999, value="z")
    assert history.get_event(ws.conn, event_id).value == "x"


def test_usage_days_upsert_and_query(ws: Workspace) -> None:
    with transaction(ws.conn) as conn:
        history.upsert_usage_days(conn, [("2026-01-02", "target", 2, "a.csv"),
                                         ("2026-01-01", "target", 1, "a.csv"),
                                         ("2026-01-01", "total", 5, "a.csv")])
        history.upsert_usage_days(conn, [("2026-01-02", "target", 20, "b.csv")])
    assert history.series_names(ws.conn) == ["target", "total"]
    assert history.usage_series(ws.conn, ["target"]) == {
        "target": [("2026-01-01", 1.0), ("2026-01-02", 20.0)]}
    assert history.usage_series(ws.conn, start="2026-01-02") == {
        "target": [("2026-01-02", 20.0)], "total": []}
    assert history.usage_day_sources(ws.conn, "target", ["2026-01-01", "2026-01-02"]) == {
        "2026-01-01": "a.csv", "2026-01-02": "b.csv"}
    assert history.source_last_day(ws.conn, "a.csv") == "2026-01-01"


def test_price_round_trip(ws: Workspace) -> None:
    assert history.get_price(ws.conn) is None
    with transaction(ws.conn) as conn:
        history.set_price(conn, 2.75)
    assert history.get_price(ws.conn) == 2.75
    with transaction(ws.conn) as conn, pytest.raises(ValueError):
        history.set_price(conn, -1)
    assert history.get_price(ws.conn) == 2.75
    with transaction(ws.conn) as conn:
        history.set_price(conn, None)
    assert history.get_price(ws.conn) is None
