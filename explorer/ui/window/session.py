"""The workspace the window has open: the one place that holds it, answers whether it is
read-only, and announces when it is about to change, has opened, and what changed in it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from explorer.analysis.diff import Diff
from explorer.masking import Masker
from explorer.store.workspace import Workspace
from explorer.ui.window.change import Change


class WorkspaceSession(QObject):
    """The open workspace (None before one opens) and the state shown with it: the diff
    against its previous import and the workshop masker.

    Order of a replacement: ``aboutToChange`` (save what is typed, stop workers), then
    ``replaced(workspace)`` (the panels rebuild on the new one), the old connection closes;
    the opener then records the path and calls ``announce_opened`` (``opened(path)`` and a
    ``Change(workspace=True)``).
    """

    aboutToChange = Signal()
    replaced = Signal(object)  # Workspace
    opened = Signal(str)  # path
    changed = Signal(object)  # Change

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.diff: Diff | None = None
        self.masker: Masker | None = None  # None while masking is off

    @property
    def read_only(self) -> bool:
        """The window's answer to "can this workspace be changed here?"."""
        return self.workspace is not None and self.workspace.is_read_only()

    def replace(self, workspace: Workspace) -> None:
        self.aboutToChange.emit()
        old, self.workspace = self.workspace, workspace
        self.diff = None
        self.replaced.emit(workspace)
        if old is not None:
            old.close()

    def announce_opened(self, *, reimported: bool = False) -> None:
        """``opened(path)``, then ``Change(workspace=True)``; ``objects`` too when the same
        workspace file was opened again (a re-import): its configuration may have changed."""
        if self.workspace is not None:
            self.opened.emit(str(self.workspace.path))
            self.changed.emit(Change(workspace=True, objects=reimported))

    def close(self) -> None:
        self.aboutToChange.emit()
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None

    def notify(self, change: Change) -> None:
        """What a writer calls once after its write."""
        self.changed.emit(change)

    def set_diff(self, diff: Diff | None) -> None:
        self.diff = diff
        self.notify(Change(diff=True))

    def set_masker(self, masker: Masker | None) -> None:
        self.masker = masker if masker is not None and masker.active else None
        self.notify(Change(masking=True))

    def mask(self, text: str) -> str:
        return self.masker.mask_text(text) if self.masker is not None else text
