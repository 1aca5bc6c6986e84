"""Where the app finds its bundled resources: frozen, installed or in a checkout."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from explorer import paths
from tests.helpers.paths import REPO_ROOT


def test_a_checkout_reads_the_top_level_resources_folder() -> None:
    assert paths.resources_dir() == REPO_ROOT / "resources"
    assert (paths.demo_export_dir() / "segments.json").is_file()
    assert (paths.templates_dir() / "snapshot.html.j2").is_file()


def test_a_frozen_app_reads_its_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"
    assert paths.demo_export_dir() == tmp_path / "resources" / "demo" / "export"


def test_an_installed_package_reads_explorer_resources(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    package = tmp_path / "site" / "explorer" / "resources"
    package.mkdir(parents=True)
    monkeypatch.setattr(paths.importlib.resources, "files",
                        lambda name: package if name == "explorer.resources" else None)
    assert paths.resources_dir() == package
