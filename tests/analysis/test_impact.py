"""Impact: what changes if an object is deleted or paused (tests/helpers/lineage_tenant.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.analysis.impact import (
    CHANGES,
    EVERYONE,
    NARROWS,
    REMOVES,
    UNKNOWN,
    WIDENS,
    build_impact,
    rule_effect,
)
from explorer.analysis.lineage import LineageError
from tests.helpers.lineage_tenant import BULK_DS, BULK_TRAITS, build_lineage_tenant


@pytest.fixture
def tenant(tmp_path: Path):
    t = build_lineage_tenant(tmp_path / "t.aamws")
    yield t
    t.close()


def _segments(scenario) -> dict[int, dict]:
    return {s["id"]: s for s in scenario["segments"]}


@pytest.mark.parametrize(("rule", "removed", "effect"), [
    ("1T AND 2T", {1}, REMOVES),
    ("1T OR 2T", {1}, NARROWS),
    ("2T AND NOT 1T", {1}, WIDENS),
    ("NOT 1T", {1}, EVERYONE),
    ("(1T AND 2T) OR 3T", {1}, NARROWS),  # an AND nested in an OR: narrows, not removes
    ("(1T OR 2T) AND 3T", {1, 2}, REMOVES),
    ("frequency([1T]) >= 3", {1}, REMOVES),
    ("frequency([1T, 2T]) >= 3", {1}, NARROWS),
    ("frequency([1T, 2T] <= 7D) <= 3", {1}, WIDENS),
    ("frequency([1T, 2T]) == 3", {1}, CHANGES),
    ("(1T OR 2T) AND NOT (1T AND 3T)", {1}, CHANGES),
    ("1T AND (", {1}, UNKNOWN),
])
def test_the_effect_is_evaluated_on_the_rule_tree(rule, removed, effect):
    assert rule_effect(rule, removed) == effect


def test_a_trait_in_and_or_only_position(tenant):
    scenario = build_impact(tenant.conn, "trait", 10)["scenarios"][0]
    assert scenario["action"] == "delete or pause"
    segments = _segments(scenario)
    assert {k: (v["effect"], v["position"]) for k, v in segments.items()} == {
        20: (REMOVES, "and"), 21: (NARROWS, "or"), 30: (REMOVES, "only")}
    # Segment 20 loses its audience: its active mapping stops; paused segment 30's mappings
    # already send nothing.
    destinations = {d["id"]: d for d in scenario["destinations"]}
    assert destinations[42]["stops_receiving"] == [20]
    assert destinations[40]["stops_receiving"] == []
    assert {s["state"] for s in destinations[42]["segments"]} == {"active", "paused"}
    assert scenario["target"]["loses"] == []
    assert scenario["target"]["emptied"] == [20, 30]


def test_a_trait_under_not_widens_and_in_frequency_removes_or_narrows(tenant):
    employees = _segments(build_impact(tenant.conn, "trait", 12)["scenarios"][0])
    assert {k: (v["effect"], v["position"]) for k, v in employees.items()} == {
        22: (WIDENS, "not")}
    visits = _segments(build_impact(tenant.conn, "trait", 15)["scenarios"][0])
    assert {k: (v["effect"], v["position"]) for k, v in visits.items()} == {
        23: (REMOVES, "frequency"), 24: (NARROWS, "frequency")}


def test_deleting_a_segment_removes_it_from_target_pausing_does_not(tenant):
    report = build_impact(tenant.conn, "segment", 20)
    delete, pause = report["scenarios"]
    assert (delete["action"], pause["action"]) == ("delete", "pause")
    for scenario in (delete, pause):
        assert [d["stops_receiving"] for d in scenario["destinations"]] == [[20]]
    assert delete["target"]["loses"] == [20]
    assert pause["target"]["loses"] == []
    assert pause["notes"]


def test_target_is_not_affected_when_shared_audiences_is_disabled(tmp_path):
    tenant = build_lineage_tenant(tmp_path / "t.aamws", sharing="disabled", bulk=False)
    try:
        delete = build_impact(tenant.conn, "segment", 20)["scenarios"][0]
    finally:
        tenant.close()
    assert delete["target"]["sharing"] == "disabled"
    assert delete["target"]["loses"] == []


def test_target_is_not_checked_without_a_settings_event(tmp_path):
    tenant = build_lineage_tenant(tmp_path / "t.aamws", sharing=None, bulk=False)
    try:
        delete = build_impact(tenant.conn, "segment", 20)["scenarios"][0]
    finally:
        tenant.close()
    assert delete["target"]["sharing"] == "not checked"
    assert delete["target"]["text"].startswith("not checked: ")


def test_a_data_source_removes_all_its_traits_at_once(tenant):
    scenario = build_impact(tenant.conn, "data-source", BULK_DS)["scenarios"][0]
    assert scenario["traits"] == BULK_TRAITS
    assert scenario["segments"] == []
    web = build_impact(tenant.conn, "data-source", 100)["scenarios"][0]
    effects = {s["id"]: s["effect"] for s in web["segments"]}
    # The segments belong to the data source too: they go with it.
    assert effects[22] == effects[24] == "deleted"
    assert scenario_text(web) == "Target loses 7 segments"


def scenario_text(scenario) -> str:
    return scenario["target"]["text"]


def test_a_destination_stops_receiving_its_active_mappings(tenant):
    scenario = build_impact(tenant.conn, "destination", 42)["scenarios"][0]
    assert [(d["id"], d["stops_receiving"]) for d in scenario["destinations"]] == [(42, [20])]
    mapping = build_impact(tenant.conn, "destination-mapping", 501)["scenarios"][0]
    assert [(d["id"], [s["state"] for s in d["segments"]]) for d in mapping["destinations"]] \
        == [(40, ["ended"])]


def test_an_unknown_object_is_an_error(tenant):
    with pytest.raises(LineageError):
        build_impact(tenant.conn, "segment", 424242)


def test_a_merge_rule_lists_the_segments_evaluated_with_it(tenant):
    scenario = build_impact(tenant.conn, "merge-rule", 7001)["scenarios"][0]
    assert [(s["id"], s["effect"]) for s in scenario["segments"]] == [(2, "merge rule")]
    assert scenario["destinations"] == []
    tenant.conn.execute("INSERT INTO derived_signals (id, name, raw) VALUES (9, 'c=1', '{}')")
    signal = build_impact(tenant.conn, "derived-signal", 9)["scenarios"][0]
    assert signal["segments"] == [] and signal["destinations"] == []
    assert "derived signal" in signal["notes"][0]
