"""Gaps stored with an import: round trip, and 'unknown' for imports made before gaps."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from explorer.domain.gaps import ExportPart, Gap
from explorer.store.gaps import missing_parts, read_gaps, write_gaps
from explorer.store.workspace import Workspace


def _add_import(ws: Workspace, partner_id: int | None) -> int:
    cur = ws.conn.execute(
        "INSERT INTO imports (started_at, finished_at, source, partner_id) VALUES (?, ?, ?, ?)",
        ("2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "export", partner_id))
    ws.conn.commit()
    return int(cur.lastrowid or 0)


def test_gaps_round_trip_and_unknown(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "w.aamws", create=True) as ws:
        assert read_gaps(ws.conn) is None
        first = _add_import(ws, 1234)
        assert read_gaps(ws.conn) is None  # recorded before gaps: unknown, not "complete"
        gap = Gap(ExportPart.DETAILS, "traits.json: 12 traits without details", ("trait",),
                  ("traits.json",))
        write_gaps(ws.conn, first, [gap])
        assert read_gaps(ws.conn) == [gap]
        assert missing_parts(ws.conn) == frozenset({ExportPart.DETAILS})
        _add_import(ws, None)  # a usage-only import does not hide the configuration's gaps
        assert read_gaps(ws.conn) == [gap]
        second = _add_import(ws, 1234)
        write_gaps(ws.conn, second, [])
        assert read_gaps(ws.conn) == []
        assert missing_parts(ws.conn) == frozenset()


def test_gaps_of_a_workspace_from_before_gaps_opened_without_migrating() -> None:
    """A read-only open (a snapshot bundle) does not migrate: no ``gaps`` column means the
    gaps are unknown, for the snapshot, the overview, ``info`` and the findings alike."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE imports (id INTEGER PRIMARY KEY, partner_id INTEGER)")
    conn.execute("INSERT INTO imports (partner_id) VALUES (1234)")
    assert read_gaps(conn) is None
    assert missing_parts(conn) is None
