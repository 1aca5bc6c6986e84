"""Importers: AAM export files → validated records → a workspace, atomically.

``import_export`` is the one entry point (the CLI's ``import`` command and the GUI's import
worker both call it); see ``explorer.importers.import_run`` for the guarantees it gives.
"""

from explorer.importers.import_run import import_export
from explorer.importers.report import (
    STAGES,
    FileSummary,
    ImportCancelled,
    ImportRefused,
    ImportReport,
    Problem,
    Progress,
)

__all__ = [
    "STAGES",
    "FileSummary",
    "ImportCancelled",
    "ImportRefused",
    "ImportReport",
    "Problem",
    "Progress",
    "import_export",
]
