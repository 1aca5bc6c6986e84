"""Icons for object kinds and trait types, drawn with QPainter (no image files needed).

Each icon is a coloured shape with a letter, plus optional badges: AEP sharing (top left, a
neutral grey tag: sharing is a fact, not a fault), the worst finding (bottom right: a red
disc for an error, an amber triangle for a warning, a blue square for info, so shape alone
tells them apart), an annotation (top right) and a change since the previous import (bottom
left). Icons are cached per combination.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QIcon,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
)

from explorer.store.lists import type_label

SIZE = 32

# Trait types as AAM writes them -> (UI label, letter, colour)
TRAIT_TYPES: dict[str, tuple[str, str, str]] = {
    "RULE_BASED_TRAIT": ("Rule-based", "R", "#2f6fd6"),
    "ON_BOARDED_TRAIT": ("Onboarded", "O", "#2e9d5b"),
    "ALGO_TRAIT": ("Algorithmic", "A", "#8a4fd1"),
}
_UNKNOWN_TRAIT = ("Unknown type", "?", "#808080")

_KIND_STYLE: dict[str, tuple[str, str]] = {  # kind -> (letter, colour)
    "segment": ("S", "#d9822b"),
    "data-source": ("D", "#3a8fa3"),
    "merge-rule": ("M", "#6b6bb0"),
    # Teal, not red: red is for errors, and a destination is not one.
    "destination": ("→", "#2a7f8f"),
    "destination-mapping": ("↦", "#2a7f8f"),
    "algo-model": ("α", "#8a4fd1"),
    "derived-signal": ("≈", "#7a7a3a"),
}


def trait_type_label(trait_type: str | None) -> str:
    """UI label of a trait type (Rule-based / Onboarded / Algorithmic / the raw value)."""
    return type_label(trait_type) or _UNKNOWN_TRAIT[0]


# The three levels a findings badge shows; other severity words map onto them.
SEVERITY_BADGES: dict[str, str] = {"error": "error", "high": "error", "warning": "warning",
                                   "medium": "warning", "info": "info", "low": "info"}
# Fills of the badges: the Okabe-Ito hues, dark enough that the white glyph reads 4.5:1.
BADGE_COLOURS: dict[str, str] = {"error": "#B3261E", "warning": "#E69F00", "info": "#005A9C"}
AEP_MARK_COLOUR = "#5B6470"


def badge_level(findings: bool | str | None) -> str | None:
    """The badge a findings mark draws: the severity word's level; ``True`` (some finding,
    severity unknown) draws a warning; False/None/"" none."""
    if findings is True:
        return "warning"
    if not findings:
        return None
    return SEVERITY_BADGES.get(str(findings).lower(), "info")


def icon_for(kind: str, subtype: str | None = None, *, aep: bool = False,
             findings: bool | str | None = False, annotation: bool = False,
             changed: bool = False) -> QIcon:
    """The icon of an object or node. ``kind`` is a KIND word or "group"/"folder"/"more"/
    "missing-folder"; ``subtype`` the trait type for traits; ``findings`` the worst open
    finding's severity ("error", "warning", "info"), or True when only its existence is
    known."""
    subtype = subtype if kind == "trait" and subtype in TRAIT_TYPES else None
    if QGuiApplication.instance() is None:  # QPixmap needs a GUI application; Qt would abort
        return QIcon()
    return _cached_icon(kind, subtype, aep, badge_level(findings), annotation, changed)


@cache
def _cached_icon(kind: str, subtype: str | None, aep: bool, findings: str | None,
                 annotation: bool, changed: bool = False) -> QIcon:
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    try:
        _draw_base(painter, kind, subtype)
        if aep:
            _draw_aep_badge(painter)
        if findings:
            _draw_findings_badge(painter, findings)
        if annotation:
            _draw_annotation_badge(painter)
        if changed:
            _draw_changed_badge(painter)
    finally:
        painter.end()
    return QIcon(pixmap)


def _draw_base(painter: QPainter, kind: str, subtype: str | None) -> None:
    if kind in ("folder", "trait-folder", "segment-folder", "missing-folder"):
        _draw_folder(painter, dashed=kind == "missing-folder")
    elif kind == "group":
        _draw_group(painter)
    elif kind == "more":
        _draw_more(painter)
    elif kind == "trait":
        _label, letter, colour = TRAIT_TYPES.get(subtype or "", _UNKNOWN_TRAIT)
        _draw_disc(painter, letter, colour)
    else:
        letter, colour = _KIND_STYLE.get(kind, ("?", "#808080"))
        _draw_tile(painter, letter, colour)


def _letter(painter: QPainter, rect: QRectF, letter: str) -> None:
    font = QFont()
    font.setPixelSize(int(rect.height() * 0.6))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, letter)


def _draw_disc(painter: QPainter, letter: str, colour: str) -> None:
    rect = QRectF(4, 4, 24, 24)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(rect)
    _letter(painter, rect, letter)


def _draw_tile(painter: QPainter, letter: str, colour: str) -> None:
    rect = QRectF(4, 4, 24, 24)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(rect, 5, 5)
    _letter(painter, rect, letter)


def _draw_folder(painter: QPainter, *, dashed: bool) -> None:
    path = QPainterPath()
    path.moveTo(3, 9)
    path.lineTo(12, 9)
    path.lineTo(15, 12)
    path.lineTo(29, 12)
    path.lineTo(29, 27)
    path.lineTo(3, 27)
    path.closeSubpath()
    pen = QPen(QColor("#9a7b2f"), 1.5)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setBrush(Qt.BrushStyle.NoBrush)
    else:
        painter.setBrush(QColor("#e8c463"))
    painter.setPen(pen)
    painter.drawPath(path)


def _draw_group(painter: QPainter) -> None:
    painter.setPen(QPen(QColor("#555555"), 1.5))
    painter.setBrush(QColor("#b8c4d6"))
    for offset in (0, 5, 10):
        painter.drawRoundedRect(QRectF(4 + offset / 2, 18 - offset, 22, 9), 2, 2)


def _draw_more(painter: QPainter) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#808080"))
    for x in (8, 16, 24):
        painter.drawEllipse(QPointF(x, 16), 2.5, 2.5)


def _draw_aep_badge(painter: QPainter) -> None:
    """A slate-grey tag with a white 'A': shared from Adobe Experience Platform. Neutral on
    purpose: it says where the object came from, not that anything is wrong."""
    painter.setPen(QPen(QColor("white"), 1))
    painter.setBrush(QColor(AEP_MARK_COLOUR))
    rect = QRectF(0.5, 0.5, 12, 12)
    painter.drawRoundedRect(rect, 3, 3)
    font = QFont()
    font.setPixelSize(9)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "A")


def _draw_findings_badge(painter: QPainter, level: str) -> None:
    """The worst finding, by shape and colour: error a red disc with a white bar, warning an
    amber triangle with a black '!', info a blue square with a white 'i'."""
    colour = QColor(BADGE_COLOURS[level])
    if level == "error":
        painter.setPen(QPen(QColor("white"), 1))
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(25, 25), 6.5, 6.5)
        painter.setPen(QPen(QColor("white"), 2.2))
        painter.drawLine(QPointF(21.5, 25), QPointF(28.5, 25))
    elif level == "warning":
        painter.setPen(QPen(QColor("#5a4100"), 1))
        painter.setBrush(colour)
        painter.drawPolygon(QPolygonF([QPointF(18, 31), QPointF(25, 17), QPointF(32, 31)]))
        painter.setPen(QPen(QColor("#000000"), 2))
        painter.drawLine(QPointF(25, 22), QPointF(25, 26.5))
        painter.drawPoint(QPointF(25, 29))
    else:
        painter.setPen(QPen(QColor("white"), 1))
        painter.setBrush(colour)
        painter.drawRect(QRectF(19, 19, 12, 12))
        painter.setPen(QPen(QColor("white"), 2))
        painter.drawPoint(QPointF(25, 22))
        painter.drawLine(QPointF(25, 24.5), QPointF(25, 29))


def _draw_annotation_badge(painter: QPainter) -> None:
    """A small yellow note with lines: the user annotated this object."""
    painter.setPen(QPen(QColor("#6b5a00"), 1))
    painter.setBrush(QColor("#fff176"))
    painter.drawRect(QRectF(20, 0.5, 11, 12))
    for y in (4, 7, 10):
        painter.drawLine(QPointF(22, y), QPointF(29, y))


def _draw_changed_badge(painter: QPainter) -> None:
    """A blue disc with a white ring: changed since the previous import (Changes panel)."""
    painter.setPen(QPen(QColor("white"), 1.5))
    painter.setBrush(QColor("#0072B2"))
    painter.drawEllipse(QPointF(6.5, 25.5), 5.5, 5.5)
    painter.setPen(QPen(QColor("white"), 2))
    painter.drawPoint(QPointF(6.5, 25.5))
