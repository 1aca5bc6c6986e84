"""The masking rules dialog and workshop details: masking can never look on while off, ready
classes say they do not mask names, high-contrast outlines, breadcrumb names, portable help
keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from explorer.cli import main as cli_main
from explorer.kinds import ObjectRef
from explorer.masking import CLASSES, MaskRules, describe_rules
from explorer.ui.main_window import MainWindow
from explorer.ui.workshop.help_overlay import action_keys, shortcut_entries
from explorer.ui.workshop.masking_dialog import MaskingRulesDialog
from explorer.ui.workshop.presentation import path_labels
from tests.helpers.windows import show_window

SEGMENT = ObjectRef("segment", 3200001)
TERM = "Holidays"  # in trait names of the sample tenant ("Viewed Beach Holidays")
NAME = "Viewed Beach Holidays"


@pytest.fixture(autouse=True)
def _app_look_restored(qapp: QApplication) -> Iterator[None]:
    font, palette, style = qapp.font(), qapp.palette(), qapp.style().name()
    yield
    qapp.setFont(font)
    qapp.setPalette(palette)
    qapp.setProperty("explorerTheme", None)
    if qapp.style().name().lower() != style.lower():
        qapp.setStyle(style)


@pytest.fixture
def window(qtbot, sample_workspace: Path) -> MainWindow:
    win = show_window(qtbot, sample_workspace, select=ObjectRef("trait", 3100001),
                      restore_settings=True)
    return win


def _open_rules_dialog(window: MainWindow) -> MaskingRulesDialog:
    window.actions_.masking_rules.trigger()
    dialog = window.workshop.last_dialog
    assert isinstance(dialog, MaskingRulesDialog) and dialog.isVisible()
    return dialog


def _click_ok(dialog: MaskingRulesDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Ok).click()


# --- 1: masking never silently off -----------------------------------------------------------

def test_ok_keeps_a_typed_term_and_turns_masking_on(window: MainWindow) -> None:
    dialog = _open_rules_dialog(window)
    dialog.terms.edit.setText(TERM)  # typed, Add not clicked
    dialog.enabled_check.setChecked(True)
    _click_ok(dialog)
    assert not dialog.isVisible()
    assert window.workshop.rules.terms == (TERM,)
    assert window.actions_.masking.isChecked()
    assert TERM not in window.workshop.mask(NAME) and "Viewed" in window.workshop.mask(NAME)


def test_ok_refuses_masking_with_nothing_to_mask(window: MainWindow) -> None:
    dialog = _open_rules_dialog(window)
    dialog.enabled_check.setChecked(True)
    _click_ok(dialog)
    assert dialog.isVisible()  # refused, and says why in the dialog
    assert dialog.problem.isVisibleTo(dialog)
    assert "Nothing to mask" in dialog.problem.text()
    assert not window.actions_.masking.isChecked()
    dialog.class_checks["email"].setChecked(True)  # something to mask now: accepted
    assert not dialog.problem.isVisibleTo(dialog)
    _click_ok(dialog)
    assert not dialog.isVisible() and window.workshop.masker.active


def test_ok_refuses_a_typed_invalid_pattern(window: MainWindow) -> None:
    dialog = _open_rules_dialog(window)
    dialog.terms.edit.setText(TERM)
    dialog.regexes.edit.setText("ORD-(")
    dialog.enabled_check.setChecked(True)
    _click_ok(dialog)
    assert dialog.isVisible()
    assert "Invalid regular expression" in dialog.problem.text()
    assert not window.workshop.masker.active


def test_enter_in_the_term_field_adds_and_keeps_the_dialog_open(window: MainWindow,
                                                               qtbot) -> None:
    dialog = _open_rules_dialog(window)
    dialog.terms.edit.setFocus()
    qtbot.keyClicks(dialog.terms.edit, TERM)
    qtbot.keyClick(dialog.terms.edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.terms.values() == (TERM,)


def test_ctrl_m_with_nothing_to_mask_opens_the_rules_ticked_on(window: MainWindow) -> None:
    window.actions_.masking.trigger()
    dialog = window.workshop.last_dialog
    assert isinstance(dialog, MaskingRulesDialog) and dialog.enabled_check.isChecked()
    dialog.terms.edit.setText(TERM)
    _click_ok(dialog)
    assert window.workshop.masker.active and window.actions_.masking.isChecked()


# --- 2: ready classes say they do not mask names ---------------------------------------------

def test_classes_only_badge_and_status_say_names_are_not_masked(window: MainWindow) -> None:
    window.workshop.set_rules(MaskRules(True, (), (), frozenset(CLASSES)))
    badge = window.workshop.badge
    assert "no names" in badge.text()
    for text in (badge.toolTip(), window.statusBar().currentMessage()):
        assert "partner ids" in text and "e-mail addresses" in text
        assert "Names are not masked" in text
    window.workshop.set_rules(MaskRules(True, (TERM,), (), frozenset(CLASSES)))
    assert badge.text() == "MASKED"
    assert "Names are not masked" not in badge.toolTip()


def test_describe_rules_counts_terms_and_classes() -> None:
    assert describe_rules(MaskRules(False, (TERM,))) == "Masking is off"
    text = describe_rules(MaskRules(True, ("a", "b"), ("x+", "("), frozenset({"host"})))
    assert text == "Masked: 2 terms; 1 regular expression; ready classes: hosts of URLs."


def test_cli_help_and_note_separate_ready_classes_from_terms(monkeypatch) -> None:
    help_text = CliRunner().invoke(cli_main, ["demo", "--help"]).output
    assert "ready classes" in help_text and "never mask names" in help_text
    from explorer.cli import gui_cmd

    runner = CliRunner()
    captured: dict[str, object] = {}
    monkeypatch.setattr(gui_cmd, "_run", lambda *args: captured.setdefault("args", args))
    monkeypatch.setattr("explorer.demo.ensure_demo_workspace", lambda fresh=False: Path("x"))
    result = runner.invoke(cli_main, ["demo", "--mask-class", "all"])
    assert result.exit_code == 0, result.output
    assert "not names" in result.output  # stderr is mixed into output by default
    result = runner.invoke(cli_main, ["demo", "--mask-class", "all", "--mask-term", "Acme"])
    assert "not names" not in result.output


# --- 3: high contrast outlines ---------------------------------------------------------------

def _light_pixels(widget: QWidget, x_limit: int | None = None) -> int:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    width = image.width() if x_limit is None else min(x_limit, image.width())
    return sum(1 for y in range(image.height()) for x in range(width)
               if QColor(image.pixel(x, y)).lightness() > 128)


@pytest.mark.parametrize("make", [
    lambda: QCheckBox(""),
    lambda: QLineEdit(),
    lambda: QPlainTextEdit(),
])
def test_high_contrast_outlines_boxes_and_fields(window: MainWindow, qtbot, make) -> None:
    window.workshop.set_theme("high-contrast")
    widget = make()  # unticked, empty, no placeholder: only its outline can be light
    qtbot.addWidget(widget)
    widget.resize(120, 40)
    widget.show()
    qtbot.waitExposed(widget)
    assert _light_pixels(widget) > 20
    window.workshop.set_theme("dark")  # back to plain Fusion: no outline style left
    assert type(QApplication.style()).__name__ != "HighContrastStyle"


def test_high_contrast_keeps_zoom_reaching_the_widgets(window: MainWindow, qtbot) -> None:
    window.workshop.set_theme("high-contrast")
    before = window.search_pane.box.font().pointSizeF()
    window.workshop.set_zoom(150)
    qtbot.waitUntil(lambda: window.search_pane.box.font().pointSizeF() > before * 1.4,
                    timeout=3000)
    assert window.frame.tree.font().pointSizeF() == pytest.approx(
        window.search_pane.box.font().pointSizeF())
    window.workshop.set_zoom(100)


# --- 4: breadcrumb names ---------------------------------------------------------------------

def test_breadcrumb_shows_names_without_counts_or_target(window: MainWindow) -> None:
    window.reveal(SEGMENT)
    window.actions_.presentation.trigger()
    QApplication.processEvents()
    labels = window.workshop.breadcrumb.labels()
    assert labels[0] == "Segment storage"
    top = window.tree_model.index(0, 0, QModelIndex())
    decorated = [str(window.tree_model.index(r, 0).data()) for r in
                 range(window.tree_model.rowCount())]
    assert any("Target:" in d for d in decorated) and top.isValid()
    assert labels == ["Segment storage", "Campaigns", "Onsite Tests",
                      "Beach Viewers - Platinum Members"]
    assert path_labels(window.frame.tree.currentIndex()) == labels
    window.actions_.leave_presentation.trigger()


# --- 5: help keys -----------------------------------------------------------------------------

def test_help_keys_leave_out_multimedia_keys_and_duplicates(window: MainWindow) -> None:
    action = QAction("Zoom in", window)
    action.setShortcuts([QKeySequence("Ctrl++"), QKeySequence(Qt.Key.Key_ZoomIn),
                         QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
    assert action_keys(action) == "Ctrl++, Ctrl+="
    entries = {e.text: e.keys for e in shortcut_entries(window)}
    assert "Zoom" not in entries["Zoom in"] and "Ctrl++" in entries["Zoom in"]


def test_suggest_lists_names_to_tick_and_adds_the_ticked_ones(window: MainWindow) -> None:
    dialog = _open_rules_dialog(window)
    suggestions = dialog.suggestion_list
    offered = [str(suggestions.item(n).data(Qt.ItemDataRole.UserRole))
               for n in range(suggestions.count())]
    assert offered[0] == "Bluefin" and "Travel Network Pixel (URL)" in offered
    assert all(suggestions.item(n).checkState() == Qt.CheckState.Unchecked
               for n in range(suggestions.count()))  # nothing is masked until ticked
    suggestions.item(0).setCheckState(Qt.CheckState.Checked)
    assert dialog.add_ticked_suggestions() == ["Bluefin"]
    assert "Bluefin" in dialog.terms.values() and suggestions.count() == len(offered) - 1
    dialog.enabled_check.setChecked(True)
    _click_ok(dialog)
    assert window.workshop.rules.terms == ("Bluefin",)
    assert "Bluefin" not in window.inspector.plain_text()
    assert window.workshop.masker is not None
    assert window.workshop.masker("Bluefin Web") == "Term 1 Web"
