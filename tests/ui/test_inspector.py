"""The inspector widget on the imported sample tenant: what it shows, links, copying, toggling."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from explorer.importers import import_export
from explorer.kinds import ObjectRef
from explorer.report.inspector_html import (
    COLLAPSED_LIST_ROWS,
    DARK,
    EXPAND_LISTS_URL,
    TOGGLE_ALL_FIELDS_URL,
)
from explorer.store.annotations import set_annotation
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.ui.inspector import InspectorView
from tests.helpers.paths import DATA_DIR

SAMPLE_TENANT = DATA_DIR / "sample-tenant"
EVIL_NAME = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def sample_workspace_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inspector") / "ws.aamws"
    import_export(SAMPLE_TENANT, path)
    return path


@pytest.fixture
def workspace(sample_workspace_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(sample_workspace_path, readonly=True)
    yield ws
    ws.close()


@pytest.fixture
def view(qtbot, workspace: Workspace) -> InspectorView:
    widget = InspectorView(workspace)
    qtbot.addWidget(widget)
    widget.resize(700, 800)
    return widget


@pytest.fixture
def tampered_workspace(tmp_path: Path) -> Iterator[Workspace]:
    """The sample tenant with a trait named like a script tag and a rule naming a lost trait."""
    export = tmp_path / "export"
    shutil.copytree(SAMPLE_TENANT, export)
    traits = json.loads((export / "traits.json").read_text(encoding="utf-8"))
    next(t for t in traits if t["sid"] == 3100003)["name"] = EVIL_NAME
    (export / "traits.json").write_text(json.dumps(traits), encoding="utf-8")
    segments = json.loads((export / "segments.json").read_text(encoding="utf-8"))
    segment = next(s for s in segments if s["sid"] == 3200001)
    segment["segmentRule"] = "(3100001T) AND (1999999T)"
    (export / "segments.json").write_text(json.dumps(segments), encoding="utf-8")
    import_export(export, tmp_path / "ws.aamws")
    ws = Workspace.open(tmp_path / "ws.aamws", readonly=True)
    yield ws
    ws.close()


def _show(qtbot, view: InspectorView, ref: str) -> str:
    with qtbot.waitSignal(view.ready, timeout=2000):
        view.show_object(ObjectRef.parse(ref))
    return view.plain_text()


def test_trait_page(qtbot, view: InspectorView) -> None:
    text = _show(qtbot, view, "trait:3100001")
    assert view.current_ref == ObjectRef("trait", 3100001)
    for expected in ("Viewed Beach Holidays", "Trait · ID 3100001 · Rule-based", "ACTIVE",
                     "Bluefin Web (471201)", "Site Browsing / Holiday Types / Beach",
                     "Integration code", "web_beach_view", "120 days",
                     'c_trip_type == "beach"',
                     'In plain words: Qualifies when: customer-defined key c_trip_type equals',
                     "Segments using this trait (2)", "Beach Viewers - Platinum Members",
                     "Repeat Beach Browsers", "recency/frequency", "All fields (19)"):
        assert expected in text, expected
    assert "AEP segment ID" not in text
    assert "From Adobe Experience Platform" not in text


def test_segment_page(qtbot, view: InspectorView) -> None:
    text = _show(qtbot, view, "segment:3200001")
    for expected in ("Beach Viewers - Platinum Members", "Segment rule",
                     "ALL of\nViewed Beach Holidays 3100001T · ACTIVE · Rule-based · "
                     "TTL 120 days · 30-day uniques not in this export\n"
                     "AND Platinum Tier 3100004T · ACTIVE · Onboarded · TTL 0 (never expires) · "
                     "30-day uniques not in this export",
                     "Code view:\n(3100001T) AND (3100004T)",
                     "has trait 'Viewed Beach Holidays' (3100001) AND has trait 'Platinum Tier'",
                     "Members (last login) + this device (ID: 471210)",
                     "Cross-device option", "Homepage Hero Cookie", "2023-07-06",
                     "Total population", "72,480", "Campaigns / Onsite Tests"):
        assert expected in text, expected


def test_clicking_a_rule_reference_emits_the_trait(qtbot, view: InspectorView) -> None:
    _show(qtbot, view, "segment:3200001")
    assert 'href="aam://trait/3100004"' in view.browser.toHtml()
    with qtbot.waitSignal(view.objectLinkActivated, timeout=1000) as blocker:
        view.browser.anchorClicked.emit(QUrl("aam://trait/3100004"))
    assert blocker.args == ["trait", 3100004]


def test_other_links_navigate_and_foreign_urls_do_nothing(qtbot, view: InspectorView) -> None:
    _show(qtbot, view, "trait:3100001")
    html = view.browser.toHtml()
    for kind, object_id in (("data-source", 471201), ("trait-folder", 540132),
                            ("segment", 3200002)):
        assert f'href="aam://{kind}/{object_id}"' in html
        with qtbot.waitSignal(view.objectLinkActivated, timeout=1000) as blocker:
            view.browser.anchorClicked.emit(QUrl(f"aam://{kind}/{object_id}"))
        assert blocker.args == [kind, object_id]
    with qtbot.assertNotEmitted(view.objectLinkActivated):
        view.browser.anchorClicked.emit(QUrl("https://example.com/"))
    assert view.current_ref == ObjectRef("trait", 3100001)
    assert view.browser.loadResource(2, QUrl("https://example.com/x.png")) is None


def test_aep_trait_is_labelled(qtbot, view: InspectorView) -> None:
    text = _show(qtbot, view, "trait:3100006")
    assert "AEP segment ID\nd41e7a90-5c2b-4e3f-8a61-27b9c0f4e5d2" in text
    assert "From Adobe Experience Platform" in text
    assert "created by Adobe Experience Platform audience sharing" in text


def test_data_source_page(qtbot, view: InspectorView) -> None:
    text = _show(qtbot, view, "data-source:471201")
    for expected in ("ID type\nCookie", "Unique trait integration codes\nyes",
                     "Outbound S2S\nyes", "Inbound S2S\nno", "Traits in this data source\n4"):
        assert expected in text, expected


def test_missing_trait_and_escaped_names(qtbot, tampered_workspace: Workspace) -> None:
    view = InspectorView(tampered_workspace)
    qtbot.addWidget(view)
    text = _show(qtbot, view, "segment:3200001")
    assert "1999999T (missing from export)" in text
    assert "referenced trait(s) missing from export: 1999999T" in text
    text = _show(qtbot, view, "trait:3100003")
    assert text.startswith(EVIL_NAME)
    html = view.browser.toHtml()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_object_and_clear(qtbot, view: InspectorView) -> None:
    text = _show(qtbot, view, "trait:42")
    assert "Trait 42 is not in this workspace." in text
    assert view.details() is None
    with qtbot.waitSignal(view.ready, timeout=1000):
        view.clear()
    assert view.current_ref is None
    assert "Nothing selected" in view.plain_text()


def test_all_fields_toggle_sticks_across_objects(qtbot, view: InspectorView) -> None:
    text = _show(qtbot, view, "trait:3100001")
    assert "All fields (19)  Show" in text
    assert "traitRuleVersion" not in text
    view.browser.anchorClicked.emit(QUrl(TOGGLE_ALL_FIELDS_URL))
    text = view.plain_text()
    assert "All fields (19)  Hide" in text
    assert "traitRuleVersion\n1" in text and "backfillStatus\nNONE" in text
    text = _show(qtbot, view, "segment:3200001")
    assert "mergeRuleDataSourceId\n471210" in text  # still expanded for the next object
    other = InspectorView(view.workspace())  # and for the next window
    qtbot.addWidget(other)
    assert other.all_fields_expanded()
    view.browser.anchorClicked.emit(QUrl(TOGGLE_ALL_FIELDS_URL))
    assert "mergeRuleDataSourceId" not in view.plain_text()


def test_copy_id_name_and_integration_code(qtbot, view: InspectorView) -> None:
    clipboard = QGuiApplication.clipboard()
    _show(qtbot, view, "trait:3100006")
    view.copy_id()
    assert clipboard.text() == "3100006"
    view.copy_name()
    assert clipboard.text() == "AEP: Abandoned Booking (3d)"
    view.copy_integration_code()
    assert clipboard.text() == "d41e7a90-5c2b-4e3f-8a61-27b9c0f4e5d2"
    view.browser.selectAll()
    view.browser.copy()
    assert clipboard.text().startswith("AEP: Abandoned Booking (3d)")


def test_set_workspace_clears(qtbot, view: InspectorView) -> None:
    _show(qtbot, view, "trait:3100001")
    view.set_workspace(None)
    assert view.current_ref is None
    text = _show(qtbot, view, "trait:3100001")
    assert "not in this workspace" in text


def test_long_lists_show_all_on_request(qtbot, sample_workspace_path: Path,
                                        tmp_path: Path) -> None:
    path = tmp_path / "copy.aamws"
    shutil.copy(sample_workspace_path, path)
    ws = Workspace.open(path)
    extra = COLLAPSED_LIST_ROWS + 10
    with transaction(ws.conn) as conn:
        for n in range(extra):
            conn.execute("INSERT INTO segments (id, name, status, rule, raw) "
                         "VALUES (?, ?, 'ACTIVE', '3100004T', '{}')", (3_000_000 + n, f"Copy {n}"))
            conn.execute("INSERT INTO segment_traits VALUES (?, 3100004, 0, 0)", (3_000_000 + n,))
    view = InspectorView(ws)
    qtbot.addWidget(view)
    text = _show(qtbot, view, "trait:3100004")
    total = extra + 2  # the sample's own 3200001 and 3200003
    assert f"Segments using this trait ({total})" in text
    assert f"… and {total - COLLAPSED_LIST_ROWS} more  show all" in text
    assert f"Copy {extra - 1}" not in text
    view.browser.anchorClicked.emit(QUrl(EXPAND_LISTS_URL))
    text = view.plain_text()
    assert f"Copy {extra - 1}" in text and "show all" not in text
    text = _show(qtbot, view, "trait:3100004")  # a new selection starts collapsed again
    assert "show all" in text
    ws.close()


def test_findings_annotation_and_palette(qtbot, sample_workspace_path: Path,
                                         tmp_path: Path) -> None:
    path = tmp_path / "copy.aamws"
    shutil.copy(sample_workspace_path, path)
    ws = Workspace.open(path)
    with transaction(ws.conn) as conn:
        conn.execute("INSERT INTO findings (check_id, severity, object_kind, object_id, message) "
                     "VALUES ('unused-trait', 'warning', 'trait', 3100002, 'No segment <uses> it')")
        set_annotation(conn, "trait", 3100002, note="Ask the client\\nabout <this>",
                       tags=["cleanup"], status="to fix")
    view = InspectorView(ws)
    qtbot.addWidget(view)
    text = _show(qtbot, view, "trait:3100002")
    assert "Findings (1)" in text
    assert "\u25b2 WARNING No segment <uses> it [unused-trait]" in text
    assert "Annotation" in text and "Ask the client\\nabout <this>" in text
    assert "cleanup" in text and "Review status\nto fix" in text
    assert "#8A5300" in view.browser.toHtml().upper()
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1b1f23"))
    view.setPalette(dark)  # a theme switch re-renders in the dark colours
    assert DARK.link.lower() in view.browser.toHtml().lower()
    ws.close()


def test_segment_page_says_how_it_reaches_target(qtbot, tmp_path: Path) -> None:
    from explorer.store import usage_events as history
    from explorer.store.db import transaction

    import_export(SAMPLE_TENANT, tmp_path / "t.aamws")
    with Workspace.open(tmp_path / "t.aamws") as ws:
        view = InspectorView(ws)
        qtbot.addWidget(view)
        text = _show(qtbot, view, "segment:3200004")
        assert "Adobe Target: unknown" in text
        with transaction(ws.conn) as conn:
            history.add_event(conn, "2024-03-01", "shared audiences", "enabled")
        text = _show(qtbot, view, "segment:3200004")  # a paused segment
        assert "Adobe Target: shared" in text
        assert "enabled since 2024-03-01" in text
        assert "pausing does not remove it from Target" in text
        cookie = _show(qtbot, view, "destination:8102")
        assert "Cookie destinations do not deliver segments to Adobe Target" in cookie


# ----- top-level group pages: a group shows its own page, never "Nothing selected" ------------
def test_segment_storage_page_counts_and_explains_target_sharing(
        qtbot, sample_workspace_path: Path, tmp_path: Path) -> None:
    from explorer.analysis.usage import SHARING_FACTS
    from explorer.store import usage_events as history

    path = tmp_path / "events.aamws"
    shutil.copy(sample_workspace_path, path)
    ws = Workspace.open(path)
    try:
        with transaction(ws.conn):
            history.add_event(ws.conn, "2024-03-01", history.SHARED_AUDIENCES, "enabled")
        view = InspectorView(ws)
        qtbot.addWidget(view)
        view.show_group("segments")
        text = _flat(view.plain_text())
        assert text.startswith("Segment storage")
        assert "Segments 5 Folders 4 From AEP audience sharing 1" in text
        assert "Core Services Shared Audiences is enabled (since 2024-03-01)" in text
        assert all(_flat(fact) in text for fact in SHARING_FACTS)
        assert view.current_group() == "segments" and view.details() is None
        assert not view._copy_bar.isEnabled()
        view.show_object(ObjectRef("trait", 3100001))
        assert view.current_group() is None
    finally:
        ws.close()


def test_trait_storage_and_flat_group_pages(view: InspectorView) -> None:
    view.show_group("traits")
    text = _flat(view.plain_text())
    assert text.startswith("Trait storage")
    assert "Traits 7" in text and "Folders 11" in text and "From AEP audience sharing 1" in text
    assert "Target sharing" not in text
    view.show_group("merge-rules")
    text = _flat(view.plain_text())
    assert text.startswith("Merge rules") and "Merge rules 4" in text
    assert "Folders" not in text
    view.refresh()  # re-reads the group, not "Nothing selected"
    assert view.plain_text().startswith("Merge rules")
    view.clear()
    assert view.current_group() is None and "Nothing selected" in view.plain_text()


def test_group_page_html_is_escaped() -> None:
    from explorer.report.inspector_html.group import group_sections

    html = group_sections({"title": EVIL_NAME, "what": EVIL_NAME, "object_label": EVIL_NAME,
                           "objects": 3, "target_sharing": {"shared_audiences": "unknown"},
                           "sharing_facts": [EVIL_NAME]})
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") == 4


def _flat(text: str) -> str:
    """Page text with table cells and line breaks as single spaces."""
    return " ".join(text.split())


def test_the_inspector_and_show_json_show_the_same_view(view: InspectorView,
                                                         sample_workspace_path: Path) -> None:
    from click.testing import CliRunner

    from explorer.cli import main

    for kind, object_id in (("segment", 3200001), ("destination", 8102), ("trait", 3100001)):
        view.show_object(ObjectRef(kind, object_id))
        shown = CliRunner().invoke(main, ["show", str(sample_workspace_path), kind,
                                          str(object_id), "--json"])
        assert shown.exit_code == 0
        assert json.loads(shown.stdout) == json.loads(json.dumps(view.details(), default=str))
    assert view.details()["target_sharing"] is None  # a trait has no Target facts
    view.show_object(ObjectRef("segment", 3200001))
    assert "Adobe Target: unknown." in view.plain_text()


def test_the_overview_is_read_once_until_what_it_counts_changes(
        view: InspectorView, monkeypatch: pytest.MonkeyPatch) -> None:
    import explorer.ui.inspector as inspector_module
    from explorer.analysis.diff import Diff

    reads: list[object] = []
    read = inspector_module.tenant_overview

    def counted(conn, diff=None):  # type: ignore[no-untyped-def]
        reads.append(diff)
        return read(conn, diff)

    monkeypatch.setattr(inspector_module, "tenant_overview", counted)
    view.show_overview()
    assert len(reads) == 1
    # a new diff and a mask only re-render the overview read already
    view.set_overview_diff(Diff(added=[{"kind": "trait", "id": 1}], from_label="import 1",
                                to_label="import 2"))
    assert "Since import 1: 1 added" in view.plain_text()
    view.set_text_mask(None)
    view.show_overview()
    assert len(reads) == 1
    # findings, annotations or events changed: read again on the next showing
    view.forget_overview()
    view.show_overview()
    assert len(reads) == 2
    assert "Since import 1" not in view.plain_text()
    view.refresh()  # re-reads what it shows
    assert len(reads) == 3
