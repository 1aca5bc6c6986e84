"""Undoable annotation edits: each command swaps one annotation between two exact states.

A command holds the state before and after (an ``Annotation`` or None for "no annotation") and
writes one of them with ``restore_annotation`` in its own transaction, so undo puts back the
exact previous row (timestamps included) and redo writes the same row again.

The first write happens *before* the command is pushed (``apply_first``): a failed write must
show an error and leave the stack alone, and ``QUndoStack.push`` cannot report a failure.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from explorer.kinds import KINDS
from explorer.store.annotations import Annotation, restore_annotation
from explorer.store.db import transaction
from explorer.store.workspace import Workspace

# Called after every successful write (apply, undo, redo) with the object's kind and id.
AppliedCallback = Callable[[str, int], None]
# Called with a one-line message when an undo or redo cannot write.
FailedCallback = Callable[[str], None]


def write_state(workspace: Workspace, kind: str, object_id: int,
                state: Annotation | None) -> None:
    """Write ``state`` (None deletes) in one transaction; raises sqlite3.Error on failure."""
    with transaction(workspace.conn) as conn:
        restore_annotation(conn, state, kind, object_id)


class AnnotationCommand(QUndoCommand):
    """Replace the annotation of (kind, object_id): ``before`` → ``after`` and back."""

    def __init__(self, workspace: Workspace, kind: str, object_id: int,
                 before: Annotation | None, after: Annotation | None, *,
                 on_applied: AppliedCallback, on_failed: FailedCallback | None = None) -> None:
        super().__init__(_describe(kind, object_id, before, after))
        self.workspace = workspace
        self.kind = kind
        self.object_id = object_id
        self.before = before
        self.after = after
        self._on_applied = on_applied
        self._on_failed = on_failed
        self._applied = False

    def apply_first(self) -> None:
        """Write ``after`` now; raises on failure (then do not push the command)."""
        write_state(self.workspace, self.kind, self.object_id, self.after)
        self._applied = True
        self._on_applied(self.kind, self.object_id)

    def redo(self) -> None:
        if self._applied:  # push() calls redo() right after apply_first(): already written
            self._applied = False
            return
        self._write(self.after)

    def undo(self) -> None:
        self._write(self.before)

    def _write(self, state: Annotation | None) -> None:
        # Exceptions cannot cross QUndoStack.undo()/redo(): report them instead.
        try:
            write_state(self.workspace, self.kind, self.object_id, state)
        except Exception as exc:  # any write failure is reported to the user
            if self._on_failed is not None:
                self._on_failed(f"Could not write the annotation: {exc}")
            return
        self._on_applied(self.kind, self.object_id)


def _describe(kind: str, object_id: int, before: Annotation | None,
              after: Annotation | None) -> str:
    label = KINDS[kind].label.lower() if kind in KINDS else kind
    if after is None:
        verb = "Delete annotation"
    elif before is None:
        verb = "Add annotation"
    else:
        verb = "Edit annotation"
    return f"{verb} on {label} {object_id}"
