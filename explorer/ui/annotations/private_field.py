"""A one-line field whose typed text is never on screen: it shows one dot per character and
keeps the text to itself. The annotation editor uses it to add to a note while workshop
masking is on: what is typed may hold a masked value, and the note shows it masked once added.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

HIDDEN_CHARACTER = "•"


class PrivateField(QLineEdit):
    """Typing, pasting and Backspace change the private text; the widget's own text (what
    any reader of the screen can get) is dots only. Return emits ``submitted``."""

    submitted = Signal()
    privateTextChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._private = ""
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no copy of the dots
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setDragEnabled(False)
        self.setAcceptDrops(False)

    def private_text(self) -> str:
        return self._private

    def clear_private(self) -> None:
        self._set_private("")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
        elif key == Qt.Key.Key_Backspace:
            self._set_private(self._private[:-1])
        elif event.matches(QKeySequence.StandardKey.Paste):
            self._set_private(self._private + QGuiApplication.clipboard().text().replace(
                "\n", " "))
        elif key == Qt.Key.Key_Tab or key == Qt.Key.Key_Backtab or key == Qt.Key.Key_Escape:
            event.ignore()
        elif event.text() and event.text().isprintable() and not (
                event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                     | Qt.KeyboardModifier.MetaModifier)):
            self._set_private(self._private + event.text())
        else:
            event.ignore()

    def _set_private(self, text: str) -> None:
        self._private = text
        self.setText(HIDDEN_CHARACTER * len(text))
        self.privateTextChanged.emit()
