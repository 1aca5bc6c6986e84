"""How explorer tree rows look (``TreeRowLook``): label (counts, ids, "Load more…"
progress), icon with its marks (AEP, findings, annotation, changed), tooltip, and workshop
masking of both texts."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from explorer.kinds import KINDS
from explorer.masking import TextMask
from explorer.ui.icons import icon_for, trait_type_label
from explorer.ui.tree_nodes import Node, TreeFacts

# Every segment reaches Target when Core Services Shared Audiences is enabled (tenant-wide).
_TARGET_WORDS = {"enabled": "shared", "disabled": "not shared", "unknown": "unknown"}


class TreeRowLook:
    """Display, decoration and tooltip texts of ``WorkspaceTreeModel``'s nodes, and the
    options they depend on (ids shown, workshop masking, the changed marks)."""

    def __init__(self, page_size: int, facts: TreeFacts, *, show_ids: bool = False) -> None:
        self.page_size = page_size
        self.facts = facts
        self.show_ids = show_ids
        self.text_mask: TextMask | None = None  # workshop masking
        self.changed: frozenset[tuple[str, int]] = frozenset()  # (kind, id): set_changed

    def display(self, node: Node) -> str:
        label = node.label
        if node.node_type == "object" and self.show_ids:
            label = f"{label} ({node.key[2]})"
        if node.node_type == "more" and node.parent is not None:
            total = node.parent.page_total
            shown = node.parent.page_loaded
            return f"Load more… ({shown:,} of {total:,} shown)" if total else label
        if node.count is not None:
            label = f"{label} ({node.count:,})"
        if node.key == ("group", "segment-storage"):
            state = self.facts.target["shared_audiences"]
            label = f"{label} · Target: {_TARGET_WORDS[state]}"
        return label

    def masked(self, text: str) -> str:
        return self.text_mask(text) if self.text_mask is not None else text

    def marks(self, node: Node) -> frozenset[str]:
        marks = set()
        if node.aep:
            marks.add("aep")
        if node.findings:
            marks.add("findings")
        if node.annotation:
            marks.add("annotation")
        if self.changed and node.kind_and_id() in self.changed:
            marks.add("changed")
        return frozenset(marks)

    def icon(self, node: Node) -> QIcon:
        marks = self.marks(node)
        if node.node_type == "object":
            base = node.key[1]
        elif node.key[0] in ("missing-folder", "missing-ds"):
            base = "missing-folder"
        else:
            base = node.node_type
        return icon_for(base, node.subtype, aep="aep" in marks, findings="findings" in marks,
                        annotation="annotation" in marks, changed="changed" in marks)

    def tooltip(self, node: Node) -> str:
        lines: list[str] = []
        if node.node_type == "more":
            return f"Load the next {self.page_size:,} objects"
        pair = node.kind_and_id()
        if pair is not None and pair[0] in KINDS:
            lines.append(f"{KINDS[pair[0]].label} {pair[1]}")
        else:
            lines.append(node.label)
        object_kind = node.key[1] if node.node_type == "object" else None
        lines += self._object_lines(node, object_kind)
        if node.node_type in ("folder", "group") and node.count is not None:
            lines.append(f"{node.count:,} objects (subfolders included)"
                         if node.node_type == "folder" else f"{node.count:,} objects")
        marks = self.marks(node)
        if "aep" in marks:
            lines.append("Shared with Adobe Experience Platform")
        if "findings" in marks:
            lines.append("Has findings")
        if "annotation" in marks:
            lines.append("Has an annotation")
        if "changed" in marks:
            lines.append("Changed since the previous import")
        if node.key == ("group", "segment-storage") or object_kind == "segment":
            lines.append(self._target_line())
        return "\n".join(lines)

    def _object_lines(self, node: Node, object_kind: str | None) -> list[str]:
        """Type and data source lines of an object row (nothing for other rows)."""
        lines: list[str] = []
        if object_kind == "trait":
            lines.append(f"Type: {trait_type_label(node.subtype)}")
        elif object_kind is not None and node.subtype and object_kind != "segment":
            lines.append(f"Type: {node.subtype}")
        ds = node.data_source_id
        if object_kind in ("trait", "segment", "destination") and ds is not None:
            lines.append(f"Data source: {self.facts.ds_names.get(ds, '(missing)')} ({ds})")
        return lines

    def _target_line(self) -> str:
        target = self.facts.target
        state, since = target["shared_audiences"], target["shared_audiences_since"]
        if state == "unknown":
            return "Adobe Target: unknown (no Shared Audiences event; when enabled, every " \
                   "segment reaches Target)"
        return f"Adobe Target: {_TARGET_WORDS[state]} (Shared Audiences {state} since {since})"
