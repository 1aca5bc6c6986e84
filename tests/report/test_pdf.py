"""The snapshot as PDF (Qt's PDF writer) and its chart PNG, drawn offscreen."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from explorer.analysis.trends import ChartData, EventMark, day_x
from explorer.report.qt.chart_png import render_target_chart
from explorer.report.qt.pdf import pdf_html, write_pdf
from explorer.report.snapshot import build_snapshot
from tests.helpers.snapshot_workspaces import SAMPLE_TENANT, demo_workspace, import_workspace

_PAGE_RE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _pages(pdf: bytes) -> int:
    return len(_PAGE_RE.findall(pdf))


def test_demo_pdf_has_pages_and_the_chart(tmp_path: Path) -> None:
    with demo_workspace(tmp_path / "d.aamws") as ws:
        report = build_snapshot(ws.conn, title="Northwind review",
                                scope=None, max_objects=40, chart_renderer=render_target_chart)
    out = write_pdf(report, tmp_path / "snapshot.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert _pages(data) >= 5
    assert b"/Subtype /Image" in data or b"/Subtype/Image" in data  # the Target chart
    if shutil.which("pdftotext"):  # poppler: check the words, not just the bytes
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                              check=True, timeout=60).stdout
        assert "Northwind review" in text and "Target calls" in text
        assert "Calls per month" in text


def test_pdf_html_leaves_out_raw_fields_and_keeps_the_content(tmp_path: Path) -> None:
    with import_workspace(SAMPLE_TENANT, tmp_path / "s.aamws") as ws:
        report = build_snapshot(ws.conn, chart_renderer=None)
    html = pdf_html(report)
    assert "raw-fields" not in html
    assert "Viewed Phones" in html and "Consultant" not in html.split("<body>")[0]
    out = write_pdf(report, tmp_path / "sample.pdf")
    assert out.read_bytes().startswith(b"%PDF") and _pages(out.read_bytes()) >= 3


def test_chart_png_is_drawn_offscreen_at_the_asked_size() -> None:
    chart = ChartData(series={"target": [(f"2025-{m:02d}-{d:02d}", 1000.0 * m + d)
                                         for m in range(1, 13) for d in range(1, 29)]},
                      events=[EventMark(1, "2025-06-01", day_x("2025-06-01"), "Once Per Session",
                                        "−50 %", 6000.0, 3000.0)],
                      y_label="Target calls per day")
    png = render_target_chart(chart, width=800, height=300, scale=1.0)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    from PySide6.QtGui import QImage

    image = QImage.fromData(png, "PNG")
    assert (image.width(), image.height()) == (800, 300)
    colours = {image.pixelColor(x, y).name() for x in range(0, 800, 7) for y in range(0, 300, 7)}
    assert len(colours) > 10  # lines, labels and grid, not a blank image
