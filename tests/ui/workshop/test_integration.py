"""Workshop mode in the window (offscreen): zoom, presentation, themes, masking, keyboard."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from explorer.importers import import_export
from explorer.kinds import ObjectRef
from explorer.masking import CLASSES, MaskRules, load_rules
from explorer.report.inspector_html import DARK, HIGH_CONTRAST
from explorer.ui.item_roles import OBJECT_REF_ROLE
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import app_settings
from explorer.ui.workshop.help_overlay import shortcut_entries
from explorer.ui.workshop.masking_dialog import MaskingRulesDialog
from explorer.ui.workshop.presentation import SpotlightDelegate
from tests.helpers.windows import show_window

TRAIT = ObjectRef("trait", 3100001)  # Viewed Beach Holidays (description edited below)
SIBLING = ObjectRef("trait", 3100002)
DESTINATION = ObjectRef("destination", 8101)  # mapping URL https://tags.travelnet.example/…
EMAIL = "jane.doe@acme-retail.com"
DESCRIPTION = (f"Owner {EMAIL}; created by user 98765; spec at https://cdn.acme-retail.com/x "
               "and www.northshop.example")
# What each ready class must hide in this tenant (pids and user ids from its records).
CLASS_VALUES: dict[str, tuple[str, ...]] = {
    "email": (EMAIL,),
    "host": ("cdn.acme-retail.com", "tags.travelnet.example", "www.northshop.example"),
    "pid": ("7315", "6240"),
    "uid": ("98765", "4411", "4412", "833"),
}
TERM = "Holidays"


@pytest.fixture
def workspace_path(sample_tenant: Path, tmp_path: Path) -> Path:
    traits_file = sample_tenant / "traits.json"
    traits = json.loads(traits_file.read_text(encoding="utf-8"))
    for trait in traits:
        if trait["sid"] == TRAIT.id:
            trait["description"] = DESCRIPTION
    traits_file.write_text(json.dumps(traits), encoding="utf-8")
    # A dangling trait reference gives a finding whose message names the segment (and TERM).
    segments_file = sample_tenant / "segments.json"
    segments = json.loads(segments_file.read_text(encoding="utf-8"))
    for segment in segments:
        if segment["sid"] == 3200001:
            segment["name"] = "Holidays Viewers - Platinum Members"
            segment["segmentRule"] += " OR 9999999T"
    segments_file.write_text(json.dumps(segments), encoding="utf-8")
    target = tmp_path / "sample.aamws"
    import_export(sample_tenant, target)
    return target


@pytest.fixture(autouse=True)
def _app_look_restored(qapp: QApplication) -> Iterator[None]:
    font, palette = qapp.font(), qapp.palette()
    yield
    qapp.setFont(font)
    qapp.setPalette(palette)
    qapp.setProperty("explorerTheme", None)


@pytest.fixture
def window(qtbot, workspace_path: Path) -> MainWindow:
    return show_window(qtbot, workspace_path, select=TRAIT, restore_settings=True)


# --- helpers --------------------------------------------------------------------------------

def _walk(model, parent: QModelIndex = QModelIndex()) -> Iterator[QModelIndex]:  # noqa: B008
    if model.canFetchMore(parent):
        model.fetchMore(parent)
    for row in range(model.rowCount(parent)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            yield index
        first = model.index(row, 0, parent)
        if model.canFetchMore(first) or model.rowCount(first) > 0:
            yield from _walk(model, first)


def _model_texts(model) -> list[str]:
    texts = []
    for index in _walk(model):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = index.data(role)
            if isinstance(value, str):
                texts.append(value)
    return texts


def _row_counts(model, parent: QModelIndex = QModelIndex()) -> list[int]:  # noqa: B008
    counts = [model.rowCount(parent)]
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if model.canFetchMore(index):
            model.fetchMore(index)
        if model.rowCount(index) > 0:
            counts += _row_counts(model, index)
    return counts


def _inspector_texts(window: MainWindow) -> str:
    window.inspector.set_all_fields_expanded(True)
    pages = []
    for ref in (TRAIT, DESTINATION, ObjectRef("segment", 3200001),
                ObjectRef("data-source", 471201)):
        window.reveal(ref)
        pages.append(window.inspector.plain_text())
    return "\n".join(pages)


def _findings_texts(window: MainWindow) -> str:
    panel = window.findings_panel
    texts = _model_texts(panel.model)
    for index in _walk(panel.model):
        if index.column() == 0 and panel.model.finding(index) is not None:
            panel.tree.setCurrentIndex(index)
            texts.append(panel.details.toPlainText())
    return "\n".join(texts)


def _search_texts(window: MainWindow, query: str) -> tuple[int, str]:
    window.search.set_query(query)
    window.search.run_now()
    return window.search.model.rowCount(), "\n".join(_model_texts(window.search.model))


def _visible_everywhere(window: MainWindow, search: str) -> dict[str, str]:
    return {
        "tree": "\n".join(_model_texts(window.tree_model)),
        "list": "\n".join(_model_texts(window.object_list.list_model))
        + window.object_list.summary_label.text(),
        "inspector": _inspector_texts(window),
        "search": _search_texts(window, search)[1],
        "findings": _findings_texts(window),
        "status": window.status_label.text() + window.windowTitle(),
    }


def _contains(text: str, value: str) -> bool:
    if value.isdigit():
        return re.search(rf"(?<!\d){value}(?!\d)", text) is not None
    return value.casefold() in text.casefold()


# --- zoom -----------------------------------------------------------------------------------

def test_zoom_scales_tree_inspector_and_chart_and_is_persisted(window: MainWindow,
                                                              qtbot) -> None:
    from explorer.ui.trends.chart import TrendsChart

    chart = TrendsChart()
    qtbot.addWidget(chart)
    before = (window.frame.tree.font().pointSizeF(),
              window.inspector.browser.document().defaultFont().pointSizeF(),
              chart.tick_font().pointSizeF(),
              window.object_list.table.verticalHeader().defaultSectionSize())
    window.actions_.zoom_in.trigger()
    window.actions_.zoom_in.trigger()  # 100 -> 110 -> 125
    assert window.workshop.zoom.percent == 125
    window.workshop.set_zoom(150)
    # Qt delivers the application font to widgets through posted events
    qtbot.waitUntil(lambda: window.frame.tree.font().pointSizeF() > before[0] * 1.4, timeout=3000)
    after = (window.frame.tree.font().pointSizeF(),
             window.inspector.browser.document().defaultFont().pointSizeF(),
             chart.tick_font().pointSizeF(),
             window.object_list.table.verticalHeader().defaultSectionSize())
    assert after[0] == pytest.approx(before[0] * 1.5, rel=0.02)
    assert after[1] == pytest.approx(before[1] * 1.5, rel=0.02)
    assert after[2] == pytest.approx(before[2] * 1.5, rel=0.02)
    assert after[3] > before[3]  # list rows follow the font
    assert window.frame.tree.sizeHintForRow(0) > 0
    assert int(app_settings().value("workshop/zoom")) == 150
    window.actions_.zoom_reset.trigger()
    qtbot.waitUntil(lambda: window.frame.tree.font().pointSizeF() == pytest.approx(before[0]),
                    timeout=3000)


# --- presentation ---------------------------------------------------------------------------

def test_presentation_hides_panels_shows_path_and_spotlight_then_restores(
        window: MainWindow, qtbot) -> None:
    window.frame.search_dock.show()
    docks_before = {d.objectName(): d.isHidden() for d in (
        window.frame.findings_dock, window.frame.trends_dock, window.frame.search_dock)}
    splitters_before = (window.frame.main_splitter.sizes(), window.frame.content_splitter.sizes())
    delegate_before = window.frame.tree.itemDelegate()
    font_before = window.frame.tree.font().pointSizeF()

    window.actions_.presentation.trigger()  # F5
    QApplication.processEvents()  # the larger application font arrives as posted events
    assert window.workshop.presenting
    assert window.frame.list_slot.isHidden()
    assert all(d.isHidden() for d in (window.frame.findings_dock, window.frame.trends_dock,
                                      window.frame.search_dock))
    assert window.frame.tree.font().pointSizeF() > font_before  # larger type
    crumb = window.workshop.breadcrumb
    assert crumb.isVisible()
    assert crumb.labels()[-1] == "Viewed Beach Holidays" and crumb.labels()[0] == "Trait storage"
    spotlight = window.frame.tree.itemDelegate()
    assert isinstance(spotlight, SpotlightDelegate)
    current = window.frame.tree.currentIndex()
    assert spotlight.is_lit(current) and spotlight.is_lit(current.parent())
    sibling = window.tree_model.index_for(SIBLING)
    assert sibling.isValid() and not spotlight.is_lit(sibling)
    window.grab()  # paints every row through the delegate

    window.reveal(SIBLING)  # the breadcrumb and the spotlight follow the selection
    assert "Viewed Beach Holidays" not in crumb.text() and spotlight.is_lit(sibling)

    assert window.actions_.leave_presentation.isEnabled()
    window.actions_.leave_presentation.trigger()  # Esc
    QApplication.processEvents()
    assert not window.workshop.presenting and not crumb.isVisible()
    assert not window.frame.list_slot.isHidden()
    frame = window.frame
    assert {d.objectName(): d.isHidden() for d in (
        frame.findings_dock, frame.trends_dock, frame.search_dock)} == docks_before
    qtbot.waitUntil(lambda: (frame.main_splitter.sizes(), frame.content_splitter.sizes())
                    == splitters_before, timeout=3000)
    assert window.frame.tree.itemDelegate() is delegate_before
    assert window.frame.tree.font().pointSizeF() == pytest.approx(font_before)
    assert not window.actions_.leave_presentation.isEnabled()


def test_f5_and_escape_keys_toggle_presentation(window: MainWindow, qtbot) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    window.frame.tree.setFocus()
    qtbot.keyClick(window.frame.tree, Qt.Key.Key_F5)
    assert window.workshop.presenting
    qtbot.keyClick(window.frame.tree, Qt.Key.Key_Escape)
    assert not window.workshop.presenting


# --- themes ---------------------------------------------------------------------------------

def test_themes_change_palette_inspector_and_chart_and_persist(window: MainWindow,
                                                              qtbot) -> None:
    from explorer.ui.trends.chart import TrendsChart

    chart = TrendsChart()
    qtbot.addWidget(chart)
    window.actions_.theme_actions["dark"].trigger()
    QApplication.processEvents()  # palettes reach widgets through posted events
    app = QApplication.instance()
    assert app.palette().color(QPalette.ColorRole.Base).lightness() < 60
    assert window.inspector._theme() == DARK
    assert chart.backgroundBrush().color().lightness() < 60
    assert app_settings().value("workshop/theme") == "dark"
    window.actions_.theme_actions["high-contrast"].trigger()
    QApplication.processEvents()
    assert app.palette().color(QPalette.ColorRole.Base).name() == "#000000"
    assert app.palette().color(QPalette.ColorRole.Highlight).name() == "#f0e442"
    assert window.inspector._theme() == HIGH_CONTRAST
    assert "#FFFFFF".lower() in window.inspector.browser.toHtml().lower()
    window.actions_.cycle_theme.trigger()  # high-contrast -> system
    assert window.workshop.themes.chosen == "system"
    assert window.actions_.theme_actions["system"].isChecked()


# --- masking --------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", ["term", *CLASSES])
def test_masking_hides_values_everywhere_and_keeps_structure(
        window: MainWindow, rule: str, tmp_path: Path) -> None:
    values = (TERM,) if rule == "term" else CLASS_VALUES[rule]
    search = "Holidays"
    window.reveal(TRAIT)
    window.object_list.show_node("traits")
    plain_csv = tmp_path / "plain.csv"
    plain_rows = window.object_list.export_csv(plain_csv)
    tree_rows = _row_counts(window.tree_model)
    search_count, _ = _search_texts(window, search)
    findings_rows = _row_counts(window.findings_panel.model)
    unmasked = _visible_everywhere(window, search)
    shown = "\n".join(unmasked.values())
    assert any(_contains(shown, v) for v in values), "the fixture must show these values"
    if rule == "term":
        assert TERM in unmasked["findings"] and TERM in unmasked["search"]

    rules = MaskRules(True, (TERM,) if rule == "term" else (), (),
                      frozenset() if rule == "term" else frozenset({rule}))
    window.workshop.set_rules(rules)
    window.object_list.show_node("traits")
    masked = _visible_everywhere(window, search)
    for place, text in masked.items():
        for value in values:
            assert not _contains(text, value), f"{value!r} is visible in the {place}"
    assert window.windowTitle().endswith("— masked")
    assert window.workshop.badge.isVisible() or not window.isVisible()
    # structure and counts are unchanged; search still runs on the real values
    assert _row_counts(window.tree_model) == tree_rows
    assert _search_texts(window, search)[0] == search_count > 0
    assert _row_counts(window.findings_panel.model) == findings_rows
    masked_csv = tmp_path / "masked.csv"
    window.object_list.show_node("traits")
    assert window.object_list.export_csv(masked_csv) == plain_rows
    csv_text = masked_csv.read_text(encoding="utf-8-sig")
    with masked_csv.open(encoding="utf-8-sig", newline="") as handle:
        masked_table = list(csv.reader(handle))
    with plain_csv.open(encoding="utf-8-sig", newline="") as handle:
        plain_table = list(csv.reader(handle))
    assert [len(r) for r in masked_table] == [len(r) for r in plain_table]
    for value in values:
        assert not _contains(csv_text, value)


def test_placeholders_are_stable_and_masking_is_kept_with_the_workspace(
        window: MainWindow, workspace_path: Path, qtbot) -> None:
    rules = MaskRules(True, (TERM,), (), frozenset({"email"}))
    window.workshop.set_rules(rules)
    window.reveal(TRAIT)
    first = window.inspector.plain_text()
    name_placeholder = window.workshop.masker.placeholder("term", TERM)
    assert name_placeholder in first
    assert window.workshop.masker.placeholder("email", EMAIL) in first
    tree_label = window.frame.tree.currentIndex().data()
    assert name_placeholder in tree_label  # the same value, the same placeholder everywhere
    window.close()

    again = MainWindow()
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.ready, timeout=5000):
        again.open_workspace(workspace_path, select=TRAIT)
    assert load_rules(again.workspace) == rules  # kept in the workspace's settings
    assert again.inspector.plain_text() == first  # same placeholders in a new session
    assert again.actions_.masking.isChecked()
    again.actions_.masking.trigger()  # Ctrl+M: off
    assert EMAIL in again.inspector.plain_text()
    assert not again.windowTitle().endswith("— masked")
    assert not load_rules(again.workspace).enabled


def test_copies_from_the_inspector_are_masked(window: MainWindow) -> None:
    window.workshop.set_rules(MaskRules(True, (TERM,), (), frozenset()))
    window.reveal(TRAIT)
    window.inspector.copy_name()
    assert TERM not in QGuiApplication.clipboard().text()
    assert "Viewed" in QGuiApplication.clipboard().text()


def test_rules_dialog_reports_invalid_regex_inline(window: MainWindow, qtbot) -> None:
    dialog = MaskingRulesDialog(MaskRules(False, ("Acme",), (), frozenset({"pid"})), window)
    qtbot.addWidget(dialog)
    dialog.regexes.edit.setText("ORD-(")
    assert dialog.regexes.error.isVisibleTo(dialog)
    assert "Invalid regular expression" in dialog.regexes.error.text()
    assert not dialog.regexes.add_current()
    dialog.regexes.edit.setText(r"ORD-\d+")
    assert not dialog.regexes.error.isVisibleTo(dialog)
    dialog.terms.edit.setText("Globex")
    dialog.enabled_check.setChecked(True)
    dialog.class_checks["email"].setChecked(True)
    rules = dialog.rules()
    assert rules == MaskRules(True, ("Acme", "Globex"), (r"ORD-\d+",),
                              frozenset({"pid", "email"}))


# --- keyboard -------------------------------------------------------------------------------

def test_every_action_is_reachable_and_listed_in_the_help_overlay(window: MainWindow) -> None:
    a = window.actions_
    expected = {a.search: "Ctrl+F", a.presentation: "F5", a.zoom_in: "Ctrl++",
                a.zoom_out: "Ctrl+-", a.zoom_reset: "Ctrl+0", a.back: "Alt+Left",
                a.forward: "Alt+Right", a.next_pane: "F6", a.focus_tree: "Ctrl+1",
                a.focus_list: "Ctrl+2", a.focus_inspector: "Ctrl+3", a.focus_findings: "Ctrl+4",
                a.masking: "Ctrl+M", a.cycle_theme: "Ctrl+Shift+T", a.shortcuts_help: "F1"}
    for action, keys in expected.items():
        assert keys in [s.toString() for s in action.shortcuts()], action.text()
    assert "?" in [s.toString() for s in a.shortcuts_help.shortcuts()]
    for menu_action in window.menuBar().actions():  # every top menu has a mnemonic
        assert "&" in menu_action.text()
    a.shortcuts_help.trigger()
    overlay = window.workshop.help_overlay
    assert overlay.isVisible()
    text = overlay.plain_text()
    for label in ("Zoom in", "Presentation mode", "Mask client values", "Next pane",
                  "Focus the tree", "Back"):
        assert label in text
    a.zoom_reset.setShortcut("Ctrl+Alt+0")  # built from the actions: never stale
    entries = {e.text: e.keys for e in shortcut_entries(window)}
    assert entries["Actual size"] == "Ctrl+Alt+0"
    a.shortcuts_help.trigger()
    assert not overlay.isVisible()


def test_pane_focus_and_cycling(window: MainWindow, qtbot) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    workshop = window.workshop
    assert workshop.focus_pane("inspector")
    assert QApplication.focusWidget() is window.inspector.browser
    window.actions_.focus_tree.trigger()
    assert QApplication.focusWidget() is window.frame.tree
    assert workshop.cycle_panes(1) == "list"
    assert workshop.cycle_panes(1) == "inspector"
    window.actions_.focus_findings.trigger()
    assert QApplication.focusWidget() is window.findings_panel.tree
    assert workshop.cycle_panes(-1) == "inspector"


# --- the list, panes and findings details in workshop use -----------------------------------

def test_list_highlights_the_revealed_object_on_one_line_rows(window: MainWindow) -> None:
    window.reveal(SIBLING)
    table = window.object_list.table
    assert window.object_list.current_ref() == SIBLING
    assert table.currentIndex().data(OBJECT_REF_ROLE) == SIBLING
    assert table.selectionModel().isRowSelected(table.currentIndex().row())
    assert not table.wordWrap()
    assert table.verticalHeader().defaultSectionSize() <= table.fontMetrics().height() + 8
    assert window.history.current == SIBLING  # selecting in the list did not add a visit
    window.go_back()
    assert window.object_list.current_ref() == TRAIT


def test_findings_details_collapse_until_a_finding_is_chosen(window: MainWindow) -> None:
    panel = window.findings_panel
    assert not panel.details.isVisibleTo(panel)
    finding = next(i for i in _walk(panel.model)
                   if i.column() == 0 and panel.model.finding(i) is not None)
    panel.tree.setCurrentIndex(finding)
    assert panel.details.isVisibleTo(panel)
