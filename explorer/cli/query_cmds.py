"""`aam-explorer info | show | search`: read a workspace from the command line."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from explorer.analysis.findings import count_findings
from explorer.analysis.gaps import UNKNOWN_GAPS_TEXT, workspace_gaps
from explorer.analysis.object_view import object_view
from explorer.cli import main
from explorer.cli.common import (
    EXIT_USAGE,
    OBJECT_ARGUMENT,
    WS_ARGUMENT,
    echo_json,
    fail,
    one_line,
    open_workspace,
    resolve_target,
    severity_counts,
)
from explorer.cli.output_masking import masking_options, output_masker
from explorer.cli.show_text import view_lines
from explorer.kinds import KINDS
from explorer.store.queries import SEARCH_FIELDS, search

EXIT_NO_MATCH = 1

# The `info` count keys are table names, in the order the tree shows them.
COUNT_ORDER: tuple[str, ...] = tuple(k.table for k in KINDS.values())


@main.command()
@WS_ARGUMENT
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def info(ws: Path, as_json: bool) -> None:
    """Counts per kind, partner id, export date, imports and findings of WS."""
    with open_workspace(ws, readonly=True) as workspace:
        data = workspace.info()
        data["findings"] = count_findings(workspace.conn)
        accepted = sum(count_findings(workspace.conn, include_accepted=True).values()) \
            - sum(data["findings"].values())
        data["gaps"] = workspace_gaps(workspace.conn)
    if as_json:
        echo_json(data)
        return
    findings = severity_counts(data["findings"]) + (f" ({accepted} accepted)" if accepted else "")
    for label, value in (("Workspace", data["workspace"]), ("Partner ID", data["partner_id"]),
                         ("Export date", data["export_date"]),
                         ("Imported at", _moment(data["imported_at"])),
                         ("Imports", data["imports"]),
                         ("Findings", findings)):
        click.echo(f"{label + ':':<14}{_or_dash(value)}")
    click.echo("")
    width = max(len(KINDS[name].plural_label) for name in KINDS)
    for kind in KINDS.values():
        click.echo(f"  {kind.plural_label:<{width}}  {data['counts'].get(kind.table, 0):>8,}")
    _print_gaps(data["gaps"])


def _print_gaps(gaps: list[dict[str, Any]] | None) -> None:
    if gaps is None:
        click.echo(f"\n{UNKNOWN_GAPS_TEXT}")
    elif gaps:
        click.echo(f"\nNot in this export ({len(gaps)}):")
        for gap in gaps:
            click.echo(one_line(f"  {gap['what']}"))


@main.command()
@WS_ARGUMENT
@OBJECT_ARGUMENT
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON (every stored field and the source record) instead of text.")
@masking_options
def show(ws: Path, target: tuple[str, ...], as_json: bool, saved_mask: bool, no_mask: bool,
         mask_classes: tuple[str, ...], mask_terms: tuple[str, ...]) -> None:
    """What the inspector shows about one object: KIND and its AAM ID, or only the ID.

    Without KIND, the object with that ID is shown; when objects of several kinds have it,
    they are listed as KIND:ID and the exit code is 2. Masked as the inspector masks it
    when masking is on in the workspace or asked for.
    """
    with open_workspace(ws, readonly=True) as workspace:
        kind, object_id = resolve_target(workspace.conn, target, ws)
        view = object_view(workspace.conn, kind, object_id)
        masker = output_masker(workspace, saved_mask, no_mask, mask_classes, mask_terms)
    if view is None:
        fail(f"{kind} {object_id} not found in {ws}")
        return
    if masker is not None:
        view = masker.mask_data(view)
    if as_json:
        echo_json(view)
    else:
        for line in view_lines(view):
            click.echo(line)


@main.command(name="search")
@WS_ARGUMENT
@click.argument("query")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="At most this many results.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def search_cmd(ws: Path, query: str, limit: int, as_json: bool) -> None:
    """Objects whose name, id, description, integration code or rule start with QUERY's words.

    Exit code (as grep's): 0 when something matched, 1 when nothing did, 2 on an error.
    """
    try:
        with open_workspace(ws, readonly=True) as workspace:
            hits = search(workspace.conn, query, limit=limit, matches=not as_json)
    except click.ClickException as exc:
        exc.exit_code = EXIT_USAGE
        raise
    if as_json:
        echo_json(hits)
    elif hits:
        _print_hits(hits, limit)
    else:
        click.echo("no matches")
    if not hits:
        sys.exit(EXIT_NO_MATCH)


def _print_hits(hits: list[dict[str, Any]], limit: int) -> None:
    rows = [(hit["kind"], str(hit["id"]), _or_dash(hit["name"]),
             _matched(hit)) for hit in hits]
    headers = ("KIND", "ID", "NAME", "MATCHED IN")
    widths = [max(len(headers[i]), *(len(r[i]) for r in rows)) for i in range(3)]
    for row in (headers, *rows):
        click.echo(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:<{widths[2]}}  "
                   f"{row[3]}")
    if len(hits) >= limit:
        click.echo(f"(the first {limit}; --limit shows more)")


def _matched(hit: dict[str, Any]) -> str:
    """The field a hit matched in; with its text (shortened around the match) when the name
    and id, already on the line, are not where it matched."""
    field = hit.get("field") or "-"
    if field in (SEARCH_FIELDS["name"], SEARCH_FIELDS["ident"]) or not hit.get("text"):
        return one_line(field)
    return one_line(f"{field}: {hit['text']}")


def _moment(iso: str | None) -> str | None:
    """``2026-12-06T21:59:28+00:00`` -> ``2026-12-06 21:59 UTC`` (stored times are UTC)."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso).astimezone(UTC)
    except ValueError:
        return iso
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _or_dash(value: Any) -> str:
    return "-" if value is None or value == "" else one_line(value)
