"""The search box: search-as-you-type over every object, results as a flat list model, and
the results panel (what matched, highlighted; "200+ results: refine" when the list was cut;
"No match for …" when nothing matched; a kind filter)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field  # SearchHit has a "field" of its own
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from explorer.kinds import KINDS, ObjectRef
from explorer.masking import TextMask
from explorer.ui.box_layout import side_by_side, stacked
from explorer.ui.icons import icon_for
from explorer.ui.item_roles import OBJECT_REF_ROLE, SORT_ROLE
from explorer.ui.item_views import redraw_all_cells

log = logging.getLogger(__name__)

DEBOUNCE_MS = 120
RESULT_LIMIT = 200
# The spans of a cell's text to highlight (the words that matched), as [(start, end), ...].
HIGHLIGHT_ROLE = Qt.ItemDataRole.UserRole + 40
# The kinds the results can be narrowed to, in the tree's order.
SEARCH_KINDS: tuple[str, ...] = ("trait", "segment", "trait-folder", "segment-folder",
                                 "data-source", "merge-rule", "destination",
                                 "destination-mapping", "algo-model", "derived-signal")

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    name: str
    trait_type: str | None = None  # traits only: picks the icon
    field: str = ""  # the label of the field that matched ("Name", "Integration code", ...)
    text: str = ""  # that field's text, shortened around the match
    spans: tuple[tuple[int, int], ...] = ()  # the matched words in ``text``
    # The indexed text of a hit not marked yet (``mark_hit`` finds field, text and spans in it)
    indexed: dict[str, str] | None = dataclass_field(default=None, compare=False, repr=False)

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef(self.kind, self.id)


class SearchResultsModel(QAbstractTableModel):
    """Flat list of hits: kind, name, id and what matched (OBJECT_REF_ROLE gives the
    ObjectRef of a row; HIGHLIGHT_ROLE the spans of the matched words in the shown text)."""

    HEADERS = ("Kind", "Name", "ID", "Matched in")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._unmarked: set[int] = set()  # rows whose hit ``hit()`` marks when first asked
        self._query = ""  # what the unmarked hits are marked with
        self._text_mask: TextMask | None = None  # workshop masking

    def set_text_mask(self, mask: TextMask | None) -> None:
        """Mask what the results display (the search itself runs on the real values)."""
        self._text_mask = mask
        redraw_all_cells(self)

    def _masked(self, text: str) -> str:
        return self._text_mask(text) if self._text_mask is not None else text

    def set_hits(self, hits: list[SearchHit], *, unmarked_query: str | None = None) -> None:
        """Show ``hits``. With ``unmarked_query`` they are not marked yet (``run_search`` with
        ``marked=False``): each is marked with that query when it is first shown or asked for,
        so a search of 200 hits marks only the rows on screen."""
        self.beginResetModel()
        self._hits = list(hits)
        self._query = unmarked_query or ""
        self._unmarked = set(range(len(self._hits))) if unmarked_query is not None else set()
        self.endResetModel()

    def hit(self, row: int) -> SearchHit:
        if row in self._unmarked:
            self._unmarked.discard(row)
            self._hits[row] = mark_hit(self._hits[row], self._query)
        return self._hits[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A view asks each painted cell for a dozen roles: the others are turned away first.
        if role not in _ROLES_ANSWERED or not index.isValid() \
                or not 0 <= index.row() < len(self._hits):
            return None
        hit = self.hit(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._masked(_display(hit, column))
        if role == HIGHLIGHT_ROLE:
            # Masked text has other lengths (and must not hint at the real one): no spans.
            return [] if self._text_mask is not None else _highlight(hit, column)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return icon_for(hit.kind, hit.trait_type)
        if role == OBJECT_REF_ROLE:
            return hit.ref
        if role == SORT_ROLE:
            return hit.id if column == 2 else _display(hit, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._masked(f"{_kind_label(hit.kind)} {hit.id}: {hit.name}"
                                + (f"\n{hit.field}: {hit.text}" if hit.field else ""))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


_ROLES_ANSWERED = frozenset(int(role) for role in (
    Qt.ItemDataRole.DisplayRole, HIGHLIGHT_ROLE, Qt.ItemDataRole.DecorationRole, OBJECT_REF_ROLE,
    SORT_ROLE, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole))


def _kind_label(kind_name: str) -> str:
    kind = KINDS.get(kind_name)
    return kind.label if kind else kind_name


def _display(hit: SearchHit, column: int) -> str:
    if column == 0:
        return _kind_label(hit.kind)
    if column == 1:
        return hit.name or "(unnamed)"
    if column == 2:
        return str(hit.id)
    if not hit.field or hit.field in ("Name", "ID"):
        return hit.field  # the Name or ID column shows the match itself
    return f"{hit.field}: {hit.text}"


def _highlight(hit: SearchHit, column: int) -> list[tuple[int, int]]:
    """The spans to highlight in the text ``_display`` shows for this column."""
    if column == 1 and hit.field == "Name" and hit.name:
        return list(hit.spans)
    if column == 2 and hit.field == "ID":
        return list(hit.spans)
    if column == 3 and hit.field not in ("", "Name", "ID"):
        shift = len(hit.field) + 2
        return [(a + shift, b + shift) for a, b in hit.spans]
    return []


def _elided(text: str, spans: list[tuple[int, int]], metrics: QFontMetrics, width: int
            ) -> tuple[str, list[tuple[int, int]]]:
    """The text cut with "…" to fit ``width`` (bold marks are wider: room is kept for them),
    and the spans that still fall inside it."""
    bold_extra = sum(end - start for start, end in spans)  # about a pixel per bold character
    if metrics.horizontalAdvance(text) + bold_extra <= width:
        return text, spans
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, width - bold_extra))
    kept = len(shown.rstrip("\u2026"))
    return shown, [(a, min(b, kept)) for a, b in spans if a < kept]


def _blend(colour: QColor, base: QColor, strength: float) -> QColor:
    """``colour`` laid over ``base`` at ``strength`` (0..1): a tint that keeps text readable."""
    return QColor(*(round(strength * a + (1 - strength) * b) for a, b in (
        (colour.red(), base.red()), (colour.green(), base.green()),
        (colour.blue(), base.blue()))))


class HighlightDelegate(QStyledItemDelegate):
    """Draws a cell's text with its HIGHLIGHT_ROLE spans marked (bold on the selection's
    colour at low strength, so it reads in every theme)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        spans = index.data(HIGHLIGHT_ROLE)
        if not spans:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        text = item.text
        item.text = ""
        style = item.widget.style() if item.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        palette = item.palette
        text_colour = palette.color(QPalette.ColorRole.HighlightedText if selected
                                    else QPalette.ColorRole.Text)
        mark = _blend(palette.color(QPalette.ColorRole.Highlight),
                      palette.color(QPalette.ColorRole.Base), 0.3)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, item.widget) \
            if style is not None else item.rect
        text, spans = _elided(text, spans, item.fontMetrics, rect.width() - 4)
        layout = QTextLayout(text, item.font)
        layout.setFormats(_mark_formats(text, spans, None if selected else mark))
        layout.beginLayout()
        line = layout.createLine()
        line.setNumColumns(len(text))  # one line, as elided: never wrapped
        layout.endLayout()
        painter.save()
        painter.setClipRect(rect.adjusted(2, 0, 0, 0))
        painter.setPen(text_colour)
        layout.draw(painter, QPointF(rect.left() + 2, rect.top()
                                     + max(0.0, (rect.height() - line.height()) / 2)))
        painter.restore()


def _mark_formats(text: str, spans: list[tuple[int, int]], background: QColor | None
                  ) -> list[QTextLayout.FormatRange]:
    """The formats that mark ``spans`` of ``text``: bold, on ``background`` (None: no
    background). Overlapping or out-of-range spans are skipped."""
    formats, last = [], 0
    for start, end in sorted(spans):
        if start < last or end > len(text):
            continue
        char_format = QTextCharFormat()
        char_format.setFontWeight(QFont.Weight.Bold)
        if background is not None:
            char_format.setBackground(background)
        mark = QTextLayout.FormatRange()
        mark.start, mark.length, mark.format = start, end - start, char_format
        formats.append(mark)
        last = end
    return formats


def run_search(conn: sqlite3.Connection, text: str, limit: int = RESULT_LIMIT, *,
               kinds: frozenset[str] | None = None, marked: bool = True) -> list[SearchHit]:
    """Hits for what the user typed; a query FTS cannot parse yields no hits, not an error.

    ``marked=False`` leaves what matched (field, text, spans) to ``mark_hit``."""
    from explorer.store import queries  # the store's search lives with the other queries

    text = text.strip()
    if not text:
        return []
    try:
        rows = queries.search(conn, text, limit, trait_types=True, kinds=kinds,
                              matches=marked, indexed=not marked)
    except (sqlite3.Error, ValueError) as exc:
        log.debug("search %r failed: %s", text, exc)
        return []
    hits = []
    for row in rows:
        values = dict(row)  # a dict or an sqlite3.Row, whichever the query returns
        hits.append(SearchHit(str(values["kind"]), int(values["id"]),
                              str(values.get("name") or ""), values.get("trait_type"),
                              str(values.get("field") or ""), str(values.get("text") or ""),
                              tuple(tuple(span) for span in values.get("spans") or ()),
                              values.get("indexed")))
    return hits


def mark_hit(hit: SearchHit, query: str) -> SearchHit:
    """``hit`` with what ``query`` matched in it (field, text, spans)."""
    from explorer.store import queries  # the store's search lives with the other queries

    match = queries.match_of_hit(hit.indexed, hit.id, hit.name, query)
    return replace(hit, field=str(match["field"]), text=str(match["text"]),
                   spans=tuple(tuple(span) for span in match["spans"]), indexed=None)


class SearchController(QObject):
    """Debounces typing and refreshes the results model.

    ``connection`` is asked for the current read connection each time, so reopening the
    workspace needs no rewiring; it may return None when no workspace is open.
    """

    resultsChanged = Signal(str, int)  # query, number of hits
    statusChanged = Signal(str)  # "12 results", "200+ results: refine", "No match for …"

    def __init__(self, connection: Callable[[], sqlite3.Connection | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connection = connection
        self.model = SearchResultsModel(self)
        self._pending = ""
        self._kinds: frozenset[str] | None = None
        self.truncated = False  # the last search had more than RESULT_LIMIT hits
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_now)

    @property
    def query(self) -> str:
        return self._pending

    @property
    def kinds(self) -> frozenset[str] | None:
        return self._kinds

    def set_query(self, text: str) -> None:
        """Remember the text and search once typing pauses."""
        self._pending = text
        if text.strip():
            self._timer.start()
        else:
            self._timer.stop()
            self.run_now()

    def set_kinds(self, kinds: frozenset[str] | None) -> None:
        """Only hits of these KIND words (None: every kind); searches again at once."""
        self._kinds = kinds
        if self._pending.strip():
            self.run_now()

    def run_now(self) -> None:
        self._timer.stop()
        conn = self._connection()
        hits = run_search(conn, self._pending, RESULT_LIMIT + 1, kinds=self._kinds,
                          marked=False) if conn is not None else []
        self.truncated = len(hits) > RESULT_LIMIT
        hits = hits[:RESULT_LIMIT]
        self.model.set_hits(hits, unmarked_query=self._pending)
        self.statusChanged.emit(self.status_text())
        self.resultsChanged.emit(self._pending, len(hits))

    def status_text(self) -> str:
        """What the results panel says above the results."""
        query = " ".join(self._pending.split())
        if not query:
            return "Type to search names, IDs, integration codes, descriptions and rules."
        count = self.model.rowCount()
        where = "" if self._kinds is None else " among " + ", ".join(
            KINDS[k].plural_label.lower() for k in sorted(self._kinds) if k in KINDS)
        if count == 0:
            return f"No match for \u201c{query}\u201d{where}."
        if self.truncated:
            return f"{RESULT_LIMIT}+ results: refine the search (more words, or a kind)."
        return f"{count:,} result{'s' if count != 1 else ''}{where}"

    def is_pending(self) -> bool:
        return self._timer.isActive()


class SearchResultsPanel(QWidget):
    """The results dock's content: a status line ("No match for …", "200+ results: refine"),
    a kind filter and the results, the matched words highlighted."""

    def __init__(self, controller: SearchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchResults")
        self.controller = controller
        self.status_label = QLabel(controller.status_text())
        self.status_label.setObjectName("searchStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("searchKind")
        self.kind_combo.setToolTip("Search only objects of one kind")
        self.kind_combo.addItem("All kinds", None)
        for kind in SEARCH_KINDS:
            self.kind_combo.addItem(KINDS[kind].plural_label, kind)
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.view = QTreeView()
        self.view.setObjectName("searchResultsView")
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setModel(controller.model)
        self.view.setItemDelegate(HighlightDelegate(self.view))
        self._size_columns()
        status_row = side_by_side(None, (self.status_label, 1), self.kind_combo,
                                  margins=(4, 2, 4, 2))
        stacked(self, status_row, (self.view, 1), margins=(0, 0, 0, 0), spacing=2)
        controller.statusChanged.connect(self.status_label.setText)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)

    def _size_columns(self) -> None:
        # Fixed widths from the font: ResizeToContents re-measured every row on each
        # keystroke (p95 40 ms per keystroke on a big tenant, against a 20 ms goal).
        header = self.view.header()
        header.setStretchLastSection(True)
        metrics = self.view.fontMetrics()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, metrics.horizontalAdvance("Destination mapping") + 40)
        header.resizeSection(1, metrics.horizontalAdvance("M" * 24))
        header.resizeSection(2, metrics.horizontalAdvance("00000000000") + 16)

    def _kind_changed(self, _index: int) -> None:
        kind = self.kind_combo.currentData()
        self.controller.set_kinds(None if kind is None else frozenset({kind}))


class SearchBox(QLineEdit):
    """The toolbar's search field: Esc clears; Enter, Up and Down are forwarded as signals."""

    cleared = Signal()
    accepted = Signal()
    moveSelection = Signal(int)  # -1 up, +1 down

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Search names, IDs, codes, rules…  (Ctrl+K)")
        self.setClearButtonEnabled(True)
        self.setObjectName("searchBox")
        self.returnPressed.connect(self.accepted)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.clear()
            self.cleared.emit()
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.moveSelection.emit(1 if key == Qt.Key.Key_Down else -1)
            return
        super().keyPressEvent(event)
