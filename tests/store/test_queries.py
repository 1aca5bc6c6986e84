"""object_details and search over a workspace filled row by row (no importer needed)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from explorer.domain.segment_rule import referenced_traits
from explorer.store.annotations import set_annotation
from explorer.store.db import transaction
from explorer.store.queries import (
    epoch_ms_to_iso,
    fts_prefix_query,
    match_of_hit,
    object_details,
    search,
)
from explorer.store.search_index import index_objects
from explorer.store.workspace import Workspace
from tests.helpers.paths import DATA_DIR

AEP = "Adobe Experience Platform Audience Sharing"


def _insert(conn: sqlite3.Connection, table: str, **values: Any) -> None:
    raw = values.pop("raw", {})
    values["raw"] = json.dumps(raw)
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values()))


def _index(conn: sqlite3.Connection, kind: str, object_id: int) -> None:
    """Make one object searchable (its text comes from its row)."""
    index_objects(conn, kind, [object_id])


def fill(conn: sqlite3.Connection) -> None:
    _insert(conn, "data_sources", id=163001, name="Acme Web", integration_code="acme_web",
            id_type="COOKIE", unique_trait_ics=1, unique_segment_ics=0,
            raw={"dataExportRestrictions": ["PII"], "subIdType": None, "inboundS2S": False})
    _insert(conn, "data_sources", id=163005, name=AEP, integration_code="", id_type="CROSS_DEVICE")
    _insert(conn, "trait_folders", id=10, parent_id=None, name="Acme", depth=1)
    _insert(conn, "trait_folders", id=11, parent_id=10, name="Web", depth=2)
    _insert(conn, "trait_folders", id=12, parent_id=11, name="Phones", depth=3)
    _insert(conn, "segment_folders", id=20, parent_id=None, name="Experience Platform Segments",
            depth=1)
    _insert(conn, "traits", id=1000001, name="Viewed Phones", data_source_id=163001,
            folder_id=12, rule='c_product == "phone"', integration_code="vp",
            description="phone pages",
            create_time=1652592000000, update_time=None, trait_type="RULE_BASED_TRAIT",
            status="ACTIVE", ttl=120, raw={"uniques30Day": 4200})
    _insert(conn, "traits", id=1000004, name="CRM Gold Tier", data_source_id=163001,
            folder_id=11, rule='ic == "1000004"', trait_type="ON_BOARDED_TRAIT")
    _insert(conn, "traits", id=1000006, name="AEP: Gold", data_source_id=163005, folder_id=99,
            integration_code="9b3f-uuid", rule='segid == "9b3f-uuid"')
    _insert(conn, "merge_rules", id=163010, name="Last Authenticated Profiles + Current Device",
            is_default=1, cross_device_option="Last Authenticated Profiles",
            device_option="Device Profile", external=0,
            raw={"crossDeviceDataSourceIds": [163001, 163002], "dataExportControls": ["PII"]})
    segments = [
        (2000001, "Phone Gold", 163001, 163010, 20, "(1000001T) AND NOT (1000004T) OR 999T"),
        (2000002, "Phone freq", 163001, 777, None, "frequency([1000001T] <= 7D) >= 3"),
        (1000007, "AEP Gold", 163005, 163010, 20, "(1000006T)"),
    ]
    for sid, name, ds, mr, folder, rule in segments:
        _insert(conn, "segments", id=sid, name=name, data_source_id=ds, merge_rule_id=mr,
                folder_id=folder, rule=rule, status="ACTIVE", integration_code=f"ic{sid}")
        for ref in referenced_traits(rule):
            conn.execute("INSERT INTO segment_traits VALUES (?, ?, ?, ?)",
                         (sid, ref.trait_id, ref.in_frequency, ref.negated))
        _index(conn, "segment", sid)
    _insert(conn, "destinations", id=5001, name="Partner Pixel", destination_type="PUSH")
    _insert(conn, "destination_mappings", id=610001, destination_id=5001, segment_id=2000001,
            element_status="active", start_date="2022-06-01", end_date=None, trait_alias="gold")
    _insert(conn, "destination_mappings", id=610002, destination_id=5001, segment_id=4242,
            element_status="inactive", start_date="2022-06-01", end_date="2023-01-01")
    for kind, object_id in (("trait", 1000001), ("trait", 1000004), ("trait", 1000006),
                            ("data-source", 163001)):
        _index(conn, kind, object_id)
    conn.execute("INSERT INTO findings (check_id, severity, object_kind, object_id, message, "
                 "detail) VALUES ('missing-trait', 'error', 'segment', 2000001, "
                 "'references missing trait 999', '{\"trait_id\": 999}')")


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    with Workspace.open(tmp_path / "t.aamws", create=True) as ws:
        with transaction(ws.conn):
            fill(ws.conn)
        yield ws.conn


def test_unknown_object_is_none(conn: sqlite3.Connection) -> None:
    assert object_details(conn, "trait", 42) is None
    assert object_details(conn, "destination-mapping", 2000001) is None


def test_trait_details(conn: sqlite3.Connection) -> None:
    d = object_details(conn, "trait", 1000001)
    assert d is not None
    assert (d["kind"], d["id"], d["name"]) == ("trait", 1000001, "Viewed Phones")
    assert d["trait_type"] == "RULE_BASED_TRAIT"
    assert d["folder_path"] == [{"id": 10, "name": "Acme"}, {"id": 11, "name": "Web"},
                                {"id": 12, "name": "Phones"}]
    assert d["data_source"] == {"id": 163001, "name": "Acme Web"}
    assert d["from_aep"] is False
    assert d["integration_code"] == "vp"
    assert d["integration_code_label"] == "Integration code"
    assert d["trait_rule"] == 'c_product == "phone"'
    assert d["trait_rule_explained"] == (
        'Qualifies when: customer-defined key c_product equals "phone"')
    assert [(s["id"], s["name"], s["status"]) for s in d["segments_using"]] == [
        (2000001, "Phone Gold", "ACTIVE"), (2000002, "Phone freq", "ACTIVE")]
    assert d["segments_using"][1]["in_frequency"] is True
    assert d["create_time_iso"] == "2022-05-15T05:20:00Z"
    assert d["update_time_iso"] is None
    assert d["findings"] == [] and d["annotation"] is None


def test_popular_trait_lists_a_capped_page_and_counts_all(conn: sqlite3.Connection) -> None:
    from explorer.store.queries import SEGMENTS_USING_LIMIT

    extra = SEGMENTS_USING_LIMIT + 25
    already = object_details(conn, "trait", 1000004)["segment_count"]
    with transaction(conn):
        for n in range(extra):
            _insert(conn, "segments", id=3000000 + n, name=f"S{n}", data_source_id=163001,
                    folder_id=20, rule="1000004T")
            conn.execute("INSERT INTO segment_traits VALUES (?, 1000004, 0, 0)", (3000000 + n,))
    d = object_details(conn, "trait", 1000004)
    assert d["segment_count"] == already + extra
    assert len(d["segments_using"]) == SEGMENTS_USING_LIMIT


def test_aep_trait_with_missing_folder(conn: sqlite3.Connection) -> None:
    d = object_details(conn, "trait", 1000006)
    assert d is not None
    assert d["from_aep"] is True
    assert d["integration_code_label"] == "AEP segment ID"
    assert d["folder_path"] == [{"id": 99, "name": None, "missing": True}]
    assert "AEP audience sharing" in d["trait_rule_explained"]


def test_segment_details(conn: sqlite3.Connection) -> None:
    d = object_details(conn, "segment", 2000001)
    assert d is not None
    assert d["segment_rule"] == "(1000001T) AND NOT (1000004T) OR 999T"
    assert d["rule_references"] == [
        {"id": 1000001, "name": "Viewed Phones", "missing": False, "in_frequency": False,
         "negated": False, "status": "ACTIVE", "trait_type": "RULE_BASED_TRAIT", "ttl": 120,
         "uniques_30_day": 4200},
        {"id": 1000004, "name": "CRM Gold Tier", "missing": False, "in_frequency": False,
         "negated": True, "status": None, "trait_type": "ON_BOARDED_TRAIT", "ttl": None,
         "uniques_30_day": None},
        {"id": 999, "name": None, "missing": True, "in_frequency": False, "negated": False,
         "status": None, "trait_type": None, "ttl": None, "uniques_30_day": None},
    ]
    assert d["segment_rule_explained"] == (
        "Qualifies when: the visitor\n"
        "  (has trait 'Viewed Phones' (1000001) AND does NOT have trait 'CRM Gold Tier' "
        "(1000004))\n"
        "  OR has trait 999 (missing from the export)")
    assert d["merge_rule"] == {
        "id": 163010, "name": "Last Authenticated Profiles + Current Device", "is_default": True,
        "cross_device_option": "Last Authenticated Profiles",
        "cross_device_data_source_ids": [163001, 163002],
        "cross_device_data_sources": [{"id": 163001, "name": "Acme Web"},
                                      {"id": 163002, "name": None}],  # 163002 not exported
        "device_option": "Device Profile",
        "data_export_controls": ["PII"], "external": False,
    }
    assert d["folder_path"] == [{"id": 20, "name": "Experience Platform Segments"}]
    assert d["destinations"] == [{
        "mapping_id": 610001, "destination_id": 5001, "destination_name": "Partner Pixel",
        "destination_type": "PUSH", "missing": False, "segment_status": "ACTIVE",
        "start_date": "2022-06-01", "end_date": None,
        "element_status": "active", "trait_alias": "gold"}]
    assert d["findings"] == [{"check_id": "missing-trait", "severity": "error",
                              "message": "references missing trait 999",
                              "detail": {"trait_id": 999}, "accepted": False,
                              "accepted_reason": None}]


def test_segment_with_unknown_merge_rule(conn: sqlite3.Connection) -> None:
    d = object_details(conn, "segment", 2000002)
    assert d is not None
    assert d["merge_rule"] == {"id": 777, "name": None, "missing": True,
                               "label": "unknown merge rule (ID: 777)"}
    assert d["folder_path"] == []
    assert d["destinations"] == []
    assert "within the last 7 days" in d["segment_rule_explained"]


def test_annotation_and_accepted_finding(conn: sqlite3.Connection) -> None:
    set_annotation(conn, "segment", 2000001, note="check with client", tags=["gold"])
    conn.execute("INSERT INTO finding_acceptances VALUES ('missing-trait', 'segment', 2000001, "
                 "'known', '2026-01-01')")
    d = object_details(conn, "segment", 2000001)
    assert d is not None
    assert d["annotation"]["note"] == "check with client"
    assert d["annotation"]["tags"] == ["gold"]
    assert d["findings"][0]["accepted"] is True
    assert d["findings"][0]["accepted_reason"] == "known"


def test_data_source_details(conn: sqlite3.Connection) -> None:
    d = object_details(conn, "data-source", 163001)
    assert d is not None
    assert (d["trait_count"], d["segment_count"]) == (2, 2)
    assert d["settings"]["id_type"] == "COOKIE"
    assert d["settings"]["data_export_controls"] == ["PII"]
    assert d["settings"]["unique_trait_integration_codes"] is True
    assert d["settings"]["unique_segment_integration_codes"] is False
    assert d["from_aep"] is False
    aep = object_details(conn, "data-source", 163005)
    assert aep is not None and aep["from_aep"] is True


def test_folder_details(conn: sqlite3.Connection) -> None:
    d = object_details(conn, "trait-folder", 10)
    assert d is not None
    assert d["folder_path"] == [{"id": 10, "name": "Acme"}]
    assert (d["object_count"], d["object_count_with_subfolders"], d["subfolder_count"]) == (
        0, 2, 1)
    web = object_details(conn, "trait-folder", 11)
    assert web is not None
    assert (web["object_count"], web["object_count_with_subfolders"]) == (1, 2)
    seg = object_details(conn, "segment-folder", 20)
    assert seg is not None and seg["object_count"] == 2


def test_merge_rule_details(conn: sqlite3.Connection) -> None:
    d = object_details(conn, "merge-rule", 163010)
    assert d is not None
    assert d["segment_count"] == 2
    assert [s["id"] for s in d["segments_using"]] == [1000007, 2000001]
    assert d["cross_device_data_source_ids"] == [163001, 163002]
    assert d["cross_device_data_sources"] == [{"id": 163001, "name": "Acme Web"},
                                              {"id": 163002, "name": None}]


def test_destination_and_mapping_details(conn: sqlite3.Connection) -> None:
    d = object_details(conn, "destination", 5001)
    assert d is not None
    assert d["data_source"] is None
    assert [(m["segment_id"], m["segment_name"], m["segment_missing"]) for m in d["mappings"]] == [
        (4242, None, True), (2000001, "Phone Gold", False)]
    m = object_details(conn, "destination-mapping", 610002)
    assert m is not None
    assert m["segment"] == {"id": 4242, "name": None, "missing": True}
    assert m["destination"] == {"id": 5001, "name": "Partner Pixel", "destination_type": "PUSH"}


def test_epoch_ms_to_iso() -> None:
    assert epoch_ms_to_iso(0) == "1970-01-01T00:00:00Z"
    assert epoch_ms_to_iso(None) is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("phone gold", '"phone"* "gold"*'),
        ('"unbalanced', '"unbalanced"*'),
        ("a* OR (b:c) NEAR^ -x", '"a"* "OR"* "b"* "c"* "NEAR"* "x"*'),
        ("***", None),
        ("", None),
    ],
)
def test_fts_prefix_query(query: str, expected: str | None) -> None:
    assert fts_prefix_query(query) == expected


def ids(hits: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(h["kind"], h["id"]) for h in hits]


def test_search_by_name_prefix(conn: sqlite3.Connection) -> None:
    # Kind by kind in the index's order (traits before segments), then by id.
    assert ids(search(conn, "pho")) == [("trait", 1000001), ("segment", 2000001),
                                        ("segment", 2000002)]
    assert ids(search(conn, "phone gol")) == [("segment", 2000001)]
    assert search(conn, "crm")[0] == {"kind": "trait", "id": 1000004, "name": "CRM Gold Tier"}
    assert search(conn, "crm", trait_types=True)[0] == {
        "kind": "trait", "id": 1000004, "name": "CRM Gold Tier",
        "trait_type": "ON_BOARDED_TRAIT"}  # for the window's icon
    typed = search(conn, "pho", trait_types=True)
    assert all(("trait_type" in hit) == (hit["kind"] == "trait") for hit in typed)


def test_search_other_columns(conn: sqlite3.Connection) -> None:
    assert ids(search(conn, "9b3f")) == [("trait", 1000006)]
    assert ids(search(conn, "acme_w")) == [("data-source", 163001)]
    assert ("trait", 1000001) in ids(search(conn, "pages"))


def test_search_keeps_the_indexed_text_to_mark_later(conn: sqlite3.Connection) -> None:
    marked = search(conn, "phone gol", matches=True)
    kept = search(conn, "phone gol", indexed=True)
    assert ids(kept) == ids(marked) and "field" not in kept[0]
    later = [match_of_hit(hit.pop("indexed"), hit["id"], hit["name"], " phone gol ")
             for hit in kept]
    assert [{**hit, **match} for hit, match in zip(kept, later, strict=True)] == marked
    assert later[0]["spans"]  # the words were found
    # Without indexed text: the id and the name are searched.
    assert match_of_hit(None, 5, "Five", "5") == {"field": "ID", "text": "5", "spans": [(0, 1)]}
    assert match_of_hit(None, 5, "Five", "zz") == {"field": "Name", "text": "Five", "spans": []}


def test_search_numeric_exact_id_first(conn: sqlite3.Connection) -> None:
    hits = ids(search(conn, "1000004"))
    assert hits[0] == ("trait", 1000004)
    # Ids starting with the number come before rules that merely mention it.
    hits = ids(search(conn, "100000"))
    assert set(hits[:4]) == {("trait", 1000001), ("trait", 1000004), ("trait", 1000006),
                             ("segment", 1000007)}
    assert set(hits[4:]) == {("segment", 2000001), ("segment", 2000002)}
    assert fts_prefix_query("12 3", column="ident") == '{ident} : ("12"* "3"*)'


def test_search_limit_and_garbage(conn: sqlite3.Connection) -> None:
    assert len(search(conn, "pho", limit=2)) == 2
    for nasty in ['"', "AND", "NOT", "(", "*", "x:y", "NEAR(a b)", "^", "-", "a OR", "'"]:
        search(conn, nasty)  # must never raise an FTS syntax error
    assert search(conn, "   ") == []
    assert search(conn, "zzzz") == []


# -- over the real import of tests/data/sample-tenant ------------------------------------------

SAMPLE_TENANT = DATA_DIR / "sample-tenant"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    from explorer.importers import import_export

    path = tmp_path_factory.mktemp("sample") / "sample.aamws"
    import_export(SAMPLE_TENANT, path)
    with Workspace.open(path, readonly=True) as ws:
        yield ws.conn


def test_sample_third_party_reference(sample: sqlite3.Connection) -> None:
    d = object_details(sample, "segment", 3200004)
    assert d is not None
    assert [r["id"] for r in d["rule_references"]] == [3100003, 3100010]
    assert not any(r["missing"] for r in d["rule_references"])
    trait = object_details(sample, "trait", 3100010)
    assert trait is not None
    # 3100010 comes from another data source than the segment's own.
    assert trait["data_source"]["id"] != d["data_source"]["id"]
    assert [s["id"] for s in trait["segments_using"]] == [3200004]


def test_sample_aep_segment(sample: sqlite3.Connection) -> None:
    d = object_details(sample, "segment", 3100007)
    assert d is not None
    assert d["from_aep"] is True
    assert d["integration_code_label"] == "AEP segment ID"
    assert d["integration_code"] == "d41e7a90-5c2b-4e3f-8a61-27b9c0f4e5d2"
    assert d["merge_rule"]["id"] == 471212
    assert d["merge_rule"]["name"] == "External Merge Policy"
    assert d["merge_rule"]["external"] is True
    assert [f["name"] for f in d["folder_path"]] == ["Experience Platform Segments"]
    aep_trait = object_details(sample, "trait", 3100006)
    assert aep_trait is not None
    assert aep_trait["integration_code_label"] == "AEP segment ID"
    assert "AEP audience sharing" in aep_trait["trait_rule_explained"]


def test_sample_trait_used_by_two_segments(sample: sqlite3.Connection) -> None:
    d = object_details(sample, "trait", 3100001)
    assert d is not None
    assert [s["id"] for s in d["segments_using"]] == [3200001, 3200002]
    assert [f["name"] for f in d["folder_path"]] == [
        "Site Browsing", "Holiday Types", "Beach"]


def test_sample_every_object_has_details(sample: sqlite3.Connection) -> None:
    from explorer.kinds import KINDS

    for kind in KINDS.values():
        for (object_id,) in sample.execute(f"SELECT id FROM {kind.table}"):
            d = object_details(sample, kind.name, object_id)
            assert d is not None and d["kind"] == kind.name and d["id"] == object_id
            json.dumps(d)  # everything the CLI prints with --json must serialise


def test_sample_search(sample: sqlite3.Connection) -> None:
    assert search(sample, "3100007")[0] == {
        "kind": "segment", "id": 3100007, "name": "AEP: Abandoned Booking (3d)"}
    assert ("trait", 3100006) in ids(search(sample, "d41e7a90"))
    assert ("trait", 3100001) in ids(search(sample, "view beac"))


def test_cjk_words_match_inside_names(conn: sqlite3.Connection) -> None:
    with transaction(conn):
        _insert(conn, "segments", id=2000101, name="日本のユーザー", data_source_id=163001,
                folder_id=20, rule="1000001T")
        _index(conn, "segment", 2000101)
        _insert(conn, "segments", id=2000102, name="100%_ユーザー率", data_source_id=163001,
                folder_id=20, rule="1000001T")
        _index(conn, "segment", 2000102)
    assert sorted(h["id"] for h in search(conn, "ユーザー")) == [2000101, 2000102]
    assert [h["id"] for h in search(conn, "日本")] == [2000101]  # a prefix, as before
    assert [h["id"] for h in search(conn, "%_ユーザー")] == [2000102]  # wildcards are literal
    assert search(conn, "東京") == []
