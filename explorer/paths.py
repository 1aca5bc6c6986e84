"""Where the app keeps its files, without Qt (the core and the CLI use it too)."""

from __future__ import annotations

import importlib.resources
import os
import sys
from pathlib import Path

APP_DIR_NAME = "aam-config-explorer"
WORKSPACE_SUFFIX = ".aamws"


def data_dir() -> Path:
    """The user's data folder; ``AAM_EXPLORER_DATA_DIR`` overrides it (tests, portable use)."""
    override = os.environ.get("AAM_EXPLORER_DATA_DIR")
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        base = Path(local) / APP_DIR_NAME
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / APP_DIR_NAME
    else:
        xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        base = Path(xdg) / APP_DIR_NAME
    base.mkdir(parents=True, exist_ok=True)
    return base


def resources_dir() -> Path:
    """The bundled resources (demo tenant, icons, report templates).

    Frozen (PyInstaller): ``_MEIPASS/resources``. Installed (a wheel): the package
    ``explorer.resources``, read with ``importlib.resources``. A checkout: the project's
    top-level ``resources/`` folder, which the installed package is made from.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    try:
        package = importlib.resources.files("explorer.resources")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "resources"
    if not isinstance(package, Path):  # pip installs unzipped: a zipped install is not made
        raise RuntimeError(f"the resources must be files on disk, not inside {package}")
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if ((package.parent / "explorer").is_dir() and (checkout / "templates").is_dir()
            and package.resolve() != checkout):
        # an editable install of another checkout (a git worktree) maps explorer.resources
        # to that checkout's folder: this code reads its own
        return checkout
    return package


def demo_export_dir() -> Path:
    return resources_dir() / "demo" / "export"


def templates_dir() -> Path:
    return resources_dir() / "templates"
