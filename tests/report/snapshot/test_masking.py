"""Deep and long values: masking walks without recursion, long texts are cut with a marker,
and the report of a hostile export is still written (in linear time)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from explorer.masking import DEPTH_MARKER, MAX_DEPTH
from explorer.masking import mask_values as mask_value
from explorer.report.snapshot import build_snapshot, render_html
from explorer.report.snapshot.text import MAX_TEXT, clip_text
from explorer.store.db import transaction
from tests.helpers.snapshot_workspaces import SAMPLE_TENANT, import_workspace


def _nested(depth: int) -> dict[str, object]:
    value: dict[str, object] = {"leaf": "Northwind"}
    for _ in range(depth):
        value = {"deeper": value}
    return value


def test_mask_value_survives_900_levels_and_marks_the_cut() -> None:
    masked = mask_value({"unknownField": _nested(900), "status": "ACTIVE"}, str.upper)
    assert masked["status"] == "ACTIVE"  # vocabulary untouched
    level = masked["unknownField"]
    depth = 1
    while isinstance(level, dict):
        level = level["deeper"]
        depth += 1
    assert level == DEPTH_MARKER and depth == MAX_DEPTH  # the root counts as level 0


def test_mask_value_masks_every_string_as_before() -> None:
    value = {"name": "Northwind", "pid": 5150, "tags": ["a", ("b", 3)], "status": "ACTIVE",
             "nested": {"note": "x"}}
    assert mask_value(value, lambda t: f"<{t}>") == {
        "name": "<Northwind>", "pid": "<5150>", "tags": ["<a>", ["<b>", 3]],
        "status": "ACTIVE", "nested": {"note": "<x>"}}


def test_clip_text_cuts_with_a_visible_marker() -> None:
    assert clip_text("short") == "short"
    cut = clip_text("x" * (MAX_TEXT + 1234))
    assert cut.startswith("x" * MAX_TEXT) and cut.endswith("[cut: 1,234 more characters]")


def test_snapshot_of_a_deep_raw_value_and_a_300k_name(tmp_path: Path) -> None:
    long_name = "N" * 300_000
    with import_workspace(SAMPLE_TENANT, tmp_path / "s.aamws") as ws:
        raw = json.loads(ws.conn.execute("SELECT raw FROM traits WHERE id = 3100001"
                                         ).fetchone()[0])
        raw["vendorExtra"] = _nested(900)
        with transaction(ws.conn):
            ws.conn.execute("UPDATE traits SET raw = ?, name = ? WHERE id = 3100001",
                            (json.dumps(raw), long_name))
            ws.conn.execute("INSERT INTO annotations(kind, object_id, note, tags, status, "
                            "created, updated) VALUES ('trait', 3100001, 'n', '[]', 'open', "
                            "'2026-01-01', '2026-01-01')")
        started = time.monotonic()
        report = build_snapshot(ws.conn, chart_renderer=None)
        html = render_html(report)
        elapsed = time.monotonic() - started
    assert DEPTH_MARKER in html
    assert long_name not in html
    assert "[cut: 298,000 more characters]" in html
    assert elapsed < 30  # generous: linear work, a second or two on 2 shared cores
