"""`aam-explorer findings`: JSON and table output, filters, accept/unaccept, exit codes."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main
from tests.helpers.findings_tenant import Tenant


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
    assert by_check["merge-rules-not-exported"]["object_kind"] == "tenant"
    assert by_check["merge-rules-not-exported"]["object_id"] == 0
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


def test_accept_tenant_finding_and_refresh_keeps_it(ws_path: Path) -> None:
    run(str(ws_path), "--accept", "merge-rules-not-exported:tenant:0", "--reason", "entered later")
    code, out = run(str(ws_path), "--json", "--refresh")
    assert code == 0
    assert "merge-rules-not-exported" not in {r["check"] for r in json.loads(out)}


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
    assert out.splitlines()[-1] == "1 error, 1 warning, 2 info"
    code, out = run(str(ws_path), "--severity", "info")
    assert out.splitlines()[-1] == "0 errors, 0 warnings, 2 info"
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
    conn.execute("UPDATE findings SET message = ? WHERE check_id = 'trait-unused'",
                 ("Trait 'Bell\x07 \x1b]0;x\x07\x1b[2J' is used by no segment",))
    conn.commit()
    conn.close()
    code, out = run(str(ws_path), "--check", "trait-unused", "-v")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert out.splitlines()[0].endswith(
        "Trait 'Bell\\x07 \\x1b]0;x\\x07\\x1b[2J' is used by no segment")
