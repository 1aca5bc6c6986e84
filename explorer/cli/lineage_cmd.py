"""`aam-explorer lineage | impact`: where an object's data flows, and what stops without it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from explorer.analysis.impact import build_impact
from explorer.analysis.lineage import Lineage, LineageError, build_lineage
from explorer.cli import main
from explorer.cli.common import (
    OBJECT_ARGUMENT,
    WS_ARGUMENT,
    echo_json,
    fail,
    one_line,
    open_workspace,
    resolve_target,
)
from explorer.kinds import KINDS
from explorer.report.errors import os_reason
from explorer.report.lineage_drawing import PALETTES, render_svg


@main.command()
@WS_ARGUMENT
@OBJECT_ARGUMENT
@click.option("--depth", type=click.IntRange(min=1), default=None,
              help="Follow at most N hops up and down (default: the whole flow).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--svg", "svg_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the drawing to this SVG file.")
@click.option("--theme", type=click.Choice(tuple(PALETTES)), default="light",
              show_default=True, help="Colours of the SVG drawing.")
def lineage(ws: Path, target: tuple[str, ...], depth: int | None, as_json: bool,
            svg_path: Path | None, theme: str) -> None:
    """Where the data of one object comes from and where it goes ([KIND] ID)."""
    with open_workspace(ws, readonly=True) as workspace:
        kind, object_id = resolve_target(workspace.conn, target, ws)
        try:
            graph = build_lineage(workspace.conn, kind, object_id, depth=depth)
        except LineageError as exc:
            fail(str(exc))
            return
    if svg_path is not None:
        try:
            svg_path.write_text(render_svg(graph, theme, title=_title(graph)), encoding="utf-8")
        except OSError as exc:
            fail(f"{svg_path}: cannot write the SVG ({os_reason(exc)})")
    if as_json:
        echo_json(graph.to_json())
    else:
        _print_lineage(graph)


def _title(graph: Lineage) -> str:
    root = graph.nodes[graph.root]
    return f"Lineage of {root.key} {root.name or ''}".rstrip()


def _label(graph: Lineage, key: str) -> str:
    node = graph.nodes[key]
    if node.kind == "more":
        return f"… {node.name} (more)"
    name = node.name or ("(not in the export)" if node.missing else "")
    return one_line(f"{node.key} {name}".rstrip())


def _print_lineage(graph: Lineage) -> None:
    click.echo(f"Lineage of {_label(graph, graph.root)}")
    click.echo(f"Export date: {graph.export_date or 'unknown'}; Adobe Target: "
               f"{_sharing_text(graph.target_sharing)}")
    root = graph.nodes[graph.root]
    if root.summary:
        for kind, part in root.summary.items():
            statuses = ", ".join(f"{n:,} {s}" for s, n in part["by_status"].items())
            click.echo(f"{KINDS[kind].plural_label}: {part['count']:,} ({statuses})")
            for item in part["largest"]:
                click.echo(one_line(f"  {kind}:{item['id']} {item.get('name') or ''}"))
    incoming = [e for e in graph.edges if e.target == graph.root]
    if incoming or not root.summary:
        click.echo("Upstream (what feeds it):")
        _print_tree(graph, graph.root, "up", "  ", set())
        click.echo("Downstream (where it goes):")
        _print_tree(graph, graph.root, "down", "  ", set())
    for note in graph.notes:
        click.echo(one_line(f"note: {note}"))


def _sharing_text(sharing: dict[str, Any]) -> str:
    state = sharing.get("state")
    if state in ("enabled", "disabled"):
        return f"Shared Audiences {state} (since {sharing.get('since')})"
    return f"not checked ({sharing.get('why')})"


def _print_tree(graph: Lineage, key: str, direction: str, indent: str, seen: set[str]) -> None:
    edges = [e for e in graph.edges if (e.target if direction == "up" else e.source) == key]
    if not edges:
        if indent == "  ":
            click.echo(f"{indent}(nothing)")
        return
    for edge in edges:
        other = edge.source if direction == "up" else edge.target
        details = [edge.state]
        if edge.position:
            details.append(f"in {edge.position.upper()}")
        if edge.mapping_id is not None:
            details.append(f"mapping {edge.mapping_id}")
        arrow = "<-" if direction == "up" else "->"
        click.echo(f"{indent}{arrow} {_label(graph, other)} [{', '.join(details)}]")
        if other not in seen:
            seen.add(other)
            _print_tree(graph, other, direction, indent + "   ", seen)


@main.command()
@WS_ARGUMENT
@OBJECT_ARGUMENT
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def impact(ws: Path, target: tuple[str, ...], as_json: bool) -> None:
    """What changes if one object ([KIND] ID) is deleted or paused."""
    with open_workspace(ws, readonly=True) as workspace:
        kind, object_id = resolve_target(workspace.conn, target, ws)
        try:
            report = build_impact(workspace.conn, kind, object_id)
        except LineageError as exc:
            fail(str(exc))
            return
    if as_json:
        echo_json(report)
    else:
        _print_impact(report)


def _print_impact(report: dict[str, Any]) -> None:
    obj = report["object"]
    click.echo(one_line(f"Impact of {obj['kind']}:{obj['id']} {obj['name'] or ''}".rstrip()))
    for scenario in report["scenarios"]:
        click.echo(f"If {scenario['action']}d:" if scenario["action"] != "delete or pause"
                   else "If deleted or paused:")
        if scenario["traits"] > 1:
            click.echo(f"  {scenario['traits']:,} traits stop qualifying anyone")
        segments = scenario["segments"]
        if segments:
            click.echo(f"  Segments ({len(segments)}):")
            for seg in segments:
                where = f" (in {seg['position'].upper()})" if seg.get("position") else ""
                click.echo(one_line(f"    segment:{seg['id']} {seg['name'] or ''}: "
                                    f"{seg['text']}{where}"))
        for dest in scenario["destinations"]:
            click.echo(one_line(f"  destination:{dest['id']} {dest['name'] or ''}:"))
            for seg in dest["segments"]:
                verb = "stops receiving" if seg["state"] == "active" else \
                    f"mapping {seg['state']}, receives nothing already:"
                click.echo(one_line(f"    {verb} segment:{seg['id']} {seg['name'] or ''} "
                                    f"(mapping {seg['mapping_id']})"))
        if not segments and not scenario["destinations"]:
            click.echo("  nothing the export shows depends on it")
        click.echo(one_line(f"  Adobe Target: {scenario['target']['text']}"))
        for note in scenario["notes"]:
            click.echo(one_line(f"  note: {note}"))
