"""One value, one alias: the window, the CLI's masked snapshot and CSV, and a snapshot
exported from the window all read "Term 1" for the same term."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main as cli_main
from explorer.importers import import_export
from explorer.kinds import ObjectRef
from explorer.masking import MaskRules, save_rules
from explorer.store.workspace import Workspace
from explorer.ui.main_window import MainWindow

TRAIT = ObjectRef("trait", 3100001)  # "Viewed Beach Holidays" in the sample tenant
RULES = MaskRules(True, ("Northwind", "Holidays"), (), frozenset({"pid"}))


@pytest.fixture
def workspace_path(sample_workspace: Path) -> Path:
    with Workspace.open(sample_workspace) as workspace:
        save_rules(workspace, RULES)
    return sample_workspace


def test_window_and_cli_outputs_use_the_same_aliases(workspace_path: Path, tmp_path: Path,
                                                     qtbot) -> None:
    window = MainWindow(restore_settings=False)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10000):
        assert window.open_workspace(workspace_path, select=TRAIT)
    assert window.workshop.masker is not None  # the saved rules are on
    shown = window.inspector.plain_text()
    # "Holidays" is the second term
    assert "Viewed Beach Term 2" in shown and "Holidays" not in shown
    window.close()

    runner = CliRunner()
    html_out = tmp_path / "masked.html"
    result = runner.invoke(cli_main, ["snapshot", str(workspace_path), "--out", str(html_out),
                                      "--no-chart", "--mask"])
    assert result.exit_code == 0, result.output
    html = html_out.read_text(encoding="utf-8")
    assert "Viewed Beach Term 2" in html and "Holidays" not in html
    csv_out = tmp_path / "traits.csv"
    result = runner.invoke(cli_main, ["export-csv", str(workspace_path), "list", "trait",
                                      "--out", str(csv_out), "--mask"])
    assert result.exit_code == 0, result.output
    with csv_out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    names = {cell for row in rows[1:] for cell in row}
    assert "Viewed Beach Term 2" in names and not any("Holidays" in cell for cell in names)
    plain = tmp_path / "plain.csv"
    assert runner.invoke(cli_main, ["export-csv", str(workspace_path), "list", "trait",
                                    "--out", str(plain)]).exit_code == 0
    with plain.open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle))) == len(rows)  # same rows, masked cells


def test_masked_outputs_need_rules(sample_tenant: Path, tmp_path: Path) -> None:
    target = tmp_path / "bare.aamws"
    import_export(sample_tenant, target)
    runner = CliRunner()
    result = runner.invoke(cli_main, ["snapshot", str(target), "--out",
                                      str(tmp_path / "x.html"), "--no-chart", "--mask"])
    assert result.exit_code == 1 and "has no masking rules" in result.output
    assert not (tmp_path / "x.html").exists()
    result = runner.invoke(cli_main, ["export-csv", str(target), "list", "trait", "--out",
                                      str(tmp_path / "x.csv"), "--mask"])
    assert result.exit_code == 1 and "has no masking rules" in result.output
    assert not (tmp_path / "x.csv").exists()  # never written unmasked
