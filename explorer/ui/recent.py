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

    A ``.aamws`` file, or any file that is an SQLite database, is a workspace (the workspace
    then refuses a foreign database with its own message); a ``.aamsnap`` file, or a zip that
    holds a bundle's manifest and workspace, a snapshot bundle (opened read-only); a folder, a
    ``.zip`` or a lone ``.json``/``.csv``/``.xlsx``/``.xlsm`` file is an export to import.
    """
    suffix = path.suffix.lower()
    if path.is_file() and suffix == WORKSPACE_SUFFIX:
        return Openable("workspace", path)
    if path.is_file() and suffix == BUNDLE_SUFFIX:
        return Openable("snapshot", path)
    # The CLI creates and reads a workspace under any name: the content decides, not the name.
    if path.is_file() and _starts_with(path, SQLITE_HEADER):
        return Openable("workspace", path)
    if path.is_file() and suffix == ".zip" and _is_bundle(path):
        return Openable("snapshot", path)
    if path.is_dir() or (path.is_file() and suffix in (".zip", ".json", ".csv", ".xlsx",
                                                       ".xlsm")):
        return Openable("export", path)
    return None


SQLITE_HEADER = b"SQLite format 3\x00"


def _starts_with(path: Path, header: bytes) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(header)) == header
    except OSError:
        return False


def _is_bundle(path: Path) -> bool:
    """A snapshot bundle renamed to .zip: its manifest and reduced workspace say so."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
    return {"manifest.json", "workspace.aamws"} <= names


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
