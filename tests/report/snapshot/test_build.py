"""The HTML snapshot of the sample and demo tenants: content, scope, escaping, masking."""

from __future__ import annotations

import base64
import html as html_lib
import json
import re
import sqlite3
from pathlib import Path

import pytest

from explorer.analysis.findings import accept_finding
from explorer.kinds import ObjectRef
from explorer.report.qt.chart_png import render_target_chart
from explorer.report.scope import ScopeError, reference_closure, resolve_scope
from explorer.report.snapshot import build_snapshot, doc_link, render_html, render_snapshot
from explorer.store.annotations import set_annotation
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from tests.helpers.paths import REPO_ROOT
from tests.helpers.snapshot_workspaces import (
    SAMPLE_TENANT,
    demo_workspace,
    import_workspace,
    scan,
    self_containment_problems,
)

NASTY = 'Käufer 東京 "quoted" <script>alert(1)</script></td>'
NOTE = "First line & more\nSecond line: <b>not bold</b>\n東京 'single' \"double\""


def _no_chart(_spec: object) -> bytes:
    raise AssertionError("no chart expected for a tenant without usage")


@pytest.fixture(scope="module")
def sample_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = import_workspace(SAMPLE_TENANT, tmp_path_factory.mktemp("sample") / "s.aamws")
    with transaction(ws.conn):
        set_annotation(ws.conn, "segment", 3200001, note="Check with the CRM team\nbefore Q3",
                       tags=["crm", "review"], status="to fix")
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("demo") / "d.aamws")
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def demo_html(demo_ws: Workspace) -> str:
    return render_snapshot(demo_ws.conn, title="Northwind review",
                           chart_renderer=render_target_chart)


def _ids(conn: sqlite3.Connection, table: str) -> set[int]:
    return {r[0] for r in conn.execute(f"SELECT id FROM {table}")}


def test_sample_whole_tenant_snapshot(sample_ws: Workspace) -> None:
    html = render_snapshot(sample_ws.conn, chart_renderer=_no_chart)
    page = scan(html)
    text = page.all_text
    assert {"summary", "notes", "findings", "objects", "contents"} <= page.ids
    assert "target-calls" not in page.ids  # the sample has no usage data
    assert "7315" in text and "2023-08-18" in text  # partner id, snapshot (export) date
    assert "Export date" in text and "Snapshot taken" in text and "The whole tenant" in text
    for kind, table in (("trait", "traits"), ("segment", "segments"),
                        ("data-source", "data_sources"), ("merge-rule", "merge_rules"),
                        ("destination", "destinations")):
        for object_id in _ids(sample_ws.conn, table):
            assert f"row-{kind}-{object_id}" in page.ids, (kind, object_id)
    assert "Viewed Beach Holidays" in text and "Beach Viewers - Platinum Members" in text
    assert "Check with the CRM team\nbefore Q3" in text
    assert "Check with the CRM team<br>\nbefore Q3" in html  # line breaks kept
    assert "#crm" in text and "to fix" in text
    assert self_containment_problems(html) == []


def test_summary_counts_per_kind_and_findings_by_severity(demo_ws: Workspace) -> None:
    report = build_snapshot(demo_ws.conn, chart_renderer=None)
    counts = {label: (shown, total) for label, shown, total in report.counts}
    assert counts["Traits"] == (248, 248) and counts["Segments"] == (85, 85)
    by_severity = {s: (o, a) for s, o, a in report.finding_counts}
    stored = dict(demo_ws.conn.execute(
        "SELECT severity, count(*) FROM findings GROUP BY severity").fetchall())
    assert by_severity["Error"][0] == stored["error"]
    assert by_severity["Warning"][0] == stored["warning"]


def test_folder_scope_includes_subfolders_and_nothing_else(sample_ws: Workspace) -> None:
    scope = resolve_scope(sample_ws.conn, [ObjectRef("trait-folder", 540130)])
    assert scope.ids("trait-folder") == {540130, 540131, 540132, 540133}
    assert scope.ids("trait") == {3100001, 3100002, 3100003}
    page = scan(render_snapshot(sample_ws.conn, scope=scope, chart_renderer=None))
    for trait_id in (3100001, 3100002, 3100003):
        assert f"row-trait-{trait_id}" in page.ids
    for trait_id in (3100004, 3100005, 3100006, 3100010):
        assert f"row-trait-{trait_id}" not in page.ids and f"trait-{trait_id}" not in page.ids
    assert not any(i.startswith(("segment-", "row-segment-")) for i in page.ids)
    assert "Trait folder: Site Browsing (540130), with its subfolders" in page.all_text


def test_picked_objects_and_data_source_scope(sample_ws: Workspace) -> None:
    source_id = sample_ws.conn.execute("SELECT data_source_id FROM traits WHERE id = 3100001"
                                       ).fetchone()[0]
    scope = resolve_scope(sample_ws.conn, [ObjectRef("segment", 3200003),
                                           ObjectRef("data-source", source_id)])
    in_source = {r[0] for r in sample_ws.conn.execute(
        "SELECT id FROM traits WHERE data_source_id = ?", (source_id,))}
    assert scope.ids("trait") == in_source
    assert 3200003 in scope.ids("segment")
    segments = {3200003} | {r[0] for r in sample_ws.conn.execute(
        "SELECT id FROM segments WHERE data_source_id = ?", (source_id,))}
    assert scope.ids("segment") == segments
    page = scan(render_snapshot(sample_ws.conn, scope=scope, chart_renderer=None))
    shown = {int(i.split("-")[2]) for i in page.ids if re.fullmatch(r"row-segment-\d+", i)}
    assert shown == segments
    assert {int(i.split("-")[2]) for i in page.ids if re.fullmatch(r"row-trait-\d+", i)} \
        == in_source


def test_unknown_or_unscopable_picks_are_refused(sample_ws: Workspace) -> None:
    with pytest.raises(ScopeError, match="no such trait"):
        resolve_scope(sample_ws.conn, [ObjectRef("trait", 42)])
    with pytest.raises(ScopeError, match="cannot be a scope"):
        resolve_scope(sample_ws.conn, [ObjectRef("destination-mapping", 1)])


def test_reference_closure_adds_what_scoped_segments_need(sample_ws: Workspace) -> None:
    scope = resolve_scope(sample_ws.conn, [ObjectRef("segment", 3200004)])
    keep = reference_closure(sample_ws.conn, scope)
    assert keep["trait"] == {3100003, 3100010}  # the traits its rule names
    assert {540130, 540133, 540101, 540102} <= keep["trait-folder"]  # their folder chains
    merge_rule = sample_ws.conn.execute(
        "SELECT merge_rule_id FROM segments WHERE id = 3200004").fetchone()[0]
    assert merge_rule in keep["merge-rule"]
    assert keep["segment"] == {3200004}


def test_links_inside_objects_point_at_anchors_in_the_page(sample_ws: Workspace) -> None:
    scope = resolve_scope(sample_ws.conn, [ObjectRef("segment", 3200001),
                                           ObjectRef("trait", 3100001)])
    html = render_snapshot(sample_ws.conn, scope=scope, chart_renderer=None)
    assert "aam://" not in html
    assert 'href="#trait-3100001"' in html  # in the snapshot: a link
    assert 'href="#trait-3100004"' not in html  # not in it: the name without a link
    assert "Platinum Tier" in scan(html).all_text


def test_demo_snapshot_has_chart_monthly_table_and_events(demo_html: str) -> None:
    page = scan(demo_html)
    assert "target-calls" in page.ids
    charts = [src for src in page.images if src.startswith("data:image/png;base64,")]
    assert len(charts) == 1
    png = base64.b64decode(charts[0].split(",", 1)[1])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000
    text = page.all_text
    assert "2024-11" in text and "2026-10" in text  # first and last month rows
    assert "11,995,049" in text  # Target calls of 2024-11
    assert "Once Per Session" in text and "430,029" in text and "277,993" in text
    assert "-35.4 %" in text
    assert self_containment_problems(demo_html) == []


def test_demo_findings_grouped_with_explanation_fix_and_doc_link(demo_html: str) -> None:
    page = scan(demo_html)
    assert "check-trait-unused-info" in page.ids
    assert "check-segment-missing-trait-warning" in page.ids
    text = page.all_text
    assert "Why it matters" in text and "How to fix" in text
    doc_links = [v for _t, _a, v in page.external]
    assert any(v.endswith("features/segments/segment-code-syntax.html") for v in doc_links)


def test_doc_link_maps_citations_to_experience_league() -> None:
    title, url = doc_link("Experience League: Audience Manager › Segments › Segment code "
                          "syntax (segment-code-syntax.md)")
    assert title == "Audience Manager › Segments › Segment code syntax"
    assert url == ("https://experienceleague.adobe.com/docs/audience-manager/user-guide/"
                   "features/segments/segment-code-syntax.html")
    assert doc_link("a page we do not know (unknown.md)") == ("a page we do not know", None)


def test_accepted_findings_are_listed_apart(tmp_path: Path) -> None:
    with demo_workspace(tmp_path / "d.aamws") as ws:
        trait_id = ws.conn.execute("SELECT object_id FROM findings WHERE check_id = "
                                   "'trait-unused' ORDER BY object_id LIMIT 1").fetchone()[0]
        accept_finding(ws.conn, "trait-unused", "trait", trait_id, "kept for <reporting>")
        report = build_snapshot(ws.conn, chart_renderer=None)
        open_unused = next(g for g in report.findings if g.check == "trait-unused")
        assert all(f"({trait_id})" not in i.object_label for i in open_unused.items)
        accepted = next(g for g in report.accepted if g.check == "trait-unused")
        assert [i.accepted_reason for i in accepted.items] == ["kept for <reporting>"]
        html = render_html(report)
        assert "accepted-findings" in scan(html).ids
        assert "kept for &lt;reporting&gt;" in html


def test_values_are_escaped_and_intact(tmp_path: Path) -> None:
    with import_workspace(SAMPLE_TENANT, tmp_path / "s.aamws") as ws:
        with transaction(ws.conn):
            ws.conn.execute("UPDATE traits SET name = ?, description = ? WHERE id = 3100001",
                            (NASTY, NASTY))
            set_annotation(ws.conn, "trait", 3100001, note=NOTE, tags=[NASTY], status="open")
        html = render_snapshot(ws.conn, title=NASTY, chart_renderer=None)
    page = scan(html)
    assert "script" not in page.tags  # the <script> in the data never became a tag
    assert "<script>alert(1)" not in html
    assert self_containment_problems(html) == []
    # the title, the object's heading and the note come back exactly as typed
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)
    assert html_lib.unescape(title) == NASTY
    heading = re.search(r'id="trait-3100001">.*?<h1>(.*?)</h1>', html, re.DOTALL).group(1)
    assert html_lib.unescape(heading) == NASTY
    note = re.search(r'id="trait-3100001">.*?<p class="note-text">(.*?)</p>', html,
                     re.DOTALL).group(1)
    assert html_lib.unescape(note.replace("<br>\n", "\n")) == NOTE
    assert page.all_text.count(NASTY) >= 4  # title, heading, description, tag, note list...


def test_mask_applies_to_every_client_string(sample_ws: Workspace) -> None:
    names = [r[0] for r in sample_ws.conn.execute("SELECT name FROM traits UNION "
                                                  "SELECT name FROM segments")]

    def mask(text: str) -> str:
        return "▒" * min(len(text), 12)

    report = build_snapshot(sample_ws.conn, title="Client Inc audit", mask=mask,
                            chart_renderer=None)
    html = render_html(report)
    text = scan(html).all_text
    for name in names:
        assert name not in text, name
    assert "Check with the CRM team" not in text and "Client Inc" not in text
    assert "7315" not in text  # the partner id identifies the client too
    assert "ACTIVE" in text and "Segment rule" in text  # AAM vocabulary stays readable
    assert "▒▒▒▒" in text


def test_left_out_objects_are_counted(demo_ws: Workspace) -> None:
    report = build_snapshot(demo_ws.conn, chart_renderer=None, max_objects=10)
    assert report.object_count() == 10
    assert report.left_out == 357 - 10
    assert "347 more are in scope" in scan(render_html(report)).all_text


def test_changes_since_import(tmp_path: Path, sample_tenant: Path) -> None:
    workspace_path = tmp_path / "s.aamws"
    import_workspace(sample_tenant, workspace_path).close()
    traits_file = sample_tenant / "traits.json"
    traits = json.loads(traits_file.read_text(encoding="utf-8"))
    traits[0]["name"] = "Viewed Beach Holidays (renamed)"
    traits_file.write_text(json.dumps(traits), encoding="utf-8")
    with import_workspace(sample_tenant, workspace_path) as ws:
        first = ws.imports()[0].id
        report = build_snapshot(ws.conn, since_import=first, chart_renderer=None)
        html = render_html(report)
    assert report.changes is not None
    assert [(c["kind"], c["id"]) for c in report.changes.changed] == [("trait", 3100001)]
    page = scan(html)
    assert "changes" in page.ids
    assert f"Changes since import {first}" in page.all_text
    assert "Viewed Beach Holidays (renamed)" in page.all_text


def test_a_failing_chart_does_not_lose_the_report(demo_ws: Workspace) -> None:
    def broken(_spec: object) -> bytes:
        raise RuntimeError("no display")

    report = build_snapshot(demo_ws.conn, chart_renderer=broken)
    assert report.usage is not None and report.usage.chart_png is None
    assert "The chart could not be drawn: no display" in scan(render_html(report)).all_text


def test_template_files_are_in_the_resources() -> None:
    folder = REPO_ROOT / "resources" / "templates"
    assert {p.name for p in folder.iterdir()} >= {"snapshot.html.j2", "snapshot-browser.css",
                                                  "snapshot-qt.css"}


@pytest.mark.parametrize("option, name", [("--out", "x.html"), ("--pdf", "x.pdf"),
                                          ("--bundle", "x.aamsnap")])
def test_cli_refuses_an_output_in_a_missing_folder(sample_ws: Workspace, tmp_path: Path,
                                                   option: str, name: str) -> None:
    from click.testing import CliRunner

    from explorer.cli import main

    folder = tmp_path / "no-such-dir"
    result = CliRunner().invoke(main, ["snapshot", str(sample_ws.path), option,
                                       str(folder / name)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output.strip().splitlines() == [
        f"Error: {option} {folder / name}: the folder {folder} does not exist"]
    assert not folder.exists()  # refused, not created
