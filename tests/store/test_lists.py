"""Object lists per kind: the column sets, the figures (population, TTL, segments using,
mappings, worst finding, note status) and sorting by them in SQL, and the display words."""

from __future__ import annotations

import json
import sqlite3

import pytest

from explorer.kinds import DESTINATION_TYPE_LABELS, ObjectRef
from explorer.report.inspector_html.identity import type_label
from explorer.store import lists
from explorer.store.schema import migrate


@pytest.fixture()
def conn() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.row_factory = sqlite3.Row
    migrate(connection)
    traits = [  # id, name, ttl, uniques30Day
        (11, "Alpha", 30, 5_000), (12, "Bravo", 0, 120), (13, "Charlie", 120, None)]
    for trait_id, name, ttl, uniques in traits:
        raw = json.dumps({"uniques30Day": uniques} if uniques is not None else {})
        connection.execute(
            "INSERT INTO traits (id, name, trait_type, status, ttl, data_source_id, raw) "
            "VALUES (?, ?, 'RULE_BASED_TRAIT', 'ACTIVE', ?, 1, ?)", (trait_id, name, ttl, raw))
    connection.execute("INSERT INTO data_sources (id, name, raw) VALUES (1, 'Web', '{}')")
    connection.execute("INSERT INTO merge_rules (id, name, raw) VALUES (5, 'Rule', '{}')")
    for segment_id in (21, 22):
        connection.execute(
            "INSERT INTO segments (id, name, status, data_source_id, merge_rule_id, raw) "
            "VALUES (?, ?, 'ACTIVE', 1, 5, '{}')", (segment_id, f"Segment {segment_id}"))
    # Bravo is used by both segments, Alpha by one, Charlie by none.
    connection.executemany("INSERT INTO segment_traits (segment_id, trait_id, in_frequency, "
                           "negated) VALUES (?, ?, 0, 0)", [(21, 11), (21, 12), (22, 12)])
    connection.execute("INSERT INTO destinations (id, name, destination_type, raw) "
                       "VALUES (31, 'Cookie dest', 'ADS', '{}')")
    connection.executemany(
        "INSERT INTO destination_mappings (id, destination_id, segment_id, raw) "
        "VALUES (?, 31, ?, '{}')", [(41, 21), (42, 22), (43, 22)])
    connection.executemany(
        "INSERT INTO findings (check_id, severity, object_kind, object_id, message) "
        "VALUES (?, ?, 'trait', ?, 'm')",
        [("a", "info", 11), ("b", "warning", 11), ("c", "error", 12), ("d", "info", 13)])
    # Bravo's error is accepted: its worst open finding is none.
    connection.execute("INSERT INTO finding_acceptances (check_id, object_kind, object_id, "
                       "reason, accepted_at) VALUES ('c', 'trait', 12, '', '2026-01-01')")
    connection.execute("INSERT INTO annotations (kind, object_id, status, created, updated) "
                       "VALUES ('trait', 13, 'to fix', '2026-01-01', '2026-01-01')")
    return connection


def _rows(conn: sqlite3.Connection, source: str | ObjectRef, sort: str = "name",
          descending: bool = False) -> list[lists.ListRow]:
    query = lists.ListQuery(lists.ListSource(source)).with_sort(sort, descending)
    return lists.fetch_rows(conn, query)


def test_column_sets_are_chosen_per_kind() -> None:
    traits = lists.columns_for(["trait"])
    assert "merge_rule" not in traits and "kind" not in traits
    assert {"population", "ttl", "segments_using", "findings", "note"} <= set(traits)
    segments = lists.columns_for(["segment"])
    assert "type" not in segments and "kind" not in segments and "ttl" not in segments
    assert {"merge_rule", "mappings", "population", "findings", "note"} <= set(segments)
    assert "mappings" in lists.columns_for(["destination"])
    assert "status" not in lists.columns_for(["merge-rule"])
    mixed = lists.columns_for(["trait", "segment"])  # a data source's traits and segments
    assert mixed[0] == "kind" and "merge_rule" in mixed and "ttl" in mixed
    assert list(mixed) == [k for k in lists.COLUMN_KEYS if k in mixed]  # display order


def test_figures_of_each_row(conn: sqlite3.Connection) -> None:
    by_id = {r.id: r for r in _rows(conn, "traits")}
    assert (by_id[11].population, by_id[11].ttl, by_id[11].segments_using) == (5_000, 30, 1)
    assert (by_id[12].segments_using, by_id[13].segments_using) == (2, 0)
    assert [by_id[i].worst_severity for i in (11, 12, 13)] == ["warning", None, "info"]
    assert (by_id[13].note_status, by_id[11].note_status) == ("to fix", None)
    assert [lists.format_cell(by_id[12], k) for k in ("ttl", "population", "findings")] == [
        "never", "120", ""]
    assert lists.format_cell(by_id[11], "population") == "5,000"
    segments = {r.id: r.mappings for r in _rows(conn, "segments")}
    assert segments == {21: 1, 22: 2}
    [destination] = _rows(conn, "destinations")
    assert destination.mappings == 3
    assert lists.format_cell(destination, "type") == "Cookie"
    [merge_rule] = _rows(conn, "merge-rules")
    assert merge_rule.segments_using == 2


@pytest.mark.parametrize(("sort", "descending", "expected"), [
    ("findings", True, [11, 13, 12]),  # warning, info, none (accepted error)
    ("population", True, [11, 12, 13]),  # 5,000, 120, unknown last
    ("ttl", False, [12, 11, 13]),  # 0 (never), 30, 120
    ("segments_using", True, [12, 11, 13]),
    ("note", False, [13, 11, 12]),  # annotated first; the rest by id
])
def test_sorting_by_figures_happens_in_sql(conn: sqlite3.Connection, sort: str,
                                           descending: bool, expected: list[int]) -> None:
    assert [r.id for r in _rows(conn, "traits", sort, descending)] == expected


def test_paged_rows_keep_their_figures(conn: sqlite3.Connection) -> None:
    query = lists.ListQuery(lists.ListSource("traits")).with_sort("findings", True)
    second_page = lists.fetch_rows(conn, query, limit=2, offset=1)
    assert [(r.id, r.worst_severity) for r in second_page] == [(13, "info"), (12, None)]


def test_data_source_list_holds_two_kinds_with_their_own_figures(
        conn: sqlite3.Connection) -> None:
    rows = _rows(conn, ObjectRef("data-source", 1), sort="kind")
    segment = next(r for r in rows if r.kind == "segment")
    trait = next(r for r in rows if r.kind == "trait" and r.id == 11)
    assert segment.type is None  # no "Type = Segment" beside "Kind = Segment"
    assert (segment.mappings, segment.ttl) == (1, None)
    assert (trait.ttl, trait.mappings) == (30, None)


def test_destination_types_read_as_in_the_inspector() -> None:
    for code, word in DESTINATION_TYPE_LABELS.items():
        assert lists.type_label(code) == word
        assert type_label({"kind": "destination", "destination_type": code}) == word
    assert lists.type_label("RULE_BASED_TRAIT") == "Rule-based"


def test_aep_count_equals_the_aep_filters_rows(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO data_sources (id, name, raw) VALUES (2, ?, '{}')",
                 (lists.AEP_DATA_SOURCE_NAME,))
    conn.execute("UPDATE traits SET data_source_id = 2 WHERE id IN (11, 13)")
    conn.execute("UPDATE segments SET data_source_id = 2 WHERE id = 22")
    for group, expected in (("traits", 2), ("segments", 1)):
        query = lists.ListQuery(lists.ListSource(group), lists.ListFilters(aep_only=True))
        assert lists.count_aep(conn, group) == lists.count_rows(conn, query) == expected
    conn.execute("UPDATE data_sources SET name = 'AEP look-alike' WHERE id = 2")
    assert lists.count_aep(conn, "traits") == lists.count_aep(conn, "segments") == 0
