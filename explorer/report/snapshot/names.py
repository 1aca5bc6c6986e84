"""Object names (masked) and folder paths, read once per kind for the whole report.
"""

from __future__ import annotations

import sqlite3

from explorer.kinds import KIND_IN_FOLDER, KINDS
from explorer.masking import TextMask
from explorer.store.names import all_names


class NameBook:
    """Object names (masked) and folder paths, read once per kind."""

    def __init__(self, conn: sqlite3.Connection, masker: TextMask) -> None:
        self._conn = conn
        self._mask = masker
        self._names: dict[str, dict[int, str | None]] = {}
        self._parents: dict[str, dict[int, int | None]] = {}

    def _load(self, kind: str) -> None:
        if kind in self._names:
            return
        self._names[kind] = {object_id: self._mask(name) if isinstance(name, str) else name
                             for object_id, name in all_names(self._conn, kind).items()}
        self._parents[kind] = {}
        if kind in KIND_IN_FOLDER:  # table: from the fixed vocabulary
            self._parents[kind] = dict(self._conn.execute(
                f"SELECT id, parent_id FROM {KINDS[kind].table}").fetchall())

    def name(self, kind: str, object_id: int) -> str | None:
        if kind not in KINDS:
            return None
        self._load(kind)
        return self._names[kind].get(object_id)

    def label(self, kind: str, object_id: int) -> str:
        """``Name (ID)``, or ``Kind ID`` when the object has no name or is not in the export."""
        if kind not in KINDS:
            return "Tenant" if object_id == 0 else f"{kind} {object_id}"
        name = self.name(kind, object_id)
        return f"{name} ({object_id})" if name else f"{KINDS[kind].label} {object_id}"

    def folder_path(self, folder_kind: str, folder_id: int | None) -> tuple[list[str], bool]:
        """Folder names from the top down, and whether the chain hit a folder not exported."""
        self._load(folder_kind)
        names, parents = self._names[folder_kind], self._parents[folder_kind]
        path: list[str] = []
        seen: set[int] = set()
        current = folder_id
        while current is not None and current not in seen:
            seen.add(current)
            if current not in names:
                path.append(f"Folder {current} (not in this export)")
                path.reverse()
                return path, True
            path.append(names[current] or f"Folder {current}")
            current = parents[current]
        path.reverse()
        return path, False
