"""The keyboard help overlay (F1 or ?): every shortcut, read from the window's QActions.

Built each time it opens from the actions themselves (menus first, in menu order, then any
other action of the window that has a shortcut), so it never lists a stale shortcut.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence, QMouseEvent, QPainter
from PySide6.QtWidgets import QFrame, QLabel, QMainWindow, QMenu, QScrollArea, QVBoxLayout, QWidget


@dataclass(frozen=True)
class ShortcutEntry:
    section: str
    text: str
    keys: str


def action_label(action: QAction) -> str:
    """The action's text without mnemonic ampersands and trailing ellipsis."""
    text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.rstrip("…").rstrip(".").strip()


# Qt's keys from Key_Back (0x01000061) on are multimedia and launcher keys ("Zoom In",
# "Back", "Forward" on special keyboards) that platforms add to standard shortcuts: not keys
# a consultant can press on a laptop, so the overlay leaves them out.
_FIRST_SPECIAL_KEY = 0x01000061


def _portable(sequence: QKeySequence) -> bool:
    return all(sequence[n].key().value < _FIRST_SPECIAL_KEY  # type: ignore[index]
               for n in range(sequence.count()))


def action_keys(action: QAction) -> str:
    """The action's shortcuts as the platform writes them ("Ctrl++", "⌘+" on macOS), without
    multimedia keys and without duplicates (Ctrl++ is both ZoomIn and itself)."""
    keys = (s.toString(QKeySequence.SequenceFormat.NativeText)
            for s in action.shortcuts() if not s.isEmpty() and _portable(s))
    return ", ".join(dict.fromkeys(keys))


def shortcut_entries(window: QMainWindow) -> list[ShortcutEntry]:
    """(menu, action, keys) for every action with a shortcut: menus first, then the rest."""
    entries: list[ShortcutEntry] = []
    seen: set[int] = set()

    def walk(menu: QMenu, section: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), section)  # type: ignore[arg-type]
                continue
            if action.isSeparator() or id(action) in seen:
                continue
            keys = action_keys(action)
            if keys:
                seen.add(id(action))
                entries.append(ShortcutEntry(section, action_label(action), keys))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), action_label(top))  # type: ignore[arg-type]
    for action in window.findChildren(QAction):
        keys = action_keys(action)
        if keys and id(action) not in seen and action.text():
            seen.add(id(action))
            entries.append(ShortcutEntry("Other", action_label(action), keys))
    return entries


def entries_html(entries: list[ShortcutEntry]) -> str:
    rows: list[str] = []
    section = None
    for entry in entries:
        if entry.section != section:
            section = entry.section
            rows.append(f'<tr><td colspan="2" style="padding-top:10px;"><b>{escape(section)}'
                        "</b></td></tr>")
        rows.append(f'<tr><td style="padding-right:28px;">{escape(entry.text)}</td>'
                    f"<td><b>{escape(entry.keys)}</b></td></tr>")
    return f'<table cellspacing="0" cellpadding="2">{"".join(rows)}</table>'


class HelpOverlay(QWidget):
    """Covers the window with a dimmed layer and a panel of shortcuts; any key closes it."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("helpOverlay")
        self._window = window
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.panel = QFrame(self)
        self.panel.setObjectName("helpPanel")
        self.panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.panel.setAutoFillBackground(True)
        self.title = QLabel("Keyboard shortcuts", self.panel)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF(), 1) * 1.4)
        self.title.setFont(font)
        self.table = QLabel(self.panel)
        self.table.setTextFormat(Qt.TextFormat.RichText)
        self.hint = QLabel("Press any key or click to close.", self.panel)
        self.hint.setEnabled(False)
        scroller = QScrollArea(self.panel)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(self.table)
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(self.title)
        layout.addWidget(scroller, 1)
        layout.addWidget(self.hint)
        self.entries: list[ShortcutEntry] = []
        window.installEventFilter(self)
        self.hide()

    def open(self) -> None:
        self.entries = shortcut_entries(self._window)
        self.table.setText(entries_html(self.entries))
        self._fit()
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def plain_text(self) -> str:
        return "\n".join(f"{e.section}: {e.text} — {e.keys}" for e in self.entries)

    def _fit(self) -> None:
        self.setGeometry(self._window.rect())
        width = min(self.width() - 40, max(520, self.width() * 2 // 3))
        height = min(self.height() - 40, max(360, self.height() * 5 // 6))
        self.panel.setGeometry((self.width() - width) // 2, (self.height() - height) // 2,
                               width, height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize and self.isVisible():
            self._fit()
        return False

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 150))
        painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() not in (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt,
                               Qt.Key.Key_Meta):
            self.close_overlay()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.close_overlay()
        event.accept()

    def close_overlay(self) -> None:
        self.hide()
        self._window.setFocus(Qt.FocusReason.OtherFocusReason)
