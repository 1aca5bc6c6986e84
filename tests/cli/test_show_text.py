"""`show` as text on a tenant built for it: every section, lists cut at LIST_ROWS, notes,
accepted findings, mapping states, and names that try to drive the terminal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.analysis.findings import accept_finding
from explorer.cli import main
from explorer.cli.show_text import LIST_ROWS
from explorer.store.annotations import set_annotation
from explorer.store.db import transaction
from tests.helpers.findings_tenant import Tenant

EVIL = "Evil\x07\x1b]0;x\x07\x1b[2J"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    tenant = Tenant(tmp_path / "t.aamws").base()
    for n in range(LIST_ROWS + 5):
        tenant.segment(100 + n, "(3T)", f"Uses three {n}")
    tenant.trait(5, EVIL)
    tenant.trait(7, "Two\nlines")
    tenant.trait(8, "Bell\x07")
    tenant.trait(9)
    tenant.segment(80, "(frequency([7T] <= 7D) >= 2) AND (8T OR 9T)", "Nested")
    tenant.destination(60, "Pixel", raw={"devicePlatform": "BROWSER"})
    tenant.mapping(70, 60, 4, end="2025-01-01")
    tenant.mapping(71, 60, 100)
    tenant.export_date("2026-01-01")
    tenant.findings()
    with transaction(tenant.conn) as conn:
        accept_finding(conn, "trait-unused", "trait", 5, "kept for reports")
        set_annotation(conn, "trait", 5, note="Check TTL\nwith the client", tags=["audit"],
                       status="to fix")
    tenant.close()
    return tmp_path / "t.aamws"


def show(ws: Path, *target: str) -> list[str]:
    result = CliRunner().invoke(main, ["show", str(ws), *target])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_a_trait_with_a_note_an_accepted_finding_and_a_hostile_name(ws: Path) -> None:
    assert show(ws, "trait", "5") == [
        "Trait 5: Evil\\x07\\x1b]0;x\\x07\\x1b[2J",
        "",
        "  ID:          5",
        "  Type:        Rule-based",
        "  Status:      ACTIVE",
        "  Data source: Acme Web (100)",
        "  Folder:      Web",
        "",
        "Trait expression",
        '  c_x == "1"',
        '  In plain words: Qualifies when: customer-defined key c_x equals "1"',
        "",
        "Segments using this trait (0)",
        "  none",
        "",
        "Findings (1)",
        "  [info] Trait 'Evil\\x07\\x1b]0;x\\x07\\x1b[2J' (5) is used by no segment "
        "(accepted: kept for reports)",
        "",
        "Annotation",
        "  Status: to fix",
        "  Tags:   audit",
        "  Note:   Check TTL⏎with the client",
    ]


def test_long_lists_stop_at_list_rows_and_say_how_many_more(ws: Path) -> None:
    lines = show(ws, "trait", "3")
    start = lines.index("Segments using this trait (26)")
    table = lines[start + 1:]
    assert table[0] == "  ID   Name           Status"  # no "Used as": every cell is empty
    assert table[1] == "  4    Segment 4      ACTIVE"
    assert len(table) == 1 + LIST_ROWS + 1
    assert table[-1] == "  … and 6 more"


def test_a_destination_shows_settings_and_each_mapping_s_state(ws: Path) -> None:
    assert show(ws, "destination", "60") == [
        "Destination 60: Pixel",
        "",
        "  ID:   60",
        "  Type: URL",
        "",
        "Settings",
        "  Platform: BROWSER",
        "",
        "Mappings (2)",
        "  Segment             Start       End         State",
        "  Segment 4 (4)       2022-01-01  2025-01-01  ended",
        "  Uses three 0 (100)  2022-01-01  never       active",
    ]
    assert show(ws, "70") == [
        "Destination mapping 70",
        "",
        "  ID: 70",
        "",
        "Mapping",
        "  Segment:     Segment 4 (4)",
        "  Destination: Pixel (60)",
        "  Start:       2022-01-01",
        "  End:         2025-01-01",
        "  State:       ended",
        "",
        "Findings (1)",
        "  [info] Mapping 70 of segment 'Segment 4' (4) to destination 'Pixel' (60) ended on "
        "2025-01-01 (export of 2026-01-01)",
    ]


def test_a_nested_rule_reads_one_line_per_group_and_names_cannot_break_lines(ws: Path) -> None:
    lines = show(ws, "segment", "80")
    start = lines.index("Segment rule")
    assert lines[start:start + 12] == [
        "Segment rule",
        "  (frequency([7T] <= 7D) >= 2) AND (8T OR 9T)",
        "  In plain words:",
        "    Qualifies when: the visitor",
        "      has at least 2 qualifications of 'Two⏎lines' (7) within the last 7 days",
        "      AND (has trait 'Bell\\x07' (8) OR has trait 'Trait 9' (9))",
        "",
        "  Trait ID  Name       Status  Expires after  30-day uniques  Used as",
        "  7         Two⏎lines  ACTIVE  —              —               recency/frequency",
        "  8         Bell\\x07   ACTIVE  —              —",
        "  9         Trait 9    ACTIVE  —              —",
        "",
    ]


def test_adobe_owned_data_sources_are_named_not_missing(ws: Path) -> None:
    conn = sqlite3.connect(ws)
    conn.execute("UPDATE traits SET data_source_id = 20914 WHERE id = 9")
    conn.execute("INSERT INTO destinations (id, name, destination_type, data_source_id, raw) "
                 "VALUES (61, 'Partner S2S', 'S2S', 555, '{}')")
    conn.execute("UPDATE traits SET data_source_id = 777 WHERE id = 3")
    conn.commit()
    conn.close()
    assert "  Data source: Google Advertising ID (GAID) (20914), Adobe-owned, not in this " \
        "export" in show(ws, "trait", "9")
    assert "  Data source: Data source 555 (555), Adobe-owned, not in this export" in show(
        ws, "destination", "61")
    assert "  Data source: 777 (not in this export)" in show(ws, "trait", "3")
