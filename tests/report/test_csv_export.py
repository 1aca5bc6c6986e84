"""CSV export of findings, annotations, search results and lists; the snapshot CLI."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main
from explorer.report.csv_export import (
    annotations_csv,
    findings_csv,
    safe_cell,
    search_csv,
)
from explorer.store.annotations import set_annotation
from explorer.store.db import transaction
from tests.helpers.snapshot_workspaces import SAMPLE_TENANT, demo_workspace, import_workspace, scan


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "d.aamws"
    with demo_workspace(path) as ws, transaction(ws.conn):
        set_annotation(ws.conn, "trait", 1100001, note="=HYPERLINK(\"x\")\nline 2",
                       tags=["a", "b"], status="to fix")
    return path


def test_findings_csv_lists_every_finding(demo_path: Path) -> None:
    from explorer.store.workspace import Workspace

    with Workspace.open(demo_path, readonly=True) as ws:
        out = io.StringIO()
        count = findings_csv(ws.conn, out)
        stored = ws.conn.execute("SELECT count(*) FROM findings").fetchone()[0]
    rows = _rows(out.getvalue())
    assert count == stored == len(rows) - 1
    assert rows[0][:3] == ["Severity", "Check", "Title"]
    assert rows[1][0] == "error"  # most severe first
    unused = [r for r in rows if r[1] == "trait-unused"]
    assert unused and all(r[3] == "trait" and r[5] for r in unused)  # with the object's name


def test_findings_csv_cites_the_documentation_url(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "findings.csv"
    result = CliRunner().invoke(main, ["export-csv", str(demo_path), "findings",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _rows(out.read_text(encoding="utf-8-sig"))
    assert rows[0][-1] == "Documentation"
    by_check = {r[1]: r[-1] for r in rows[1:]}
    assert by_check["trait-unused"] == ("https://experienceleague.adobe.com/docs/audience-manager/"
                                        "user-guide/features/administration/usage-limits.html")
    assert all(url.startswith("https://experienceleague.adobe.com/") for url in by_check.values())
    assert not any(".md" in url for url in by_check.values())


def test_annotations_csv_keeps_line_breaks_and_defuses_formulas(demo_path: Path) -> None:
    from explorer.store.workspace import Workspace

    with Workspace.open(demo_path, readonly=True) as ws:
        out = io.StringIO()
        assert annotations_csv(ws.conn, out) == 1
    rows = _rows(out.getvalue())
    assert rows[1][:5] == ["Trait", "1100001", "Viewed Rain Shells", "to fix", "a, b"]
    assert rows[1][5] == "'=HYPERLINK(\"x\")\nline 2"


def test_search_csv(demo_path: Path) -> None:
    from explorer.store.workspace import Workspace

    with Workspace.open(demo_path, readonly=True) as ws:
        out = io.StringIO()
        count = search_csv(ws.conn, "running", out)
    rows = _rows(out.getvalue())
    assert count == len(rows) - 1 >= 2
    assert all("running" in r[2].lower() or r[0] for r in rows[1:])


def test_safe_cell() -> None:
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("@SUM") == "'@SUM"
    assert safe_cell(-5) == "-5" and safe_cell(None) == "" and safe_cell(True) == "yes"
    assert safe_cell("plain") == "plain"


def test_export_csv_command(demo_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for args in (["findings"], ["annotations"], ["search", "running"], ["list", "trait"],
                 ["list", "trait-folder:210002"]):
        out = tmp_path / f"{args[0]}.csv"
        result = runner.invoke(main, ["export-csv", str(demo_path), *args, "--out", str(out)])
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8-sig")
        assert len(_rows(text)) > 1, args
    traits = _rows((tmp_path / "list.csv").read_text(encoding="utf-8-sig"))
    assert len(traits) - 1 == 8  # the folder's traits (the last `list` run)
    bad = runner.invoke(main, ["export-csv", str(demo_path), "list", "nonsense",
                               "--out", str(tmp_path / "x.csv")])
    assert bad.exit_code != 0


def test_snapshot_command_writes_html_pdf_and_bundle(tmp_path: Path) -> None:
    workspace = tmp_path / "s.aamws"
    import_workspace(SAMPLE_TENANT, workspace).close()
    html, pdf, bundle = tmp_path / "s.html", tmp_path / "s.pdf", tmp_path / "s.aamsnap"
    result = CliRunner().invoke(main, [
        "snapshot", str(workspace), "--out", str(html), "--pdf", str(pdf), "--bundle",
        str(bundle), "--scope", "trait-folder:540130", "--title", "Site browsing review"])
    assert result.exit_code == 0, result.output
    page = scan(html.read_text(encoding="utf-8"))
    assert "Site browsing review" in page.all_text and "row-trait-3100001" in page.ids
    assert "trait-3100004" not in page.ids
    assert pdf.read_bytes().startswith(b"%PDF")
    with zipfile.ZipFile(bundle) as archive:
        assert set(archive.namelist()) == {"snapshot.html", "workspace.aamws", "manifest.json"}


def test_snapshot_command_refuses_bad_input(tmp_path: Path) -> None:
    workspace = tmp_path / "s.aamws"
    import_workspace(SAMPLE_TENANT, workspace).close()
    runner = CliRunner()
    no_output = runner.invoke(main, ["snapshot", str(workspace)])
    assert no_output.exit_code == 2 and "--out" in no_output.output
    unknown = runner.invoke(main, ["snapshot", str(workspace), "--out", str(tmp_path / "x"),
                                   "--scope", "trait:42"])
    assert unknown.exit_code == 1 and "no such trait" in unknown.output
    malformed = runner.invoke(main, ["snapshot", str(workspace), "--out", str(tmp_path / "x"),
                                     "--scope", "folder"])
    assert malformed.exit_code == 1 and "KIND:ID" in malformed.output
