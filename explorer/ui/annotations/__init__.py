"""Annotations in the window: the editor under the inspector, the panel, undoable commands."""

from explorer.ui.annotations.commands import AnnotationCommand
from explorer.ui.annotations.editor import AnnotationEditor
from explorer.ui.annotations.panel import AnnotationsModel, AnnotationsPanel

__all__ = ["AnnotationCommand", "AnnotationEditor", "AnnotationsModel", "AnnotationsPanel"]
