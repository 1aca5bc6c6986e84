"""`aam-explorer findings`: JSON and table output, filters, accept/unaccept, exit codes."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main
from explorer.domain.gaps import ExportPart, Gap
from tests.helpers.findings_tenant import Tenant
from tests.helpers.paths import DEMO_DIR


@pytest.fixture
def ws_path(tmp_path: Path) -> Iterator[Path]:
    """A workspace with a trait-unused (info), a missing trait (warning), a bad AEP trait."""
    tenant = Tenant(tmp_path / "cli.aamws").base()
    tenant.trait(5, "Lonely")
    tenant.segment(50, "(3T) OR (777T)", "Broken")
    tenant.conn.execute("UPDATE traits SET trait_type = 'RULE_BASED_TRAIT' WHERE id = 1")
    tenant.conn.execute("DELETE FROM merge_rules")
    tenant.findings()
    tenant.close()
    yield tmp_path / "cli.aamws"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["findings", *args])
    return result.exit_code, result.output


def test_json_lists_findings_with_the_documented_keys(ws_path: Path) -> None:
    code, out = run(str(ws_path), "--json")
    assert code == 0
    rows = json.loads(out)
    assert {tuple(sorted(r)) for r in rows} == {
        ("check", "message", "object_id", "object_kind", "severity")}
    by_check = {r["check"]: r for r in rows}
    assert by_check["trait-unused"]["object_id"] == 5
    assert by_check["segment-missing-trait"]["object_kind"] == "segment"
    assert by_check["aep-trait-not-onboarded"]["severity"] == "error"
    assert "merge-rules-not-exported" not in by_check  # a gap of the import, not a finding
    assert rows[0]["severity"] == "error"  # most severe first


def test_filters_by_severity_and_check(ws_path: Path) -> None:
    _, out = run(str(ws_path), "--json", "--severity", "info")
    assert {r["severity"] for r in json.loads(out)} == {"info"}
    _, out = run(str(ws_path), "--json", "--check", "trait-unused")
    assert [(r["check"], r["object_id"]) for r in json.loads(out)] == [("trait-unused", 5)]
    code, _ = run(str(ws_path), "--check", "no-such-check")
    assert code == 2


def test_table_output(ws_path: Path) -> None:
    code, out = run(str(ws_path))
    assert code == 0
    assert "trait-unused" in out and "trait:5" in out and "'Lonely'" in out
    assert "1 error" in out


def test_accept_hides_finding_until_include_accepted(ws_path: Path) -> None:
    code, out = run(str(ws_path), "--accept", "trait-unused:trait:5",
                    "--reason", "kept for reports")
    assert code == 0 and "accepted" in out
    _, out = run(str(ws_path), "--json", "--check", "trait-unused")
    assert json.loads(out) == []
    _, out = run(str(ws_path), "--json", "--check", "trait-unused", "--include-accepted")
    rows = json.loads(out)
    assert rows[0]["accepted"] is True and rows[0]["accepted_reason"] == "kept for reports"
    _, out = run(str(ws_path), "--check", "trait-unused", "--include-accepted")
    assert "[accepted: kept for reports]" in out
    code, out = run(str(ws_path), "--unaccept", "trait-unused:trait:5")
    assert code == 0 and "un-accepted" in out
    _, out = run(str(ws_path), "--json", "--check", "trait-unused")
    assert len(json.loads(out)) == 1


def test_accept_tenant_finding_and_refresh_keeps_it(tmp_path: Path) -> None:
    tenant = Tenant(tmp_path / "calls.aamws").base()
    tenant.usage("2025-05-01", 5000.0)
    tenant.findings()
    tenant.close()
    path = str(tmp_path / "calls.aamws")
    _, out = run(path, "--json", "--check", "target-calls-real-time")
    assert [(r["object_kind"], r["object_id"]) for r in json.loads(out)] == [("tenant", 0)]
    run(path, "--accept", "target-calls-real-time:tenant:0", "--reason", "switch planned")
    code, out = run(path, "--json", "--refresh")
    assert code == 0
    assert "target-calls-real-time" not in {r["check"] for r in json.loads(out)}


def _tenant_without_details(path: Path, *, gap: bool) -> Path:
    """An export saved without includeDetails: AEP traits and segments without rules or
    integration codes, and two web traits whose (absent) codes cannot be compared."""
    tenant = Tenant(path).base()
    tenant.trait(5, "Web A", ic="web_a")
    tenant.trait(6, "Web B", ic="web_a")  # a real duplicate, were the codes there
    tenant.segment(50, "(5T) OR (6T)", "Web", folder=5050)  # a folder the export lacks
    tenant.conn.execute("UPDATE traits SET rule = NULL, integration_code = NULL, ttl = NULL "
                        "WHERE data_source_id = 900")
    tenant.conn.execute("UPDATE segments SET integration_code = NULL WHERE data_source_id = 900")
    if gap:
        tenant.gaps(Gap(ExportPart.DETAILS, "traits.json, segments.json: exported without "
                                            "details (no rules, integration codes or TTL)",
                        kinds=("trait", "segment")))
    tenant.findings()
    tenant.close()
    return path


DETAIL_CHECKS = {"aep-trait-expression-mismatch", "aep-segment-integration-code-mismatch"}


def test_an_export_without_details_reports_no_finding_it_cannot_support(tmp_path: Path) -> None:
    # without the gap recorded (unknown) every check runs, as before gaps existed
    _, out = run(str(_tenant_without_details(tmp_path / "unknown.aamws", gap=False)), "--json")
    found = {(r["check"], r["object_kind"]) for r in json.loads(out)}
    assert {c for c, _ in found} >= DETAIL_CHECKS | {"duplicate-integration-code"}
    path = str(_tenant_without_details(tmp_path / "gap.aamws", gap=True))
    code, out = run(path, "--json")
    assert code == 0
    rows = json.loads(out)
    assert {tuple(sorted(r)) for r in rows} == {
        ("check", "message", "object_id", "object_kind", "severity")}
    checks = {r["check"] for r in rows}
    assert checks == {"object-missing-folder"}  # what the export does support still runs
    assert ("duplicate-integration-code", "trait") not in {
        (r["check"], r["object_kind"]) for r in rows}
    _, text = run(path)
    reason = "traits.json, segments.json: exported without details (no rules, integration " \
             "codes or TTL)"
    assert f"not checked: AEP trait expression is not segID = its integration code — {reason}" \
        in text
    assert f"not checked: Integration code shared within a data source — {reason}" in text
    assert "error" not in text.split("not checked:")[0].replace("0 error", "")


def test_not_checked_lines_follow_the_check_filter(tmp_path: Path) -> None:
    path = str(_tenant_without_details(tmp_path / "gap.aamws", gap=True))
    _, out = run(path, "--check", "limit-near")
    assert "not checked" not in out
    _, out = run(path, "--check", "trait-unused")
    assert out.count("not checked:") == 1 and "Trait used by no segment" in out


@pytest.mark.parametrize("key", ["trait-unused:trait", "nope:trait:5", "trait-unused:thing:5",
                                 "trait-unused:trait:x"])
def test_bad_accept_keys_are_usage_errors(ws_path: Path, key: str) -> None:
    code, out = run(str(ws_path), "--accept", key, "--reason", "r")
    assert code == 2
    assert "CHECK:KIND:ID" in out or "unknown" in out


def test_accept_needs_a_reason(ws_path: Path) -> None:
    code, out = run(str(ws_path), "--accept", "trait-unused:trait:5")
    assert code == 2 and "--reason" in out


def test_missing_workspace_is_an_error(tmp_path: Path) -> None:
    code, out = run(str(tmp_path / "none.aamws"))
    assert code == 1 and "no such workspace" in out


def test_empty_workspace_has_no_findings(tmp_path: Path) -> None:
    Tenant(tmp_path / "empty.aamws").close()
    code, out = run(str(tmp_path / "empty.aamws"))
    assert code == 0 and "No findings." in out


def test_plural_counts_and_verbose_why_fix_and_documentation(ws_path: Path) -> None:
    code, out = run(str(ws_path))
    assert code == 0
    assert out.splitlines()[-1] == "1 error, 1 warning, 1 info"
    code, out = run(str(ws_path), "--severity", "info")
    assert out.splitlines()[-1] == "0 errors, 0 warnings, 1 info"
    code, out = run(str(ws_path), "--verbose", "--check", "trait-unused")
    assert code == 0
    assert out.splitlines() == [
        "info     trait-unused  trait:5                      Trait 'Lonely' (5) is used by no "
        "segment",
        "         Why: No segment rule in the export refers to this trait. Unused traits still "
        "count toward the 100,000-trait limit and clutter the trait storage.",
        "         Fix: Archive or delete the trait if nobody needs it for reporting or a future "
        "segment.",
        "         See: https://experienceleague.adobe.com/docs/audience-manager/user-guide/"
        "features/administration/usage-limits.html",
        "",
        "0 errors, 0 warnings, 1 info",
    ]


def test_messages_with_terminal_controls_come_out_visible(ws_path: Path) -> None:
    conn = sqlite3.connect(ws_path)
    conn.execute("UPDATE finding_rows SET message = ? WHERE check_id = 'trait-unused'",
                 ("Trait 'Bell\x07 \x1b]0;x\x07\x1b[2J' is used by no segment",))
    conn.commit()
    conn.close()
    code, out = run(str(ws_path), "--check", "trait-unused", "-v")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert out.splitlines()[0].endswith(
        "Trait 'Bell\\x07 \\x1b]0;x\\x07\\x1b[2J' is used by no segment")


def test_help_states_what_each_check_needs() -> None:
    code, out = run("--help")
    assert code == 0
    assert "\ntrait-unused: details, pages\n" in out.replace("  ", "")
    assert "mapping-missing-object: mappings, pages" in out
    assert "merge-rules-not-exported" not in out


def test_demo_exported_without_details_end_to_end(tmp_path: Path) -> None:
    """The demo tenant saved without includeDetails=true: the importer records the gap and the
    checks that need details report nothing, while the complete export reports them."""
    full_ws, bare_ws = tmp_path / "full.aamws", tmp_path / "bare.aamws"
    bare = tmp_path / "bare"
    shutil.copytree(DEMO_DIR / "export", bare)
    for path in [*bare.glob("traits*.json"), bare / "segments.json"]:
        data = json.loads(path.read_text(encoding="utf-8"))
        records = data["list"] if isinstance(data, dict) else data
        for record in records:
            for field in ("traitRule", "segmentRule", "integrationCode", "ttl"):
                record.pop(field, None)
        path.write_text(json.dumps(data), encoding="utf-8")
    assert CliRunner().invoke(main, ["import", str(DEMO_DIR / "export"), "--workspace",
                                     str(full_ws)]).exit_code == 0
    assert CliRunner().invoke(main, ["import", str(bare), "--workspace",
                                     str(bare_ws)]).exit_code == 0
    gated = {"aep-trait-expression-mismatch", "aep-segment-integration-code-mismatch"}
    full = json.loads(run(str(full_ws), "--json")[1])
    assert gated <= {r["check"] for r in full}
    assert ("duplicate-integration-code", "trait") in {(r["check"], r["object_kind"])
                                                       for r in full}
    rows = json.loads(run(str(bare_ws), "--json")[1])
    assert not gated & {r["check"] for r in rows}
    assert ("duplicate-integration-code", "trait") not in {(r["check"], r["object_kind"])
                                                           for r in rows}
    info = json.loads(CliRunner().invoke(main, ["info", str(bare_ws), "--json"]).stdout)
    blocked = {c for gap in info["gaps"] for c in gap["checks"]}
    assert gated | {"duplicate-integration-code"} <= blocked
