"""The Compare dialog: pick two imports of this workspace, or another workspace file, and see
the same content as the Changes panel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from explorer.analysis.diff import DiffError, default_import_pair, import_label
from explorer.paths import WORKSPACE_SUFFIX
from explorer.store.workspace import Workspace
from explorer.ui.changes.panel import ChangesPanel
from explorer.ui.changes.worker import DiffController, DiffOutcome, DiffRequest


class CompareDialog(QDialog):
    """Compare two imports of ``workspace`` or ``workspace`` with another workspace file.

    ``objectActivated(kind, id)`` re-emits the panel's activations; ``compared`` fires after
    each result is shown (tests wait for it).
    """

    objectActivated = Signal(str, int)
    compared = Signal(object)  # DiffOutcome

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setWindowTitle(f"Compare — {workspace.path.stem}")
        self.resize(860, 600)
        self._workspace = workspace
        self.controller = DiffController(self)
        self.controller.finished.connect(self._on_finished)
        self.panel = ChangesPanel(self)
        self.panel.objectActivated.connect(self.objectActivated)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_choices())
        layout.addWidget(self.panel, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill_imports()

    def _build_choices(self) -> QGridLayout:
        grid = QGridLayout()
        self.imports_choice = QRadioButton("Two imports of this workspace:")
        self.workspace_choice = QRadioButton("This workspace with another workspace file:")
        group = QButtonGroup(self)
        for button in (self.imports_choice, self.workspace_choice):
            group.addButton(button)
        self.imports_choice.setChecked(True)
        self.from_combo, self.to_combo = QComboBox(), QComboBox()
        self.from_combo.setObjectName("compareFrom")
        self.to_combo.setObjectName("compareTo")
        pair = QHBoxLayout()
        pair.addWidget(self.from_combo, 1)
        pair.addWidget(QPushButton("→", enabled=False, flat=True))
        pair.addWidget(self.to_combo, 1)
        self.other_path = QLineEdit()
        self.other_path.setObjectName("compareOtherPath")
        self.other_path.setPlaceholderText(f"another {WORKSPACE_SUFFIX} file of this tenant")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.force = QCheckBox("even if it is another tenant")
        other = QHBoxLayout()
        other.addWidget(self.other_path, 1)
        other.addWidget(browse)
        other.addWidget(self.force)
        self.compare_button = QPushButton("Compare")
        self.compare_button.setObjectName("compareButton")
        self.compare_button.setDefault(True)
        self.compare_button.clicked.connect(self.compare)
        grid.addWidget(self.imports_choice, 0, 0)
        grid.addLayout(pair, 0, 1)
        grid.addWidget(self.workspace_choice, 1, 0)
        grid.addLayout(other, 1, 1)
        grid.addWidget(self.compare_button, 0, 2, 2, 1)
        self.other_path.textEdited.connect(lambda _t: self.workspace_choice.setChecked(True))
        return grid

    def _fill_imports(self) -> None:
        imports = self._workspace.imports()
        for combo in (self.from_combo, self.to_combo):
            combo.clear()
            for record in imports:
                combo.addItem(f"{import_label(record)} — {Path(record.source).name}", record.id)
        try:
            from_id, to_id = default_import_pair(imports)
        except DiffError:
            from_id, to_id = (imports[0].id, imports[-1].id) if imports else (None, None)
        self.from_combo.setCurrentIndex(max(0, self.from_combo.findData(from_id)))
        self.to_combo.setCurrentIndex(max(0, self.to_combo.findData(to_id)))

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Compare with workspace", str(self._workspace.path.parent),
            f"AAM Config Explorer workspace (*{WORKSPACE_SUFFIX});;All files (*)")
        if chosen:
            self.other_path.setText(chosen)
            self.workspace_choice.setChecked(True)

    def set_other_workspace(self, path: Path) -> None:
        self.other_path.setText(str(path))
        self.workspace_choice.setChecked(True)

    def select_imports(self, from_id: int, to_id: int) -> None:
        self.from_combo.setCurrentIndex(self.from_combo.findData(from_id))
        self.to_combo.setCurrentIndex(self.to_combo.findData(to_id))
        self.imports_choice.setChecked(True)

    def compare(self) -> None:
        """Compare what the dialog's choices say (off the GUI thread, cached per session)."""
        if self.workspace_choice.isChecked():
            text = self.other_path.text().strip()
            if not text:
                self.panel.show_message("Choose a workspace file to compare with.")
                return
            request = DiffRequest(self._workspace.path, other=Path(text),
                                  force=self.force.isChecked())
        else:
            request = DiffRequest(self._workspace.path, self.from_combo.currentData(),
                                  self.to_combo.currentData())
        self.panel.show_message("Comparing…")
        self.controller.request(request)

    def _on_finished(self, outcome: DiffOutcome) -> None:
        if outcome.diff is not None:
            self.panel.set_diff(outcome.diff)
        else:
            self.panel.show_message(outcome.error)
        self.compared.emit(outcome)

    def done(self, result: int) -> None:
        self.controller.wait()
        super().done(result)
