"""The snapshot as PDF: Qt lays the page out (QTextDocument on the PDF writer) and we print it
page by page, then add what Qt's writer cannot write (bookmarks, the document's language) with
pypdf.

Imports Qt, so the report's other modules only import it when a PDF is asked for. The page is
the snapshot's ``qt`` flavour (markup and CSS Qt's rich-text engine renders); the raw export
fields, folded away in the browser page, are left out of the PDF to keep it readable.

How the pages are made, since Qt honours no ``page-break-inside: avoid``:
- Qt never splits a line of text, so a one-line table row never splits either;
- every object card and finding group is a one-cell table: when one would cross a page end
  and fits on a page, it gets "page break before" and moves to the next page whole;
- the contents' page numbers and the bookmarks come from where each anchor's block lies after
  the layout; the page is laid out twice (the second time with the numbers filled in, which
  changes no line's height);
- each page's footer (drawn by us) reads "title · Page N of M".
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from explorer.report.atomic import atomic_path
from explorer.report.errors import ReportWriteError, os_reason
from explorer.report.qt.chart_png import ensure_app, svg_to_png
from explorer.report.snapshot import Snapshot, render_html

_RAW_FIELDS_RE = re.compile(r'<details class="raw-fields">.*?</details>', re.DOTALL)
_DATA_IMAGE_RE = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
_TAG_RE = re.compile(r"(<[^>]*>)")
# Qt's line breaker costs the square of an unbroken run's length: a zero-width space every
# so many characters lets it wrap (and keeps the cost linear).
_UNBROKEN_RE = re.compile(r"[^\s\u200b]{60,}")
_BREAK_EVERY = 40
# The lineage drawings are inline SVG, which Qt's rich-text engine does not draw: images.
_LINEAGE_SVG_RE = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" class="lineage" '
                             r'width="(\d+)".*?</svg>', re.DOTALL)
_PDF_IMAGE_WIDTH = 640
_RESOLUTION_DPI = 300
_MARGINS_MM = (16.0, 15.0, 18.0, 15.0)  # top, right, bottom, left
# Anchors of blocks kept whole on one page (cards: kind-id; finding groups: check-...).
_KEEP_TOGETHER_RE = re.compile(r"^(?!row-)(?:[a-z]+(?:-[a-z]+)*-\d+|check-.+)$")
# Anchors that become bookmarks, with their outline level.
_CHAPTERS = {"summary": "Executive summary", "contents": "Contents", "findings": "Findings",
             "lineage": "Lineage", "target-calls": "Target calls", "changes": "Changes",
             "notes": "Consultant notes", "objects": "Objects"}
LANGUAGE = "en"


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 1-based
    level: int  # 0: chapter, 1: object kind


def pdf_html(snapshot: Snapshot, pages: dict[str, int] | None = None) -> str:
    """The HTML the PDF is printed from (the ``qt`` flavour, without the raw fields, long
    unbroken values made breakable)."""
    html = _RAW_FIELDS_RE.sub("", render_html(snapshot, flavour="qt", pages=pages))
    return breakable(_lineage_images(html))


def _lineage_images(html: str) -> str:
    def image(match: re.Match[str]) -> str:
        width = min(_PDF_IMAGE_WIDTH, int(match.group(1)))
        return f'<img src="data:image/png;base64,{_png_of(match.group(0))}" width="{width}" ' \
               'alt="Lineage">'

    return _LINEAGE_SVG_RE.sub(image, html)


@lru_cache(maxsize=64)
def _png_of(svg: str) -> str:
    """A drawing as base64 PNG (cached: the page is laid out more than once)."""
    return base64.b64encode(svg_to_png(svg, 2.0)).decode("ascii")


def breakable(html: str) -> str:
    """``html`` with a zero-width space every few characters of a long unbroken run of text
    (tags, attributes and the stylesheet untouched)."""
    parts = _TAG_RE.split(html)
    in_style = False
    for n, part in enumerate(parts):
        if n % 2:
            lowered = part.lower()
            in_style = lowered.startswith("<style") or (in_style
                                                        and not lowered.startswith("</style"))
            continue
        if not in_style and len(part) >= 60:
            parts[n] = _UNBROKEN_RE.sub(_with_breaks, part)
    return "".join(parts)


def _with_breaks(match: re.Match[str]) -> str:
    run = match.group(0)
    if "&" in run:  # keep entities (&amp;) whole: break only between them
        pieces = re.split(r"(&[#\w]+;)", run)
        return "".join(p if p.startswith("&") else _with_breaks_plain(p) for p in pieces)
    return _with_breaks_plain(run)


def _with_breaks_plain(run: str) -> str:
    return "\u200b".join(run[i:i + _BREAK_EVERY] for i in range(0, len(run), _BREAK_EVERY))


def write_pdf(snapshot: Snapshot, out: str | Path, *, title: str | None = None) -> Path:
    """Print the snapshot to an A4 PDF at ``out`` (written atomically); returns the path."""
    ensure_app()
    target = Path(out)
    _check_writable(target)
    title = title or snapshot.title
    with atomic_path(target) as temp:
        bookmarks = _print(snapshot, temp, title)
        if not temp.exists() or temp.stat().st_size == 0:
            raise ReportWriteError(target, "the PDF writer could not create the file")
        add_outline(temp, bookmarks, title=title, language=LANGUAGE)
    return target


def _writer(path: Path, title: str) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("AAM Config Explorer")
    writer.setResolution(_RESOLUTION_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                                     QPageLayout.Unit.Millimeter))
    return writer


def _print(snapshot: Snapshot, path: Path, title: str) -> list[Bookmark]:
    writer = _writer(path, title)
    dots_per_mm = _RESOLUTION_DPI / 25.4
    top, right, bottom, left = (m * dots_per_mm for m in _MARGINS_MM)
    body = QRectF(left, top, writer.width() - left - right, writer.height() - top - bottom)
    pages: dict[str, int] = {}
    document = _laid_out(pdf_html(snapshot), writer, body)
    for _attempt in range(2):  # the numbers change no height: the second layout confirms
        pages = _anchor_pages(document, body.height())
        document = _laid_out(pdf_html(snapshot, pages), writer, body)
        if _anchor_pages(document, body.height()) == pages:
            break
    pages = _anchor_pages(document, body.height())
    _paint(document, writer, body, title)
    return _bookmarks(snapshot, pages)


def _laid_out(html: str, writer: QPdfWriter, body: QRectF) -> QTextDocument:
    document = _document(html)
    layout = document.documentLayout()
    layout.setPaintDevice(writer)
    document.setPageSize(QSizeF(body.width(), body.height()))
    root = document.rootFrame()
    frame_format = root.frameFormat()
    frame_format.setMargin(0)
    root.setFrameFormat(frame_format)
    _keep_together(document, body.height())
    return document


def _keep_together(document: QTextDocument, page_height: float) -> None:
    """Move each card or finding group that would cross a page end to the next page (when
    it fits on one page); in document order, since each move shifts what follows."""
    layout = document.documentLayout()
    kept = _kept_whole_frames(document)
    for frame in document.rootFrame().childFrames():
        if frame.firstPosition() not in kept:
            continue
        document.pageCount()  # Qt lays large documents out lazily: finish it first
        rect = layout.frameBoundingRect(frame)
        if rect.height() > page_height:  # taller than a page: it must split anyway
            continue
        first_page = int(rect.top() // page_height)
        last_page = int((rect.bottom() - 1) // page_height)
        if first_page != last_page:
            frame_format = frame.frameFormat()
            frame_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            frame.setFrameFormat(frame_format)


def _kept_whole_frames(document: QTextDocument) -> set[int]:
    """The first positions of the top-level tables holding a card's or a finding group's
    anchor (wherever in the table it stands)."""
    root = document.rootFrame()
    kept: set[int] = set()
    for block, names in _anchored_blocks(document):
        if any(_KEEP_TOGETHER_RE.match(name) for name in names):
            frame = QTextCursor(block).currentFrame()
            while frame is not None and frame.parentFrame() not in (None, root):
                frame = frame.parentFrame()
            if frame is not None and frame != root:
                kept.add(frame.firstPosition())
    return kept


def _anchored_blocks(document: QTextDocument) -> Iterator[tuple[QTextBlock, list[str]]]:
    """Each text fragment's block with the anchor names the fragment carries, in document
    order (fragments without a name left out)."""
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            names = iterator.fragment().charFormat().anchorNames()
            if names:
                yield block, names
            iterator += 1
        block = block.next()


def _anchor_pages(document: QTextDocument, page_height: float) -> dict[str, int]:
    """The page (1-based) each named anchor lies on."""
    layout = document.documentLayout()
    document.pageCount()  # finishes the (lazy) layout
    pages: dict[str, int] = {}
    for block, names in _anchored_blocks(document):
        # in document coordinates; the first line's own offset counts, since Qt moves a line
        # that does not fit down to the next page
        lines = block.layout()
        top = layout.blockBoundingRect(block).top() + (
            lines.lineAt(0).y() if lines.lineCount() else 0.0)
        for name in names:
            # the last block wins: Qt also gives a section's id to the block before the
            # section's heading, which holds the same name in an <a name>
            pages[name] = int(top // page_height) + 1
    return pages


def _paint(document: QTextDocument, writer: QPdfWriter, body: QRectF, title: str) -> None:
    painter = QPainter(writer)
    try:
        count = document.pageCount()
        footer_font = QFont(document.defaultFont())
        footer_font.setPointSizeF(7.5)
        layout = document.documentLayout()
        for index in range(count):
            if index:
                writer.newPage()
            painter.save()
            painter.translate(body.left(), body.top() - index * body.height())
            view = QRectF(0, index * body.height(), body.width(), body.height())
            painter.setClipRect(view)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = view
            context.palette.setColor(QPalette.ColorRole.Text, QColor("#1F2328"))
            layout.draw(painter, context)
            painter.restore()
            _footer(painter, footer_font, body, writer, title, index + 1, count)
    finally:
        painter.end()


def _footer(painter: QPainter, font: QFont, body: QRectF, writer: QPdfWriter, title: str,
            page: int, count: int) -> None:
    painter.save()
    painter.setFont(font)
    painter.setPen(QColor("#656D76"))
    y = body.bottom() + (writer.height() - body.bottom()) * 0.45
    painter.setPen(QColor("#C9D1D9"))
    painter.drawLine(QPointF(body.left(), y - font.pointSizeF() * 4),
                     QPointF(body.right(), y - font.pointSizeF() * 4))
    painter.setPen(QColor("#656D76"))
    metrics = painter.fontMetrics()
    number = f"Page {page} of {count}"
    room = body.width() - metrics.horizontalAdvance(number) - metrics.horizontalAdvance("  ·  ")
    shown_title = metrics.elidedText(title, Qt.TextElideMode.ElideRight, int(room))
    painter.drawText(QPointF(body.left(), y + metrics.ascent()), shown_title)
    painter.drawText(QPointF(body.right() - metrics.horizontalAdvance(number),
                             y + metrics.ascent()), number)
    painter.restore()


def _bookmarks(snapshot: Snapshot, pages: dict[str, int]) -> list[Bookmark]:
    marks = []
    for anchor, label in _CHAPTERS.items():
        if anchor in pages:
            marks.append(Bookmark(label, pages[anchor], 0))
        if anchor == "objects":
            marks += [Bookmark(f"{g.title} ({g.count():,})", pages[g.anchor], 1)
                      for g in snapshot.groups if g.anchor in pages]
    marks.sort(key=lambda b: b.page)
    return marks


def add_outline(path: Path, bookmarks: list[Bookmark], *, title: str, language: str) -> None:
    """Rewrite the PDF at ``path`` with ``bookmarks`` as its outline (level 1 nested under the
    chapter before it), its title and its language; the outline opens in the viewer."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    reader = PdfReader(path)
    writer = PdfWriter(clone_from=reader)
    parent = None
    for mark in bookmarks:
        page = min(max(mark.page, 1), len(writer.pages)) - 1
        if mark.level == 0 or parent is None:
            parent = writer.add_outline_item(title=mark.title, page_number=page)
        else:
            writer.add_outline_item(title=mark.title, page_number=page, parent=parent)
    writer.add_metadata({"/Title": title, "/Creator": "AAM Config Explorer"})
    writer._root_object[NameObject("/Lang")] = TextStringObject(language)
    writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")
    with open(path, "wb") as handle:
        writer.write(handle)


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
