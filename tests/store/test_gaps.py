"""Gaps stored with an import: round trip, and 'unknown' for imports made before gaps."""

from __future__ import annotations

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
