"""The snapshot's Lineage chapter: inline SVG for picked objects and flow findings, an image
in the PDF, nothing loaded or run from outside the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explorer.analysis.findings import refresh_findings
from explorer.kinds import ObjectRef
from explorer.masking import Masker, MaskRules
from explorer.report.qt.pdf import pdf_html
from explorer.report.snapshot import build_snapshot, render_html
from explorer.report.snapshot.lineage import MAX_FINDING_DRAWINGS
from explorer.store.db import transaction
from tests.helpers.lineage_tenant import build_lineage_tenant
from tests.helpers.snapshot_workspaces import scan, self_containment_problems

_FIGURE_RE = re.compile(r'<figure class="lineage" id="lineage-([a-z-]+)-(\d+)">(.*?)</figure>',
                        re.DOTALL)


@pytest.fixture
def tenant(tmp_path: Path):
    t = build_lineage_tenant(tmp_path / "t.aamws", bulk=False)
    with transaction(t.conn):
        refresh_findings(t.conn)
    yield t
    t.close()


def _figures(html: str) -> dict[tuple[str, int], str]:
    return {(m.group(1), int(m.group(2))): m.group(3) for m in _FIGURE_RE.finditer(html)}


def test_a_picked_segment_shows_its_lineage_as_inline_svg(tenant) -> None:
    html = render_html(build_snapshot(tenant.conn, scope=[ObjectRef("segment", 30)],
                                      chart_renderer=None))
    figures = _figures(html)
    assert ("segment", 30) in figures
    figure = figures[("segment", 30)]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="lineage"' in figure
    for text in ("Paused campaign", "Old DSP", "Next DSP", "Social", "Adobe Target",
                 "ended", "scheduled", "paused"):
        assert text in figure
    assert 'href="#segment-30"' in figure  # links to the object's card
    assert '<a href="#lineage">Lineage</a>' in html
    assert "<script" not in html.lower()
    assert self_containment_problems(html) == []


def test_objects_with_a_flow_finding_are_drawn_in_the_whole_tenant_snapshot(tenant) -> None:
    for n in range(MAX_FINDING_DRAWINGS + 2):
        tenant.trait(700 + n, f"Unused {n}")  # trait-unused (info) for each
    with transaction(tenant.conn):
        refresh_findings(tenant.conn)
    snapshot = build_snapshot(tenant.conn, chart_renderer=None)
    assert snapshot.lineage is not None
    drawn = {(d.kind, d.id): d.reason for d in snapshot.lineage.drawings}
    # Most severe first: the paused mapped segment (warning), with its expired mapping's
    # finding (about mapping 501) drawn in the same picture; then unused traits up to the cap.
    assert drawn[("segment", 30)] == "finding: paused-segment-mapped, mapping-expired"
    assert len(drawn) == MAX_FINDING_DRAWINGS
    assert sum(kind == "trait" for kind, _id in drawn) == MAX_FINDING_DRAWINGS - 1
    assert snapshot.lineage.left_out == MAX_FINDING_DRAWINGS + 2 - (MAX_FINDING_DRAWINGS - 1)
    html = render_html(snapshot)
    assert "more objects have a finding about their flow" in html


def test_the_pdf_gets_images_instead_of_svg(tenant) -> None:
    snapshot = build_snapshot(tenant.conn, scope=[ObjectRef("segment", 30)],
                              chart_renderer=None)
    html = pdf_html(snapshot)
    section = html[html.index('id="lineage"'):]
    assert "<svg" not in html
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]{200,}" width="\d+" '
                     r'alt="Lineage">', section)


def test_masked_names_stay_out_of_the_drawing(tenant) -> None:
    mask = Masker(MaskRules(True, ("Paused campaign", "Old DSP")))
    html = render_html(build_snapshot(tenant.conn, scope=[ObjectRef("segment", 30)],
                                      chart_renderer=None, mask=mask))
    figure = _figures(html)[("segment", 30)]
    assert "Paused campaign" not in figure and "Old DSP" not in figure
    assert "Term 1" in figure and "Term 2" in figure


def test_a_name_with_markup_is_escaped_in_the_svg(tenant) -> None:
    tenant.segment(31, "10T", '<script>alert("x")</script> & co')
    tenant.conn.commit()
    html = render_html(build_snapshot(tenant.conn, scope=[ObjectRef("segment", 31)],
                                      chart_renderer=None))
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in _figures(html)[("segment", 31)]
    assert "script" not in scan(html).tags
