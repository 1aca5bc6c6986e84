"""Opening a workspace shows the tenant overview; its links open the pages they name."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl

from explorer.kinds import ObjectRef
from explorer.ui.main_window import MainWindow


@pytest.fixture
def window(sample_window: MainWindow) -> MainWindow:
    return sample_window


def _click(window: MainWindow, url: str) -> None:
    assert window.inspector is not None
    window.inspector.browser.anchorClicked.emit(QUrl(url))


def test_opening_a_workspace_shows_the_overview(window: MainWindow) -> None:
    inspector = window.inspector
    assert inspector is not None and inspector.is_overview_shown()
    text = inspector.plain_text()
    assert "Tenant overview" in text and "Nothing selected" not in text
    for heading in ("Contents", "Findings", "AEP audience sharing", "Adobe Target",
                    "What the export lacks", "Recent changes"):
        assert heading in text
    assert window.object_list is not None
    assert "Nothing selected" not in window.object_list.summary_label.text()
    assert window.actions_.overview.isEnabled()


def test_overview_links_open_group_findings_and_trends(window: MainWindow, qtbot) -> None:
    inspector = window.inspector
    panel = window.findings_panel
    assert inspector is not None and panel is not None
    _click(window, "aam://findings/warning")
    assert [s for s, b in panel.severity_buttons.items() if b.isChecked()] == ["warning"]
    _click(window, "aam://panel/trends")
    qtbot.waitUntil(lambda: window.trends_panel is not None, timeout=10000)
    _click(window, "aam://group/segments")
    assert inspector.current_group() == "segments" and not inspector.is_overview_shown()
    window.reveal(ObjectRef("segment", 3200001))
    assert inspector.current_ref == ObjectRef("segment", 3200001)
    window.actions_.overview.trigger()  # Go > Tenant overview
    assert inspector.is_overview_shown() and window.current_ref() is not None
    assert "Tenant overview" in inspector.plain_text()
