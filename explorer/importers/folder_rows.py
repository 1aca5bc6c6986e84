"""Folder files to ``trait_folders`` / ``segment_folders`` rows."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from explorer.domain.records import RECORD_TYPES
from explorer.importers import folders as folder_tree
from explorer.importers.loader_state import LoaderState
from explorer.importers.parse import Parsed, folder_kind_from_name, json_type
from explorer.importers.record_text import error_message, record_label
from explorer.importers.rows import stored_row
from explorer.kinds import KINDS


class FolderRows:
    """Folder files: trait or segment folders (by file name, else by which objects use
    them), flattened, checked for cycles and written with their depth."""

    def __init__(self, state: LoaderState) -> None:
        self.state = state

    def load_folders(self) -> None:
        """Decide trait vs segment for each folder file, then write each kind's folders."""
        by_kind: dict[str, list[folder_tree.FolderRecord]] = {
            "trait-folder": [], "segment-folder": []}
        for name, parsed, summary, hint in self.state.folder_files:
            kind = folder_kind_from_name(hint) or self.folder_kind_from_use(parsed)
            if kind is None:
                summary.kind = "ignored"
                self.state.problem(name, None, None,
                                   "folders, but neither the file name nor the traits and segments "
                                   "tell whether they are trait or segment folders; ignored (name "
                                   "the file trait-folders or segment-folders and import again)")
                continue
            summary.kind = kind
            self.state.clear_config()
            labels = [parsed.label(i) for i in range(len(parsed.records))]
            for item in folder_tree.flatten(name, parsed.records, labels):
                if isinstance(item, tuple):
                    self.state.problem(name, item[0], None,
                                       f"expected a JSON object, got {json_type(item[1])}; skipped")
                    summary.skipped += 1
                else:
                    by_kind[kind].append(item)
                    summary.records += 1
        for kind, items in by_kind.items():
            self.write_folders(kind, items)

    def folder_kind_from_use(self, parsed: Parsed) -> str | None:
        ids = {r.get("folderId") for r in parsed.records if isinstance(r, dict)}
        for record in parsed.records:  # nested children count too
            if isinstance(record, dict):
                ids.update(_nested_ids(record.get("subFolders")))
        trait_hits = len(ids & self.state.folders_used["trait-folder"])
        segment_hits = len(ids & self.state.folders_used["segment-folder"])
        if trait_hits == segment_hits:
            return None
        return "trait-folder" if trait_hits > segment_hits else "segment-folder"

    def write_folders(self, kind: str, items: list[folder_tree.FolderRecord]) -> None:
        cls = RECORD_TYPES[kind]
        models: dict[int, tuple[Any, folder_tree.FolderRecord]] = {}
        for item in items:
            if "name" not in item.record:
                named = name_from_path(item.record.get("path"))
                if named:
                    item.record = {**item.record, "name": named}
            try:
                model = cls.model_validate(item.record)
            except ValidationError as exc:
                label = record_label(item.label, "folderId", item.record)
                for error in exc.errors(include_url=False):
                    field = ".".join(str(part) for part in error["loc"]) or None
                    self.state.problem(item.file, label, field, error_message(error))
                continue
            if model.id == folder_tree.ROOT_ID:
                continue  # the "All Traits"/"All Segments" root itself is not a folder row
            label = record_label(item.label, "folderId", item.record)
            first = models.get(model.id)
            if first is not None:
                before, this = first[1].record, item.record
                differing = sorted(k for k in before.keys() | this.keys()
                                   if before.get(k) != this.get(k))
                if differing:  # the same folder twice (a tree and a list) is one folder
                    where = "this file" if first[1].file == item.file else first[1].file
                    self.state.problem(item.file, label, "folderId",
                                       f"{KINDS[kind].label.lower()} {model.id} also in {where}, "
                                       f"differing in {', '.join(differing[:8])}; the first copy "
                                       "is kept, this one skipped")
                continue
            self.state.seen[kind][model.id] = item.file
            models[model.id] = (model, item)
        parents = {fid: m.parent_id for fid, (m, _item) in models.items()}
        for cycle in folder_tree.find_cycles(parents):
            start = models[cycle[0]][1]
            chain = " → ".join(str(fid) for fid in [*cycle, cycle[0]])
            self.state.problem(start.file, record_label(start.label, "folderId", start.record),
                               "parentFolderId",
                               f"{kind}s form a cycle ({chain}); those folders are skipped")
            for fid in cycle:
                del models[fid]
                del parents[fid]
        depth = folder_tree.depths(parents)
        table = KINDS[kind].table
        batch = self.state.batches[table]
        for fid, (model, item) in models.items():
            parent = None if model.parent_id == folder_tree.ROOT_ID else model.parent_id
            batch.append(stored_row(table, (fid, parent, model.pid, model.name, model.path,
                                            depth[fid]), item.record))
        self.state.track_rows(kind, table, batch)
        self.state.flush(table)


def name_from_path(path: Any) -> str | None:
    """A folder table without names (adobe_aam's) names each folder by its path's last part."""
    if not isinstance(path, str):
        return None
    parts = [part.strip() for part in path.strip().split("/") if part.strip()]
    return parts[-1] if parts else None


def _nested_ids(children: Any) -> set[Any]:
    ids: set[Any] = set()
    if isinstance(children, list):
        for child in children:
            if isinstance(child, dict):
                ids.add(child.get("folderId"))
                ids.update(_nested_ids(child.get("subFolders")))
    return ids
