"""Annotations: upsert, tags, statuses, orphans, and the annotate/annotations commands."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main
from explorer.store.annotations import (
    AnnotationError,
    annotated_refs,
    get_annotation,
    list_annotations,
    local_time_text,
    restore_annotation,
    set_annotation,
)
from explorer.store.db import transaction
from explorer.store.workspace import Workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    ws = Workspace.open(tmp_path / "t.aamws", create=True)
    with transaction(ws.conn) as conn:
        conn.execute("INSERT INTO traits(id, name, data_source_id, folder_id, raw) "
                     "VALUES (1000001, 'Viewed Phones', 1, 2, '{}')")
    yield ws
    ws.close()


def test_set_then_update_keeps_unchanged_fields(workspace: Workspace) -> None:
    conn = workspace.conn
    first = set_annotation(conn, "trait", 1000001, note="Check TTL\nwith client",
                           tags=["ttl", " ttl ", ""], status="to fix")
    assert first.tags == ["ttl"] and first.note == "Check TTL\nwith client"
    second = set_annotation(conn, "trait", 1000001, status="fixed")
    assert second.note == "Check TTL\nwith client"
    assert second.tags == ["ttl"]
    assert second.status == "fixed"
    assert second.created == first.created
    assert second.object_name == "Viewed Phones" and not second.orphaned


def test_bad_status_and_kind_are_refused(workspace: Workspace) -> None:
    with pytest.raises(AnnotationError, match="unknown status"):
        set_annotation(workspace.conn, "trait", 1, status="done")
    with pytest.raises(AnnotationError, match="unknown kind"):
        set_annotation(workspace.conn, "widget", 1, note="x")


def test_orphans_filters_and_refs(workspace: Workspace) -> None:
    conn = workspace.conn
    set_annotation(conn, "trait", 1000001, note="kept", tags=["aep"])
    set_annotation(conn, "segment", 42, note="gone", tags=["aep", "audit"], status="to fix")
    orphans = list_annotations(conn, orphaned_only=True)
    assert [(a.kind, a.object_id) for a in orphans] == [("segment", 42)]
    assert {a.object_id for a in list_annotations(conn, tag="aep")} == {1000001, 42}
    assert [a.object_id for a in list_annotations(conn, status="to fix")] == [42]
    assert annotated_refs(conn) == {("trait", 1000001), ("segment", 42)}


def test_restore_puts_back_an_earlier_state(workspace: Workspace) -> None:
    conn = workspace.conn
    before = set_annotation(conn, "trait", 1000001, note="v1")
    set_annotation(conn, "trait", 1000001, note="v2")
    restore_annotation(conn, before, "trait", 1000001)
    assert get_annotation(conn, "trait", 1000001).note == "v1"
    restore_annotation(conn, None, "trait", 1000001)
    assert get_annotation(conn, "trait", 1000001) is None


def test_cli_annotate_and_list(workspace: Workspace) -> None:
    path = str(workspace.path)
    runner = CliRunner()
    result = runner.invoke(main, ["annotate", path, "trait", "1000001", "--note", "Écrit <b>",
                                  "--tag", "review", "--status", "to fix", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["note"] == "Écrit <b>"
    listed = runner.invoke(main, ["annotations", path, "--json"])
    assert listed.exit_code == 0, listed.output
    [item] = json.loads(listed.output)
    assert (item["kind"], item["object_id"], item["tags"], item["status"]) == (
        "trait", 1000001, ["review"], "to fix")
    bad = runner.invoke(main, ["annotate", path, "trait", "1", "--status", "nope"])
    assert bad.exit_code == 2 and "nope" in bad.output


def test_cli_missing_workspace_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["annotations", str(tmp_path / "none.aamws")])
    assert result.exit_code == 1
    assert "no such workspace" in result.output
    assert "Traceback" not in result.output


def test_times_are_shown_in_the_local_zone_to_the_minute(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        assert local_time_text("2026-11-01T10:05:59Z") == "2026-11-01 11:05"
        assert local_time_text("2026-07-01T23:30:00+00:00") == "2026-07-02 01:30"
        assert local_time_text("yesterday") == "yesterday"
    finally:
        monkeypatch.undo()
        time.tzset()
