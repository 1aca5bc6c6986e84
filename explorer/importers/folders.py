"""Trait and segment folders: nested trees or flat lists → rows with ``parent_id`` and ``depth``.

Folders are few (AAM allows 2,000 trait folders), so they are gathered whole, checked for
cycles and depth-counted before they are written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

ROOT_ID = 0  # "All Traits" / "All Segments": parentFolderId 0 means top-level


@dataclass
class FolderRecord:
    """One folder as found in a file: its source dict (without ``subFolders``) and location."""

    file: str
    label: str
    record: dict[str, Any]


def flatten(file: str, records: list[Any], labels: list[str]) -> Iterator[FolderRecord | tuple]:
    """Yield every folder of a tree or flat list; non-objects come back as (label, value)."""
    for label, record in zip(labels, records, strict=True):
        yield from _walk(file, label, record, None)


def _walk(file: str, label: str, record: Any, parent: int | None
          ) -> Iterator[FolderRecord | tuple]:
    if not isinstance(record, dict):
        yield (label, record)
        return
    children = record.get("subFolders")
    own = {k: v for k, v in record.items() if k != "subFolders"} if children is not None \
        else record
    if parent is not None and "parentFolderId" not in own:
        own = {**own, "parentFolderId": parent}
    yield FolderRecord(file, label, own)
    if isinstance(children, list):
        folder_id = record.get("folderId")
        parent_id = folder_id if isinstance(folder_id, int) else None
        for index, child in enumerate(children, start=1):
            yield from _walk(file, f"{label}.{index}", child, parent_id)


def find_cycles(parents: dict[int, int]) -> list[list[int]]:
    """Every cycle in the child → parent map, each as the ids along it (smallest first)."""
    state: dict[int, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[int]] = []
    for start in parents:
        path: list[int] = []
        node: int | None = start
        while node is not None and node in parents and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parents[node]
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node):]
            low = cycle.index(min(cycle))
            cycles.append(cycle[low:] + cycle[:low])
        for visited in path:
            state[visited] = 2
    return cycles


def depths(parents: dict[int, int]) -> dict[int, int]:
    """Depth of every folder (1 = top-level); a folder whose parent is missing counts as 1."""
    result: dict[int, int] = {}
    for start in parents:
        path: list[int] = []
        node = start
        while node not in result:
            parent = parents.get(node)
            if parent is None or parent == ROOT_ID or parent not in parents:
                result[node] = 1
                break
            path.append(node)
            node = parent
        base = result[node]
        for offset, folder in enumerate(reversed(path), start=1):
            result[folder] = base + offset
    return result
