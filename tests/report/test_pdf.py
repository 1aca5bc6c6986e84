"""The snapshot as PDF (Qt's PDF writer) and its chart PNG, drawn offscreen."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

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
    assert "Viewed Beach Holidays" in html and "Consultant" not in html.split("<body>")[0]
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


# -- print quality: the demo tenant's whole-tenant PDF ------------------------------------------

NOTE = "Check this tier with the CRM team before the renewal"


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, list[str]]:
    from explorer.store.annotations import set_annotation
    from explorer.store.db import transaction

    folder = tmp_path_factory.mktemp("demo-pdf")
    with demo_workspace(folder / "d.aamws") as ws:
        with transaction(ws.conn):
            set_annotation(ws.conn, "segment", 1200054, note=NOTE, status="to fix")
        report = build_snapshot(ws.conn, title="Northwind review",
                                chart_renderer=render_target_chart)
    path = write_pdf(report, folder / "demo.pdf")
    return path, report, _texts(path)


def _texts(path: Path) -> list[str]:
    """Each page's text with all white space removed (extractors space words differently)."""
    from pypdf import PdfReader

    return [re.sub(r"\s", "", unicodedata.normalize("NFKC", page.extract_text() or ""))
            for page in PdfReader(path).pages]


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def test_demo_pdf_is_at_most_40_pages_each_with_its_number(demo_pdf) -> None:
    _path, _report, texts = demo_pdf
    assert 10 <= len(texts) <= 40
    for number, text in enumerate(texts, start=1):
        assert text.endswith(f"Page{number}of{len(texts)}"), (number, text[-40:])
    assert "Executivesummary" in texts[0] and "Topfindings" in texts[0]
    assert "Contents" not in texts[0]  # the summary has its page; the contents follows
    # the whole executive summary fits the first page: its last part is there too
    assert "Notesmarked" in texts[0] and _squash(NOTE) in texts[0]


def test_demo_pdf_has_an_outline_a_title_and_a_language(demo_pdf) -> None:
    from pypdf import PdfReader

    path, report, texts = demo_pdf
    reader = PdfReader(path)
    assert reader.metadata.title == "Northwind review"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    outline = reader.outline
    chapters = [item for item in outline if not isinstance(item, list)]
    titles = [c.title for c in chapters]
    assert titles[:3] == ["Executive summary", "Contents", "Findings"]
    assert "Objects" in titles and "Consultant notes" in titles
    kinds = next(item for item in outline if isinstance(item, list))
    assert [k.title for k in kinds] == [f"{g.title} ({g.count():,})" for g in report.groups]
    for item in chapters[2:] + kinds:
        page = reader.get_destination_page_number(item)
        heading = _squash(item.title.split(" (")[0])
        assert heading in texts[page], (item.title, page)


def test_contents_page_numbers_agree_with_the_outline(demo_pdf) -> None:
    from pypdf import PdfReader

    path, _report, texts = demo_pdf
    reader = PdfReader(path)
    findings = next(i for i in reader.outline if not isinstance(i, list)
                    and i.title == "Findings")
    contents = texts[1]
    number = reader.get_destination_page_number(findings) + 1
    assert re.search(rf"Findings\(\d+\){number}(?!\d)", contents), contents[:400]


def test_a_folders_contents_page_is_where_its_row_stands(demo_pdf) -> None:
    _path, _report, texts = demo_pdf
    number = int(re.search(r"Footwear\(12\)(\d+)", texts[1] + texts[2]).group(1))
    assert "Apparel/Footwear(12" in texts[number - 1]


def test_a_note_and_its_object_share_a_page(demo_pdf) -> None:
    _path, _report, texts = demo_pdf
    pages = [t for t in texts if _squash(NOTE) in t]
    assert len(pages) >= 2  # the summary's "to fix" list and the card
    card_pages = [t for t in pages if "Consultantnote" in t]
    assert card_pages and all("GoldPlatinumMembers" in t.replace("&", "") for t in card_pages)


def test_long_unbroken_values_become_breakable_in_the_pdf(tmp_path: Path) -> None:
    import time

    from explorer.report.qt.pdf import breakable
    from explorer.store.db import transaction

    assert breakable("<p>" + "x" * 100 + "</p>").count("\u200b") == 2
    assert breakable('<img src="data:' + "A" * 200 + '">') == '<img src="data:' + "A" * 200 \
        + '">'  # attributes are never touched
    with import_workspace(SAMPLE_TENANT, tmp_path / "s.aamws") as ws:
        with transaction(ws.conn):
            ws.conn.execute("UPDATE traits SET name = ?, description = ? WHERE id = 3100001",
                            ("Q" * 300_000, "W" * 300_000))
            ws.conn.execute("INSERT INTO annotations(kind, object_id, note, tags, status, "
                            "created, updated) VALUES ('trait', 3100001, ?, '[]', 'open', "
                            "'2026-01-01', '2026-01-01')", ("E" * 300_000,))
        started = time.monotonic()
        report = build_snapshot(ws.conn, chart_renderer=None)
        html = pdf_html(report)
        write_pdf(report, tmp_path / "long.pdf")
        elapsed = time.monotonic() - started
    text = re.sub(r"<[^>]*>", " ", html.split("</style>", 1)[1])
    assert not re.search(r"[^\s\u200b]{61,}", text)
    assert elapsed < 60  # generous for shared cores; it was minutes before the cut
