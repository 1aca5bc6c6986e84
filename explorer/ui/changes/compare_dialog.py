"""The Compare dialog: pick two imports of this workspace, or another workspace file, and see
the same content as the Changes panel.

Workshop masking (``set_text_mask``, or ``mask=`` when it opens: the window passes its own)
masks its title, the imports listed, the other workspace's path and the embedded panel. While
masked the path field is read-only (Browse… still chooses a file): typing would show the real
path on the shared screen.
"""

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
from explorer.masking import Masker
from explorer.paths import WORKSPACE_SUFFIX
from explorer.store.workspace import Workspace
from explorer.ui.changes.panel import ChangesPanel
from explorer.ui.changes.worker import (
    ONE_IMPORT_MESSAGE,
    DiffController,
    DiffOutcome,
    DiffRequest,
    comparable_configurations,
)

MASKED_PATH_TIP = "Masking is on: choose the workspace file with Browse…"
ONE_IMPORT_TIP = f"{ONE_IMPORT_MESSAGE} Choose another workspace file to compare with."


class CompareDialog(QDialog):
    """Compare two imports of ``workspace`` or ``workspace`` with another workspace file.

    ``objectActivated(kind, id)`` re-emits the panel's activations; ``compared`` fires after
    each result is shown (tests wait for it).
    """

    objectActivated = Signal(str, int)
    compared = Signal(object)  # DiffOutcome

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, *,
                 mask: Masker | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.resize(860, 600)
        self._workspace = workspace
        self._text_mask: Masker | None = None
        self._other = ""  # the other workspace's real path (the field may show it masked)
        self._import_labels: list[tuple[str, int]] = []
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
        self.set_text_mask(mask)

    # ----- masking ------------------------------------------------------------------------
    def set_text_mask(self, mask: Masker | None) -> None:
        """Workshop masking: mask the title, the imports, the other path and the panel."""
        if self._text_mask is None:
            self._other = self.other_path.text()  # what was typed while unmasked
        self._text_mask = mask
        self.setWindowTitle(self.mask(f"Compare — {self._workspace.path.stem}"))
        for combo in (self.from_combo, self.to_combo):
            for row, (label, _import_id) in enumerate(self._import_labels):
                combo.setItemText(row, self.mask(label))
        self._show_other()
        self.panel.set_text_mask(mask)

    def text_mask(self) -> Masker | None:
        return self._text_mask

    def mask(self, text: str) -> str:  # type: ignore[override]  # not QWidget.mask()
        return self._text_mask.mask_text(text) if self._text_mask is not None and text else text

    def other_workspace_text(self) -> str:
        """The other workspace's real path (also while the field shows it masked)."""
        return self._other if self._text_mask is not None else self.other_path.text()

    def _set_other(self, text: str) -> None:
        self._other = text
        self._show_other()

    def _show_other(self) -> None:
        masked = self._text_mask is not None
        self.other_path.setText(self.mask(self._other))
        self.other_path.setReadOnly(masked)
        self.other_path.setToolTip(MASKED_PATH_TIP if masked else "")

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
        arrow = QPushButton("→")
        arrow.setEnabled(False)
        arrow.setFlat(True)
        pair.addWidget(arrow)
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
        self._import_labels = [(f"{import_label(r)} — {Path(r.source).name}", r.id)
                               for r in imports]
        for combo in (self.from_combo, self.to_combo):
            combo.clear()
            for label, import_id in self._import_labels:
                combo.addItem(self.mask(label), import_id)
        from_id: int | None
        to_id: int | None
        try:
            from_id, to_id = default_import_pair(imports)
        except DiffError:
            from_id, to_id = (imports[0].id, imports[-1].id) if imports else (None, None)
        self.from_combo.setCurrentIndex(max(0, self.from_combo.findData(from_id)))
        self.to_combo.setCurrentIndex(max(0, self.to_combo.findData(to_id)))
        self._offer_imports(len(comparable_configurations(self._workspace)) >= 2)

    def _offer_imports(self, possible: bool) -> None:
        """One configuration (one import, a snapshot bundle): only another file compares."""
        self.imports_possible = possible
        for widget in (self.imports_choice, self.from_combo, self.to_combo):
            widget.setEnabled(possible)
            widget.setToolTip("" if possible else ONE_IMPORT_TIP)
        if not possible:
            self.workspace_choice.setChecked(True)
            self.panel.show_message(ONE_IMPORT_TIP)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Compare with workspace", str(self._workspace.path.parent),
            f"AAM Config Explorer workspace (*{WORKSPACE_SUFFIX});;All files (*)")
        if chosen:
            self._set_other(chosen)
            self.workspace_choice.setChecked(True)

    def set_other_workspace(self, path: Path) -> None:
        self._set_other(str(path))
        self.workspace_choice.setChecked(True)

    def select_imports(self, from_id: int, to_id: int) -> None:
        self.from_combo.setCurrentIndex(self.from_combo.findData(from_id))
        self.to_combo.setCurrentIndex(self.to_combo.findData(to_id))
        self.imports_choice.setChecked(True)

    def compare(self) -> None:
        """Compare what the dialog's choices say (off the GUI thread, cached per session)."""
        if self.workspace_choice.isChecked() or not self.imports_possible:
            text = self.other_workspace_text().strip()
            if not text:
                self.panel.show_message(ONE_IMPORT_TIP if not self.imports_possible
                                        else "Choose a workspace file to compare with.")
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
