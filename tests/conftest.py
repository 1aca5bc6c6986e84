"""Test set-up: offscreen Qt, and settings/data folders that never touch the user's own."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.paths import SAMPLE_TENANT

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")



@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("AAM_EXPLORER_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))
    try:
        from PySide6.QtCore import QSettings
    except ImportError:  # core-only environments still run the core tests
        return
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "qt"))


@pytest.fixture
def sample_tenant(tmp_path: Path) -> Path:
    """A private copy of the sample tenant export (tests may modify it)."""
    target = tmp_path / "sample-tenant"
    shutil.copytree(SAMPLE_TENANT, target)
    return target


@pytest.fixture
def sample_workspace(sample_tenant: Path, tmp_path: Path) -> Path:
    """The sample tenant imported into a fresh workspace file (tests may change it)."""
    from explorer.importers import import_export

    target = tmp_path / "sample.aamws"
    import_export(sample_tenant, target)
    return target


@pytest.fixture
def sample_window(qtbot: Any, sample_workspace: Path) -> Any:
    """A main window shown and ready on a fresh import of the sample tenant."""
    from tests.helpers.windows import show_window

    return show_window(qtbot, sample_workspace)
