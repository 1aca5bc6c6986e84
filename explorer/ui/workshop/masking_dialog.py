"""The masking rules dialog: on/off, literal terms, regular expressions, ready classes.

Invalid regular expressions are reported inline (under the field while typing, and in the
list) and never saved as active rules. OK never loses what was typed: a term or pattern left
in its field is added, an invalid one keeps the dialog open, and masking ticked with nothing
to mask is refused with a message in the dialog (masking must never look on while it is off).
Ready classes cover ids, e-mail addresses and hosts only: the dialog says that names (brands,
clients) need terms.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.masking import (
    CLASS_LABELS,
    CLASSES_DO_NOT_MASK,
    MaskRules,
    TermSuggestion,
    regex_error,
)

_ERROR_STYLE = "color: #D55E00;"  # Okabe-Ito vermillion


class _EditableList(QGroupBox):
    """A titled list with a line edit, Add and Remove; ``validate`` may refuse an entry."""

    def __init__(self, title: str, placeholder: str, items: tuple[str, ...],
                 validate: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._validate = validate
        self.list = QListWidget(self)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(placeholder)
        self.add_button = QPushButton("&Add" if not validate else "A&dd", self)
        self.remove_button = QPushButton("&Remove" if not validate else "Remo&ve", self)
        self.error = QLabel(self)
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(row)
        layout.addWidget(self.error)
        for item in items:
            self._append(item)
        self.add_button.clicked.connect(self.add_current)
        self.edit.returnPressed.connect(self.add_current)
        self.edit.textChanged.connect(self._check_typing)
        self.remove_button.clicked.connect(self.remove_selected)

    def values(self) -> tuple[str, ...]:
        return tuple(self.list.item(n).text() for n in range(self.list.count()))

    def add_current(self) -> bool:
        text = self.edit.text().strip()
        if not text or text in self.values():
            return False
        if self._validate and regex_error(text) is not None:
            self._check_typing(text)
            return False
        self._append(text)
        self.edit.clear()
        return True

    def add_value(self, text: str) -> None:
        self._append(text)

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))

    def _append(self, text: str) -> None:
        item = QListWidgetItem(text, self.list)
        problem = regex_error(text) if self._validate else None
        if problem is not None:
            item.setToolTip(f"Not used: {problem}")
            item.setText(f"{text}    ⚠ {problem}")
            item.setData(Qt.ItemDataRole.UserRole, text)
        else:
            item.setData(Qt.ItemDataRole.UserRole, text)

    def pending_problem(self) -> str | None:
        """Why the text left in the field cannot be added (None when it can, or is empty)."""
        text = self.edit.text().strip()
        if text and self._validate:
            problem = regex_error(text)
            if problem is not None:
                return f"Invalid regular expression: {problem}"
        return None

    def raw_values(self) -> tuple[str, ...]:
        return tuple(str(self.list.item(n).data(Qt.ItemDataRole.UserRole))
                     for n in range(self.list.count()))

    def _check_typing(self, text: str) -> None:
        problem = regex_error(text.strip()) if self._validate and text.strip() else None
        self.error.setText(f"Invalid regular expression: {problem}" if problem else "")
        self.error.setVisible(problem is not None)
        self.add_button.setEnabled(problem is None)


class MaskingRulesDialog(QDialog):
    """Edits ``MaskRules``; ``rules()`` gives the edited rules after ``accept``."""

    def __init__(self, rules: MaskRules, parent: QWidget | None = None,
                 enable: bool = False, suggestions: list[TermSuggestion] | None = None
                 ) -> None:
        """``enable``: tick masking on (the consultant asked for masking, Ctrl+M, but there
        was nothing to mask yet). ``suggestions``: terms to offer
        (``explorer.masking.suggest_terms``), ticked by the consultant."""
        super().__init__(parent)
        self._aliases = rules.aliases
        self.setWindowTitle("Masking rules")
        self.setObjectName("maskingRulesDialog")
        self.enabled_check = QCheckBox("&Mask client values on screen and in exports", self)
        self.enabled_check.setChecked(rules.enabled or enable)
        self.terms = _EditableList("Literal &terms (any case)", "A brand, a client name…",
                                   rules.terms, parent=self)
        self.regexes = _EditableList("Regular e&xpressions", r"e.g. ORD-\d{6}",
                                     rules.regexes, validate=True, parent=self)
        classes = QGroupBox("Ready &classes (ids and addresses, not names)", self)
        class_layout = QVBoxLayout(classes)
        self.class_checks: dict[str, QCheckBox] = {}
        for key, label in CLASS_LABELS.items():
            check = QCheckBox(label, classes)
            check.setChecked(key in rules.classes)
            class_layout.addWidget(check)
            self.class_checks[key] = check
        classes_note = QLabel(f"Ready classes mask ids and addresses only. {CLASSES_DO_NOT_MASK}",
                              classes)
        classes_note.setWordWrap(True)
        class_layout.addWidget(classes_note)
        suggest = self._build_suggestions(suggestions or [])
        note = QLabel("Each value is replaced by a readable alias: a term by \u201cTerm 1\u201d, "
                      "the tenant's ids by \u201cPartner A\u201d, other values by their class "
                      "and a code (\u201cEmail kqmtx\u201d). The same value always gets the same "
                      "alias, on screen and in exports. Search still finds real values.", self)
        note.setWordWrap(True)
        note.setEnabled(False)
        # Says why OK did not close the dialog (or that only ready classes are chosen).
        self.problem = QLabel(self)
        self.problem.setObjectName("maskingProblem")
        self.problem.setStyleSheet(_ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        lists = QHBoxLayout()
        lists.addWidget(self.terms)
        lists.addWidget(self.regexes)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled_check)
        layout.addLayout(lists, 1)
        layout.addWidget(suggest)
        layout.addWidget(classes)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.enabled_check.toggled.connect(self._clear_problem)
        for check in self.class_checks.values():
            check.toggled.connect(self._clear_problem)
        for editable in (self.terms, self.regexes):
            editable.edit.textChanged.connect(self._clear_problem)
            editable.list.model().rowsInserted.connect(self._clear_problem)
        self.resize(760, 640)

    def _build_suggestions(self, suggestions: list[TermSuggestion]) -> QGroupBox:
        box = QGroupBox("&Suggest: names of data sources and destinations", self)
        self.suggestion_list = QListWidget(box)
        self.suggestion_list.setObjectName("maskingSuggestions")
        for suggestion in suggestions:
            item = QListWidgetItem(f"{suggestion.term}    ({suggestion.found_in})",
                                   self.suggestion_list)
            item.setData(Qt.ItemDataRole.UserRole, suggestion.term)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.suggestion_list.setMaximumHeight(
            6 * self.suggestion_list.fontMetrics().height() + 12)
        self.add_suggested_button = QPushButton("Add &ticked terms", box)
        self.add_suggested_button.clicked.connect(self.add_ticked_suggestions)
        empty = QLabel("Nothing to suggest: every data-source and destination name is "
                       "masked or Adobe's own.", box)
        empty.setVisible(not suggestions)
        self.suggestion_list.setVisible(bool(suggestions))
        self.add_suggested_button.setVisible(bool(suggestions))
        layout = QVBoxLayout(box)
        layout.addWidget(self.suggestion_list)
        layout.addWidget(empty)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add_suggested_button)
        layout.addLayout(row)
        return box

    def add_ticked_suggestions(self) -> list[str]:
        """Add every ticked suggestion to the terms (and drop it from the suggestions)."""
        added = []
        for row in reversed(range(self.suggestion_list.count())):
            item = self.suggestion_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                term = str(item.data(Qt.ItemDataRole.UserRole))
                if term not in self.terms.values():
                    self.terms.add_value(term)
                added.append(term)
                self.suggestion_list.takeItem(row)
        return list(reversed(added))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in a term or pattern field adds it (the field handles that); it must not
        also press OK and close the dialog before the consultant ticked masking on."""
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.focusWidget() in (self.terms.edit, self.regexes.edit)):
            event.accept()
            return
        super().keyPressEvent(event)

    def accept(self) -> None:
        """Close only when the rules say what the consultant sees: pending text added, and
        masking not ticked on with nothing to mask."""
        problem = self.terms.pending_problem() or self.regexes.pending_problem()
        if problem is None:
            self.terms.add_current()
            self.regexes.add_current()
            rules = self._current_rules()
            if rules.enabled and not rules.active:
                problem = ("Nothing to mask: add a term (a brand, a client name), a regular "
                           "expression or a ready class, or untick masking.")
        if problem is not None:
            self.problem.setText(problem)
            self.problem.show()
            return
        super().accept()

    def _clear_problem(self, *_args: object) -> None:
        self.problem.hide()

    def rules(self) -> MaskRules:
        # A term or pattern typed but not added yet counts: pressing OK should not lose it.
        self.terms.add_current()
        self.regexes.add_current()
        return self._current_rules()

    def _current_rules(self) -> MaskRules:
        return MaskRules(
            enabled=self.enabled_check.isChecked(),
            terms=self.terms.raw_values(),
            regexes=self.regexes.raw_values(),
            classes=frozenset(k for k, c in self.class_checks.items() if c.isChecked()),
            aliases=self._aliases,
        )
