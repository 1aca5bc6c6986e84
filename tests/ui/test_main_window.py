"""The explorer window with real widgets over the imported sample tenant (offscreen)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QModelIndex, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from explorer.kinds import ObjectRef
from explorer.ui.import_report_dialog import ImportReportDialog
from explorer.ui.item_roles import OBJECT_REF_ROLE
from explorer.ui.main_window import MainWindow, default_workspace_for
from explorer.ui.recent import RecentFiles, classify_drop, export_name
from explorer.ui.window.navigation_history import NavigationHistory

SEGMENT = ObjectRef("segment", 3200001)  # Beach Viewers - Platinum Members: 3100001 AND 3100004
TRAIT = ObjectRef("trait", 3100001)  # Viewed Beach Holidays
GOLD_TRAIT = ObjectRef("trait", 3100004)  # Platinum Tier


@pytest.fixture
def workspace_path(sample_workspace: Path) -> Path:
    return sample_workspace


@pytest.fixture
def window(qtbot) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def opened(window: MainWindow, workspace_path: Path, qtbot) -> MainWindow:
    with qtbot.waitSignal(window.ready, timeout=5000):
        assert window.open_workspace(workspace_path)
    return window


def _child(model, parent: QModelIndex, label_start: str) -> QModelIndex:
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if str(index.data()).startswith(label_start):
            return index
    raise AssertionError(f"no row starting with {label_start!r} under {parent.data()!r}")


def _current_ref(window: MainWindow) -> ObjectRef | None:
    return window.frame.tree.currentIndex().data(OBJECT_REF_ROLE)


# ----- navigation history (Qt-free) ---------------------------------------------------------
def test_history_behaves_like_a_browser() -> None:
    history: NavigationHistory[str] = NavigationHistory()
    for place in ("a", "b", "c"):
        history.visit(place)
    history.visit("c")  # revisiting the current place adds nothing
    assert len(history) == 3
    assert history.back() == "b"
    assert history.back() == "a"
    assert history.back() is None and history.current == "a"
    assert history.forward() == "b"
    history.visit("d")  # a new visit after going back drops the forward part
    assert not history.can_go_forward
    assert [history.back(), history.back()] == ["b", "a"]


def test_history_is_bounded() -> None:
    history: NavigationHistory[int] = NavigationHistory(max_length=3)
    for n in range(10):
        history.visit(n)
    assert len(history) == 3
    assert [history.back(), history.back(), history.back()] == [8, 7, None]


# ----- opening and selecting ----------------------------------------------------------------
def test_open_shows_the_tree_and_status(opened: MainWindow) -> None:
    model = opened.frame.tree.model()
    labels = [str(model.index(r, 0).data()) for r in range(model.rowCount())]
    assert any(label.startswith("Trait storage") for label in labels)
    assert any(label.startswith("Segment storage") for label in labels)
    assert opened.is_ready
    assert "sample" in opened.windowTitle()
    assert "Partner 7315" in opened.status_label.text()
    assert opened.frame.stack.currentWidget() is opened.frame.main_splitter


def test_expanding_folders_and_selecting_a_trait_and_a_segment(opened: MainWindow,
                                                               qtbot) -> None:
    model, tree = opened.frame.tree.model(), opened.frame.tree
    storage = _child(model, QModelIndex(), "Trait storage")
    tree.expand(storage)
    browsing = _child(model, storage, "Site Browsing")
    tree.expand(browsing)
    holiday_types = _child(model, browsing, "Holiday Types")
    tree.expand(holiday_types)
    beach = _child(model, holiday_types, "Beach")
    tree.expand(beach)
    trait_index = _child(model, beach, "Viewed Beach Holidays")
    tree.setCurrentIndex(trait_index)
    assert opened.inspector.current_ref == TRAIT
    assert "Viewed Beach Holidays" in opened.inspector.plain_text()

    segments = _child(model, QModelIndex(), "Segment storage")
    tree.expand(segments)
    marketing = _child(model, segments, "Campaigns")
    tree.expand(marketing)
    activities = _child(model, marketing, "Onsite Tests")
    tree.expand(activities)
    tree.setCurrentIndex(_child(model, activities, "Beach Viewers"))
    assert opened.inspector.current_ref == SEGMENT
    assert "Beach Viewers - Platinum Members" in opened.inspector.plain_text()
    assert opened.history.current == SEGMENT and opened.actions_.back.isEnabled()


def test_rule_reference_link_moves_the_tree_selection(opened: MainWindow) -> None:
    assert opened.reveal(SEGMENT)
    assert _current_ref(opened) == SEGMENT
    # Clicking "Platinum Tier" in the segment rule: the browser's own anchorClicked signal.
    opened.inspector.browser.anchorClicked.emit(QUrl("aam://trait/3100004"))
    assert _current_ref(opened) == GOLD_TRAIT
    assert opened.inspector.current_ref == GOLD_TRAIT
    assert "Platinum Tier" in opened.inspector.plain_text()
    # The tree expanded down to the trait, so it is visible.
    assert opened.frame.tree.visualRect(opened.frame.tree.currentIndex()).isValid()


def test_back_and_forward_retrace_inspected_objects(opened: MainWindow, qtbot) -> None:
    for ref in (SEGMENT, TRAIT, GOLD_TRAIT):
        opened.reveal(ref)
    opened.actions_.back.trigger()
    assert _current_ref(opened) == TRAIT and opened.inspector.current_ref == TRAIT
    opened.go_back()
    assert _current_ref(opened) == SEGMENT
    assert not opened.actions_.back.isEnabled() and opened.actions_.forward.isEnabled()
    opened.actions_.forward.trigger()
    assert _current_ref(opened) == TRAIT
    # The mouse's back button anywhere in the window goes back too.
    viewport = opened.frame.tree.viewport()
    press = QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(5, 5), QPointF(5, 5),
                        Qt.MouseButton.BackButton, Qt.MouseButton.BackButton,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, press)
    assert _current_ref(opened) == SEGMENT
    # Going back then selecting something new drops the forward history.
    opened.reveal(GOLD_TRAIT)
    assert not opened.actions_.forward.isEnabled()
    assert opened.history.back() == SEGMENT


def test_alt_left_is_the_back_shortcut(opened: MainWindow) -> None:
    assert opened.actions_.back.shortcut().toString() == "Alt+Left"
    assert opened.actions_.forward.shortcut().toString() == "Alt+Right"
    shortcuts = {s.toString() for s in opened.actions_.search.shortcuts()}
    assert {"Ctrl+F", "Ctrl+K"} <= shortcuts


def test_open_with_selection_reveals_it_before_ready(window: MainWindow, workspace_path: Path,
                                                    qtbot) -> None:
    with qtbot.waitSignal(window.ready, timeout=5000):
        window.open_path(workspace_path, select=SEGMENT)
    assert _current_ref(window) == SEGMENT
    assert window.inspector.current_ref == SEGMENT


def test_grouping_by_data_source_keeps_the_selection(opened: MainWindow) -> None:
    opened.reveal(TRAIT)
    opened.actions_.group_by_data_source.setChecked(True)
    assert opened.tree_model.grouping == "data-source"
    assert _current_ref(opened) == TRAIT
    sources = _child(opened.tree_model, QModelIndex(), "Data sources")
    assert opened.frame.tree.isExpanded(sources)  # the trait now sits under its data source
    assert _child(opened.tree_model, sources, "Bluefin Web").isValid()


def test_opening_a_broken_workspace_says_why(window: MainWindow, tmp_path: Path,
                                             qtbot) -> None:
    broken = tmp_path / "broken.aamws"
    broken.write_bytes(b"this is not sqlite" * 100)
    with qtbot.waitSignal(window.loadFailed, timeout=2000) as blocker:
        assert not window.open_workspace(broken)
    assert "broken.aamws" in blocker.args[0]
    assert isinstance(window.last_dialog, QMessageBox)
    assert "broken.aamws" in window.last_dialog.text()
    window.last_dialog.close()
    assert window.workspace is None


# ----- importing through the window ---------------------------------------------------------
def test_importing_an_export_opens_the_new_workspace(window: MainWindow, sample_tenant: Path,
                                                     tmp_path: Path, qtbot) -> None:
    target = tmp_path / "imported.aamws"
    window.opener.ask_workspace_path = lambda default: target  # the save dialog's answer
    with qtbot.waitSignal(window.ready, timeout=20000):
        assert window.start_import(sample_tenant, select=SEGMENT)
    assert window.workspace is not None and window.workspace.path == target
    assert window.workspace.counts()["traits"] == 7
    assert _current_ref(window) == SEGMENT
    assert sample_tenant.resolve() in RecentFiles().paths()


def test_reimport_into_the_open_workspace_refreshes_the_window(
        opened: MainWindow, workspace_path: Path, sample_tenant: Path, qtbot) -> None:
    opened.reveal(TRAIT)
    traits_json = sample_tenant / "traits.json"
    traits_json.write_text(traits_json.read_text(encoding="utf-8").replace(
        "Viewed Beach Holidays", "Viewed Smartholidays"), encoding="utf-8")
    with qtbot.waitSignal(opened.ready, timeout=20000):
        opened.start_import(sample_tenant, workspace_path)
    assert _current_ref(opened) == TRAIT  # the place is kept across the refresh
    assert "Viewed Smartholidays" in opened.inspector.plain_text()
    assert str(opened.frame.tree.currentIndex().data()).startswith("Viewed Smartholidays")


def test_a_refused_export_shows_the_message_and_changes_nothing(
        opened: MainWindow, workspace_path: Path, tmp_path: Path, qtbot) -> None:
    bad = tmp_path / "bad-export"
    bad.mkdir()
    (bad / "traits.json").write_text("this is not JSON", encoding="utf-8")
    before = opened.workspace.counts()
    with qtbot.waitSignal(opened.importFinished, timeout=20000) as blocker:
        opened.start_import(bad, workspace_path)
    assert blocker.args[0].status == "refused"
    dialog = opened.last_dialog
    assert isinstance(dialog, ImportReportDialog)
    assert dialog.windowTitle() == "Import refused"
    assert dialog.headline.text() == "Could not import bad-export"
    assert any("traits.json" in line and "not valid JSON" in line
               for line in dialog.messages())
    assert all("Traceback" not in line for line in dialog.messages())
    dialog.copy_all()
    assert "traits.json" in QApplication.clipboard().text()
    dialog.close()
    assert opened.workspace.counts() == before


def test_cancel_button_stops_the_import_and_leaves_the_workspace(
        opened: MainWindow, workspace_path: Path, sample_tenant: Path, qtbot) -> None:
    traits_json = sample_tenant / "traits.json"
    traits_json.write_text(traits_json.read_text(encoding="utf-8").replace(
        "Viewed Beach Holidays", "Renamed By Cancelled Import"), encoding="utf-8")
    window = opened
    window.opener.ask_workspace_path = lambda default: workspace_path
    assert window.start_import(sample_tenant)
    controller = window.opener.import_task
    # Hold the worker at its first progress step until the user has pressed Cancel.
    import threading

    pressed = threading.Event()
    controller.worker.progressed.connect(lambda *a: pressed.wait(10),
                                         Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(window.importFinished, timeout=20000) as blocker:
        controller.dialog.canceled.emit()  # what the dialog's Cancel button does
        pressed.set()
    assert blocker.args[0].status == "cancelled"
    assert window.workspace.conn.execute(
        "SELECT name FROM traits WHERE id = 3100001").fetchone()[0] == "Viewed Beach Holidays"
    assert "cancelled" in window.statusBar().currentMessage().lower()


# ----- settings, recent files, drops --------------------------------------------------------
def test_geometry_docks_splitters_and_last_workspace_are_restored(
        opened: MainWindow, workspace_path: Path, qtbot) -> None:
    opened.resize(760, 580)  # within the offscreen screen (800x600), above the minimum size
    opened.frame.main_splitter.setSizes([330, 390])
    opened.frame.search_dock.hide()
    opened.actions_.group_by_data_source.setChecked(True)
    opened.close()

    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == (760, 580)
    assert again.frame.main_splitter.sizes()[0] == 330
    assert not again.frame.search_dock.isVisible()
    assert again.actions_.group_by_data_source.isChecked()
    assert RecentFiles.last_workspace() == workspace_path.resolve()
    assert RecentFiles().paths()[0] == workspace_path.resolve()


def test_recent_files_are_unique_newest_first_and_bounded(tmp_path: Path) -> None:
    recent = RecentFiles()
    paths = [tmp_path / f"w{n}.aamws" for n in range(12)]
    for path in paths:
        recent.add(path)
    recent.add(paths[5])
    listed = recent.paths()
    assert len(listed) == 10
    assert listed[0] == paths[5].resolve()
    assert listed.count(paths[5].resolve()) == 1
    assert paths[0].resolve() not in listed


def test_recent_menu_lists_what_was_opened(opened: MainWindow, workspace_path: Path) -> None:
    opened.opener.fill_recent_menu()
    texts = [a.text() for a in opened.frame.recent_menu.actions()]
    assert any(workspace_path.name in t for t in texts)


def test_what_a_drop_opens(tmp_path: Path, workspace_path: Path, sample_tenant: Path) -> None:
    archive = tmp_path / "acme-export.zip"
    archive.write_bytes(b"PK")
    note = tmp_path / "notes.txt"
    note.write_text("x")
    assert classify_drop([workspace_path]).kind == "workspace"
    assert classify_drop([sample_tenant]).kind == "export"
    assert classify_drop([note, archive]).path == archive
    assert classify_drop([note]) is None
    assert classify_drop([]) is None
    assert export_name(archive) == "acme-export"
    assert default_workspace_for(sample_tenant).name == "sample-tenant.aamws"


def test_dropping_an_export_folder_starts_an_import(window: MainWindow, sample_tenant: Path,
                                                    tmp_path: Path, qtbot) -> None:
    target = tmp_path / "dropped.aamws"
    asked: list[Path] = []

    def answer(default: Path) -> Path:
        asked.append(default)
        return target

    window.opener.ask_workspace_path = answer
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sample_tenant))])
    drop = QDropEvent(QPointF(QPoint(100, 100)), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.ready, timeout=20000):
        window.dropEvent(drop)
    assert drop.isAccepted()
    assert asked and asked[0].name == "sample-tenant.aamws"
    assert window.workspace.path == target


def test_a_workspace_copy_can_be_opened_after_another(opened: MainWindow, workspace_path: Path,
                                                      tmp_path: Path, qtbot) -> None:
    copy = tmp_path / "copy.aamws"
    shutil.copy(workspace_path, copy)
    opened.reveal(TRAIT)
    with qtbot.waitSignal(opened.ready, timeout=5000):
        opened.open_workspace(copy)
    assert opened.workspace.path == copy
    assert opened.history.current is None  # history belongs to the workspace it was made in
    assert opened.reveal(SEGMENT)


# ----- list and findings wiring -------------------------------------------------------------
def test_tree_nodes_drive_the_list_and_the_list_drives_the_inspector(opened: MainWindow,
                                                                     qtbot) -> None:
    model, tree, listing = opened.frame.tree.model(), opened.frame.tree, opened.object_list
    tree.setCurrentIndex(_child(model, QModelIndex(), "Segment storage"))
    assert listing.source().target == "segments"  # a group lists every object of its kind
    assert listing.list_model.rowCount() == 5
    merge_rules = _child(model, QModelIndex(), "Merge rules")
    tree.expand(merge_rules)
    rule_index = model.index(0, 0, merge_rules)
    tree.setCurrentIndex(rule_index)
    rule = rule_index.data(OBJECT_REF_ROLE)
    assert listing.source().target == rule  # a merge rule: inspected AND its segments listed
    assert opened.inspector.current_ref == rule
    tree.setCurrentIndex(_child(model, QModelIndex(), "Trait storage"))
    # Choosing a row of the list inspects it without moving the tree.
    table = listing.table
    table.setCurrentIndex(listing.list_model.index(2, 0))
    listed = opened.inspector.current_ref
    assert listed is not None and listed.kind == "trait"
    assert opened.history.current == listed
    assert str(tree.currentIndex().data()).startswith("Trait storage")


def test_a_finding_reveals_its_object(opened: MainWindow) -> None:
    panel = opened.findings_panel
    assert opened.frame.findings_dock.widget().findChild(type(panel)) is panel
    panel.objectActivated.emit("segment", 3200001)
    assert _current_ref(opened) == SEGMENT
    assert opened.inspector.current_ref == SEGMENT


def test_the_trends_panel_is_built_only_when_its_dock_shows(opened: MainWindow, qtbot) -> None:
    assert opened.trends_panel is None
    assert not opened.frame.trends_dock.isVisible()  # the default layout raises no panel
    opened.raise_panel("trends")
    qtbot.waitUntil(lambda: opened.trends_panel is not None, timeout=5000)
    assert opened.trends_panel.workspace is opened.workspace


def test_the_window_module_loads_neither_the_importers_nor_pydantic() -> None:
    """Opening a workspace needs no importer: its pydantic records (~0.2 s) stay off the path
    to the first painted window and load only when an import starts."""
    code = (
        "import sys\n"
        "import explorer.ui.main_window\n"
        "loaded = [m for m in ('explorer.importers', 'pydantic') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr


def test_the_window_module_loads_no_dialog_report_or_integration_protocol() -> None:
    """The first paint shows no dialog: the snapshot export (its dialog, worker, the snapshot
    report and jinja2), the CSV writers, the masking rules and import report dialogs load on
    first use, and the integrations' ``WindowServices`` protocol is an annotation only."""
    heavy = ("explorer.ui.snapshot.export_dialog", "explorer.ui.snapshot.worker",
             "explorer.report.snapshot", "explorer.report.export", "jinja2",
             "explorer.report.csv_export", "explorer.ui.workshop.masking_dialog",
             "explorer.ui.import_report_dialog", "explorer.ui.window.services")
    code = (
        "import sys\n"
        "import explorer.ui.main_window\n"
        f"loaded = [m for m in {heavy!r} if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
