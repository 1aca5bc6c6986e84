"""Writing a note while masking is on: the note is stored as typed, and no masked value is
ever in any text the window shows (every visible widget's text, tooltip and title, and the
inspector's HTML), while typing, after adding, and after undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from explorer.kinds import ObjectRef
from explorer.masking import MaskRules
from explorer.store.annotations import get_annotation
from explorer.ui.annotations.private_field import HIDDEN_CHARACTER
from explorer.ui.main_window import MainWindow
from tests.helpers.windows import show_window

TRAIT = ObjectRef("trait", 3100001)
SECRET = "Northwind"  # a masked term the consultant types into the note
EMAIL = "jane.doe@acme-retail.com"
TYPED = f"Ask {SECRET} ({EMAIL}) about TTL"


@pytest.fixture
def window(qtbot, sample_workspace: Path) -> MainWindow:
    win = show_window(qtbot, sample_workspace, select=TRAIT)
    win.workshop.set_rules(MaskRules(True, (SECRET,), (), frozenset({"email"})))
    return win


def visible_texts(window: MainWindow) -> list[str]:
    """Every text on screen: titles, tooltips, labels, buttons, fields, combo entries, text
    views, and the inspector's HTML."""
    texts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        texts += [widget.windowTitle(), widget.toolTip(), widget.statusTip(),
                  widget.accessibleName()]
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts += [widget.displayText(), widget.placeholderText()]
        if isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        if isinstance(widget, QTextEdit):
            texts += [widget.toPlainText(), widget.toHtml()]
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
    assert window.inspector is not None
    texts.append(window.inspector.browser.toHtml())
    return texts


def assert_nothing_masked_shown(window: MainWindow) -> None:
    for text in visible_texts(window):
        folded = text.casefold()
        assert SECRET.casefold() not in folded, f"{SECRET!r} shown in {text[:120]!r}"
        assert EMAIL not in folded, f"{EMAIL!r} shown in {text[:120]!r}"


def test_a_note_written_while_masked_is_stored_and_never_shown(window: MainWindow,
                                                               qtbot) -> None:
    editor = window.annotations.editor
    assert editor.is_masked()
    field, add = editor.private_field, editor.add_button
    assert field.isVisible() and add.isVisible() and not add.isEnabled()
    field.setFocus()
    for character in TYPED:  # key by key: every intermediate state is on screen once
        qtbot.keyClicks(field, character)
        assert_nothing_masked_shown(window)
    assert field.text() == HIDDEN_CHARACTER * len(TYPED) and add.isEnabled()
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, "L")
    qtbot.keyClick(field, Qt.Key.Key_Return)  # adds it
    assert_nothing_masked_shown(window)
    stored = get_annotation(window.workspace.conn, TRAIT.kind, TRAIT.id)
    assert stored is not None and stored.note == TYPED
    assert field.private_text() == "" and field.text() == ""
    masker = window.workshop.masker
    assert masker is not None
    assert editor.note_edit.toPlainText() == masker(TYPED)
    assert masker(SECRET) in window.inspector.plain_text()  # the inspector's note, masked
    # a second addition goes below the first
    qtbot.keyClicks(field, f"call {SECRET}")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert_nothing_masked_shown(window)
    stored = get_annotation(window.workspace.conn, TRAIT.kind, TRAIT.id)
    assert stored is not None and stored.note == f"{TYPED}\ncall {SECRET}"
    window.annotations.undo_stack.undo()
    assert_nothing_masked_shown(window)
    stored = get_annotation(window.workspace.conn, TRAIT.kind, TRAIT.id)
    assert stored is not None and stored.note == TYPED
    window.workshop.set_rules(MaskRules(False, (SECRET,), (), frozenset({"email"})))
    assert editor.note_edit.toPlainText() == TYPED and not field.isVisible()
