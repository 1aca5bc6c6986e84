"""Recently opened workspaces and exports, and what a path dropped on the window means."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explorer.paths import WORKSPACE_SUFFIX
from explorer.report.bundle import BUNDLE_SUFFIX
from explorer.ui.settings import app_settings

MAX_RECENT = 10
_RECENT_KEY = "recent/files"
_LAST_WORKSPACE_KEY = "workspace/last"


@dataclass(frozen=True)
class Openable:
    """Something the window can open: a workspace file, or an export to import."""

    kind: str  # "workspace", "snapshot" (a .aamsnap bundle, opened read-only) or "export"
    path: Path


def classify_path(path: Path) -> Openable | None:
    """What opening ``path`` means, or None when the window cannot open it.

    A ``.aamws`` file is a workspace; a ``.aamsnap`` file a snapshot bundle (opened
    read-only); a folder or a ``.zip`` is an export to import; a lone ``.json``/``.csv`` file
    is a one-file export.
    """
    suffix = path.suffix.lower()
    if path.is_file() and suffix == WORKSPACE_SUFFIX:
        return Openable("workspace", path)
    if path.is_file() and suffix == BUNDLE_SUFFIX:
        return Openable("snapshot", path)
    if path.is_dir() or (path.is_file() and suffix in (".zip", ".json", ".csv")):
        return Openable("export", path)
    return None


def classify_drop(paths: list[Path]) -> Openable | None:
    """The first dropped path the window can open (drops of several items open one)."""
    for path in paths:
        openable = classify_path(path)
        if openable is not None:
            return openable
    return None


def export_name(source: Path) -> str:
    """A workspace name for an export: the folder name, or the archive/file stem."""
    name = source.stem if source.is_file() else source.name
    return name or "export"


class RecentFiles:
    """The recent-files list in QSettings: newest first, no duplicates, at most MAX_RECENT."""

    def paths(self) -> list[Path]:
        value = app_settings().value(_RECENT_KEY, [])
        if isinstance(value, str):  # QSettings returns a lone string for one-item lists
            value = [value]
        if not isinstance(value, list):
            return []
        return [Path(str(p)) for p in value if p]

    def add(self, path: Path) -> None:
        resolved = str(Path(path).resolve())
        rest = [str(p) for p in self.paths() if str(p) != resolved]
        app_settings().setValue(_RECENT_KEY, [resolved, *rest][:MAX_RECENT])

    def remove(self, path: Path) -> None:
        resolved = str(Path(path).resolve())
        app_settings().setValue(_RECENT_KEY, [str(p) for p in self.paths()
                                              if str(p) != resolved])

    def clear(self) -> None:
        app_settings().setValue(_RECENT_KEY, [])

    @staticmethod
    def last_workspace() -> Path | None:
        value = app_settings().value(_LAST_WORKSPACE_KEY, "")
        return Path(str(value)) if value else None

    @staticmethod
    def set_last_workspace(path: Path) -> None:
        app_settings().setValue(_LAST_WORKSPACE_KEY, str(Path(path).resolve()))
