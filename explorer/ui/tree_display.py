"""How explorer tree rows look: label (counts, ids, "Load more…" progress), icon with its
marks (AEP, findings, annotation, changed), tooltip, and workshop masking of both texts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QIcon

from explorer.kinds import KINDS
from explorer.ui.icons import icon_for, trait_type_label
from explorer.ui.tree_nodes import Node, TreeFacts

# Every segment reaches Target when Core Services Shared Audiences is enabled (tenant-wide).
_TARGET_WORDS = {"enabled": "shared", "disabled": "not shared", "unknown": "unknown"}


class TreeDisplayMixin:
    """Display, decoration and tooltip texts of ``WorkspaceTreeModel``'s nodes."""

    _page_size: int
    _show_ids: bool
    _text_mask: Callable[[str], str] | None  # workshop masking
    _changed: frozenset[tuple[str, int]]  # (kind, id): set_changed
    _facts: TreeFacts

    def _display(self, node: Node) -> str:
        label = node.label
        if node.node_type == "object" and self._show_ids and node.ref:
            label = f"{label} ({node.ref.id})"
        if node.node_type == "more" and node.parent is not None:
            total = node.parent.page_total
            shown = node.parent.page_loaded
            return f"Load more… ({shown:,} of {total:,} shown)" if total else label
        if node.count is not None:
            label = f"{label} ({node.count:,})"
        if node.key == ("group", "segment-storage"):
            state = self._facts.target["shared_audiences"]
            label = f"{label} · Target: {_TARGET_WORDS[state]}"
        return label

    def _masked(self, text: str) -> str:
        return self._text_mask(text) if self._text_mask is not None else text

    def _marks(self, node: Node) -> frozenset[str]:
        marks = set()
        if node.aep:
            marks.add("aep")
        if node.ref is not None:
            key = (node.ref.kind, node.ref.id)
            if key in self._facts.findings:
                marks.add("findings")
            if key in self._facts.annotations:
                marks.add("annotation")
            if key in self._changed:
                marks.add("changed")
        return frozenset(marks)

    def _icon(self, node: Node) -> QIcon:
        marks = self._marks(node)
        if node.node_type == "object" and node.ref is not None:
            base = node.ref.kind
        elif node.key[0] in ("missing-folder", "missing-ds"):
            base = "missing-folder"
        else:
            base = node.node_type
        subtype = node.row_info.type if node.row_info else None
        return icon_for(base, subtype, aep="aep" in marks, findings="findings" in marks,
                        annotation="annotation" in marks, changed="changed" in marks)

    def _tooltip(self, node: Node) -> str:
        lines: list[str] = []
        if node.node_type == "more":
            return f"Load the next {self._page_size:,} objects"
        if node.ref is not None and node.ref.kind in KINDS:
            lines.append(f"{KINDS[node.ref.kind].label} {node.ref.id}")
        else:
            lines.append(node.label)
        info = node.row_info
        if info is not None and info.kind == "trait":
            lines.append(f"Type: {trait_type_label(info.type)}")
        elif info is not None and info.type and info.kind != "segment":
            lines.append(f"Type: {info.type}")
        if info is not None and info.kind in ("trait", "segment", "destination"):
            ds = info.data_source_id
            if ds is not None:
                lines.append(f"Data source: {self._facts.ds_names.get(ds, '(missing)')} ({ds})")
        if node.node_type in ("folder", "group") and node.count is not None:
            lines.append(f"{node.count:,} objects (subfolders included)"
                         if node.node_type == "folder" else f"{node.count:,} objects")
        marks = self._marks(node)
        if "aep" in marks:
            lines.append("Shared with Adobe Experience Platform")
        if "findings" in marks:
            lines.append("Has findings")
        if "annotation" in marks:
            lines.append("Has an annotation")
        if "changed" in marks:
            lines.append("Changed since the previous import")
        if node.key == ("group", "segment-storage") or (info is not None
                                                         and info.kind == "segment"):
            lines.append(self._target_line())
        return "\n".join(lines)

    def _target_line(self) -> str:
        target = self._facts.target
        state, since = target["shared_audiences"], target["shared_audiences_since"]
        if state == "unknown":
            return "Adobe Target: unknown (no Shared Audiences event; when enabled, every " \
                   "segment reaches Target)"
        return f"Adobe Target: {_TARGET_WORDS[state]} (Shared Audiences {state} since {since})"
