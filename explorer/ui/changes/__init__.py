"""What changed between two imports of a tenant (or two workspaces): the Changes panel, the
Compare dialog, the diff worker and their wiring into the main window."""

from explorer.ui.changes.compare_dialog import CompareDialog
from explorer.ui.changes.integration import ChangesIntegration
from explorer.ui.changes.panel import ChangesPanel
from explorer.ui.changes.worker import DiffController, DiffOutcome, DiffRequest

__all__ = ["ChangesIntegration", "ChangesPanel", "CompareDialog", "DiffController",
           "DiffOutcome", "DiffRequest"]
