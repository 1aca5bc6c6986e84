"""The mapping checks: every state comes from explorer.analysis.mapping_status."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.analysis.findings import list_findings
from explorer.analysis.mapping_status import MappingState, mapping_states
from tests.helpers.findings_tenant import Tenant, keys


@pytest.fixture
def tenant(tmp_path: Path) -> Iterator[Tenant]:
    t = Tenant(tmp_path / "m.aamws").base()
    t.export_date("2025-06-01")
    t.destination(60, "DSP", "S2S")
    t.destination(61, "Idle pixel", "PUSH")
    t.segment(70, "(3T)", "Sent")
    t.segment(71, "(3T)", "Ended")
    t.segment(72, "(3T)", "Paused", status="INACTIVE")
    t.segment(73, "(3T)", "Later")
    t.mapping(900, 60, 70)  # active
    t.mapping(901, 61, 71, end="2025-01-31")  # ended
    t.mapping(902, 61, 72)  # paused segment
    t.mapping(903, 61, 73, start="2025-09-01")  # scheduled
    yield t
    t.close()


def test_states_agree_with_mapping_status(tenant: Tenant) -> None:
    tenant.findings()
    states = mapping_states(tenant.conn, "2025-06-01")
    assert states == {900: MappingState.ACTIVE, 901: MappingState.ENDED,
                      902: MappingState.PAUSED, 903: MappingState.SCHEDULED}
    assert keys(list_findings(tenant.conn, check="mapping-expired")) == {
        ("destination-mapping", 901)}
    assert keys(list_findings(tenant.conn, check="paused-segment-mapped")) == {("segment", 72)}


def test_destination_without_active_mapping(tenant: Tenant) -> None:
    tenant.destination(62, "Never used", "S2S")
    found = tenant.of("destination-no-active-mapping")
    assert keys(found) == {("destination", 61), ("destination", 62)}
    by_id = {f.object_id: f.message for f in found}
    assert by_id[61] == ("Destination 'Idle pixel' (61) has no active mapping (3 mappings: "
                         "1 ended, 1 paused, 1 scheduled)")
    assert by_id[62] == "Destination 'Never used' (62) has no mapping"


def test_segments_reaching_only_target(tenant: Tenant) -> None:
    found = tenant.of("segment-only-target")
    # 71 (ended) and 73 (scheduled) and the base tenant's unmapped segments; not the paused 72
    assert keys(found) == {("segment", 2), ("segment", 4), ("segment", 71), ("segment", 73)}
    assert {f.severity for f in found} == {"info"}
    assert next(f for f in found if f.object_id == 71).message == (
        "Segment 'Ended' (71) is sent to no destination: it reaches only Target")


def test_no_mapping_at_all_is_a_target_only_tenant(tmp_path: Path) -> None:
    t = Tenant(tmp_path / "plain.aamws").base()
    try:
        assert t.of("segment-only-target") == []
    finally:
        t.close()


def test_mapping_of_a_segment_the_export_lacks(tenant: Tenant) -> None:
    tenant.mapping(904, 60, 7777)
    tenant.mapping(905, 6666, 72)
    found = tenant.of("mapping-missing-object")
    assert keys(found) == {("destination-mapping", 904), ("destination-mapping", 905)}
    by_id = {f.object_id: f.message for f in found}
    assert by_id[904] == ("Mapping 904 of segment (7777) to destination 'DSP' (60): its segment "
                          "is not in the export")
    assert by_id[905] == ("Mapping 905 of segment 'Paused' (72) to destination (6666): its "
                          "destination is not in the export")
    # a mapping to a destination the export lacks does not count as "still mapped"
    paused = tenant.of("paused-segment-mapped")
    assert [(f.object_id, f.numbers["mappings"]) for f in paused] == [(72, 1)]
