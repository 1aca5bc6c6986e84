"""The "Export snapshot" dialog: title, scope, outputs, changes section, masking, file.

The dialog only gathers choices; it is given plain data (``ExportChoices``) so it neither
reads the workspace nor knows the window, and ``request()`` turns the user's choices into a
``SnapshotRequest`` for the worker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from explorer.kinds import ObjectRef
from explorer.masking import Masker
from explorer.report.bundle import BUNDLE_SUFFIX
from explorer.report.scope import SPECIAL_SCOPES, ScopeError, parse_picks
from explorer.report.snapshot.model import PriceChoice
from explorer.ui.snapshot.worker import SnapshotRequest

SCOPES = ("tenant", "object", "folder", "picked", "with-findings", "annotated")
_PICK_SPLIT = re.compile(r"[\s,;]+")
_HTML_SUFFIXES = (".html", ".htm")
_BUNDLE_TEXT = f"{BUNDLE_SUFFIX} &bundle (opens read-only in the app)"
_BUNDLE_MASKED_TEXT = f"{BUNDLE_SUFFIX} &bundle (not with masking: it holds unmasked data)"


@dataclass
class ExportChoices:
    """What the dialog offers and starts with (labels already masked for the screen)."""

    workspace: Path
    default_title: str
    default_path: Path
    current: ObjectRef | None = None
    current_label: str = ""
    folder: ObjectRef | None = None
    folder_label: str = ""
    picks: list[ObjectRef] = field(default_factory=list)
    imports: list[tuple[int, str]] = field(default_factory=list)  # (import id, label)
    masking_on: bool = False
    price: float | None = None  # per 1,000 Target calls, as saved in the workspace
    currency: str | None = None


def html_path(text: str) -> Path | None:
    """The HTML file for what was typed (``.html`` added when missing); None when empty."""
    text = text.strip()
    if not text:
        return None
    path = Path(text).expanduser()
    return path if path.suffix.lower() in _HTML_SUFFIXES else path.with_name(path.name + ".html")


def split_picks(text: str) -> list[str]:
    """``KIND:ID`` entries separated by lines, spaces, commas or semicolons."""
    return [part for part in _PICK_SPLIT.split(text) if part]


class SnapshotExportDialog(QDialog):
    def __init__(self, choices: ExportChoices, mask: Masker | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices
        self._mask = mask  # the masking to apply when the box is checked
        self.setObjectName("snapshotExportDialog")
        self.setWindowTitle("Export snapshot")
        self.setMinimumWidth(680)
        self._build()
        self._connect()
        self._update()

    # ----- building -----------------------------------------------------------------------
    def _build(self) -> None:
        c = self.choices
        self.title_edit = QLineEdit(c.default_title)
        self.title_edit.setObjectName("snapshotTitle")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        layout.addLayout(form)
        layout.addWidget(self._scope_box())
        layout.addWidget(self._content_box())
        layout.addWidget(self._file_box())
        self.error_label = QLabel()
        self.error_label.setObjectName("snapshotError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #B3261E;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("&Export",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        layout.addWidget(self.buttons)

    def _scope_box(self) -> QGroupBox:
        c = self.choices
        box = QGroupBox("Scope")
        grid = QVBoxLayout(box)
        self.scope_group = QButtonGroup(self)
        self.scope_buttons: dict[str, QRadioButton] = {}
        labels = {
            "tenant": "The whole &tenant",
            "object": f"The current &object: {_mnemonic_safe(c.current_label)}" if c.current
            else "The current &object (none selected)",
            "folder": f"The current object's &folder: {_mnemonic_safe(c.folder_label)}"
            if c.folder
            else "The current object's &folder (it has none)",
            "picked": "Objects &picked (KIND:ID, one per line):",
            "with-findings": "Objects with open fi&ndings",
            "annotated": "Annotated objects (with a consultant &note)",
        }
        for n, name in enumerate(SCOPES):
            button = QRadioButton(labels[name])
            button.setObjectName(f"scope_{name}")
            self.scope_group.addButton(button, n)
            self.scope_buttons[name] = button
        for name in ("tenant", "with-findings", "annotated", "object", "folder", "picked"):
            grid.addWidget(self.scope_buttons[name])
        self.scope_buttons["object"].setEnabled(c.current is not None)
        self.scope_buttons["folder"].setEnabled(c.folder is not None)
        self.picks_edit = QPlainTextEdit("\n".join(str(p) for p in c.picks))
        self.picks_edit.setObjectName("snapshotPicks")
        self.picks_edit.setPlaceholderText("trait-folder:12\nsegment:2000001")
        self.picks_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        grid.addWidget(self.picks_edit)
        hint = QLabel("A folder brings its subfolders and their objects; a data source its "
                      "traits and segments.")
        hint.setObjectName("snapshotPicksHint")
        hint.setEnabled(False)  # greyed: a note, not a control
        grid.addWidget(hint)
        self.scope_buttons["tenant"].setChecked(True)
        return box

    def _content_box(self) -> QGroupBox:
        c = self.choices
        box = QGroupBox("Outputs and content")
        column = QVBoxLayout(box)
        row = QHBoxLayout()
        self.html_check = QCheckBox("&HTML page")
        self.html_check.setChecked(True)
        self.html_check.setEnabled(False)
        self.html_check.setToolTip("Always written: the self-contained page for the client")
        self.pdf_check = QCheckBox("P&DF")
        self.pdf_check.setObjectName("snapshotPdf")
        self.bundle_check = QCheckBox(_BUNDLE_TEXT)
        self.bundle_check.setObjectName("snapshotBundle")
        for check in (self.html_check, self.pdf_check, self.bundle_check):
            row.addWidget(check)
        row.addStretch(1)
        column.addLayout(row)
        form = QFormLayout()
        self.changes_combo = QComboBox()
        self.changes_combo.setObjectName("snapshotChanges")
        self.changes_combo.addItem("No changes section", None)
        for import_id, label in c.imports:
            self.changes_combo.addItem(label, import_id)
        self.changes_combo.setEnabled(bool(c.imports))
        if not c.imports:
            self.changes_combo.setToolTip("Only one import: nothing to compare with")
        form.addRow("&Changes since:", self.changes_combo)
        column.addLayout(form)
        self.mask_check = QCheckBox("Apply &masking (client values become placeholders)")
        self.mask_check.setObjectName("snapshotMask")
        self.mask_check.setChecked(c.masking_on and self._mask is not None)
        self.mask_check.setEnabled(c.masking_on and self._mask is not None)
        if not self.mask_check.isEnabled():
            self.mask_check.setToolTip("Masking is off (Tools > Mask client values)")
        column.addWidget(self.mask_check)
        self.cost_check = QCheckBox(_cost_text(c.price, c.currency))
        self.cost_check.setObjectName("snapshotCost")
        self.cost_check.setChecked(False)  # the client sees a cost only when chosen
        self.cost_check.setEnabled(c.price is not None)
        if c.price is None:
            self.cost_check.setToolTip("No price is set: type one in the Target calls panel")
        column.addWidget(self.cost_check)
        return box

    def _file_box(self) -> QGroupBox:
        box = QGroupBox("File")
        column = QVBoxLayout(box)
        row = QHBoxLayout()
        self.path_edit = QLineEdit(str(self.choices.default_path))
        self.path_edit.setObjectName("snapshotPath")
        self.browse_button = QPushButton("B&rowse…")
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        column.addLayout(row)
        self.files_label = QLabel()
        self.files_label.setObjectName("snapshotFiles")
        self.files_label.setWordWrap(True)
        self.files_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Room for two lines from the start: a wrapped list of files must not squeeze the
        # boxes above it (a word-wrapped label does not grow the dialog).
        self.files_label.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 4)
        column.addWidget(self.files_label)
        return box

    def _connect(self) -> None:
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        self.browse_button.clicked.connect(self._browse)
        self.scope_group.idToggled.connect(lambda *_: self._update())
        self.picks_edit.textChanged.connect(self._picks_edited)
        for widget in (self.pdf_check, self.bundle_check, self.mask_check):
            widget.toggled.connect(lambda *_: self._update())
        self.path_edit.textChanged.connect(lambda *_: self._update())

    # ----- state --------------------------------------------------------------------------
    def scope(self) -> str:
        return SCOPES[max(0, self.scope_group.checkedId())]

    def set_scope(self, name: str) -> None:
        self.scope_buttons[name].setChecked(True)

    def _picks_edited(self) -> None:
        if self.picks_edit.hasFocus():  # typing refs means "objects picked"
            self.set_scope("picked")

    def _update(self) -> None:
        masked = self.mask_check.isChecked()
        # The bundle carries the workspace's own rows: masking cannot hide what is in them.
        self.bundle_check.setEnabled(not masked)
        self.bundle_check.setText(_BUNDLE_MASKED_TEXT if masked else _BUNDLE_TEXT)
        if masked:
            self.bundle_check.setChecked(False)
            self.bundle_check.setToolTip("A bundle holds the workspace's own data, which "
                                         "masking cannot hide: turn masking off to include one")
        else:
            self.bundle_check.setToolTip("The page plus a workspace reduced to the scope; "
                                         "it opens read-only in AAM Config Explorer")
        self._show_files()
        self.error_label.hide()

    def _show_files(self) -> None:
        paths = self.output_paths()
        if not paths:
            self.files_label.setText("Choose where to save the HTML page.")
            return
        existing = [p for p in paths if p.exists()]
        text = "Writes: " + ", ".join(p.name for p in paths) + f"  (in {paths[0].parent})"
        if existing:
            text += "\nReplaces: " + ", ".join(p.name for p in existing)
        self.files_label.setText(text)

    def output_paths(self) -> list[Path]:
        html = html_path(self.path_edit.text())
        if html is None:
            return []
        paths = [html]
        if self.pdf_check.isChecked():
            paths.append(html.with_suffix(".pdf"))
        if self.bundle_check.isChecked() and self.bundle_check.isEnabled():
            paths.append(html.with_suffix(BUNDLE_SUFFIX))
        return paths

    def price_choice(self) -> PriceChoice | None:
        """The estimated cost to include (None unless the box is ticked)."""
        if not self.cost_check.isChecked() or self.choices.price is None:
            return None
        return PriceChoice(self.choices.price, self.choices.currency)

    def picks(self) -> tuple[ObjectRef, ...]:
        """The scope's picks (empty for the whole tenant); ScopeError when malformed."""
        scope = self.scope()
        if scope == "object" and self.choices.current is not None:
            return (self.choices.current,)
        if scope == "folder" and self.choices.folder is not None:
            return (self.choices.folder,)
        if scope == "picked":
            picks = parse_picks(split_picks(self.picks_edit.toPlainText()))
            if not picks:
                raise ScopeError("Pick at least one object (KIND:ID), or choose another scope.")
            return picks
        return ()

    def request(self) -> SnapshotRequest:
        """The worker's request for the current choices; ValueError with a readable message
        when something is missing or malformed."""
        paths = self.output_paths()
        if not paths:
            raise ValueError("Choose where to save the HTML page.")
        html = paths[0]
        title = self.title_edit.text().strip() or None
        return SnapshotRequest(
            workspace=self.choices.workspace, html=html, title=title, picks=self.picks(),
            pdf=html.with_suffix(".pdf") if html.with_suffix(".pdf") in paths else None,
            bundle=html.with_suffix(BUNDLE_SUFFIX) if html.with_suffix(BUNDLE_SUFFIX) in paths
            else None,
            since_import=self.changes_combo.currentData(),
            mask=self._mask if self.mask_check.isChecked() else None,
            scope_word=self.scope() if self.scope() in SPECIAL_SCOPES else None,
            price=self.price_choice())

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _try_accept(self) -> None:
        try:
            request = self.request()
        except ValueError as exc:  # ScopeError is a ValueError
            self.show_error(str(exc))
            return
        if request.html.parent.exists() and not request.html.parent.is_dir():
            self.show_error(f"{request.html.parent} is not a folder.")
            return
        self.accept()

    def _browse(self) -> None:
        start = html_path(self.path_edit.text()) or self.choices.default_path
        chosen, _ = QFileDialog.getSaveFileName(self, "Save the snapshot as", str(start),
                                                "HTML page (*.html *.htm)")
        if chosen:
            self.path_edit.setText(chosen)


def open_dialog(dialog: SnapshotExportDialog, on_request: Callable[[SnapshotRequest], None]
                ) -> None:
    """Show ``dialog`` window-modal; ``on_request`` receives the request when it is accepted."""
    dialog.accepted.connect(lambda: on_request(dialog.request()))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def _cost_text(price: float | None, currency: str | None) -> str:
    if price is None:
        return "Include the estimated &cost of Target calls (no price set)"
    return (f"Include the estimated &cost of Target calls ({price:,.2f} "
            f"{currency or 'cost units'} per 1,000 calls)")


def _mnemonic_safe(text: str) -> str:
    """A name shown on a button: "&" doubled so Qt shows it instead of taking a shortcut."""
    return text.replace("&", "&&")
