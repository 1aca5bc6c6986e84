"""`diff`: what changed between two imports of a workspace, or between two workspaces."""

from __future__ import annotations

from pathlib import Path

import click

from explorer.analysis.diff import Diff, DiffError, Side, compare, rule_diff, side_from_import
from explorer.cli import main
from explorer.cli.common import echo_json, open_workspace
from explorer.store.workspace import Workspace


@main.command()
@click.argument("ws", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("other", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "from_import", type=int, help="Import id to compare from.")
@click.option("--to", "to_import", type=int, help="Import id to compare to.")
@click.option("--force", is_flag=True, help="Compare workspaces of different tenants.")
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON.")
def diff(ws: Path, other: Path | None, from_import: int | None, to_import: int | None,
         force: bool, as_json: bool) -> None:
    """Compare two imports of WS (default: the previous and the latest), or WS with OTHER."""
    try:
        result = (_diff_workspaces(ws, other, force) if other
                  else _diff_imports(ws, from_import, to_import))
    except DiffError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        echo_json(result.to_json())
    else:
        _print_human(result)


def _diff_imports(ws: Path, from_import: int | None, to_import: int | None) -> Diff:
    with open_workspace(ws, readonly=True) as workspace:
        ids = [record.id for record in workspace.imports()]
        if len(ids) < 2 and (from_import is None or to_import is None):
            raise DiffError(f"{ws}: only {len(ids)} import(s); re-import a newer export first")
        to_id = to_import if to_import is not None else ids[-1]
        from_id = from_import if from_import is not None else _previous(ids, to_id)
        for wanted in (from_id, to_id):
            if wanted not in ids:
                raise DiffError(f"{ws}: no import {wanted} (imports: {ids})")
        return compare(side_from_import(workspace.conn, from_id),
                       side_from_import(workspace.conn, to_id))


def _previous(ids: list[int], to_id: int) -> int:
    earlier = [i for i in ids if i < to_id]
    if not earlier:
        raise DiffError(f"no import before import {to_id}")
    return earlier[-1]


def _latest_side(workspace: Workspace, label: str) -> tuple[Side, int | None]:
    last = workspace.latest_import()
    if last is None:
        raise DiffError(f"{workspace.path}: nothing imported yet")
    side = side_from_import(workspace.conn, last.id)
    side.label = label
    return side, last.partner_id


def _diff_workspaces(ws: Path, other: Path, force: bool) -> Diff:
    with open_workspace(ws, readonly=True) as first, open_workspace(other, readonly=True) as second:
        old, old_pid = _latest_side(first, str(ws))
        new, new_pid = _latest_side(second, str(other))
    if old_pid != new_pid and not force:
        raise DiffError(f"{ws} is partner {old_pid}, {other} is partner {new_pid}: "
                        "different tenants (use --force to compare anyway)")
    return compare(old, new)


def _print_human(result: Diff) -> None:
    click.echo(f"Changes from {result.from_label} to {result.to_label}")
    if result.is_empty():
        click.echo("  no changes")
    for title, entries in (("Added", result.added), ("Removed", result.removed)):
        for entry in entries:
            click.echo(f"  {title}: {entry['kind']} {entry['id']} {entry['name']}")
    for entry in result.changed:
        click.echo(f"  Changed: {entry['kind']} {entry['id']} {entry['name']}")
        for name, (old, new) in entry["fields"].items():
            shown = rule_diff(old, new) if name == "rule" else f"{old!r} → {new!r}"
            click.echo(f"      {name}: {shown}")
    for entry in result.moved:
        click.echo(f"  Moved: {entry['kind']} {entry['id']} {entry['name']}: "
                   f"{_place(entry['from'])} → {_place(entry['to'])}")
    for finding in result.new_findings:
        click.echo(f"  New finding: {finding['check']}: {finding['message']}")
    for finding in result.resolved_findings:
        click.echo(f"  Resolved finding: {finding['check']}: {finding['message']}")


def _place(placement: dict) -> str:
    return ", ".join(str(placement.get(k)) for k in ("folder_path", "data_source")
                     if k in placement) or str(placement)
