"""Findings gated by what the export holds: each check's needs against the recorded gaps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.analysis.findings import (
    CHECKS,
    NotChecked,
    checks_blocked_by,
    not_checked,
    refresh_findings,
)
from explorer.analysis.findings.gating import blocking_gaps, is_blocked
from explorer.domain.gaps import ExportPart, Gap
from explorer.store.db import transaction
from tests.helpers.findings_tenant import Tenant, keys

NO_TRAIT_DETAILS = Gap(ExportPart.DETAILS, "traits.json: exported without details",
                       kinds=("trait",))


@pytest.fixture
def tenant(tmp_path: Path) -> Iterator[Tenant]:
    t = Tenant(tmp_path / "g.aamws").base()
    t.trait(5, "Web A", ic="dup")
    t.trait(6, "Web B", ic="dup")
    t.segment(50, "(5T) OR (6T)", "Seg A", ic="seg-dup")
    t.segment(51, "(5T)", "Seg B", ic="seg-dup")
    yield t
    t.close()


def test_unknown_gaps_run_every_check(tenant: Tenant) -> None:
    assert not_checked(tenant.conn) == []  # no import recorded: unknown
    assert keys(tenant.of("duplicate-integration-code")) == {
        ("trait", 5), ("trait", 6), ("segment", 50), ("segment", 51)}


def test_a_gap_of_one_kind_blocks_that_kind_only(tenant: Tenant) -> None:
    tenant.gaps(NO_TRAIT_DETAILS)
    assert keys(tenant.of("duplicate-integration-code")) == {("segment", 50), ("segment", 51)}
    skipped = {n.check_id: n for n in not_checked(tenant.conn)}
    assert skipped["duplicate-integration-code"] == NotChecked(
        "duplicate-integration-code", "Integration code shared within a data source",
        "traits.json: exported without details", ("trait",))
    assert skipped["duplicate-integration-code"].text == (
        "not checked: Integration code shared within a data source — traits.json: exported "
        "without details")
    # a check that compares segments with their traits' details is blocked for every kind
    assert skipped["aep-segment-integration-code-mismatch"].kinds == ()
    assert "folder-too-deep" not in skipped


def test_a_gap_of_a_part_read_of_other_kinds_only(tenant: Tenant) -> None:
    tenant.trait(7, "Lonely")
    tenant.gaps(NO_TRAIT_DETAILS)
    # unused traits rest on segment rules, not on the traits' own details
    assert keys(tenant.of("trait-unused")) == {("trait", 7)}
    tenant.gaps(Gap(ExportPart.DETAILS, "segments.json: exported without details",
                    kinds=("segment",)))
    assert tenant.of("trait-unused") == []
    assert next(n for n in not_checked(tenant.conn) if n.check_id == "trait-unused").kinds == ()


def test_a_gap_without_kinds_blocks_the_whole_check(tenant: Tenant) -> None:
    tenant.gaps(Gap(ExportPart.DETAILS, "exported without details"))
    assert tenant.of("duplicate-integration-code") == []
    assert not_checked(tenant.conn)[0].kinds == ()


def test_an_empty_gap_list_means_complete(tenant: Tenant) -> None:
    tenant.gaps()
    assert not_checked(tenant.conn) == []
    assert len(tenant.of("duplicate-integration-code")) == 4


def test_tenant_findings_rest_on_the_whole_export(tenant: Tenant) -> None:
    spec = CHECKS["limit-near"]
    blocked = blocking_gaps(spec, [Gap(ExportPart.PAGES, "traits_page_0.json: 9 of 18 traits",
                                       kinds=("trait",))])
    assert is_blocked(blocked, "tenant") and is_blocked(blocked, "trait")
    assert not is_blocked(blocked, "segment")
    assert not is_blocked({}, "tenant")


def test_refresh_takes_the_importers_gaps_before_they_are_recorded(tenant: Tenant) -> None:
    with transaction(tenant.conn):
        refresh_findings(tenant.conn, gaps=[NO_TRAIT_DETAILS])
    rows = tenant.conn.execute("SELECT DISTINCT object_kind FROM findings "
                               "WHERE check_id = 'duplicate-integration-code'").fetchall()
    assert [tuple(r) for r in rows] == [("segment",)]


def test_checks_blocked_by_a_gap_are_those_that_need_its_part() -> None:
    blocked = checks_blocked_by(NO_TRAIT_DETAILS)
    assert {"aep-trait-expression-mismatch", "aep-segment-integration-code-mismatch",
            "duplicate-integration-code", "trait-unused", "rule-window-beyond-ttl"} <= set(blocked)
    assert "folder-too-deep" not in blocked
    mappings = checks_blocked_by(Gap(ExportPart.MAPPINGS, "no destination mappings"))
    assert set(mappings) == {"mapping-missing-object", "paused-segment-mapped",
                             "mapping-expired", "destination-no-active-mapping",
                             "segment-only-target"}


def test_without_mappings_the_mapping_checks_are_not_checked(tenant: Tenant) -> None:
    tenant.destination(60, "Idle", "S2S")
    tenant.gaps(Gap(ExportPart.MAPPINGS, "destinations.json: no mappings",
                    kinds=("destination-mapping",)))
    assert tenant.of("destination-no-active-mapping") == []
    assert {n.check_id for n in not_checked(tenant.conn)} == set(
        checks_blocked_by(Gap(ExportPart.MAPPINGS, "")))
