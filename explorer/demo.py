"""The bundled demo tenant (Northwind Outfitters) as a ready workspace in the data folder.

Qt-free: the ``demo`` CLI command and the GUI's demo entry both call
``ensure_demo_workspace()``. The export itself lives in ``resources/demo/export`` (see
``resources/demo/README.md`` for what it contains and its deliberate pitfalls).
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from explorer.paths import WORKSPACE_SUFFIX, data_dir, demo_export_dir

DEMO_WORKSPACE_STEM = "northwind-outfitters-demo"


def demo_workspace_path() -> Path:
    """Where the demo workspace lives: ``<data dir>/northwind-outfitters-demo.aamws``."""
    return data_dir() / f"{DEMO_WORKSPACE_STEM}{WORKSPACE_SUFFIX}"


def ensure_demo_workspace(fresh: bool = False) -> Path:
    """Return the demo workspace, importing the bundled export first if needed.

    An existing, complete demo workspace is reused (so notes taken in it survive) unless
    ``fresh`` is true, which rebuilds it from the bundled export (configuration, usage and
    settings events). The rebuild goes through the importer's new-workspace path: it writes a
    temporary file and moves it into place, so a failure never leaves a half-built demo.
    Close any open connection to the demo workspace before asking for a fresh one.
    """
    path = demo_workspace_path()
    if not fresh and _is_complete(path):
        return path
    from explorer.importers import import_export  # import cost only paid when building

    _remove_workspace(path)
    import_export(demo_export_dir(), path)
    return path


def _is_complete(path: Path) -> bool:
    """True when ``path`` is a workspace that holds a finished import of the demo."""
    if not path.exists():
        return False
    from explorer.store.db import WorkspaceError
    from explorer.store.workspace import Workspace

    try:
        with Workspace.open(path, readonly=True) as workspace:
            return workspace.latest_import() is not None
    except (WorkspaceError, sqlite3.Error):
        return False


def _remove_workspace(path: Path) -> None:
    # The -wal/-shm files must go too: a new file beside an old WAL would replay it.
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
