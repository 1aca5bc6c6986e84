"""FindingsPanel: grouping by check, severity filter, accept/unaccept, activation signal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from test_findings_support import Tenant

from explorer.analysis.findings import CHECKS, list_findings
from explorer.kinds import ObjectRef
from explorer.ui.common import NODE_TYPE_ROLE, OBJECT_REF_ROLE
from explorer.ui.findings_panel import (
    ACCEPTED_GROUP,
    FINDING_ROLE,
    GROUP_KEY_ROLE,
    SEVERITY_COLOURS,
    FindingsModel,
    FindingsPanel,
    severity_icon,
)


@pytest.fixture
def tenant(tmp_path: Path) -> Iterator[Tenant]:
    """Error: AEP trait not onboarded; warning: missing trait; info: two unused traits."""
    t = Tenant(tmp_path / "panel.aamws").base()
    t.trait(5, "Lonely")
    t.trait(6, "Forgotten")
    t.segment(50, "(3T) OR (777T)", "Broken")
    t.conn.execute("UPDATE traits SET trait_type = 'RULE_BASED_TRAIT' WHERE id = 1")
    t.findings()
    yield t
    t.close()


@pytest.fixture
def panel(qtbot, tenant: Tenant) -> FindingsPanel:
    widget = FindingsPanel(tenant.ws)
    qtbot.addWidget(widget)
    return widget


def _groups(model: FindingsModel) -> dict[str, str]:
    return {model.index(r, 0).data(GROUP_KEY_ROLE): model.index(r, 0).data()
            for r in range(model.rowCount())}


def _find_row(panel: FindingsPanel, check: str, object_id: int) -> QModelIndex:
    model = panel.model
    group = model.group_index(check)
    for row in range(model.rowCount(group)):
        index = model.index(row, 0, group)
        if index.data(FINDING_ROLE).object_id == object_id:
            return index
    raise AssertionError(f"{check} on {object_id} not shown")


def test_groups_by_check_with_title_and_count(panel: FindingsPanel) -> None:
    groups = _groups(panel.model)
    assert list(groups) == ["aep-trait-not-onboarded", "segment-missing-trait", "trait-unused"]
    assert groups["trait-unused"] == f"{CHECKS['trait-unused'].title} (2)"
    unused = panel.model.group_index("trait-unused")
    assert unused.data(NODE_TYPE_ROLE) == "group"
    child = panel.model.index(0, 0, unused)
    assert child.data(NODE_TYPE_ROLE) == "object"
    assert child.data(OBJECT_REF_ROLE) == ObjectRef("trait", 5)
    assert "'Lonely'" in child.data()
    assert panel.model.index(0, 1, unused).data() == "trait:5"
    assert panel.model.index(0, 2, unused).data() == "info"
    assert "What to do:" in child.data(Qt.ItemDataRole.ToolTipRole)
    assert panel.tree.isExpanded(unused)  # small groups open by default


def test_model_passes_qtmodeltester(qtmodeltester, tenant: Tenant) -> None:
    model = FindingsModel()
    model.set_findings(list_findings(tenant.conn))
    qtmodeltester.check(model)


def test_severity_filter_and_counts(panel: FindingsPanel) -> None:
    buttons = panel.severity_buttons
    assert buttons["error"].text() == "Errors (1)"
    assert buttons["warning"].text() == "Warnings (1)"
    assert buttons["info"].text() == "Info (2)"
    panel.set_severity_visible("info", False)
    assert list(_groups(panel.model)) == ["aep-trait-not-onboarded", "segment-missing-trait"]
    buttons["error"].click()  # toggle buttons hide errors too
    assert list(_groups(panel.model)) == ["segment-missing-trait"]
    panel.set_severity_visible("info", True)
    assert "trait-unused" in _groups(panel.model)
    assert buttons["info"].text() == "Info (2)"  # counts ignore the filter


def test_accept_with_reason_dialog_and_unaccept(panel: FindingsPanel, tenant: Tenant, qtbot,
                                               monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(panel, "ask_reason",
                        lambda finding: asked.append(finding.object_id) or "kept for reports")
    panel.tree.setCurrentIndex(_find_row(panel, "trait-unused", 5))
    assert panel.accept_action.isEnabled() and not panel.unaccept_action.isEnabled()
    with qtbot.waitSignal(panel.acceptanceChanged):
        panel.accept_action.trigger()
    assert asked == [5]
    groups = _groups(panel.model)
    assert groups["trait-unused"].endswith("(1)")
    assert groups[ACCEPTED_GROUP] == "Accepted (1)"
    assert panel.severity_buttons["info"].text() == "Info (1)"  # accepted left out of counts
    stored = list_findings(tenant.conn, check="trait-unused")
    assert [(f.object_id, f.accepted, f.accepted_reason) for f in stored] == [
        (5, True, "kept for reports"), (6, False, "")]

    accepted_group = panel.model.group_index(ACCEPTED_GROUP)
    panel.tree.setCurrentIndex(panel.model.index(0, 0, accepted_group))
    assert panel.current_finding().object_id == 5
    assert "kept for reports" in panel.details.toPlainText()
    assert panel.unaccept_action.isEnabled() and not panel.accept_action.isEnabled()
    panel.unaccept_action.trigger()
    assert ACCEPTED_GROUP not in _groups(panel.model)
    assert not any(f.accepted for f in list_findings(tenant.conn))


def test_cancelled_reason_dialog_accepts_nothing(panel: FindingsPanel, tenant: Tenant,
                                                 monkeypatch) -> None:
    monkeypatch.setattr(panel, "ask_reason", lambda finding: None)
    panel.tree.setCurrentIndex(_find_row(panel, "trait-unused", 6))
    assert panel.accept_current() is False
    assert not any(f.accepted for f in list_findings(tenant.conn))


def test_activation_emits_object(panel: FindingsPanel, qtbot) -> None:
    index = _find_row(panel, "segment-missing-trait", 50)
    panel.tree.setCurrentIndex(index)
    with qtbot.waitSignal(panel.objectActivated) as blocker:
        panel.tree.activated.emit(index)
    assert blocker.args == ["segment", 50]
    # Enter on the current row activates it as well
    panel.tree.setCurrentIndex(_find_row(panel, "trait-unused", 6))
    with qtbot.waitSignal(panel.objectActivated) as blocker:
        qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    assert blocker.args == ["trait", 6]


def test_group_rows_do_not_emit(panel: FindingsPanel, qtbot) -> None:
    with qtbot.assertNotEmitted(panel.objectActivated):
        panel.tree.activated.emit(panel.model.group_index("trait-unused"))


def test_reload_picks_up_new_findings(panel: FindingsPanel, tenant: Tenant) -> None:
    tenant.trait(7, "New")
    tenant.findings()
    panel.reload()
    assert _groups(panel.model)["trait-unused"].endswith("(3)")


def test_panel_without_workspace_is_empty(qtbot) -> None:
    widget = FindingsPanel(None)
    qtbot.addWidget(widget)
    assert widget.model.rowCount() == 0
    assert widget.accept_current("r") is False


def test_severity_icons_use_okabe_ito_colours(qapp) -> None:
    for severity, colour in SEVERITY_COLOURS.items():
        image = severity_icon(severity).pixmap(32, 32).toImage()
        assert image.pixelColor(16, 6).name().upper() == colour  # inside the circle
