"""Each finding check on a small tenant written through SQL: one case that triggers it, one not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.analysis.findings import CHECKS
from tests.helpers.findings_tenant import (
    AEP_DS,
    AEP_SEGMENT_FOLDER,
    AEP_TRAIT_FOLDER,
    DEFAULT_RULE,
    EXTERNAL_RULE,
    UUID,
    WEB_DS,
    WEB_TRAIT_FOLDER,
    Tenant,
    keys,
)

UUID2 = "11111111-2222-4333-8444-555555555555"


@pytest.fixture
def tenant(tmp_path: Path) -> Iterator[Tenant]:
    t = Tenant(tmp_path / "t.aamws").base()
    yield t
    t.close()


def test_base_tenant_has_no_findings_but_nothing_is_hidden(tenant: Tenant) -> None:
    # the base tenant is correct except that trait 3 and the AEP pair are used: nothing flagged
    assert tenant.findings() == []


def test_every_check_has_a_doc_severity_and_needs() -> None:
    assert len(CHECKS) == 23
    for spec in CHECKS.values():
        assert spec.severity in {"error", "warning", "info"}
        assert spec.doc.startswith("Experience League: Audience Manager › ")
        assert spec.doc.endswith(".md)")
        assert spec.explanation and spec.fix and spec.title
        assert spec.needs, f"{spec.id} states no needs"
        assert spec.needs_text.startswith("needs: ")
    # what the export lacks is a gap of the import now, never a finding
    assert "merge-rules-not-exported" not in CHECKS


# --- references -----------------------------------------------------------------------------

def test_segment_missing_trait(tenant: Tenant) -> None:
    tenant.segment(50, "(3T) AND NOT (777T OR 778T)", "Broken")
    found = tenant.of("segment-missing-trait")
    assert keys(found) == {("segment", 50)}
    assert "777T, 778T" in found[0].message and "'Broken'" in found[0].message
    assert found[0].numbers["missing_trait_ids"] == [777, 778]


def test_segment_missing_trait_not_flagged_when_all_present(tenant: Tenant) -> None:
    tenant.trait(5)
    tenant.segment(51, "frequency([3T, 5T] <= 7D) >= 2")
    assert tenant.of("segment-missing-trait") == []


def test_segment_missing_merge_rule(tenant: Tenant) -> None:
    tenant.segment(52, "(3T)", merge_rule=99999)
    found = tenant.of("segment-missing-merge-rule")
    assert keys(found) == {("segment", 52)}
    assert "99999" in found[0].message
    assert found[0].message.endswith("(52) uses merge rule 99999, which is not in the export")
    assert found[0].numbers["merge_rule_id"] == 99999


def test_segment_missing_merge_rule_silent_without_merge_rules(tenant: Tenant) -> None:
    tenant.conn.execute("DELETE FROM merge_rules")
    tenant.segment(52, "(3T)", merge_rule=99999)
    assert tenant.of("segment-missing-merge-rule") == []


def test_object_missing_folder(tenant: Tenant) -> None:
    tenant.trait(5, folder=4040)
    tenant.segment(53, "(5T)", folder=5050)
    tenant.trait(6, folder=0)  # the root "All Traits" is never in an export: fine
    tenant.segment(54, "(6T)")
    assert keys(tenant.of("object-missing-folder")) == {("trait", 5), ("segment", 53)}


def test_object_missing_folder_silent_when_export_has_no_folders(tenant: Tenant) -> None:
    # an export without folders is a gap of the import: no tenant finding, no 2 object ones
    tenant.conn.execute("DELETE FROM trait_folders")
    assert tenant.of("object-missing-folder") == []
    tenant.segment(53, "(3T)", folder=5050)  # segment folders are there: still judged
    assert keys(tenant.of("object-missing-folder")) == {("segment", 53)}


def test_object_missing_data_source_silent_when_export_has_no_data_sources(tenant: Tenant
                                                                          ) -> None:
    tenant.conn.execute("DELETE FROM data_sources")
    assert tenant.of("object-missing-data-source") == []


def test_object_missing_data_source(tenant: Tenant) -> None:
    tenant.trait(5, ds=4242)
    tenant.segment(55, "(5T)", ds=4343)
    tenant.destination(60, "DSP", "S2S")
    tenant.conn.execute("UPDATE destinations SET data_source_id = 505050")  # platform: fine
    assert keys(tenant.of("object-missing-data-source")) == {("trait", 5), ("segment", 55)}


def test_object_missing_data_source_silent_when_present(tenant: Tenant) -> None:
    tenant.trait(5, ds=WEB_DS)
    tenant.segment(55, "(5T)")
    assert tenant.of("object-missing-data-source") == []


# --- AEP ------------------------------------------------------------------------------------

def test_aep_trait_not_onboarded(tenant: Tenant) -> None:
    tenant.trait(5, ds=AEP_DS, folder=AEP_TRAIT_FOLDER, ic=UUID2,
                 trait_type="RULE_BASED_TRAIT", rule=f'segid == "{UUID2}"')
    tenant.segment(56, "(5T)", ds=AEP_DS, folder=AEP_SEGMENT_FOLDER, ic=UUID2,
                   merge_rule=EXTERNAL_RULE)
    found = tenant.of("aep-trait-not-onboarded")
    assert keys(found) == {("trait", 5)}
    assert found[0].severity == "error"


def test_aep_trait_not_onboarded_ignores_other_sources(tenant: Tenant) -> None:
    tenant.trait(5, trait_type="RULE_BASED_TRAIT")  # web trait: rule-based is normal
    assert tenant.of("aep-trait-not-onboarded") == []


@pytest.mark.parametrize("expression", [
    f'segid == "{UUID2}"', f"segID = '{UUID2}'", f"SEGID={UUID2}", f'(segid == "{UUID2}")',
    f'  segId  ==  "{UUID2}"  ',
])
def test_aep_trait_expression_accepted_forms(tenant: Tenant, expression: str) -> None:
    tenant.aep_pair(5, 56, UUID2, expression=expression)
    assert tenant.of("aep-trait-expression-mismatch") == []


@pytest.mark.parametrize("expression", [
    f'segid == "{UUID}"',  # another AEP segment's ID
    'c_product == "phone"', "", f'segid != "{UUID2}"', f'segment == "{UUID2}"',
])
def test_aep_trait_expression_mismatch(tenant: Tenant, expression: str) -> None:
    tenant.aep_pair(5, 56, UUID2, expression=expression)
    found = tenant.of("aep-trait-expression-mismatch")
    assert keys(found) == {("trait", 5)}


def test_aep_trait_without_segment(tenant: Tenant) -> None:
    tenant.trait(5, "Orphan", ds=AEP_DS, folder=AEP_TRAIT_FOLDER, ic=UUID2,
                 trait_type="ON_BOARDED_TRAIT", rule=f'segid == "{UUID2}"')
    found = tenant.of("aep-trait-without-segment")
    assert keys(found) == {("trait", 5)}
    # it is not reported twice: trait-unused leaves AEP traits to this check
    assert tenant.of("trait-unused") == []


def test_aep_trait_with_segment_is_fine(tenant: Tenant) -> None:
    tenant.aep_pair(5, 56, UUID2)
    assert tenant.of("aep-trait-without-segment") == []


def test_aep_segment_integration_code_mismatch(tenant: Tenant) -> None:
    tenant.aep_pair(5, 56, UUID2)
    tenant.segment(56, "(5T)", ds=AEP_DS, folder=AEP_SEGMENT_FOLDER, ic="other",
                   merge_rule=EXTERNAL_RULE)
    tenant.segment(57, "(5T)", ds=AEP_DS, folder=AEP_SEGMENT_FOLDER, ic="",
                   merge_rule=EXTERNAL_RULE)
    found = tenant.of("aep-segment-integration-code-mismatch")
    assert keys(found) == {("segment", 56), ("segment", 57)}
    assert UUID2 in found[0].message


def test_aep_segment_integration_code_matching_is_fine(tenant: Tenant) -> None:
    tenant.aep_pair(5, 56, UUID2)
    assert tenant.of("aep-segment-integration-code-mismatch") == []


def test_aep_segment_merge_rule(tenant: Tenant) -> None:
    tenant.aep_pair(5, 56, UUID2)
    tenant.segment(56, "(5T)", ds=AEP_DS, folder=AEP_SEGMENT_FOLDER, ic=UUID2,
                   merge_rule=DEFAULT_RULE)
    found = tenant.of("aep-segment-merge-rule")
    assert keys(found) == {("segment", 56)}


def test_aep_segment_merge_rule_options_of_auto_rule_are_fine(tenant: Tenant) -> None:
    tenant.merge_rule(7002, "Renamed AEP rule", "No Cross-Device Profile", "Device Profile")
    tenant.aep_pair(5, 56, UUID2)
    tenant.segment(56, "(5T)", ds=AEP_DS, folder=AEP_SEGMENT_FOLDER, ic=UUID2, merge_rule=7002)
    assert tenant.of("aep-segment-merge-rule") == []


def test_aep_segment_rule(tenant: Tenant) -> None:
    tenant.aep_pair(5, 56, UUID2)
    tenant.segment(56, "(5T) AND (3T)", ds=AEP_DS, folder=AEP_SEGMENT_FOLDER, ic=UUID2,
                   merge_rule=EXTERNAL_RULE)
    tenant.segment(57, "(3T)", ds=AEP_DS, folder=AEP_SEGMENT_FOLDER, ic=UUID2,
                   merge_rule=EXTERNAL_RULE)
    found = tenant.of("aep-segment-rule")
    assert keys(found) == {("segment", 56), ("segment", 57)}
    assert "not an AEP trait" in next(f for f in found if f.object_id == 57).message


def test_aep_segment_rule_single_trait_is_fine(tenant: Tenant) -> None:
    tenant.aep_pair(5, 56, UUID2)
    tenant.segment(56, " ((5T)) ", ds=AEP_DS, folder=AEP_SEGMENT_FOLDER, ic=UUID2,
                   merge_rule=EXTERNAL_RULE)
    assert tenant.of("aep-segment-rule") == []


def test_aep_object_outside_folder(tenant: Tenant) -> None:
    tenant.aep_pair(5, 56, UUID2)
    tenant.conn.execute("UPDATE traits SET folder_id = ? WHERE id = 5", (WEB_TRAIT_FOLDER,))
    tenant.conn.execute("UPDATE segments SET folder_id = 21 WHERE id = 56")
    found = tenant.of("aep-object-outside-folder")
    assert keys(found) == {("trait", 5), ("segment", 56)}


def test_aep_object_in_subfolder_of_platform_folder_is_fine(tenant: Tenant) -> None:
    tenant.trait_folder(12, "Sub", parent=AEP_TRAIT_FOLDER)
    tenant.aep_pair(5, 56, UUID2)
    tenant.conn.execute("UPDATE traits SET folder_id = 12 WHERE id = 5")
    assert tenant.of("aep-object-outside-folder") == []


# --- Target ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fields", [
    {"name": "Adobe Target profile"},
    {"name": "Onsite", "cookie_name": "aam_tnt_target_segs"},
    {"name": "Onsite", "description": "feeds the mbox parameters"},
    {"name": "Onsite", "raw": {"urlFormatString": "https://acme.tt.omtrdc.net/m2/acme"}},
])
def test_target_cookie_destination(tenant: Tenant, fields: dict) -> None:
    tenant.destination(60, dest_type="ADS", **fields)
    found = tenant.of("target-cookie-destination")
    assert keys(found) == {("destination", 60)}


def test_target_cookie_destination_not_flagged(tenant: Tenant) -> None:
    tenant.destination(60, "Ad targeting cookie", "ADS", cookie_name="acme_aam")
    tenant.destination(61, "Target feed", "PUSH")  # not a cookie destination
    assert tenant.of("target-cookie-destination") == []


def _usage(tenant: Tenant, start_day: int, days: int, value: float, month: str = "2025-01"
           ) -> None:
    for day in range(start_day, start_day + days):
        tenant.usage(f"{month}-{day:02d}", value)


def test_target_calls_real_time_without_history(tenant: Tenant) -> None:
    _usage(tenant, 1, 10, 1000.0)
    found = tenant.of("target-calls-real-time")
    assert keys(found) == {("tenant", 0)}
    assert "no data-collection event" in found[0].message
    assert "no reduction can be projected" in found[0].fix
    assert found[0].numbers["mean_daily_target_calls"] == 1000.0


def test_target_calls_real_time_projects_observed_reduction(tenant: Tenant) -> None:
    # Once Per Session on 2025-03-01 took daily calls from 1000 to 250, then back to Real-Time
    for day in range(1, 29):
        tenant.usage(f"2025-02-{day:02d}", 1000.0)
    for day in range(1, 31):
        tenant.usage(f"2025-03-{day:02d}", 250.0)
    for day in range(1, 31):
        tenant.usage(f"2025-04-{day:02d}", 2000.0)
    tenant.event("2025-03-01", "Once Per Session")
    tenant.event("2025-04-01", "Real-Time")
    found = tenant.of("target-calls-real-time")
    assert len(found) == 1
    nums = found[0].numbers
    assert nums["observed_reduction_pct"] == 75.0
    assert nums["mean_daily_target_calls"] == 2000.0
    assert nums["projected_daily_target_calls"] == 500.0
    assert "75% fewer" in found[0].fix
    assert "Real-Time" in found[0].message


def test_target_calls_once_per_session_is_fine(tenant: Tenant) -> None:
    _usage(tenant, 1, 10, 1000.0)
    tenant.event("2025-01-01", "Real-Time")
    tenant.event("2025-01-05", "Once Per Session")
    assert tenant.of("target-calls-real-time") == []


def test_target_calls_none_without_target_usage(tenant: Tenant) -> None:
    tenant.usage("2025-01-01", 500.0, series="analytics")
    tenant.usage("2025-01-01", 0.0, series="target")
    assert tenant.of("target-calls-real-time") == []


# --- integrity ------------------------------------------------------------------------------

def test_duplicate_integration_code_warning_and_error(tenant: Tenant) -> None:
    tenant.trait(5, ic="dup")
    tenant.trait(6, ic="dup ")
    tenant.data_source(200, "Strict CRM", unique_segments=True)
    tenant.segment(57, "(5T)", ds=200, ic="s1")
    tenant.segment(58, "(6T)", ds=200, ic="s1")
    found = {(f.object_kind, f.object_id): f for f in tenant.of("duplicate-integration-code")}
    assert set(found) == {("trait", 5), ("trait", 6), ("segment", 57), ("segment", 58)}
    assert found[("trait", 5)].severity == "warning"
    assert found[("segment", 57)].severity == "error"
    assert "trait 6" in found[("trait", 5)].message


def test_duplicate_integration_code_names_a_few_and_counts_the_rest(tenant: Tenant) -> None:
    for trait_id in range(100, 109):
        tenant.trait(trait_id, ic="shared")
    found = {f.object_id: f for f in tenant.of("duplicate-integration-code")}
    assert len(found) == 9
    assert "trait 101, 102, 103, 104, 105 and 3 more" in found[100].message
    assert "trait 100, 101, 102, 103, 104 and 3 more" in found[108].message


def test_duplicate_integration_code_ignores_empty_and_other_sources(tenant: Tenant) -> None:
    tenant.trait(5, ic="")
    tenant.trait(6, ic="")
    tenant.trait(7, ic="   ")
    tenant.data_source(200, "CRM")
    tenant.trait(8, ic="same", ds=200)
    tenant.trait(9, ic="same", ds=WEB_DS)
    tenant.conn.execute("UPDATE traits SET integration_code = NULL WHERE id = 3")
    # the AEP trait and segment share a code, but they are a trait and a segment
    assert tenant.of("duplicate-integration-code") == []


def test_paused_segment_mapped(tenant: Tenant) -> None:
    tenant.destination(60, "DSP", "S2S")
    tenant.segment(57, "(3T)", "Old campaign", status="INACTIVE")
    tenant.mapping(900, 60, 57)
    found = tenant.of("paused-segment-mapped")
    assert keys(found) == {("segment", 57)}
    assert "'DSP'" in found[0].message or "DSP" in found[0].message


def test_paused_segment_without_live_mapping_is_fine(tenant: Tenant) -> None:
    tenant.export_date("2025-06-01")
    tenant.destination(60, "DSP", "S2S")
    tenant.segment(57, "(3T)", status="INACTIVE")
    tenant.mapping(900, 60, 57, status="deleted")
    tenant.mapping(901, 60, 57, end="2025-01-31")
    tenant.mapping(902, 60, 4)  # active segment: fine
    assert tenant.of("paused-segment-mapped") == []


def test_mapping_expired(tenant: Tenant) -> None:
    tenant.export_date("2025-06-01")
    tenant.destination(60, "DSP", "S2S")
    tenant.mapping(900, 60, 4, end="2025-05-31")
    tenant.mapping(901, 60, 4, end="2025-06-01")  # ends on the export day: not passed yet
    tenant.mapping(902, 60, 4, end=None)
    found = tenant.of("mapping-expired")
    assert keys(found) == {("destination-mapping", 900)}
    assert "2025-05-31" in found[0].message


def test_mapping_expired_needs_export_date(tenant: Tenant) -> None:
    tenant.destination(60, "DSP", "S2S")
    tenant.mapping(900, 60, 4, end="2000-01-01")
    assert tenant.of("mapping-expired") == []


def test_trait_unused(tenant: Tenant) -> None:
    tenant.trait(5, "Lonely")
    found = tenant.of("trait-unused")
    assert keys(found) == {("trait", 5)}
    assert found[0].severity == "info"


def test_trait_used_in_frequency_or_negation_is_not_unused(tenant: Tenant) -> None:
    tenant.trait(5)
    tenant.trait(6)
    tenant.segment(57, "(3T) AND NOT (5T)")
    tenant.segment(58, "(frequency([6T] <= 7D) >= 3)")
    assert tenant.of("trait-unused") == []


# --- limits ---------------------------------------------------------------------------------

def test_folder_too_deep(tenant: Tenant) -> None:
    parent = WEB_TRAIT_FOLDER  # level 1
    for level, folder_id in enumerate(range(101, 106), start=2):  # levels 2..6
        tenant.trait_folder(folder_id, f"L{level}", parent=parent)
        parent = folder_id
    found = tenant.of("folder-too-deep")
    assert keys(found) == {("trait-folder", 105)}
    assert found[0].numbers["level"] == 6


def test_folder_at_level_five_is_fine(tenant: Tenant) -> None:
    parent = WEB_TRAIT_FOLDER
    for folder_id in range(101, 105):  # levels 2..5
        tenant.trait_folder(folder_id, "F", parent=parent)
        parent = folder_id
    assert tenant.of("folder-too-deep") == []


def test_limit_near_tenant_counts(tenant: Tenant) -> None:
    for i in range(45):  # 45 of 50 algorithmic traits = 90 %
        tenant.trait(10_000 + i, trait_type="ALGO_TRAIT", rule="")
    for i in range(100):  # 100 of 100 server-to-server destinations
        tenant.destination(20_000 + i, f"S2S {i}", "S2S")
    found = tenant.of("limit-near")
    assert keys(found) == {("tenant", 0)}
    assert found[0].severity == "error"  # one count is at the limit
    assert found[0].numbers["algo_traits"] == 45
    assert found[0].numbers["s2s_destinations"] == 100
    assert "algorithmic traits 45 of 50 (90%)" in found[0].message


def test_limit_near_traits_in_one_segment(tenant: Tenant) -> None:
    rule = " OR ".join(f"{i}T" for i in range(100_000, 104_500))  # 4,500 = 90 % of 5,000
    tenant.segment(57, rule)
    found = tenant.of("limit-near")
    assert ("segment", 57) in keys(found)
    assert next(f for f in found if f.object_id == 57).severity == "warning"


def test_limit_near_silent_below(tenant: Tenant) -> None:
    for i in range(44):
        tenant.trait(10_000 + i, trait_type="ALGO_TRAIT", rule="")
    tenant.segment(57, " OR ".join(f"{i}T" for i in range(100_000, 104_499)))
    assert tenant.of("limit-near") == []
