"""`aam-explorer info | show | search`: read a workspace from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from explorer.analysis.gaps import UNKNOWN_GAPS_TEXT, workspace_gaps
from explorer.cli import main
from explorer.cli.common import (
    KIND_CHOICE,
    WS_ARGUMENT,
    echo_json,
    fail,
    one_line,
    open_workspace,
)
from explorer.kinds import KINDS
from explorer.store.queries import object_details, search

# The `info` count keys are table names, in the order the tree shows them.
COUNT_ORDER: tuple[str, ...] = tuple(k.table for k in KINDS.values())


@main.command()
@WS_ARGUMENT
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def info(ws: Path, as_json: bool) -> None:
    """Counts per kind, partner id, export date and import time of WS."""
    with open_workspace(ws, readonly=True) as workspace:
        data = workspace.info()
        data["gaps"] = workspace_gaps(workspace.conn)
    if as_json:
        echo_json(data)
        return
    for label, value in (("Workspace", data["workspace"]), ("Partner ID", data["partner_id"]),
                         ("Export date", data["export_date"]),
                         ("Imported at", data["imported_at"])):
        click.echo(f"{label + ':':<14}{_or_dash(value)}")
    click.echo("")
    width = max(len(KINDS[name].plural_label) for name in KINDS)
    for kind in KINDS.values():
        click.echo(f"  {kind.plural_label:<{width}}  {data['counts'].get(kind.table, 0):>8}")
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
@click.argument("kind", type=KIND_CHOICE)
@click.argument("object_id", metavar="ID", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def show(ws: Path, kind: str, object_id: int, as_json: bool) -> None:
    """Everything known about one object: KIND and its AAM ID."""
    with open_workspace(ws, readonly=True) as workspace:
        details = object_details(workspace.conn, kind, object_id)
    if details is None:
        fail(f"{kind} {object_id} not found in {ws}")
        return
    for finding in details.get("findings") or []:
        # `findings --json` names the check `check`; `check_id` stays for compatibility.
        if "check_id" in finding:
            finding.setdefault("check", finding["check_id"])
    if as_json:
        echo_json(details)
    else:
        _print_details(details)


@main.command(name="search")
@WS_ARGUMENT
@click.argument("query")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="At most this many results.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def search_cmd(ws: Path, query: str, limit: int, as_json: bool) -> None:
    """Objects whose name, id, description, integration code or rule start with QUERY's words."""
    with open_workspace(ws, readonly=True) as workspace:
        hits = search(workspace.conn, query, limit=limit)
    if as_json:
        echo_json(hits)
        return
    if not hits:
        click.echo("no matches")
        return
    width = max(len(hit["kind"]) for hit in hits)
    for hit in hits:
        click.echo(f"{hit['kind']:<{width}}  {hit['id']:>10}  {_or_dash(hit['name'])}")


def _or_dash(value: Any) -> str:
    return "-" if value is None or value == "" else one_line(value)


# -- text rendering of `show` ------------------------------------------------------------------

# Keys shown by their own sections, or not at all in text (raw is for --json; `rule` is shown
# as trait_rule / segment_rule).
_SECTION_KEYS = ("kind", "id", "name", "raw", "findings", "annotation", "rule")


def _print_details(details: dict[str, Any]) -> None:
    click.echo(f"{KINDS[details['kind']].label} {details['id']}: {_or_dash(details['name'])}")
    for key, value in details.items():
        if key in _SECTION_KEYS or value in (None, "", [], {}):
            continue
        _print_field(key, value)
    if details["findings"]:
        click.echo("findings:")
        for finding in details["findings"]:
            accepted = " (accepted)" if finding["accepted"] else ""
            click.echo(one_line(f"  [{finding['severity']}] {finding['message']}{accepted}"))
    annotation = details["annotation"]
    if annotation:
        tags = ", ".join(annotation["tags"])
        click.echo(one_line(f"annotation: [{annotation['status']}] {annotation['note']}"
                            + (f" (tags: {tags})" if tags else "")))


def _print_field(key: str, value: Any) -> None:
    if key == "folder_path":
        click.echo(f"{key}: /" + "/".join(_or_dash(f.get("name")) for f in value))
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        click.echo(f"{key}:")
        for item in value:
            click.echo("  - " + ", ".join(f"{k}={_or_dash(v)}" for k, v in item.items()))
    elif isinstance(value, dict):
        click.echo(f"{key}: " + ", ".join(f"{k}={_or_dash(v)}" for k, v in value.items()))
    else:
        click.echo(f"{key}: {one_line(value)}")
