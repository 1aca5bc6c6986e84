"""The findings store API: refresh without a transaction, listing, filters, acceptances."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.analysis.findings import (
    CHECKS,
    accept_finding,
    count_by_check,
    count_findings,
    finding_counts,
    findings_for,
    list_findings,
    page_findings,
    refresh_findings,
    unaccept_finding,
)
from explorer.store.db import transaction
from tests.helpers.findings_tenant import Tenant


@pytest.fixture
def tenant(tmp_path: Path) -> Iterator[Tenant]:
    t = Tenant(tmp_path / "api.aamws").base()
    t.trait(5, "Lonely")  # trait-unused (info)
    t.segment(50, "(3T) OR (777T)", "Broken")  # segment-missing-trait (warning)
    t.conn.execute("UPDATE traits SET trait_type = 'ALGO_TRAIT' WHERE id = 1")  # error
    yield t
    t.close()


def test_refresh_runs_inside_the_callers_transaction(tenant: Tenant) -> None:
    tenant.conn.execute("BEGIN IMMEDIATE")
    count = refresh_findings(tenant.conn)
    assert count == 3
    assert tenant.conn.in_transaction  # it neither committed nor began anything itself
    tenant.conn.execute("ROLLBACK")
    assert tenant.conn.execute("SELECT count(*) FROM findings").fetchone()[0] == 0


def test_refresh_replaces_rows_and_stores_detail(tenant: Tenant) -> None:
    with transaction(tenant.conn):
        refresh_findings(tenant.conn)
        refresh_findings(tenant.conn)
    rows = tenant.conn.execute(
        "SELECT check_id, severity, object_kind, object_id, detail FROM findings "
        "ORDER BY check_id").fetchall()
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("aep-trait-not-onboarded", "error", "trait", 1),
        ("segment-missing-trait", "warning", "segment", 50),
        ("trait-unused", "info", "trait", 5),
    ]
    detail = json.loads(rows[1][4])
    assert set(detail) >= {"explanation", "fix", "doc", "missing_trait_ids"}
    assert detail["missing_trait_ids"] == [777]


def test_refresh_with_explicit_export_date(tenant: Tenant) -> None:
    tenant.destination(60, "DSP", "S2S")
    tenant.mapping(900, 60, 4, end="2024-12-31")
    with transaction(tenant.conn):
        refresh_findings(tenant.conn, export_date="2025-01-15")
    assert [f.object_id for f in list_findings(tenant.conn, check="mapping-expired")] == [900]


def test_list_orders_and_filters(tenant: Tenant) -> None:
    found = tenant.findings()
    assert [f.severity for f in found] == ["error", "warning", "info"]
    assert [f.check for f in list_findings(tenant.conn, severity="warning")] == [
        "segment-missing-trait"]
    assert len(list_findings(tenant.conn, severity=["error", "info"])) == 2
    assert [f.object_id for f in list_findings(tenant.conn, check="trait-unused")] == [5]
    assert found[0].title == "AEP-sharing trait that is not onboarded"
    assert found[0].ref.kind == "trait" and found[0].ref.id == 1


def test_accept_and_unaccept(tenant: Tenant) -> None:
    tenant.findings()
    accept_finding(tenant.conn, "trait-unused", "trait", 5, "  kept for reporting ")
    accepted = list_findings(tenant.conn, check="trait-unused")
    assert accepted[0].accepted and accepted[0].accepted_reason == "kept for reporting"
    assert list_findings(tenant.conn, check="trait-unused", include_accepted=False) == []
    assert count_findings(tenant.conn) == {"error": 1, "warning": 1, "info": 0}
    assert count_findings(tenant.conn, include_accepted=True)["info"] == 1
    accept_finding(tenant.conn, "trait-unused", "trait", 5, "new reason")  # replaces
    assert list_findings(tenant.conn, check="trait-unused")[0].accepted_reason == "new reason"
    # acceptances survive a refresh (they are user data)
    tenant.findings()
    assert list_findings(tenant.conn, check="trait-unused")[0].accepted
    assert unaccept_finding(tenant.conn, "trait-unused", "trait", 5) is True
    assert unaccept_finding(tenant.conn, "trait-unused", "trait", 5) is False
    assert not list_findings(tenant.conn, check="trait-unused")[0].accepted


def test_accept_inside_a_transaction_does_not_nest(tenant: Tenant) -> None:
    with transaction(tenant.conn):
        accept_finding(tenant.conn, "trait-unused", "trait", 5, "r")
    assert tenant.conn.execute("SELECT count(*) FROM finding_acceptances").fetchone()[0] == 1


def test_accept_validates_check_and_kind(tenant: Tenant) -> None:
    with pytest.raises(ValueError, match="unknown check"):
        accept_finding(tenant.conn, "no-such-check", "trait", 5, "r")
    with pytest.raises(ValueError, match="unknown object kind"):
        accept_finding(tenant.conn, "trait-unused", "widget", 5, "r")


def test_findings_for_one_object(tenant: Tenant) -> None:
    tenant.conn.execute("UPDATE traits SET folder_id = 4040 WHERE id = 5")
    tenant.findings()
    checks = [f.check for f in findings_for(tenant.conn, "trait", 5)]
    assert checks == ["object-missing-folder", "trait-unused"]
    assert findings_for(tenant.conn, "trait", 3) == []


def test_a_failing_check_is_skipped_not_fatal(tenant: Tenant, monkeypatch, caplog) -> None:
    from explorer.analysis.findings import base

    def broken(conn, ctx):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setitem(base.RUNNERS, "trait-unused", broken)
    found = tenant.findings()
    assert "trait-unused" not in {f.check for f in found}
    assert len(found) == 2
    assert "trait-unused" in caplog.text


# --- counts and pages (the findings panel) -----------------------------------------------------
@pytest.fixture
def many(tenant: Tenant) -> Tenant:
    """The tenant plus 40 unused traits (ids 100-139), two of them accepted."""
    for trait_id in range(100, 140):
        tenant.trait(trait_id)
    tenant.findings()
    accept_finding(tenant.conn, "trait-unused", "trait", 110, "kept")
    accept_finding(tenant.conn, "trait-unused", "trait", 5, "kept")
    return tenant


def test_counts_per_check_leave_accepted_apart(many: Tenant) -> None:
    assert count_by_check(many.conn) == {
        "aep-trait-not-onboarded": {"error": 1},
        "segment-missing-trait": {"warning": 1},
        "trait-unused": {"info": 39},
    }
    assert count_by_check(many.conn, include_accepted=True)["trait-unused"] == {"info": 41}
    assert count_by_check(many.conn, severity={"error", "warning"}) == {
        "aep-trait-not-onboarded": {"error": 1}, "segment-missing-trait": {"warning": 1}}
    counts = finding_counts(many.conn)
    assert counts.accepted == {("trait-unused", "info"): 2}
    assert counts.by_severity() == count_findings(many.conn) == {
        "error": 1, "warning": 1, "info": 39}
    assert counts.by_severity(accepted=True) == {"error": 0, "warning": 0, "info": 2}
    in_check_order = ["segment-missing-trait", "aep-trait-not-onboarded", "trait-unused"]
    assert counts.checks() == list(count_by_check(many.conn)) == in_check_order


def test_pages_follow_list_order(many: Tenant) -> None:
    every = list_findings(many.conn, include_accepted=False)
    pages = [page_findings(many.conn, None, accepted=False, offset=offset, limit=7)
             for offset in range(0, 49, 7)]
    assert [f for page in pages for f in page] == every
    unused = [f for f in every if f.check == "trait-unused"]
    page = page_findings(many.conn, "trait-unused", accepted=False, offset=10, limit=5,
                         severity="info")
    assert page == unused[10:15]
    assert page[0].explanation and page[0].fix and page[0].doc
    accepted = page_findings(many.conn, "trait-unused", accepted=True, offset=0, limit=10)
    assert [(f.object_id, f.accepted, f.accepted_reason) for f in accepted] == [
        (5, True, "kept"), (110, True, "kept")]
    assert page_findings(many.conn, ["trait-unused", "segment-missing-trait"], accepted=False,
                         offset=0, limit=2, severity=["warning", "info"]) == [
        f for f in every if f.check in ("trait-unused", "segment-missing-trait")][:2]


# --- compact rows (a check that flags most of a tenant) ------------------------------------------
def test_unused_traits_are_stored_compact_and_read_with_the_same_text(tenant: Tenant) -> None:
    from explorer.analysis.findings.base import label
    from explorer.store.queries import object_details

    tenant.trait(6, "O'Neil's list")
    tenant.trait(7)
    tenant.conn.execute("UPDATE traits SET name = '' WHERE id = 7")
    found = {f.object_id: f for f in tenant.of("trait-unused")}
    stored = tenant.conn.execute(
        "SELECT object_id, message, detail FROM finding_rows WHERE check_id = 'trait-unused' "
        "ORDER BY object_id").fetchall()
    assert [tuple(r) for r in stored] == [(5, None, "{}"), (6, None, "{}"), (7, None, "{}")]
    names = {5: "Lonely", 6: "O'Neil's list", 7: ""}
    for trait_id, name in names.items():
        assert found[trait_id].message == f"Trait {label(name, trait_id)} is used by no segment"
    assert found[6].message == "Trait 'O'Neil's list' (6) is used by no segment"
    assert found[7].message == "Trait (7) is used by no segment"
    spec = CHECKS["trait-unused"]
    assert (found[5].explanation, found[5].fix, found[5].doc) == (
        spec.explanation, spec.fix, spec.doc)
    # readers of the findings view (the inspector's details) get the full detail too
    details = object_details(tenant.conn, "trait", 5)
    assert details is not None
    detail = details["findings"][0]["detail"]
    assert detail["explanation"] == spec.explanation and detail["fix"] == spec.fix


def test_other_checks_keep_their_message_and_inserts_through_the_view_work(tenant: Tenant
                                                                           ) -> None:
    tenant.findings()
    row = tenant.conn.execute("SELECT message FROM finding_rows "
                              "WHERE check_id = 'segment-missing-trait'").fetchone()
    assert row[0] == "Segment 'Broken' (50) references trait(s) 777T not in the export"
    tenant.conn.execute("INSERT INTO findings (check_id, severity, object_kind, object_id, "
                        "message) VALUES ('limit-near', 'warning', 'tenant', 0, 'by hand')")
    assert [f.message for f in list_findings(tenant.conn, check="limit-near")] == ["by hand"]
    tenant.conn.execute("DELETE FROM findings WHERE check_id = 'limit-near'")
    assert list_findings(tenant.conn, check="limit-near") == []


def test_the_findings_doc_lists_every_check_with_what_it_needs() -> None:
    from tests.helpers.paths import REPO_ROOT

    doc = (REPO_ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    for check_id, spec in CHECKS.items():
        row = next((line for line in doc.splitlines() if line.startswith(f"| `{check_id}` |")),
                   None)
        assert row is not None, f"{check_id} missing from docs/findings.md"
        assert row.rstrip().endswith(f"| {', '.join(sorted(p.value for p in spec.needs))} |")
