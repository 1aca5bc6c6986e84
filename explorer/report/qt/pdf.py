"""The snapshot as PDF, with Qt's own PDF writer (QTextDocument printed to QPdfWriter).

Imports Qt, so the report's other modules only import it when a PDF is asked for. The page is
the snapshot's ``qt`` flavour (markup and CSS Qt's rich-text engine renders); the raw export
fields, folded away in the browser page, are left out of the PDF to keep it readable.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QUrl
from PySide6.QtGui import (
    QImage,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)

from explorer.report.errors import ReportWriteError, os_reason
from explorer.report.qt.chart_png import ensure_app, svg_to_png
from explorer.report.snapshot import Snapshot, render_html

_RAW_FIELDS_RE = re.compile(r'<details class="raw-fields">.*?</details>', re.DOTALL)
_DATA_IMAGE_RE = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
# The lineage drawings are inline SVG, which Qt's rich-text engine does not draw: images.
_LINEAGE_SVG_RE = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" class="lineage" '
                             r'width="(\d+)".*?</svg>', re.DOTALL)
_PDF_IMAGE_WIDTH = 640
_RESOLUTION_DPI = 300
# QTextDocument.print_ adds 2 cm margins of its own (and the page numbers in the bottom one).
_MARGINS_MM = QMarginsF(0, 0, 0, 0)


def pdf_html(snapshot: Snapshot) -> str:
    """The HTML the PDF is printed from (the ``qt`` flavour, without the raw fields)."""
    return _lineage_images(_RAW_FIELDS_RE.sub("", render_html(snapshot, flavour="qt")))


def _lineage_images(html: str) -> str:
    def image(match: re.Match[str]) -> str:
        width = min(_PDF_IMAGE_WIDTH, int(match.group(1)))
        data = base64.b64encode(svg_to_png(match.group(0), 2.0)).decode("ascii")
        return f'<img src="data:image/png;base64,{data}" width="{width}" alt="Lineage">'

    return _LINEAGE_SVG_RE.sub(image, html)


def write_pdf(snapshot: Snapshot, out: str | Path, *, title: str | None = None) -> Path:
    """Print the snapshot to an A4 PDF at ``out``; returns the path."""
    ensure_app()
    target = Path(out)
    _check_writable(target)
    document = _document(pdf_html(snapshot))
    writer = QPdfWriter(str(target))
    writer.setTitle(title or snapshot.title)
    writer.setCreator("AAM Config Explorer")
    writer.setResolution(_RESOLUTION_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, _MARGINS_MM,
                                     QPageLayout.Unit.Millimeter))
    # No page size on the document: print_ then lays it out on the writer's printable area
    # and numbers the pages.
    document.print_(writer)
    if not target.exists() or target.stat().st_size == 0:
        raise ReportWriteError(target, "the PDF writer could not create the file")
    return target


def _check_writable(target: Path) -> None:
    """Qt's PDF writer fails silently: find out first whether ``target`` can be written."""
    if target.is_dir():
        raise ReportWriteError(target, "it is a folder")
    if not target.parent.is_dir():
        raise ReportWriteError(target, f"no such folder {target.parent}")
    existed = target.exists()
    try:
        with open(target, "ab"):
            pass
    except OSError as exc:
        raise ReportWriteError(target, os_reason(exc)) from None
    if not existed:
        target.unlink(missing_ok=True)


def _document(html: str) -> QTextDocument:
    """A QTextDocument of ``html`` whose data: images are registered as resources (Qt's
    rich-text engine does not decode data URLs itself)."""
    document = QTextDocument()
    document.setDocumentMargin(0)
    counter = 0

    def register(match: re.Match[str]) -> str:
        nonlocal counter
        counter += 1
        name = f"snapshot-image-{counter}.png"
        image = QImage.fromData(QByteArray(base64.b64decode(match.group(1))))
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        return f'src="{name}"'

    document.setHtml(_DATA_IMAGE_RE.sub(register, html))
    return document
