"""The change channel with real widgets: a write in one panel reaches the tree and the
inspector through ``WorkspaceSession.changed`` (offscreen, the sample tenant)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex

from explorer.kinds import ObjectRef
from explorer.ui.main_window import MainWindow
from explorer.ui.window.change import Change
from tests.helpers.windows import show_window

SEGMENT = ObjectRef("segment", 3200001)


@pytest.fixture
def window(qtbot, sample_workspace: Path) -> MainWindow:
    win = show_window(qtbot, sample_workspace, select=SEGMENT)
    return win


def _segment_storage_label(window: MainWindow) -> str:
    model = window.tree_model
    assert model is not None
    for row in range(model.rowCount(QModelIndex())):
        label = str(model.index(row, 0, QModelIndex()).data())
        if label.startswith("Segment storage"):
            return label
    raise AssertionError("no Segment storage row")


def test_editing_a_shared_audiences_event_updates_the_tree_and_the_inspector(
        window: MainWindow, qtbot) -> None:
    window.frame.trends_dock.show()
    window.frame.trends_dock.raise_()
    qtbot.waitUntil(lambda: window.trends_panel is not None, timeout=10000)
    panel = window.trends_panel
    assert panel is not None and window.inspector is not None
    assert _segment_storage_label(window).endswith("Target: unknown")
    assert "Target sharing unknown" in window.inspector.plain_text()
    changes: list[Change] = []
    window.session.changed.connect(changes.append)

    event_id = panel.events_tab.add_event("2026-01-10", "shared audiences", "enabled")
    assert event_id is not None
    assert changes == [Change(events=True)]
    assert _segment_storage_label(window).endswith("Target: shared")
    text = window.inspector.plain_text()
    assert "Shared with Adobe Target (Core Services Shared Audiences enabled since 2026-01-10)" \
        in text

    assert panel.events_tab.edit_event(event_id, "2026-01-12", "shared audiences", "disabled")
    assert changes == [Change(events=True), Change(events=True)]
    assert _segment_storage_label(window).endswith("Target: not shared")
    assert "Not shared with Adobe Target" in window.inspector.plain_text()
    assert window.current_ref() == SEGMENT  # the refresh kept the place


def test_a_change_flag_is_or_ed_and_compares_by_value() -> None:
    both = Change(annotations=True) | Change(findings=True)
    assert both == Change(annotations=True, findings=True)
    assert both != Change(annotations=True)
