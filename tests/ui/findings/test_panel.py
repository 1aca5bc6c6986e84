"""FindingsPanel: grouping by check, severity filter, accept/unaccept, activation signal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from explorer.analysis.findings import (
    CHECKS,
    accept_finding,
    list_findings,
    not_checked,
    page_findings,
    refresh_findings,
)
from explorer.domain.gaps import ExportPart, Gap
from explorer.kinds import ObjectRef
from explorer.store.db import transaction
from explorer.ui.findings import (
    ACCEPTED_GROUP,
    FINDING_ROLE,
    GROUP_KEY_ROLE,
    PAGE_SIZE,
    SEVERITY_COLOURS,
    FindingsModel,
    FindingsPanel,
    severity_icon,
)
from explorer.ui.findings import model as findings_model
from explorer.ui.findings.model import NOT_CHECKED_GROUP
from explorer.ui.item_roles import NODE_TYPE_ROLE, OBJECT_REF_ROLE
from tests.helpers.findings_tenant import Tenant


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
    assert panel.model.index(0, 1, unused).data() == "Lonely (5)"  # the name, not trait:5
    assert "Trait 5" in panel.model.index(0, 1, unused).data(Qt.ItemDataRole.ToolTipRole)
    assert panel.model.index(0, 2, unused).data() == "info"
    assert "What to do:" in child.data(Qt.ItemDataRole.ToolTipRole)
    assert panel.tree.isExpanded(unused)  # small groups open by default


def test_model_passes_qtmodeltester(qtmodeltester, tenant: Tenant) -> None:
    model = FindingsModel()
    model.set_connection(tenant.conn)
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
    panel.tree.expand(accepted_group)  # its findings are read when it opens
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


# --- lazy groups: counts first, findings a page at a time -------------------------------------
BIG = 2_600  # unused traits: several pages of PAGE_SIZE


@pytest.fixture
def big_tenant(tmp_path: Path) -> Iterator[Tenant]:
    """The small tenant's findings plus BIG unused traits (ids 10000...)."""
    t = Tenant(tmp_path / "big.aamws").base()
    t.segment(50, "(3T) OR (777T)", "Broken")
    with transaction(t.conn):
        for trait_id in range(10_000, 10_000 + BIG):
            t.trait(trait_id, f"Unused {trait_id}")
    t.findings()
    yield t
    t.close()


@pytest.fixture
def page_reads(monkeypatch) -> list[tuple[str, bool, int, int]]:
    """(check, accepted, offset, limit) of every page the model reads."""
    reads: list[tuple[str, bool, int, int]] = []

    def spy(conn, check, *, accepted, offset, limit, severity=None):
        reads.append((check, accepted, offset, limit))
        return page_findings(conn, check, accepted=accepted, offset=offset, limit=limit,
                             severity=severity)

    monkeypatch.setattr(findings_model, "page_findings", spy)
    return reads


def _ids(model: FindingsModel, group: QModelIndex) -> list[int]:
    return [model.finding(model.index(r, 0, group)).object_id
            for r in range(model.rowCount(group))
            if model.finding(model.index(r, 0, group)) is not None]


def test_a_big_group_loads_only_its_first_page_when_expanded(
        qtbot, big_tenant: Tenant, page_reads: list) -> None:
    panel = FindingsPanel(big_tenant.ws)
    qtbot.addWidget(panel)
    model = panel.model
    unused = model.group_index("trait-unused")
    # many info findings of one check: one summary row with the count, its list on expanding
    assert unused.data() == (f"{CHECKS['trait-unused'].title} — info summary, expand to list "
                             f"({BIG:,})")
    assert panel.model.is_summary(unused)
    assert not panel.tree.isExpanded(unused)
    assert model.rowCount(unused) == 0 and model.hasChildren(unused)
    assert model.canFetchMore(unused)
    assert all(check != "trait-unused" for check, *_ in page_reads)  # only small groups read

    panel.tree.expand(unused)
    assert model.rowCount(unused) == PAGE_SIZE + 1  # a page and "Load more…"
    assert not model.canFetchMore(unused)  # QTreeView must not read on by itself
    more = model.index(PAGE_SIZE, 0, unused)
    assert more.data(NODE_TYPE_ROLE) == "more"
    assert more.data() == f"Load more… ({PAGE_SIZE:,} of {BIG:,} shown)"
    expected = [f.object_id for f in list_findings(big_tenant.conn, check="trait-unused")]
    assert _ids(model, unused) == expected[:PAGE_SIZE]

    with qtbot.assertNotEmitted(panel.objectActivated):
        panel.tree.activated.emit(more)  # activating "Load more…" reads the next page
    assert _ids(model, unused) == expected[:2 * PAGE_SIZE]
    while model.load_more(unused):
        pass
    assert _ids(model, unused) == expected
    assert model.rowCount(unused) == BIG  # no "Load more…" row once everything is shown
    reads = [r for r in page_reads if r[0] == "trait-unused"]
    assert [offset for _check, _accepted, offset, _limit in reads] == list(
        range(0, BIG, PAGE_SIZE))


def test_counts_leave_accepted_findings_apart(qtbot, big_tenant: Tenant) -> None:
    for trait_id in (10_000, 10_001, 10_500):
        accept_finding(big_tenant.conn, "trait-unused", "trait", trait_id, "kept")
    panel = FindingsPanel(big_tenant.ws)
    qtbot.addWidget(panel)
    groups = _groups(panel.model)
    assert groups["trait-unused"].endswith(f"({BIG - 3:,})")
    assert groups[ACCEPTED_GROUP] == "Accepted (3)"
    assert panel.severity_buttons["info"].text() == f"Info ({BIG - 3:,})"
    assert panel.severity_buttons["warning"].text() == "Warnings (1)"
    accepted = panel.model.group_index(ACCEPTED_GROUP)
    panel.tree.expand(accepted)
    assert _ids(panel.model, accepted) == [10_000, 10_001, 10_500]
    panel.set_severity_visible("info", False)
    assert ACCEPTED_GROUP not in _groups(panel.model)  # all three are info
    assert panel.severity_buttons["info"].text() == f"Info ({BIG - 3:,})"


def test_accept_in_a_big_group_updates_counts_and_rereads_only_it(
        qtbot, big_tenant: Tenant, page_reads: list) -> None:
    panel = FindingsPanel(big_tenant.ws)
    qtbot.addWidget(panel)
    model = panel.model
    unused = model.group_index("trait-unused")
    panel.tree.expand(unused)
    model.load_more(unused)
    expected = _ids(model, unused)
    assert len(expected) == 2 * PAGE_SIZE
    panel.tree.setCurrentIndex(model.index(700, 0, unused))
    assert panel.accept_current("not used yet, planned") is True  # creates "Accepted"

    unused = model.group_index("trait-unused")
    assert unused.data().endswith(f"({BIG - 1:,})")
    assert _groups(model)[ACCEPTED_GROUP] == "Accepted (1)"
    assert panel.severity_buttons["info"].text() == f"Info ({BIG - 1:,})"
    assert panel.tree.isExpanded(unused)
    still_open = [f.object_id for f in list_findings(big_tenant.conn, check="trait-unused",
                                                     include_accepted=False)]
    assert still_open[:700] == expected[:700] and still_open[700] == expected[701]
    assert _ids(model, unused) == still_open[:2 * PAGE_SIZE]  # as many as shown before
    assert panel.current_finding().object_id == expected[701]  # the next one

    page_reads.clear()
    assert panel.accept_current("also planned") is True  # "Accepted" exists: in place
    assert model.group_index("trait-unused").data().endswith(f"({BIG - 2:,})")
    assert _groups(model)[ACCEPTED_GROUP] == "Accepted (2)"
    assert panel.severity_buttons["info"].text() == f"Info ({BIG - 2:,})"
    assert {check for check, *_ in page_reads} == {"trait-unused"}  # the others kept theirs
    assert panel.current_finding().object_id == expected[702]
    stored = list_findings(big_tenant.conn, check="trait-unused", include_accepted=True)
    assert sorted(f.object_id for f in stored if f.accepted) == expected[700:702]


def test_paged_model_passes_qtmodeltester_while_loading_and_accepting(
        qtmodeltester, qtlog, tenant: Tenant) -> None:
    tenant.trait(7, "Also unused")
    tenant.findings()
    accept_finding(tenant.conn, "trait-unused", "trait", 5, "fine")
    model = FindingsModel(page_size=1)  # trait-unused (6, 7) needs "Load more…"
    model.set_connection(tenant.conn)
    # Qt's tester checks every change from here on. (Not across a model reset: it walks the
    # model from its modelReset handler before it records the reset as done, so the fetchMore
    # it makes there reads as rows inserted during the reset.)
    tester = QAbstractItemModelTester(
        model, QAbstractItemModelTester.FailureReportingMode.Warning)
    unused = model.group_index("trait-unused")
    if model.canFetchMore(unused):
        model.fetchMore(unused)
    assert model.index(1, 0, unused).data(NODE_TYPE_ROLE) == "more"
    assert model.load_more(unused) == 1
    assert model.rowCount(unused) == 2
    accepted = model.group_index(ACCEPTED_GROUP)
    if model.canFetchMore(accepted):
        model.fetchMore(accepted)
    accept_finding(tenant.conn, "trait-unused", "trait", 6, "fine")
    assert model.refresh_groups({"trait-unused", ACCEPTED_GROUP}) is False  # in place
    assert [model.index(r, 0, unused).data(FINDING_ROLE).object_id
            for r in range(model.rowCount(unused))] == [7]
    assert model.group_index(ACCEPTED_GROUP).data() == "Accepted (2)"
    assert model.rowCount(model.group_index(ACCEPTED_GROUP)) == 2  # 5 and "Load more…"
    del tester
    assert not [r.message for r in qtlog.records if "FAIL" in r.message]
    qtmodeltester.check(model)  # and a whole walk of the result


def test_object_names_are_read_once_per_page_and_kind(tenant: Tenant) -> None:
    model = FindingsModel()
    model.set_connection(tenant.conn)
    statements: list[str] = []
    tenant.conn.set_trace_callback(statements.append)
    try:
        model.fetchMore(model.group_index("trait-unused"))
    finally:
        tenant.conn.set_trace_callback(None)
    unused = model.group_index("trait-unused")
    assert [model.index(r, 1, unused).data() for r in range(2)] == ["Lonely (5)",
                                                                     "Forgotten (6)"]
    assert len([s for s in statements if "FROM traits" in s]) == 1


def test_choosing_a_finding_shows_its_object(qtbot, panel: FindingsPanel) -> None:
    panel.show()
    index = _find_row(panel, "trait-unused", 6)
    with qtbot.waitSignal(panel.objectActivated) as blocker:
        qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.tree.visualRect(index).center())
    assert blocker.args == ["trait", 6]
    group = panel.model.group_index("trait-unused")
    with qtbot.assertNotEmitted(panel.objectActivated):
        panel.tree.setCurrentIndex(group)  # a group row is no object


def test_the_message_column_takes_the_width(qtbot, panel: FindingsPanel) -> None:
    panel.resize(1500, 300)
    panel.show()
    qtbot.waitExposed(panel)
    header = panel.tree.header()
    assert header.sectionSize(0) > 900
    assert header.sectionSize(2) <= 100
    assert header.sectionSize(1) >= 200


# --- summary rows and "not checked" ------------------------------------------------------------
def test_a_few_info_findings_stay_a_plain_group(panel: FindingsPanel) -> None:
    unused = panel.model.group_index("trait-unused")
    assert unused.data() == f"{CHECKS['trait-unused'].title} (2)"
    assert not panel.model.is_summary(unused)


def test_a_summary_check_is_one_row_whatever_its_count(qtbot, tmp_path: Path) -> None:
    t = Tenant(tmp_path / "only-target.aamws").base()
    t.destination(60, "DSP", "S2S")
    t.mapping(900, 60, 4)  # segment 4 is sent; the AEP segment 2 reaches only Target
    t.findings()
    panel = FindingsPanel(t.ws)
    qtbot.addWidget(panel)
    row = panel.model.group_index("segment-only-target")
    assert row.data() == (f"{CHECKS['segment-only-target'].title} — info summary, expand to "
                          "list (1)")
    assert not panel.tree.isExpanded(row)  # a summary row opens only when asked
    panel.tree.setCurrentIndex(row)
    text = panel.details.toPlainText()
    assert panel.details.isVisible() or not panel.isVisible()
    assert "1 finding." in text and "Expand the row to list them." in text
    assert CHECKS["segment-only-target"].explanation in text
    panel.tree.expand(row)
    first = panel.model.index(0, 0, row)
    assert panel.model.finding(first).object_id == 2  # type: ignore[union-attr]
    t.close()


def test_not_checked_rows_close_the_tree(qtbot, tenant: Tenant) -> None:
    tenant.gaps(Gap(ExportPart.DETAILS, "segments.json: exported without details",
                    kinds=("segment",)))
    with transaction(tenant.conn):
        refresh_findings(tenant.conn)
    panel = FindingsPanel(tenant.ws)
    qtbot.addWidget(panel)
    QAbstractItemModelTester(panel.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    keys = [panel.model.index(r, 0).data(GROUP_KEY_ROLE) for r in range(panel.model.rowCount())]
    assert keys[-1] == NOT_CHECKED_GROUP
    assert "trait-unused" not in keys  # rests on segment rules: no finding, not an error
    group = panel.model.group_index(NOT_CHECKED_GROUP)
    expected = [n.text for n in not_checked(tenant.conn)]
    assert group.data() == f"Not checked: {len(expected)} checks the export does not support"
    assert panel.tree.isExpanded(group)
    lines = [panel.model.index(r, 0, group).data() for r in range(panel.model.rowCount(group))]
    assert lines == expected
    assert ("not checked: Trait used by no segment — segments.json: exported without details"
            in lines)
    panel.tree.setCurrentIndex(panel.model.index(0, 0, group))
    assert panel.current_finding() is None and not panel.accept_action.isEnabled()
    assert expected[0] in panel.details.toPlainText()
