"""The annotation editor: note, tags and review status of the current object, under the inspector.

Every save and delete is an ``AnnotationCommand`` on the window's shared ``QUndoStack``, so
Edit > Undo/Redo walk through annotation edits. Moving to another object saves pending edits
first; when a write fails (a read-only workspace, a locked file) the text stays in the editor,
and is kept as a draft for that object, so an annotation is never lost silently.

While workshop masking is on (``set_text_mask``) the editor shows the annotation masked and
read-only, and offers a private field to add to the note: what is typed there shows as dots
only, and once added the note shows it masked like everything else. No client value appears
on a shared screen and a placeholder can never be saved back as a note. Pending edits are
saved before masking starts.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSize, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from explorer.kinds import KINDS, ObjectRef
from explorer.masking import TextMask
from explorer.store.annotations import (
    STATUSES,
    Annotation,
    AnnotationError,
    all_tags,
    format_tags,
    get_annotation,
    local_time_text,
    next_state,
    parse_tags,
)
from explorer.store.db import WorkspaceError
from explorer.store.workspace import Workspace
from explorer.ui.annotations.commands import AnnotationCommand
from explorer.ui.annotations.private_field import PrivateField
from explorer.ui.box_layout import side_by_side, stacked

_DEFAULT_STATUS = STATUSES[0]
_ERROR_STYLE = "color: #D55E00;"  # Okabe-Ito vermillion, as the findings' errors
MASKED_HINT = "Masking is on: the note is shown masked"
PRIVATE_PLACEHOLDER = "Add to the note (hidden while typed, shown masked)…"
NO_OBJECT_HINT = "Select an object to annotate it"
NOTE_PLACEHOLDER = "Note about this object…"
COLLAPSED_NOTE_HINT = "Note about this object… (click to write)"


@dataclass(frozen=True)
class _Fields:
    """What the form holds, normalised so that comparing two says "changed or not"."""

    note: str
    tags: tuple[str, ...]
    status: str

    @classmethod
    def of(cls, annotation: Annotation | None) -> _Fields:
        if annotation is None:
            return cls("", (), _DEFAULT_STATUS)
        return cls(annotation.note, tuple(annotation.tags), annotation.status)


class AnnotationEditor(QWidget):
    """Edit the annotation of one object; ``annotationChanged(kind, id)`` after every write."""

    annotationChanged = Signal(str, int)
    expandedChanged = Signal(bool)  # the note grew from one line to its full form, or back

    def __init__(self, workspace: Workspace | None, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationEditor")
        self._workspace = workspace
        self._stack = undo_stack
        self._ref: ObjectRef | None = None
        self._saved: Annotation | None = None  # the row as last read for the current object
        self._drafts: dict[ObjectRef, _Fields] = {}  # edits that could not be written
        self._read_only = False
        self._text_mask: TextMask | None = None  # workshop masking: shown masked, read-only
        self._loading = False
        self._expanded = True
        self._build()
        self.refresh_tag_completions()
        self._show_nothing()

    # -- public API ---------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        """Annotate objects of another workspace; pending edits are saved to the old one first."""
        self.save_pending()
        self._workspace = workspace
        self._drafts.clear()
        self._ref = None
        self.refresh_tag_completions()
        self._show_nothing()

    def set_object(self, ref: ObjectRef | None) -> None:
        """Show the annotation of ``ref`` (empty form when it has none); saves pending edits."""
        self.save_pending()
        self._ref = ref
        if not self._has_object():
            self._show_nothing()
            return
        self._load()

    def current_object(self) -> ObjectRef | None:
        return self._ref

    def is_dirty(self) -> bool:
        """True when the form differs from the stored annotation (or from none)."""
        return self._can_edit() and self._form() != _Fields.of(self._saved)

    def save_pending(self) -> bool:
        """Save unsaved edits, if any (before switching object, workspace, or closing).

        Returns False when a write failed; the edits are then kept as a draft for the object.
        """
        if not self.is_dirty():
            return True
        form = self._form()
        if self.save():
            return True
        assert self._ref is not None  # is_dirty() implies an object
        self._drafts[self._ref] = form
        return False

    def save(self) -> bool:
        """Write the form as the object's annotation (one undoable command)."""
        if not self._can_edit() or self._ref is None or self._workspace is None:
            return False
        if not self.is_dirty():
            return True
        form = self._form()
        try:
            before = get_annotation(self._workspace.conn, self._ref.kind, self._ref.id)
            after = next_state(before, self._ref.kind, self._ref.id, note=form.note,
                               tags=list(form.tags), status=form.status)
        except (sqlite3.Error, AnnotationError) as exc:
            self._show_error(f"Could not save the annotation: {exc}")
            return False
        return self._run(before, after)

    def delete_annotation(self) -> bool:
        """Remove the object's annotation (one undoable command)."""
        if not self._can_edit() or self._ref is None or self._workspace is None:
            return False
        try:
            before = get_annotation(self._workspace.conn, self._ref.kind, self._ref.id)
        except sqlite3.Error as exc:
            self._show_error(f"Could not delete the annotation: {exc}")
            return False
        if before is None:  # nothing stored: deleting means dropping the unsaved text
            self._drafts.pop(self._ref, None)
            self._load()
            return True
        return self._run(before, None)

    def reload(self) -> None:
        """Re-read the current object's annotation (unsaved edits are dropped)."""
        if self._has_object():
            assert self._ref is not None
            self._drafts.pop(self._ref, None)
            self._load()

    def set_read_only(self, read_only: bool) -> None:
        """Read-only (snapshot bundles): the annotation is shown, nothing can be changed."""
        self._read_only = read_only
        self._update_enabled()
        if self._has_object():
            self._update_meta()

    def is_read_only(self) -> bool:
        return self._read_only

    def set_text_mask(self, mask: TextMask | None) -> None:
        """Workshop masking: show the annotation masked and read-only (None: real and
        editable). Edits typed before masking starts are saved first, unmasked."""
        if mask is None and self._text_mask is None:
            return  # nothing changes; reloading would drop what is being typed
        if self._text_mask is None:
            self.save_pending()
        self._text_mask = mask
        if self._has_object():
            self._load()
        else:
            self._show_nothing()

    def is_masked(self) -> bool:
        return self._text_mask is not None

    def add_private_text(self) -> bool:
        """Append what the private field holds to the stored note (one undoable command);
        the note then shows it masked. Only while masking is on."""
        text = self.private_field.private_text().strip()
        if (not text or self._text_mask is None or self._read_only or self._ref is None
                or self._workspace is None or not self._has_object()):
            return False
        try:
            before = get_annotation(self._workspace.conn, self._ref.kind, self._ref.id)
            note = f"{before.note}\n{text}" if before is not None and before.note else text
            after = next_state(before, self._ref.kind, self._ref.id, note=note,
                               tags=list(before.tags) if before else [],
                               status=before.status if before else _DEFAULT_STATUS)
        except (sqlite3.Error, AnnotationError) as exc:
            self._show_error(f"Could not save the annotation: {exc}")
            return False
        if not self._run(before, after):
            return False
        self.private_field.clear_private()
        return True

    def message(self) -> str:
        """The error or notice the editor shows (empty when none)."""
        return self.message_label.text()

    def refresh_tag_completions(self) -> None:
        """Offer every tag in use; called after saves and when the workspace changes."""
        tags: list[str] = []
        if self._workspace is not None:
            try:
                tags = all_tags(self._workspace.conn)
            except sqlite3.Error:
                tags = []
        self._tag_model.setStringList(tags)

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.title_label = QLabel("Annotation")
        self.title_label.setObjectName("annotationTitle")
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.status_combo = QComboBox()
        self.status_combo.addItems(list(STATUSES))
        self.status_combo.setToolTip("Review status")
        self.status_combo.setAccessibleName("Review status")
        self.meta_label = QLabel()
        self.meta_label.setObjectName("annotationTimes")
        self.meta_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(NOTE_PLACEHOLDER)
        self.note_edit.setMinimumHeight(_two_lines_height(self.note_edit))
        self.note_edit.setAccessibleName("Annotation note")
        self.note_edit.setTabChangesFocus(True)
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText("Tags, comma-separated")
        self.tags_edit.setAccessibleName("Annotation tags")
        self.tags_edit.setClearButtonEnabled(True)
        self._build_completer()
        self.message_label = QLabel()
        self.message_label.setObjectName("annotationMessage")
        self.message_label.setStyleSheet(_ERROR_STYLE)
        self.message_label.hide()
        self.mask_hint = QLabel(MASKED_HINT)
        self.mask_hint.setObjectName("annotationMaskedHint")
        self.mask_hint.hide()
        self.private_field = PrivateField()
        self.private_field.setObjectName("annotationPrivateField")
        self.private_field.setPlaceholderText(PRIVATE_PLACEHOLDER)
        self.private_field.setAccessibleName("Add to the note privately")
        self.private_field.setToolTip("What you type here shows as dots; once added, the "
                                      "note shows it masked (Return adds it)")
        self.private_field.submitted.connect(self.add_private_text)
        self.add_button = QPushButton("Add to note")
        self.add_button.setObjectName("annotationAddPrivate")
        self.add_button.clicked.connect(self.add_private_text)
        self.private_field.privateTextChanged.connect(
            lambda: self.add_button.setEnabled(bool(self.private_field.private_text().strip())))
        self.save_button = QPushButton("Save")
        self.save_button.setToolTip("Save the annotation (Ctrl+S, Ctrl+Return)")
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the annotation of this object")
        self.delete_button.setAccessibleName("Delete annotation")
        self.delete_button.clicked.connect(self.delete_annotation)
        # Until a note is written the editor is one line: this field stands for the note and
        # opens the full form when clicked or focused, so the inspector keeps the room.
        self.note_line = QLineEdit()
        self.note_line.setObjectName("annotationNoteLine")
        self.note_line.setReadOnly(True)
        self.note_line.setPlaceholderText(COLLAPSED_NOTE_HINT)
        self.note_line.setAccessibleName("Write a note")
        self.note_line.installEventFilter(self)
        self._lay_out()
        self._connect_changes()
        for keys in ("Ctrl+S", "Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)

    def _lay_out(self) -> None:
        # Compact on purpose: the splitter gives the editor ~110-130 px on a laptop, so every
        # control sits on one row and the note takes what is left (two lines at least).
        self.tags_label = QLabel("&Tags:")
        self.tags_label.setBuddy(self.tags_edit)
        stacked(self,
                side_by_side(None, self.title_label, self.status_combo, (self.note_line, 2),
                             self.tags_label, (self.tags_edit, 1), self.save_button,
                             self.delete_button, spacing=6),
                (self.note_edit, 1),
                side_by_side(None, (self.private_field, 1), self.add_button),
                side_by_side(None, (self.meta_label, 1), (self.message_label, 2), self.mask_hint),
                margins=(6, 3, 6, 3), spacing=3)
        # shown with the full form only: a collapsed editor has no annotation to tag or delete
        self._full_form_widgets = (self.meta_label, self.tags_label, self.tags_edit,
                                   self.save_button, self.delete_button)
        self.set_expanded(False)

    # -- one line until used ------------------------------------------------------------------
    def is_expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, expanded: bool) -> None:
        """The full form (note of two lines and more, times) or one line of controls."""
        if expanded == self._expanded:
            return
        self._expanded = expanded
        self.note_line.setVisible(not expanded)
        self.note_edit.setVisible(expanded)
        for widget in self._full_form_widgets:
            widget.setVisible(expanded)
        self.updateGeometry()
        self.expandedChanged.emit(expanded)

    def sizeHint(self) -> QSize:
        # The full form asks for a note of about four lines (its minimum is two), not for
        # QPlainTextEdit's generous default: the inspector keeps the room.
        hint = super().sizeHint()
        if not self._expanded:
            return hint
        extra = 2 * self.note_edit.fontMetrics().lineSpacing()
        return QSize(hint.width(), min(hint.height(), self.minimumSizeHint().height() + extra))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note_line and event.type() in (
                QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress) \
                and self.note_line.isEnabled():
            self.set_expanded(True)
            self.note_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return event.type() == QEvent.Type.MouseButtonPress
        return super().eventFilter(watched, event)

    def _build_completer(self) -> None:
        # The completer is attached with setWidget, not QLineEdit.setCompleter: it completes
        # the tag being typed after the last comma, not the whole field.
        self._tag_model = QStringListModel(self)
        self.tag_completer = QCompleter(self._tag_model, self)
        self.tag_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tag_completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.tag_completer.setWidget(self.tags_edit)
        self.tag_completer.activated[str].connect(  # type: ignore[index]
            self._insert_tag)
        self.tags_edit.textEdited.connect(self._complete_tag)

    def _connect_changes(self) -> None:
        self.note_edit.textChanged.connect(self._on_form_changed)
        self.tags_edit.textChanged.connect(self._on_form_changed)
        self.status_combo.currentIndexChanged.connect(self._on_form_changed)

    # -- tag completion -----------------------------------------------------------------------
    def _complete_tag(self, text: str) -> None:
        prefix = text.rsplit(",", 1)[-1].strip()
        popup = self.tag_completer.popup()
        if not prefix:
            if popup is not None:
                popup.hide()
            return
        self.tag_completer.setCompletionPrefix(prefix)
        if self.tag_completer.completionCount() > 0:
            self.tag_completer.complete()
        elif popup is not None:
            popup.hide()

    def _insert_tag(self, tag: str) -> None:
        head, sep, _typed = self.tags_edit.text().rpartition(",")
        self.tags_edit.setText(f"{head}{sep} {tag}, " if sep else f"{tag}, ")

    # -- state --------------------------------------------------------------------------------
    def _form(self) -> _Fields:
        return _Fields(self.note_edit.toPlainText(), tuple(parse_tags(self.tags_edit.text())),
                       self.status_combo.currentText())

    def _has_object(self) -> bool:
        return (self._workspace is not None and self._ref is not None
                and self._ref.kind in KINDS)

    def _can_edit(self) -> bool:
        return not self._read_only and self._text_mask is None and self._has_object()

    def _mask(self, text: str) -> str:
        return self._text_mask(text) if self._text_mask is not None and text else text

    def _shown(self, fields: _Fields) -> _Fields:
        """What the form shows of ``fields``: masked while masking is on."""
        if self._text_mask is None:
            return fields
        return _Fields(self._mask(fields.note), tuple(self._mask(t) for t in fields.tags),
                       fields.status)

    def _run(self, before: Annotation | None, after: Annotation | None) -> bool:
        assert self._ref is not None and self._workspace is not None
        command = AnnotationCommand(self._workspace, self._ref.kind, self._ref.id, before, after,
                                    on_applied=self._on_applied, on_failed=self._show_error)
        try:
            command.apply_first()
        except (sqlite3.Error, WorkspaceError) as exc:
            self._show_error(f"Could not save the annotation: {exc}")
            return False
        self._stack.push(command)
        return True

    def _on_applied(self, kind: str, object_id: int) -> None:
        """After a write (save, delete, undo, redo): re-read if it is the shown object."""
        if self._ref == ObjectRef(kind, object_id):
            self._drafts.pop(self._ref, None)
            self._load()
        self.refresh_tag_completions()
        self.annotationChanged.emit(kind, object_id)

    def _load(self) -> None:
        assert self._ref is not None and self._workspace is not None
        self._hide_error()
        try:
            self._saved = get_annotation(self._workspace.conn, self._ref.kind, self._ref.id)
        except sqlite3.Error as exc:
            self._saved = None
            self._show_error(f"Could not read the annotation: {exc}")
        draft = self._drafts.get(self._ref)
        self._fill(self._shown(draft or _Fields.of(self._saved)))
        if draft is not None:
            self._show_error("These edits are not saved yet (the last save failed).")
        if self._saved is not None or draft is not None:
            self.set_expanded(True)
        elif not self.note_edit.hasFocus():
            self.set_expanded(False)
        kind = KINDS[self._ref.kind]
        self.title_label.setText(self._mask(f"Annotation — {kind.label.lower()} "
                                            f"{self._ref.id}"))
        self._update_enabled()
        self._update_meta()

    def _fill(self, fields: _Fields) -> None:
        self._loading = True
        try:
            # Unchanged text is left alone so a save does not move the cursor or the scroll.
            if self.note_edit.toPlainText() != fields.note:
                self.note_edit.setPlainText(fields.note)
            if self.tags_edit.text() != format_tags(fields.tags):
                self.tags_edit.setText(format_tags(fields.tags))
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findText(fields.status)))
        finally:
            self._loading = False

    def _show_nothing(self) -> None:
        self._saved = None
        self._hide_error()
        self._fill(_Fields.of(None))
        self.title_label.setText("Annotation")
        self._update_enabled()
        self.meta_label.setText(f"{NO_OBJECT_HINT}.")
        self.set_expanded(False)

    def _on_form_changed(self) -> None:
        if not self._loading:
            self.set_expanded(True)  # a status chosen on the one line opens the form
            self._update_meta()
            self.save_button.setEnabled(self.is_dirty())

    def _update_enabled(self) -> None:
        editable = self._can_edit()
        # Read-only (a snapshot bundle, or masked): the text stays in normal colours,
        # selectable and scrollable (a masked note must read on a projector); only nothing to
        # show greys the fields out.
        shown = self._has_object()
        for field in (self.note_edit, self.tags_edit):
            field.setEnabled(shown)
            field.setReadOnly(not editable)
        self.status_combo.setEnabled(editable)
        self.note_line.setEnabled(shown)
        self.note_edit.setPlaceholderText(
            NOTE_PLACEHOLDER if self._has_object() else NO_OBJECT_HINT)
        self.note_line.setPlaceholderText(
            COLLAPSED_NOTE_HINT if self._has_object() else NO_OBJECT_HINT)
        self.save_button.setEnabled(editable and self.is_dirty())
        self.delete_button.setEnabled(editable and self._saved is not None)
        masked_note = self._text_mask is not None and self._has_object()
        self.mask_hint.setVisible(masked_note)
        private = masked_note and not self._read_only
        self.private_field.setVisible(private)
        self.add_button.setVisible(private)
        self.add_button.setEnabled(private and bool(self.private_field.private_text().strip()))
        if not private:
            self.private_field.clear_private()

    def _update_meta(self) -> None:
        if self._saved is None:
            text = "Not annotated yet"
        else:
            text = (f"Created {local_time_text(self._saved.created)} · "
                    f"updated {local_time_text(self._saved.updated)}")
        if self.is_dirty():
            text += " · unsaved changes"
        if self._read_only:
            text += " · read-only"
        elif self._text_mask is not None:
            text += " · masked: add below"
        self.meta_label.setText(self._mask(text))

    def _show_error(self, message: str) -> None:
        self.message_label.setText(self._mask(message))
        self.message_label.show()

    def _hide_error(self) -> None:
        self.message_label.clear()
        self.message_label.hide()


def _two_lines_height(edit: QPlainTextEdit) -> int:
    """The height that shows two lines of text in ``edit`` (its frame and margins included)."""
    margins = edit.contentsMargins()
    document_margin = int(edit.document().documentMargin())
    return (2 * edit.fontMetrics().lineSpacing() + 2 * document_margin
            + margins.top() + margins.bottom())

