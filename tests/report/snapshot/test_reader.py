"""The snapshot as the client reads it, on the demo tenant: one truth with the app (severities,
counts, mapping states), the executive summary, notes inside their cards, scopes that show
nothing outside themselves, honest masking and cost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explorer.analysis.mapping_status import MappingState, mapping_states
from explorer.kinds import ObjectRef
from explorer.masking import MaskRules, masker_for
from explorer.report.export import resolve_mask
from explorer.report.scope import resolve_scope, split_scope_words
from explorer.report.snapshot import build_snapshot, render_html
from explorer.report.snapshot.findings import COMMON_INFO_LIMIT
from explorer.report.snapshot.model import PriceChoice
from explorer.store.annotations import set_annotation
from explorer.store.db import transaction
from explorer.store.tree import load_folder_tree
from explorer.store.usage_events import set_price
from explorer.store.workspace import Workspace
from tests.helpers.snapshot_workspaces import demo_workspace, scan

NOTE_TEXT = "Ask the CRM team whether this tier is still sold"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("demo") / "d.aamws")
    with transaction(ws.conn):
        set_annotation(ws.conn, "trait", _first_trait(ws), note=NOTE_TEXT, tags=["crm"],
                       status="to fix")
        set_price(ws.conn, 0.05)
    yield ws
    ws.close()


def _first_trait(ws: Workspace) -> int:
    return ws.conn.execute("SELECT min(id) FROM traits").fetchone()[0]


@pytest.fixture(scope="module")
def report(demo: Workspace):
    return build_snapshot(demo.conn, title="Northwind review", chart_renderer=None)


@pytest.fixture(scope="module")
def html(report) -> str:
    return render_html(report)


def test_a_findings_badge_never_differs_from_its_groups_severity(report, html: str) -> None:
    assert report.findings
    for group in report.findings + report.accepted:
        assert {item.severity for item in group.items} == {group.severity}, group.title
    # the escalated "integration code shared" findings (errors) stand in an error group
    shared = [g for g in report.findings if g.check == "duplicate-integration-code"]
    assert [g.severity for g in shared] == ["error"]
    # in the page: each group's heading chip is the only chip of its box, and says its group
    headings = list(re.finditer(r'<h3><a name="check-[^"]+-(error|warning|info)"></a>(.*?)</h3>',
                                html, re.DOTALL))
    assert len(headings) == len([g for g in report.findings if not g.common])
    for match in headings:
        chips = re.findall(r'class="chip sev-(\w+)"', match.group(2))
        assert chips == [match.group(1)]


def test_groups_are_most_severe_first_then_most_frequent(report) -> None:
    ranks = {"error": 0, "warning": 1, "info": 2}
    keys = [(ranks[g.severity], -len(g.items)) for g in report.findings]
    assert keys == sorted(keys)


def test_contents_counts_equal_the_trees(demo: Workspace, report, html: str) -> None:
    for group in report.groups:
        if group.folder_kind is None:
            continue
        tree = load_folder_tree(demo.conn, group.folder_kind)
        for section in group.folders:
            folder_id = int(section.anchor.rsplit("-", 1)[-1])
            if folder_id in tree.folders:
                assert section.count == tree.subtree_counts[folder_id], section.title
            elif folder_id:  # a folder the export lacks: the tree counts its objects
                assert section.count == tree.direct_counts[folder_id], section.title
    traits = next(g for g in report.groups if g.kind == "trait")
    web = next(s for s in traits.folders if s.path == ["Web Behavior"])
    assert web.count == 136  # the tree's count, subfolders included (direct children: 0)
    toc = html[html.index('id="contents"'):html.index('id="findings"')]
    assert re.search(r">Web Behavior</a> <span class=\"muted\">\(136\)", toc)
    total = demo.conn.execute("SELECT count(*) FROM traits").fetchone()[0]
    assert traits.count() == total


def test_mapping_states_come_from_the_one_function(demo: Workspace, report) -> None:
    export_date = demo.conn.execute("SELECT export_date FROM imports").fetchone()[0]
    states = mapping_states(demo.conn, export_date)
    ended = [m for m, s in states.items() if s == MappingState.ENDED]
    assert ended, "the demo has an ended mapping"
    destination_id = demo.conn.execute("SELECT destination_id FROM destination_mappings "
                                       "WHERE id = ?", (ended[0],)).fetchone()[0]
    row = next(e for g in report.groups for e in g.entries()
               if (e.kind, e.id) == ("destination", destination_id))
    assert "ended" in row.facts
    for entry in (e for g in report.groups for e in g.entries() if e.body is not None):
        for cells in re.findall(r"<tr>((?:<td[^>]*>.*?</td>){5,6})</tr>", str(entry.body)):
            if "2020-" in cells and "never" not in cells:  # an end date long past
                assert ">active<" not in cells.lower()


def test_executive_summary_first_with_top_findings_and_notes_to_fix(html: str) -> None:
    page = scan(html)
    summary = html[html.index('id="summary"'):html.index('id="contents"')]
    assert "Executive summary" in summary and "Top findings" in summary
    assert "What it risks" in summary and "What to do" in summary
    assert "Integration code shared within a data source" in summary
    assert "Ask the CRM team" in summary  # the note marked "to fix"
    assert "Target calls a month" in summary
    assert "Export gaps" in summary
    assert html.index('id="summary"') < html.index('id="contents"') < \
        html.index('id="findings"') < html.index('id="notes"') < html.index('id="objects"')
    assert "summary" in page.ids


def test_a_note_stands_inside_its_objects_card(demo: Workspace, html: str) -> None:
    anchor = f"trait-{_first_trait(demo)}"
    card = re.search(rf'<table class="card annotated"[^>]*id="{anchor}">(.*?)'
                     r'<div class="inspector">', html, re.DOTALL)
    assert card is not None
    assert NOTE_TEXT in card.group(1) and "to fix" in card.group(1)
    assert html.count(NOTE_TEXT) == 2  # the card and the summary's "to fix" list


def test_compact_rows_for_all_and_cards_only_for_findings_notes_picks(report) -> None:
    entries = [e for g in report.groups for e in g.entries()]
    assert len(entries) == 357
    with_cards = [e for e in entries if e.body is not None]
    assert 0 < len(with_cards) < 40
    for entry in with_cards:
        assert entry.finding_count or entry.annotation is not None
    for entry in entries:
        if entry.body is None:
            assert not entry.annotation


def test_very_common_info_findings_are_one_row_with_a_collapsible_list(demo: Workspace,
                                                                       tmp_path: Path) -> None:
    from explorer.analysis.findings import list_findings

    unused = [f for f in list_findings(demo.conn) if f.check == "trait-unused"]
    assert len(unused) <= COMMON_INFO_LIMIT  # the demo's: a normal group
    many = demo.conn.execute("SELECT id FROM traits ORDER BY id LIMIT ?",
                             (COMMON_INFO_LIMIT + 5,)).fetchall()
    copy = tmp_path / "many.aamws"
    demo.conn.execute("VACUUM INTO ?", (str(copy),))
    with Workspace.open(copy) as ws, transaction(ws.conn):
        ws.conn.executemany(
            "INSERT OR IGNORE INTO findings(check_id, severity, object_kind, object_id, "
            "message) VALUES ('trait-unused', 'info', 'trait', ?, 'never used')", many)
    with Workspace.open(copy, readonly=True) as ws:
        report = build_snapshot(ws.conn, chart_renderer=None)
        page = render_html(report)
        other = {(f.object_kind, f.object_id) for f in list_findings(ws.conn)
                 if f.check != "trait-unused"}
    group = next(g for g in report.findings if g.check == "trait-unused")
    assert group.common and len(group.items) > COMMON_INFO_LIMIT
    assert '<details class="common-list"><summary>List the' in page
    assert "<script" not in page
    assert 'id="check-trait-unused-info"' in page
    # no card for an object whose only finding is the common one
    cards = {(e.kind, e.id) for e in report.cards()}
    only_unused = {("trait", r[0]) for r in many} - other
    assert only_unused
    assert not (only_unused & cards - {(e.kind, e.id) for e in report.annotated_cards()})


def test_a_folder_scoped_snapshot_shows_nothing_outside_its_scope(demo: Workspace) -> None:
    folder_id = demo.conn.execute("SELECT id FROM segment_folders WHERE name = 'Email'"
                                  ).fetchone()[0]
    scope = resolve_scope(demo.conn, [ObjectRef("segment-folder", folder_id)])
    report = build_snapshot(demo.conn, scope=scope,
                            chart_renderer=lambda _spec: b"\x89PNG not drawn")
    page = render_html(report)
    ids = scan(page).ids
    in_scope = {f"segment-{i}" for i in scope.ids("segment")}
    objects = {i.removeprefix("row-") for i in ids
               if re.fullmatch(r"(row-)?[a-z]+(-[a-z]+)*-\d+", i)
               and not i.startswith(("check-", "segment-folder-section", "lineage-"))}
    assert objects and objects <= in_scope
    drawn = {i.removeprefix("lineage-") for i in ids if i.startswith("lineage-")}
    assert drawn <= in_scope | {f"segment-folder-{folder_id}"}  # the pick itself
    for group in report.findings + report.accepted:
        for item in group.items:
            assert item.object_key is not None
            kind, object_id = item.object_key
            assert scope.contains(kind, object_id) or kind == "destination-mapping"
    assert report.usage is None and "target-calls" not in ids and "<img" not in page
    assert [label for label, _shown, _total in report.counts] == ["Segment folders", "Segments"]
    asked = build_snapshot(demo.conn, scope=scope, usage=True, chart_renderer=None)
    assert asked.usage is not None  # the chart chapter only when asked


def test_special_scopes(demo: Workspace) -> None:
    assert split_scope_words(["with-findings"]) == ("with-findings", [])
    with_findings = resolve_scope(demo.conn, special="with-findings")
    open_traits = {r[0] for r in demo.conn.execute(
        "SELECT object_id FROM findings WHERE object_kind = 'trait'")}
    assert with_findings.ids("trait") == open_traits
    assert not with_findings.whole_tenant
    annotated = resolve_scope(demo.conn, special="annotated")
    assert annotated.ids("trait") == {_first_trait(demo)}
    report = build_snapshot(demo.conn, scope=annotated, chart_renderer=None)
    assert report.scope_lines == ["Annotated objects"]
    assert report.object_count() == 1 and len(report.annotated_cards()) == 1


def test_a_masked_snapshot_says_so_and_holds_no_masked_value(demo: Workspace) -> None:
    rules = MaskRules(True, ("Northwind",), (), frozenset({"pid"}))
    mask, note = resolve_mask(masker_for(demo, rules))
    assert mask is not None and note is not None
    page = render_html(build_snapshot(demo.conn, mask=mask, masking=note, chart_renderer=None))
    text = scan(page).all_text
    assert "This snapshot is masked" in text and "1 client term" in text
    assert "partner ids" in text
    assert "northwind" not in page.lower()
    assert not re.search(r"(?<!\d)5150(?!\d)", text)  # the partner id
    plain = render_html(build_snapshot(demo.conn, chart_renderer=None))
    assert "This snapshot is masked" not in plain and "Northwind" in plain


def test_no_cost_without_the_users_choice(demo: Workspace) -> None:
    # a price is saved in the workspace (the trends panel), yet the report shows no cost
    plain = render_html(build_snapshot(demo.conn, chart_renderer=None))
    assert "Estimated cost" not in plain and "cost units" not in plain
    chosen = build_snapshot(demo.conn, chart_renderer=None, price=PriceChoice(0.05, "EUR"))
    page = render_html(chosen)
    assert "Estimated cost (EUR)" in page and "EUR a month" in page
    summary = page[page.index('id="summary"'):page.index('id="contents"')]
    assert "Estimated cost: about" in summary
    units = render_html(build_snapshot(demo.conn, chart_renderer=None,
                                       price=PriceChoice(0.05)))
    assert "Estimated cost (cost units)" in units
