"""The lineage drawing: a layout (columns by kind, left to right as data flows) and its SVG.

The window's view draws the same ``layout_lineage`` result with Qt, so the drawing, the
``--svg`` file, the snapshot and the window's export all agree. Edge states differ by line
style *and* colour (never colour alone), and every palette keeps them apart on its background.
The SVG is plain text: escaped, no script, no external resource, arrowheads as polygons (no
markers) so Qt's SVG renderer draws it too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from typing import Any

from explorer.analysis.lineage import COLUMN_ORDER, Lineage, LineageEdge, LineageNode
from explorer.kinds import KINDS
from explorer.masking import TextMask

NODE_WIDTH = 250.0
NODE_HEIGHT = 60.0
COLUMN_GAP = 120.0
ROW_GAP = 18.0
MARGIN = 24.0
LEGEND_HEIGHT = 34.0
KIND_SIZE = 10.5
NAME_SIZE = 13.0
NOTE_SIZE = 10.5
_CHAR_WIDTH = 0.58  # of the font size, for a sans-serif face: enough to truncate safely

# State → (palette colour key, dash pattern in line widths, label).
STATE_STYLES: dict[str, tuple[str, tuple[float, ...], str]] = {
    "active": ("active", (), "active"),
    "paused": ("paused", (8, 5), "paused"),
    "ended": ("ended", (1.5, 4), "ended"),
    "scheduled": ("scheduled", (10, 4, 2, 4), "scheduled"),
    "missing": ("missing", (5, 3, 1, 3, 1, 3), "missing"),
    "not checked": ("unchecked", (3, 3), "not checked"),
}
POSITION_LABELS = {"and": "AND", "or": "OR", "not": "NOT", "frequency": "FREQ",
                   "only": "", "unknown": "?"}
_EXTRA_LABELS = {"target": "Adobe Target", "aep-segment": "AEP segment", "more": "More"}


@dataclass(frozen=True)
class LineagePalette:
    background: str
    node_fill: str
    node_border: str
    root_border: str
    text: str
    muted: str
    missing_fill: str
    states: dict[str, str] = field(default_factory=dict)


PALETTES: dict[str, LineagePalette] = {
    "light": LineagePalette(
        background="#FFFFFF", node_fill="#F5F7F9", node_border="#8C959F",
        root_border="#0B5CAD", text="#1F2328", muted="#57606A", missing_fill="#FFF1EB",
        states={"active": "#007A5A", "paused": "#B36B00", "ended": "#A8467C",
                "scheduled": "#0067A3", "missing": "#C2410C", "unchecked": "#6E7781"}),
    "dark": LineagePalette(
        background="#17191C", node_fill="#23272B", node_border="#6E7681",
        root_border="#6CB6FF", text="#E6EDF3", muted="#9DA7B3", missing_fill="#3A2420",
        states={"active": "#3FB68B", "paused": "#E69F00", "ended": "#E08BBE",
                "scheduled": "#56B4E9", "missing": "#FF7B4A", "unchecked": "#A0A8B2"}),
    "high-contrast": LineagePalette(
        background="#000000", node_fill="#000000", node_border="#FFFFFF",
        root_border="#F0E442", text="#FFFFFF", muted="#D0D0D0", missing_fill="#3A1A00",
        states={"active": "#00D19A", "paused": "#F0E442", "ended": "#FF9ED2",
                "scheduled": "#56B4E9", "missing": "#FF7B4A", "unchecked": "#C8C8C8"}),
}


@dataclass
class NodeBox:
    node: LineageNode
    x: float
    y: float
    lines: tuple[str, str, str]  # kind and id, name, folder / status / summary
    is_root: bool = False

    @property
    def right(self) -> float:
        return self.x + NODE_WIDTH

    @property
    def middle(self) -> float:
        return self.y + NODE_HEIGHT / 2


@dataclass
class EdgeLine:
    edge: LineageEdge
    start: tuple[float, float]
    end: tuple[float, float]
    label: str
    label_at: tuple[float, float]
    label_anchor: str  # "start" or "end"


@dataclass
class LineageLayout:
    boxes: dict[str, NodeBox]
    lines: list[EdgeLine]
    width: float
    height: float
    states: list[str]  # edge states present, in STATE_STYLES order


def _printable(text: str) -> str:
    """Control characters made visible (a name must not break the drawing over lines)."""
    if text.isprintable():
        return text
    return "".join("⏎" if ch == "\n" else f"\\x{ord(ch):02x}"
                   if (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0) else ch for ch in text)


def fit(text: str, size: float, width: float = NODE_WIDTH - 20, *, left: bool = False) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` at font ``size``."""
    text = _printable(text)
    limit = max(4, int(width / (size * _CHAR_WIDTH)))
    if len(text) <= limit:
        return text
    return "…" + text[-(limit - 1):] if left else text[:limit - 1] + "…"


def kind_label(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else _EXTRA_LABELS.get(kind, kind)


def node_lines(node: LineageNode, mask: TextMask = str) -> tuple[str, str, str]:
    if node.kind == "more":
        return (f"{kind_label(node.of or '')} — click to expand".upper()
                if node.of in KINDS else "MORE", fit(f"+ {node.name}", NAME_SIZE), "")
    head = kind_label(node.kind).upper()
    if isinstance(node.id, int):
        head += f" {node.id}"
    elif node.kind == "aep-segment":
        head += f" {mask(str(node.id))}"
    name = mask(node.name) if node.name else ("not in the export" if node.missing else "")
    if node.missing:
        note = "missing: not in the export"
    elif node.summary:
        note = " · ".join(_summary_text(k, v) for k, v in node.summary.items())
    elif (node.status or "").lower() in ("inactive", "paused", "deleted", "disabled"):
        note = f"paused ({node.status.lower()})" if node.status else "paused"
    elif node.folder:
        note = mask(node.folder)
    else:
        note = ""
    # Bold type is wider: measure the name as if it were a size larger.
    return (fit(head, KIND_SIZE), fit(name, NAME_SIZE * 1.1),
            fit(note, NOTE_SIZE, left=True))


def _summary_text(kind: str, part: dict[str, Any]) -> str:
    """``3,000 traits (300 inactive)``: the count, and how many are not active."""
    text = f"{part['count']:,} {KINDS[kind].plural_label.lower()}"
    others = sum(n for status, n in part["by_status"].items() if status != "active")
    return f"{text} ({others:,} not active)" if others else text


def _columns(lineage: Lineage) -> list[list[LineageNode]]:
    grouped: dict[str, list[LineageNode]] = defaultdict(list)
    for node in lineage.nodes.values():
        grouped[node.column].append(node)
    order = [c for c in COLUMN_ORDER if c in grouped] + sorted(
        c for c in grouped if c not in COLUMN_ORDER)
    columns = []
    for column in order:
        nodes = sorted(grouped[column], key=lambda n: (n.kind == "more", str(n.name or "").lower(),
                                                        str(n.id)))
        columns.append(nodes)
    return columns


def _order(columns: list[list[LineageNode]], lineage: Lineage) -> None:
    """Two sweeps of barycentre ordering: fewer crossings, related nodes side by side."""
    neighbours: dict[str, list[str]] = defaultdict(list)
    for edge in lineage.edges:
        neighbours[edge.source].append(edge.target)
        neighbours[edge.target].append(edge.source)
    rank: dict[str, float] = {}
    for column in columns:
        for index, node in enumerate(column):
            rank[node.key] = index

    def sweep(indices: range) -> None:
        placed: set[str] = set()
        for i in indices:
            column = columns[i]

            def centre(node: LineageNode) -> tuple[int, float, float]:
                near = [rank[k] for k in neighbours[node.key] if k in placed]
                if node.kind == "more":
                    return (1, 0.0, rank[node.key])
                return (0, sum(near) / len(near) if near else rank[node.key], rank[node.key])

            column.sort(key=centre)
            for index, node in enumerate(column):
                rank[node.key] = index
                placed.add(node.key)

    sweep(range(len(columns)))
    sweep(range(len(columns) - 1, -1, -1))
    sweep(range(len(columns)))


def layout_lineage(lineage: Lineage, mask: TextMask = str) -> LineageLayout:
    columns = _columns(lineage)
    _order(columns, lineage)
    tallest = max((len(c) for c in columns), default=1)
    full = tallest * NODE_HEIGHT + (tallest - 1) * ROW_GAP
    boxes: dict[str, NodeBox] = {}
    for col, nodes in enumerate(columns):
        height = len(nodes) * NODE_HEIGHT + (len(nodes) - 1) * ROW_GAP
        top = MARGIN + (full - height) / 2
        for row, node in enumerate(nodes):
            boxes[node.key] = NodeBox(node, MARGIN + col * (NODE_WIDTH + COLUMN_GAP),
                                      top + row * (NODE_HEIGHT + ROW_GAP),
                                      node_lines(node, mask), node.key == lineage.root)
    out_degree: dict[str, int] = defaultdict(int)
    in_degree: dict[str, int] = defaultdict(int)
    for edge in lineage.edges:
        out_degree[edge.source] += 1
        in_degree[edge.target] += 1
    lines = []
    labelled: set[str] = set()
    for edge in lineage.edges:
        source, target = boxes[edge.source], boxes[edge.target]
        label = " · ".join(part for part in (
            POSITION_LABELS.get(edge.position or "", (edge.position or "").upper()),
            "" if edge.state == "active" else STATE_STYLES.get(edge.state, ("", (), edge.state))[2],
        ) if part)
        start = (source.right, source.middle)
        end = (target.x, target.middle)
        # In the header of the end that has this one edge, where no other line passes;
        # beside the line when that header already holds a label.
        box = source if out_degree[edge.source] <= in_degree[edge.target] else target
        if label and box.node.key not in labelled:
            labelled.add(box.node.key)
            at, anchor = (box.right - 8, box.y + 16), "end"
        elif box is source:
            at, anchor = (start[0] + 8, start[1] + (15.0 if end[1] < start[1] else -6.0)), \
                "start"
        else:
            at, anchor = (end[0] - 10, end[1] + (15.0 if start[1] < end[1] else -6.0)), "end"
        lines.append(EdgeLine(edge, start, end, label, at, anchor))
    states = [s for s in STATE_STYLES if any(e.state == s for e in lineage.edges)]
    width = MARGIN * 2 + max(1, len(columns)) * NODE_WIDTH + max(0, len(columns) - 1) * COLUMN_GAP
    height = MARGIN * 2 + full + (LEGEND_HEIGHT if states else 0)
    return LineageLayout(boxes, lines, max(width, 520.0), height, states)


# --- SVG ------------------------------------------------------------------------------------

def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _curve(start: tuple[float, float], end: tuple[float, float]) -> str:
    bend = max(40.0, (end[0] - start[0]) / 2)
    return (f"M{start[0]:.1f},{start[1]:.1f} C{start[0] + bend:.1f},{start[1]:.1f} "
            f"{end[0] - bend:.1f},{end[1]:.1f} {end[0]:.1f},{end[1]:.1f}")


def arrowhead(end: tuple[float, float], size: float = 8.0) -> list[tuple[float, float]]:
    x, y = end
    return [(x, y), (x - size, y - size / 2), (x - size, y + size / 2)]


def render_svg(lineage: Lineage, palette: LineagePalette | str = "light",
               mask: TextMask = str, *, title: str | None = None) -> str:
    """The lineage as one self-contained SVG document (UTF-8 text)."""
    colours = PALETTES[palette] if isinstance(palette, str) else palette
    layout = layout_lineage(lineage, mask)
    w, h = layout.width, layout.height
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="lineage" width="{w:.0f}" '
           f'height="{h:.0f}" viewBox="0 0 {w:.0f} {h:.0f}" role="img" '
           f'font-family="Helvetica, Arial, sans-serif">']
    if title:
        out.append(f"<title>{escape(_printable(title))}</title>")
    out.append(f'<rect x="0" y="0" width="{w:.0f}" height="{h:.0f}" '
               f'fill="{colours.background}"/>')
    for line in layout.lines:
        colour, dash, _label = _style(line.edge.state, colours)
        dasharray = f' stroke-dasharray="{" ".join(f"{d * 1.6:g}" for d in dash)}"' if dash else ""
        end = (line.end[0] - 6, line.end[1])
        out.append(f'<path d="{_curve(line.start, end)}" fill="none" stroke="{colour}" '
                   f'stroke-width="2"{dasharray}/>')
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in arrowhead(line.end))
        out.append(f'<polygon points="{points}" fill="{colour}"/>')
    for box in layout.boxes.values():
        out.extend(_svg_box(box, colours))
    for line in layout.lines:  # after the boxes: a label may sit in a node's header
        if line.label:
            colour = _style(line.edge.state, colours)[0]
            out.append(f'<text x="{line.label_at[0]:.1f}" y="{line.label_at[1]:.1f}" '
                       f'font-size="{NOTE_SIZE}" font-weight="bold" fill="{colour}" '
                       f'text-anchor="{line.label_anchor}">{escape(line.label)}</text>')
    if layout.states:
        out.extend(_svg_legend(layout, colours))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _style(state: str, colours: LineagePalette) -> tuple[str, tuple[float, ...], str]:
    key, dash, label = STATE_STYLES.get(state, ("unchecked", (3, 3), state))
    return colours.states[key], dash, label


def _svg_box(box: NodeBox, colours: LineagePalette) -> list[str]:
    node = box.node
    fill = colours.missing_fill if node.missing else colours.node_fill
    border = colours.root_border if box.is_root else colours.node_border
    width = 3 if box.is_root else 1.2
    dash = ' stroke-dasharray="5 3"' if node.kind == "more" or node.missing else ""
    x, y = box.x, box.y
    head, name, note = box.lines
    parts = [f'<g class="node" data-key="{_attr(node.key)}">',
             f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE_WIDTH:.0f}" height="{NODE_HEIGHT:.0f}" '
             f'rx="6" fill="{fill}" stroke="{border}" stroke-width="{width}"{dash}/>',
             f'<text x="{x + 10:.1f}" y="{y + 16:.1f}" font-size="{KIND_SIZE}" '
             f'fill="{colours.muted}">{escape(head)}</text>',
             f'<text x="{x + 10:.1f}" y="{y + 34:.1f}" font-size="{NAME_SIZE}" '
             f'font-weight="bold" fill="{colours.text}">{escape(name)}</text>']
    if note:
        parts.append(f'<text x="{x + 10:.1f}" y="{y + 51:.1f}" font-size="{NOTE_SIZE}" '
                     f'fill="{colours.muted}">{escape(note)}</text>')
    parts.append("</g>")
    return parts


def _svg_legend(layout: LineageLayout, colours: LineagePalette) -> list[str]:
    y = layout.height - LEGEND_HEIGHT / 2 - 4
    x = MARGIN
    parts = []
    for state in layout.states:
        colour, dash, label = _style(state, colours)
        dasharray = f' stroke-dasharray="{" ".join(f"{d * 1.6:g}" for d in dash)}"' if dash else ""
        parts.append(f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 36:.1f}" y2="{y:.1f}" '
                     f'stroke="{colour}" stroke-width="2.5"{dasharray}/>')
        parts.append(f'<text x="{x + 42:.1f}" y="{y + 4:.1f}" font-size="{NOTE_SIZE + 1}" '
                     f'fill="{colours.text}">{escape(label)}</text>')
        x += 60 + len(label) * (NOTE_SIZE + 1) * _CHAR_WIDTH + 18
    return parts
