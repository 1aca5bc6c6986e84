"""Snapshot bundles (.aamsnap): written reduced to the scope, opened safely and read-only."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from explorer.kinds import KINDS, ObjectRef
from explorer.report.bundle import (
    BUNDLE_SETTING,
    BundleError,
    bundle_info,
    open_bundle,
    write_bundle,
)
from explorer.report.scope import resolve_scope
from explorer.store import schema
from explorer.store.annotations import list_annotations, set_annotation
from explorer.store.db import transaction
from explorer.store.queries import search
from explorer.store.search_index import has_text_copy, indexed_text
from explorer.store.workspace import Workspace
from tests.helpers.search_index import index_terms, indexed_objects, with_text_copy
from tests.helpers.snapshot_workspaces import SAMPLE_TENANT, import_workspace


@pytest.fixture
def sample_ws(tmp_path: Path) -> Workspace:
    ws = import_workspace(SAMPLE_TENANT, tmp_path / "s.aamws")
    with transaction(ws.conn):
        set_annotation(ws.conn, "segment", 3200004, note="In scope", tags=["keep"])
        set_annotation(ws.conn, "trait", 3100004, note="Out of scope: must not travel")
        ws.conn.execute("INSERT INTO usage_days(day, series, value) VALUES "
                        "('2025-01-01', 'target', 10), ('2025-01-02', 'target', 12)")
    yield ws
    ws.close()


def _ids(ws: Workspace, table: str) -> set[int]:
    return {r[0] for r in ws.conn.execute(f"SELECT id FROM {table}")}


def test_bundle_round_trip_keeps_only_the_scope_and_its_references(
        sample_ws: Workspace, tmp_path: Path) -> None:
    scope = resolve_scope(sample_ws.conn, [ObjectRef("segment", 3200004)])
    path = write_bundle(sample_ws.conn, scope, "<html>snapshot</html>", tmp_path / "x.aamsnap",
                        manifest={"title": "Bluefin", "partner_id": "7315"})
    info = bundle_info(path)
    assert info["title"] == "Bluefin" and info["scope"] == ["segment:3200004"]
    with zipfile.ZipFile(path) as archive:
        assert archive.read("snapshot.html") == b"<html>snapshot</html>"
    workspace_path = open_bundle(path)
    try:
        with Workspace.open(workspace_path, readonly=True) as reduced:
            assert _ids(reduced, "segments") == {3200004}
            assert _ids(reduced, "traits") == {3100003, 3100010}  # what its rule names
            assert 540133 in _ids(reduced, "trait_folders")  # a referenced trait's folder
            merge_rule = sample_ws.conn.execute(
                "SELECT merge_rule_id FROM segments WHERE id = 3200004").fetchone()[0]
            assert _ids(reduced, "merge_rules") == {merge_rule}
            notes = [(a.kind, a.object_id) for a in list_annotations(reduced.conn)]
            assert notes == [("segment", 3200004)]
            assert reduced.conn.execute("SELECT count(*) FROM usage_days").fetchone()[0] == 2
            indexed = set(indexed_objects(reduced.conn))
            assert ("trait", 3100004) not in indexed and ("segment", 3200004) in indexed
            assert reduced.get_setting(BUNDLE_SETTING)["title"] == "Bluefin"
            assert reduced.latest_import().partner_id == 7315
        raw = workspace_path.read_bytes()
        assert b"Out of scope: must not travel" not in raw  # pruned rows are not in free pages
        assert b"Platinum Tier" not in raw
    finally:
        for leftover in workspace_path.parent.iterdir():
            leftover.unlink()
        workspace_path.parent.rmdir()


def test_whole_tenant_bundle_keeps_everything(sample_ws: Workspace, tmp_path: Path) -> None:
    path = write_bundle(sample_ws.conn, resolve_scope(sample_ws.conn), "<html></html>",
                        tmp_path / "all.aamsnap")
    target = open_bundle(path, into=tmp_path / "opened")
    with Workspace.open(target, readonly=True) as reduced:
        assert reduced.counts() == sample_ws.counts()
        assert len(list_annotations(reduced.conn)) == 2


def _kept_objects(ws: Workspace) -> set[tuple[str, int]]:
    return {(kind, object_id) for kind, spec in KINDS.items()
            for (object_id,) in ws.conn.execute(f"SELECT id FROM {spec.table}")}


@pytest.mark.parametrize("layout", ["current", "text copy (schema v6)"])
def test_out_of_scope_objects_leave_no_word_in_the_bundle_index(
        sample_ws: Workspace, tmp_path: Path, layout: str) -> None:
    out_of_scope = "Platinum Tier"  # trait 3100004's name
    source = sample_ws
    if layout != "current":  # an older workspace, opened read-only as the app opens it
        with transaction(sample_ws.conn):
            with_text_copy(sample_ws.conn)
            sample_ws.conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION - 1:d}")
        sample_ws.close()
        source = Workspace.open(sample_ws.path, readonly=True)
    try:
        assert ("trait", 3100004) in {(h["kind"], h["id"]) for h in search(source.conn,
                                                                           out_of_scope)}
        before = {term for term, _docs in index_terms(source.path)}
        scope = resolve_scope(source.conn, [ObjectRef("segment", 3200004)])
        path = write_bundle(source.conn, scope, "<html></html>", tmp_path / "x.aamsnap")
    finally:
        source.close()
    workspace_path = open_bundle(path, into=tmp_path / "opened")
    with Workspace.open(workspace_path, readonly=True) as reduced:
        assert has_text_copy(reduced.conn) == (layout != "current")
        kept = _kept_objects(reduced)
        assert ("trait", 3100004) not in kept and ("segment", 3200004) in kept
        assert set(indexed_objects(reduced.conn)) == kept
        assert search(reduced.conn, out_of_scope) == []
        assert [(h["kind"], h["id"]) for h in search(reduced.conn, "3200004")] == [
            ("segment", 3200004)]
        after = {term for term, _docs in index_terms(workspace_path)}
        kept_text = " ".join(" ".join(fields.values()) for fields in
                             indexed_text(reduced.conn, kept).values()).casefold()
        gone = {term for term in before if term not in kept_text}
        assert {"crm", "tier"} <= gone  # words only pruned objects had
        assert not gone & after  # none of them is found
        # nor left in the index's pages (an FTS5 delete only marks a row deleted), where a
        # word is written whole unless it shares a start with the word before it
        pages = b"".join(block for (block,) in reduced.conn.execute(
            "SELECT block FROM search_index_data"))
        whole = {term for term in gone if len(term) >= 4 and not any(
            term in other for other in after)}
        assert "tier" in whole
        assert [term for term in sorted(whole) if term.encode() in pages] == []


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("evil", ["../evil.txt", "a/../../evil.txt", "/etc/evil",
                                  "..\\evil.txt", "C:/evil.txt"])
def test_entries_that_escape_are_refused(tmp_path: Path, evil: str) -> None:
    bundle = _zip(tmp_path / "evil.aamsnap", {
        "manifest.json": json.dumps({"format": 1}).encode(), "workspace.aamws": b"x",
        evil: b"boom"})
    into = tmp_path / "out"
    with pytest.raises(BundleError, match="outside the bundle"):
        open_bundle(bundle, into=into)
    assert not (tmp_path / "evil.txt").exists()
    assert not into.exists() or not any(into.iterdir())


def test_not_a_bundle_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "plain.aamsnap"
    plain.write_text("not a zip", encoding="utf-8")
    with pytest.raises(BundleError, match="not a snapshot bundle"):
        open_bundle(plain)
    other = _zip(tmp_path / "other.aamsnap", {"readme.txt": b"hello"})
    with pytest.raises(BundleError, match="not a snapshot bundle"):
        bundle_info(other)
