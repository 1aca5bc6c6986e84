"""Records stored as typed columns plus the rest of the export's record: the stored part leaves
out exactly what a typed column holds identically, and the view gives the whole record back."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest

from explorer.importers import import_export
from explorer.store import schema
from explorer.store.db import connect, transaction
from explorer.store.stored_records import (
    EXPORT_KEYS,
    distinct_field_values,
    field_sql,
    in_display_order,
    rebuilt_record,
    split_record,
    stored_table,
    stores_remainder,
    typed_columns,
)
from explorer.store.workspace import Workspace
from tests.helpers.paths import SAMPLE_TENANT

# typed columns of a trait: id, pid, name, description, integration_code, trait_type,
# event_type, data_source_id, folder_id, rule, rule_version, ttl, status, algo_model_id,
# create_time, update_time
TRAIT_TYPED = (7, 4321, "Name", None, "ic", "RULE_BASED_TRAIT", 2, 5, 0, "a\x00b", 1, 120,
               "ACTIVE", None, 1_640_995_200_000, 2000)
TRAIT_RECORD: dict[str, Any] = {
    "sid": 7,
    "pid": "4321",  # a numeric string, the column an integer
    "name": "Name",
    "description": None,  # an explicit null
    "comments": "no column holds this",
    "integrationCode": "other",  # the column holds another value
    "traitType": "RULE_BASED_TRAIT",
    "type": 2.0,  # a float, the column an integer
    "dataSourceId": 5,
    "folderId": 0,
    "traitRule": "a\x00b",  # a NUL inside a string comes back from SQLite's JSON functions
    "traitRuleVersion": True,  # a bool, the column 1
    "ttl": 120,
    "status": "ACTIVE",
    "createTime": "2022-01-01 00:00:00",  # the column holds it normalised to epoch ms
    "updateTime": 2000,
}


def _bits(table: str, keys: set[str]) -> int:
    return sum(1 << bit for bit, (_column, key) in enumerate(EXPORT_KEYS[table]) if key in keys)


def test_split_leaves_out_exactly_the_identical_typed_fields() -> None:
    rest, omitted = split_record("traits", TRAIT_TYPED, TRAIT_RECORD)
    left_out = {"sid", "name", "traitType", "dataSourceId", "folderId", "traitRule", "ttl",
                "status", "updateTime"}
    assert omitted == _bits("traits", left_out)
    assert rest == {key: value for key, value in TRAIT_RECORD.items() if key not in left_out}
    assert list(rest) == [key for key in TRAIT_RECORD if key not in left_out]  # order kept
    typed = dict(zip(typed_columns("traits"), TRAIT_TYPED, strict=True))
    assert rebuilt_record("traits", typed, rest, omitted) == TRAIT_RECORD


def test_a_record_without_identical_fields_is_stored_as_it_came() -> None:
    record = {"sid": "7", "name": "Other"}
    rest, omitted = split_record("traits", TRAIT_TYPED, record)
    assert (rest, omitted) == (record, 0)


def _stored_rows(conn: sqlite3.Connection, table: str) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(f"SELECT * FROM {stored_table(table)} ORDER BY id")]


def test_the_view_rebuilds_the_record_from_its_stored_parts(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "w.aamws", create=True) as ws, transaction(ws.conn):
        rest, omitted = split_record("traits", TRAIT_TYPED, TRAIT_RECORD)
        columns = [*typed_columns("traits"), "raw_rest", "raw_omitted"]
        ws.conn.execute(f"INSERT INTO traits_stored ({', '.join(columns)}) VALUES "
                        f"({', '.join('?' * len(columns))})",
                        (*TRAIT_TYPED, json.dumps(rest, ensure_ascii=False), omitted))
        raw = ws.conn.execute("SELECT raw FROM traits WHERE id = 7").fetchone()[0]
        assert json.loads(raw) == TRAIT_RECORD
        # the fields no column holds in the export's order, then those the columns gave back
        assert list(json.loads(raw)) == [*rest, "sid", "name", "traitType", "dataSourceId",
                                          "folderId", "ttl", "status", "updateTime",
                                          "traitRule"]


def test_writing_through_the_view_stores_the_record_whole(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "w.aamws", create=True) as ws, transaction(ws.conn):
        ws.conn.execute("INSERT INTO traits (id, name, data_source_id, folder_id, raw) "
                        "VALUES (1, 'a', 2, 3, ?)", ('{"sid":1,"name":"a"}',))
        ws.conn.execute("UPDATE traits SET name = 'b' WHERE id = 1")
        assert _stored_rows(ws.conn, "traits")[0]["name"] == "b"
        assert tuple(ws.conn.execute("SELECT raw_rest, raw_omitted FROM traits_stored")
                     .fetchone()) == ('{"sid":1,"name":"a"}', 0)
        assert ws.conn.execute("SELECT raw FROM traits").fetchone()[0] == '{"sid":1,"name":"a"}'
        ws.conn.execute("DELETE FROM traits WHERE id = 1")
        assert _stored_rows(ws.conn, "traits") == []


def _records(path: Path) -> list[dict[str, Any]]:
    return [r for r in json.loads(path.read_text(encoding="utf-8")) if isinstance(r, dict)]


def _flat_folders(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for record in records:
        out.append({k: v for k, v in record.items() if k != "subFolders"})
        out.extend(_flat_folders(record.get("subFolders") or []))
    return out


def test_every_record_of_the_sample_export_comes_back_whole(tmp_path: Path) -> None:
    ws_path = tmp_path / "acme.aamws"
    import_export(SAMPLE_TENANT, ws_path)
    sources = {
        "traits": ("traits.json", "sid"), "segments": ("segments.json", "sid"),
        "data_sources": ("datasources.json", "dataSourceId"),
        "merge_rules": ("merge-rules.json", "mergeRuleDataSourceId"),
        "destinations": ("destinations.json", "destinationId"),
    }
    with Workspace.open(ws_path, readonly=True) as ws:
        for table, (file, id_key) in sources.items():
            expected = {r[id_key]: r for r in _records(SAMPLE_TENANT / file)}
            stored = {r[0]: json.loads(r[1])
                      for r in ws.conn.execute(f"SELECT id, raw FROM {table}")}
            assert stored == expected, table
        for table, file in (("trait_folders", "trait-folders.json"),
                            ("segment_folders", "segment-folders.json")):
            expected = {r["folderId"]: r for r in _flat_folders(_records(SAMPLE_TENANT / file))
                        if r["folderId"] != 0}
            stored = {r[0]: json.loads(r[1])
                      for r in ws.conn.execute(f"SELECT id, raw FROM {table}")}
            assert stored == expected, table
        mappings = {m["destinationMappingId"]: m
                    for d in _records(SAMPLE_TENANT / "destinations.json")
                    for m in d.get("mappings") or []}
        stored = {r[0]: json.loads(r[1])
                  for r in ws.conn.execute("SELECT id, raw FROM destination_mappings")}
        assert stored.keys() == mappings.keys()
        for mapping_id, record in stored.items():  # the importer adds a missing destinationId
            assert record == {"destinationId": record["destinationId"], **mappings[mapping_id]}
        # what is stored is smaller than the records: the typed fields are not in it twice
        whole, rest = ws.conn.execute(
            "SELECT (SELECT sum(length(raw)) FROM traits), "
            "(SELECT sum(length(raw_rest)) FROM traits_stored)").fetchone()
        assert rest < whole / 2


def test_a_field_read_from_the_stored_part_equals_the_rebuilt_records(tmp_path: Path) -> None:
    ws_path = tmp_path / "acme.aamws"
    import_export(SAMPLE_TENANT, ws_path)
    with Workspace.open(ws_path, readonly=True) as ws:
        for key in ("uniques30Day", "backfillStatus", "crUID", "name", "sid"):
            read = {split: ws.conn.execute(
                f"SELECT t.id, {field_sql('traits', 't', key, split=split)} FROM traits t "
                "ORDER BY t.id").fetchall() for split in (False, True)}
            assert [tuple(r) for r in read[True]] == [tuple(r) for r in read[False]], key
            assert key == "uniques30Day" or any(r[1] is not None for r in read[True]), key
        assert "traits_stored" in field_sql("traits", "t", "uniques30Day", split=True)
        assert "traits_stored" not in field_sql("traits", "t", "name", split=True)


def test_edge_records_come_back_whole(tmp_path: Path) -> None:
    export = tmp_path / "export"
    export.mkdir()
    traits = [
        {"sid": 11, "pid": 4321, "name": "Ünïcödé 名前 \u2028 \"q\" \\", "description": None,
         "dataSourceId": 1, "folderId": 0, "traitRule": None, "ttl": None, "status": "ACTIVE",
         "nested": [1, {"a": None}, "é"], "traitType": "RULE_BASED_TRAIT"},
        {"sid": 12, "pid": "4321", "name": "odd types", "dataSourceId": "1", "folderId": 3.0,
         "ttl": 5.0, "traitRuleVersion": "2", "createTime": "2022-01-01 00:00:00",
         "status": 0, "traitType": "RULE_BASED_TRAIT", "crUID": None},
        {"sid": 13, "name": "", "description": "", "integrationCode": "",
         "dataSourceId": 1, "folderId": 0, "traitType": "ON_BOARDED_TRAIT", "ttl": -1,
         "updateTime": 1_650_000_000_000, "big": 2**62},
    ]
    (export / "traits.json").write_text(json.dumps(traits, ensure_ascii=False), encoding="utf-8")
    destinations = [{"destinationId": 5, "name": "D", "destinationType": "PUSH",
                     "mappings": [{"destinationMappingId": 9, "sid": 11, "elementName": ""}]}]
    (export / "destinations.json").write_text(json.dumps(destinations), encoding="utf-8")
    ws_path = tmp_path / "edge.aamws"
    import_export(export, ws_path)
    with Workspace.open(ws_path, readonly=True) as ws:
        stored = {r[0]: json.loads(r[1]) for r in ws.conn.execute("SELECT id, raw FROM traits")}
        assert stored == {t["sid"]: t for t in traits}
        # the same key as a typed column, another value: the export's value comes back
        assert ws.conn.execute("SELECT status FROM traits WHERE id = 12").fetchone()[0] \
            != stored[12]["status"]
        mapping = ws.conn.execute("SELECT name, raw FROM destination_mappings").fetchone()
        assert mapping[0] == "Segment 11"
        assert json.loads(mapping[1]) == {"destinationId": 5, **destinations[0]["mappings"][0]}
        rests = {r[0]: json.loads(r[1]) for r in ws.conn.execute(
            "SELECT id, raw_rest FROM traits_stored")}
        assert rests[11] == {"description": None, "traitRule": None, "ttl": None,
                             "nested": [1, {"a": None}, "é"]}
        assert rests[12]["folderId"] == 3.0 and rests[12]["status"] == 0
        assert rests[13] == {"big": 2**62}


def test_the_inspector_shows_the_typed_fields_first() -> None:
    record = {"comments": "c", "name": "n", "crUID": 1, "sid": 7}
    assert list(in_display_order("traits", record)) == ["sid", "name", "comments", "crUID"]


# The schema version that splits the records (found by its migration, whatever its number).
SPLIT_VERSION = next(version for version, step in schema.MIGRATIONS.items()
                     if step.__name__.startswith("_split_raw_records"))
WHOLE_RAW_VERSION = SPLIT_VERSION - 1  # the last schema storing each record whole in raw


def _old_workspace(path: Path, version: int = WHOLE_RAW_VERSION) -> sqlite3.Connection:
    """A workspace made at schema ``version`` (before the split), by its own migrations."""
    conn = connect(path)
    with transaction(conn):
        for step in range(1, version + 1):
            schema.MIGRATIONS[step](conn)
        conn.execute(f"PRAGMA user_version = {version:d}")
    return conn


OLD_TRAITS = [
    {"sid": 1, "pid": 4321, "name": "One", "dataSourceId": 2, "folderId": 0, "crUID": 5,
     "status": "ACTIVE", "uniques30Day": 10},
    {"sid": 2, "pid": 4321, "name": "Two", "description": None, "dataSourceId": 2,
     "folderId": 0, "crUID": 6, "status": 1},
]


def _fill_old(conn: sqlite3.Connection) -> None:
    with transaction(conn):
        for t in OLD_TRAITS:
            status = "ACTIVE"
            conn.execute("INSERT INTO traits (id, pid, name, data_source_id, folder_id, status, "
                         "raw) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (t["sid"], t["pid"], t["name"], t["dataSourceId"], t["folderId"],
                          status, json.dumps(t)))
        conn.execute("INSERT INTO traits (id, name, raw) VALUES (3, 'broken', 'not json')")
        conn.execute("INSERT INTO annotations (kind, object_id, note, created, updated) "
                     "VALUES ('trait', 1, 'keep me', '2026-01-01', '2026-01-01')")


def test_a_workspace_of_the_previous_schema_is_split_on_its_first_write_open(
        tmp_path: Path) -> None:
    path = tmp_path / "old.aamws"
    conn = _old_workspace(path)
    _fill_old(conn)
    conn.close()
    with Workspace.open(path) as ws:
        assert schema.schema_version(ws.conn) == schema.SCHEMA_VERSION
        assert stores_remainder(ws.conn, "traits")
        raws = {r[0]: r[1] for r in ws.conn.execute("SELECT id, raw FROM traits")}
        assert {i: json.loads(raws[i]) for i in (1, 2)} == {t["sid"]: t for t in OLD_TRAITS}
        assert raws[3] == "not json"
        rests = {r[0]: r[1] for r in ws.conn.execute("SELECT id, raw_rest FROM traits_stored")}
        assert json.loads(rests[1]) == {"crUID": 5, "uniques30Day": 10}
        assert json.loads(rests[2]) == {"description": None, "crUID": 6, "status": 1}
        note = ws.conn.execute("SELECT note FROM annotations WHERE kind = 'trait' "
                               "AND object_id = 1").fetchone()[0]
        assert note == "keep me"
        indexes = {r[0] for r in ws.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'traits_stored'")}
        assert {"idx_traits_data_source_id_status", "idx_traits_folder_id_status",
                "idx_traits_integration_code"} <= indexes
        assert distinct_field_values(ws.conn, "traits", "pid") - {None} == {4321}
        assert distinct_field_values(ws.conn, "traits", "crUID") - {None} == {5, 6}


@pytest.mark.parametrize("version", [6, WHOLE_RAW_VERSION])
def test_a_bundle_made_before_the_split_opens_read_only_and_reads_as_before(
        tmp_path: Path, version: int) -> None:
    from explorer.report.bundle import HTML_ENTRY, MANIFEST_ENTRY, WORKSPACE_ENTRY, open_bundle
    from explorer.store.queries import object_details

    made = tmp_path / "old.aamws"
    conn = _old_workspace(made, version)
    _fill_old(conn)
    conn.execute("PRAGMA journal_mode = DELETE")  # one file, as a bundle holds it
    conn.close()
    bundle = tmp_path / "old.aamsnap"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr(MANIFEST_ENTRY, json.dumps({"format": 1}))
        archive.writestr(HTML_ENTRY, "<html></html>")
        archive.write(made, WORKSPACE_ENTRY)
    path = open_bundle(bundle, tmp_path / "opened")
    with Workspace.open(path, readonly=True) as ws:
        assert schema.schema_version(ws.conn) == version
        assert not stores_remainder(ws.conn, "traits")
        details = object_details(ws.conn, "trait", 1)
        assert details is not None
        assert list(details["raw"].items()) == list(OLD_TRAITS[0].items())  # order as stored
        assert distinct_field_values(ws.conn, "traits", "crUID") - {None} == {5, 6}


def test_the_space_the_split_frees_is_given_back(tmp_path: Path) -> None:
    path = tmp_path / "old.aamws"
    conn = _old_workspace(path)
    with transaction(conn):
        conn.executemany(
            "INSERT INTO traits (id, name, rule, data_source_id, folder_id, raw) "
            "VALUES (?, ?, ?, 1, 0, ?)",
            [(i, f"trait {i}", "x" * 400, json.dumps({"sid": i, "name": f"trait {i}",
                                                      "traitRule": "x" * 400}))
             for i in range(1, 2001)])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = path.stat().st_size
    with Workspace.open(path) as ws:
        assert ws.conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        ws.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert json.loads(ws.conn.execute("SELECT raw FROM traits WHERE id = 7").fetchone()[0]) \
            == {"sid": 7, "name": "trait 7", "traitRule": "x" * 400}
    assert path.stat().st_size < before * 0.75
