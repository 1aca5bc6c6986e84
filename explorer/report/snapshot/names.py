"""Object names (masked) and folder paths, read once per kind for the whole report.
"""

from __future__ import annotations

import sqlite3

from explorer.kinds import KIND_IN_FOLDER, KINDS
from explorer.masking import TextMask


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
        table = KINDS[kind].table
        has_parent = kind in KIND_IN_FOLDER
        sql = f"SELECT id, name{', parent_id' if has_parent else ''} FROM {table}"
        names: dict[int, str | None] = {}
        parents: dict[int, int | None] = {}
        for row in self._conn.execute(sql):
            names[row[0]] = self._mask(row[1]) if isinstance(row[1], str) else row[1]
            if has_parent:
                parents[row[0]] = row[2]
        self._names[kind], self._parents[kind] = names, parents

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
