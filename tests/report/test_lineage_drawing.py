"""The lineage drawing: layout without overlaps, states apart in every palette, safe SVG."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from explorer.analysis.lineage import build_lineage
from explorer.report.lineage_drawing import (
    _CHAR_WIDTH,
    KIND_SIZE,
    NODE_HEIGHT,
    NODE_WIDTH,
    NOTE_SIZE,
    PALETTES,
    STATE_STYLES,
    layout_lineage,
    render_svg,
)
from tests.helpers.lineage_tenant import build_lineage_tenant


@pytest.fixture
def tenant(tmp_path: Path):
    t = build_lineage_tenant(tmp_path / "t.aamws", bulk=False)
    yield t
    t.close()


@pytest.mark.parametrize(("kind", "object_id"), [("segment", 30), ("trait", 10),
                                                 ("destination", 42), ("segment", 24)])
def test_boxes_never_overlap_and_header_labels_fit(tenant, kind, object_id) -> None:
    layout = layout_lineage(build_lineage(tenant.conn, kind, object_id))
    for a, b in combinations(layout.boxes.values(), 2):
        apart_x = a.x + NODE_WIDTH <= b.x or b.x + NODE_WIDTH <= a.x
        apart_y = a.y + NODE_HEIGHT <= b.y or b.y + NODE_HEIGHT <= a.y
        assert apart_x or apart_y, (a.node.key, b.node.key)
    for line in layout.lines:
        if not line.label:
            continue
        for box in layout.boxes.values():
            if line.label_at == (box.right - 8, box.y + 16):  # in this node's header
                used = (len(box.lines[0]) * KIND_SIZE + len(line.label) * NOTE_SIZE * 1.1) \
                    * _CHAR_WIDTH
                assert used < NODE_WIDTH - 24, (box.node.key, line.label)
    # Columns follow the flow: every edge goes left to right.
    assert all(line.start[0] < line.end[0] for line in layout.lines)


def test_every_state_differs_in_dash_and_colour_in_every_palette() -> None:
    dashes = [style[1] for style in STATE_STYLES.values()]
    assert len(set(dashes)) == len(dashes)
    for palette in PALETTES.values():
        colours = [palette.states[style[0]] for style in STATE_STYLES.values()]
        assert len(set(colours)) == len(colours)
        assert palette.background not in colours


def test_the_svg_escapes_names_and_control_characters(tenant) -> None:
    tenant.segment(31, "10T", '<b>"B"</b> & a\nb\x07')
    svg = render_svg(build_lineage(tenant.conn, "segment", 31), "dark", title="t & <t>")
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "a⏎b\\x07" in svg
    assert "<title>t &amp; &lt;t&gt;</title>" in svg
    assert "<script" not in svg and "href" not in svg and "url(" not in svg
