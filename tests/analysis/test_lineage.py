"""The lineage graph on a tenant built for it (tests/helpers/lineage_tenant.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.analysis.lineage import (
    FANOUT_LIMIT,
    SUMMARY_TOP,
    LineageError,
    build_lineage,
    more_key,
    position_of,
)
from tests.helpers.lineage_tenant import (
    BULK_DS,
    BULK_FIRST_TRAIT,
    BULK_TRAITS,
    UUID,
    build_lineage_tenant,
)


@pytest.fixture
def tenant(tmp_path: Path):
    t = build_lineage_tenant(tmp_path / "t.aamws")
    yield t
    t.close()


def _edges(graph) -> dict[tuple[str, str], dict]:
    return {(e["from"], e["to"]): e for e in graph.to_json()["edges"]}


def _keys(graph) -> set[str]:
    return {f"{n['kind']}:{n['id']}" for n in graph.to_json()["nodes"]}


@pytest.mark.parametrize(("trait", "segment", "position"), [
    (10, 20, "and"), (10, 21, "or"), (12, 22, "not"), (15, 23, "frequency"),
    (15, 24, "frequency"), (10, 30, "only"),
])
def test_a_trait_edge_says_where_the_trait_sits_in_the_rule(tenant, trait, segment, position):
    edges = _edges(build_lineage(tenant.conn, "trait", trait))
    assert edges[(f"trait:{trait}", f"segment:{segment}")]["position"] == position


def test_a_trait_shows_its_source_its_segments_and_where_they_go_not_their_other_traits(
        tenant):
    graph = build_lineage(tenant.conn, "trait", 10)
    assert graph.root == "trait:10"
    assert _keys(graph) == {"trait:10", "data-source:100", "segment:20", "segment:21",
                            "segment:30", "destination:40", "destination:41",
                            "destination:42", "target:adobe-target"}
    edges = _edges(graph)
    assert edges[("data-source:100", "trait:10")]["state"] == "active"
    assert edges[("segment:20", "destination:42")] == {
        "from": "segment:20", "to": "destination:42", "state": "active", "mapping_id": 504}
    nodes = {f"{n['kind']}:{n['id']}": n for n in graph.to_json()["nodes"]}
    assert nodes["trait:10"]["folder"] == "/Web"
    assert nodes["segment:20"]["folder"] == "/Marketing"


def test_a_paused_segment_has_its_ended_scheduled_and_paused_mappings(tenant):
    graph = build_lineage(tenant.conn, "segment", 30)
    edges = _edges(graph)
    assert edges[("segment:30", "destination:40")]["state"] == "ended"
    assert edges[("segment:30", "destination:41")]["state"] == "scheduled"
    # Its mapping is active, but the segment is paused: mapping_state says paused.
    assert edges[("segment:30", "destination:42")]["state"] == "paused"
    assert {edges[("segment:30", f"destination:{d}")]["mapping_id"] for d in (40, 41, 42)} \
        == {501, 502, 503}
    assert edges[("trait:10", "segment:30")]["state"] == "paused"


def test_a_destination_shows_its_segments_and_their_traits(tenant):
    graph = build_lineage(tenant.conn, "destination", 42)
    assert _keys(graph) == {"destination:42", "segment:20", "segment:30", "trait:10",
                            "trait:11", "data-source:100"}
    edges = _edges(graph)
    assert edges[("segment:20", "destination:42")]["state"] == "active"
    assert edges[("segment:30", "destination:42")]["state"] == "paused"
    assert edges[("trait:11", "segment:20")]["position"] == "and"


def test_depth_limits_the_hops_each_way(tenant):
    graph = build_lineage(tenant.conn, "trait", 10, depth=1)
    assert _keys(graph) == {"trait:10", "data-source:100", "segment:20", "segment:21",
                            "segment:30"}


@pytest.mark.parametrize(("sharing", "state"), [("enabled", "active"), ("disabled", None),
                                                (None, "not checked"),
                                                ("later", "not checked")])
def test_the_target_edge_follows_shared_audiences_at_the_export_date(tmp_path, sharing, state):
    tenant = build_lineage_tenant(tmp_path / "t.aamws", sharing=sharing, bulk=False)
    try:
        graph = build_lineage(tenant.conn, "segment", 20)
    finally:
        tenant.close()
    edge = _edges(graph).get(("segment:20", "target:adobe-target"))
    if state is None:
        assert edge is None
        assert "target:adobe-target" not in _keys(graph)
        assert graph.target_sharing["state"] == "disabled"
    else:
        assert edge is not None and edge["state"] == state
    if state == "not checked":
        assert any("Adobe Target: not checked" in note for note in graph.notes)


def test_an_aep_shared_trait_comes_from_its_aep_segment(tenant):
    graph = build_lineage(tenant.conn, "segment", 2)
    edges = _edges(graph)
    assert (f"aep-segment:{UUID}", "trait:1") in edges
    assert ("trait:1", "segment:2") in edges


def test_a_data_source_with_thousands_of_traits_is_summarised(tenant):
    graph = build_lineage(tenant.conn, "data-source", BULK_DS)
    data = graph.to_json()
    root = data["nodes"][0]
    summary = root["summary"]["trait"]
    assert summary["count"] == BULK_TRAITS
    assert summary["by_status"] == {"active": BULK_TRAITS - BULK_TRAITS // 10,
                                    "inactive": BULK_TRAITS // 10}
    # The largest few, by population (uniques30Day grows with the trait number).
    assert [t["id"] for t in summary["largest"]] == [
        BULK_FIRST_TRAIT + BULK_TRAITS - 1 - n for n in range(SUMMARY_TOP)]
    more = [n for n in data["nodes"] if n["kind"] == "more"]
    assert more == [{"kind": "more", "id": f"trait@data-source:{BULK_DS}",
                     "name": f"{BULK_TRAITS - SUMMARY_TOP:,} traits", "of": "trait",
                     "count": BULK_TRAITS - SUMMARY_TOP}]
    assert len(data["nodes"]) == 1 + SUMMARY_TOP + 1


def test_a_folder_is_summarised_with_its_subfolders(tenant):
    tenant.trait_folder(12, "Sub", parent=11)
    tenant.trait(16, "In the subfolder", folder=12)
    graph = build_lineage(tenant.conn, "trait-folder", 11)
    summary = graph.nodes["trait-folder:11"].summary
    assert summary is not None
    assert summary["trait"]["count"] == 8 + BULK_TRAITS


def test_a_fan_out_over_the_limit_becomes_one_counted_node_that_expands(tmp_path):
    tenant = build_lineage_tenant(tmp_path / "t.aamws", bulk=False)
    try:
        for n in range(FANOUT_LIMIT + 5):
            tenant.segment(1000 + n, "13T", f"Fan {n:02d}")
        graph = build_lineage(tenant.conn, "trait", 13)
        expanded = build_lineage(tenant.conn, "trait", 13,
                                 expand=[more_key("trait:13", "segment")])
    finally:
        tenant.close()
    more = [n.to_json() for n in graph.nodes.values() if n.kind == "more"]
    total = FANOUT_LIMIT + 5 + 2  # segments 21 and 24 use trait 13 too
    assert [(m["of"], m["count"]) for m in more] == [("segment", total)]
    assert not any(n.kind == "segment" for n in graph.nodes.values())
    assert sum(n.kind == "segment" for n in expanded.nodes.values()) == total


def test_a_missing_trait_is_a_missing_node_and_edge(tenant):
    tenant.segment(25, "10T AND 999T", "Refers to a missing trait")
    graph = build_lineage(tenant.conn, "segment", 25)
    assert graph.nodes["trait:999"].missing
    assert _edges(graph)[("trait:999", "segment:25")]["state"] == "missing"


def test_a_mapping_is_the_edge_from_its_segment(tenant):
    graph = build_lineage(tenant.conn, "destination-mapping", 504)
    assert graph.root == "destination:42"
    assert _edges(graph)[("segment:20", "destination:42")]["mapping_id"] == 504
    assert "destination:40" not in _keys(graph)


def test_an_unknown_object_is_an_error(tenant):
    with pytest.raises(LineageError):
        build_lineage(tenant.conn, "trait", 424242)


def test_positions_combine_occurrences_and_fall_back_on_stored_flags():
    assert position_of("(1T AND 2T) OR NOT 1T", 1) == "and+not"
    assert position_of("NOT NOT 1T", 1) == "only"
    assert position_of("1T AND (", 1, negated=True) == "not"


def test_past_the_scan_limit_the_summary_shows_the_newest(tenant, monkeypatch):
    monkeypatch.setattr("explorer.analysis.lineage.POPULATION_SCAN_LIMIT", 100)
    summary = build_lineage(tenant.conn, "data-source", BULK_DS).to_json()["nodes"][0][
        "summary"]["trait"]
    assert summary["largest_by"] == "newest"
    assert [t["id"] for t in summary["largest"]] == [
        BULK_FIRST_TRAIT + BULK_TRAITS - 1 - n for n in range(SUMMARY_TOP)]
    assert all("population" not in t for t in summary["largest"])


def test_status_counts_read_the_index_alone(tenant):
    plan = tenant.conn.execute(
        "EXPLAIN QUERY PLAN SELECT t.status, count(*) FROM traits t "
        "WHERE t.data_source_id = ? GROUP BY t.status", (BULK_DS,)).fetchall()
    assert "COVERING INDEX idx_traits_data_source_id_status" in " ".join(str(r[-1])
                                                                         for r in plan)
