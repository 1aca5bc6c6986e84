"""The export dialog's cost choice and scope words become the request the worker exports."""

from __future__ import annotations

from pathlib import Path

from explorer.report.snapshot.model import PriceChoice
from explorer.ui.snapshot.export_dialog import ExportChoices, SnapshotExportDialog


def _dialog(qtbot, tmp_path: Path, price: float | None) -> SnapshotExportDialog:
    choices = ExportChoices(workspace=tmp_path / "w.aamws", default_title="Review",
                            default_path=tmp_path / "r.html", price=price, currency="EUR")
    dialog = SnapshotExportDialog(choices, None)
    qtbot.addWidget(dialog)
    return dialog


def test_the_cost_is_left_out_unless_ticked(qtbot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, 0.05)
    assert dialog.cost_check.isEnabled() and not dialog.cost_check.isChecked()
    assert "0.05 EUR per 1,000 calls" in dialog.cost_check.text()
    assert dialog.request().price is None
    dialog.cost_check.setChecked(True)
    assert dialog.request().price == PriceChoice(0.05, "EUR")


def test_no_price_no_cost_choice(qtbot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, None)
    assert not dialog.cost_check.isEnabled()
    assert dialog.request().price is None


def test_scope_words_reach_the_request(qtbot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, None)
    assert dialog.request().scope_word is None
    dialog.set_scope("with-findings")
    assert dialog.request().scope_word == "with-findings" and dialog.request().picks == ()
    dialog.set_scope("annotated")
    assert dialog.request().scope_word == "annotated"
