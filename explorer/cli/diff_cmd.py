"""`diff`: what changed between two imports of a workspace, or between two workspaces."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from explorer.analysis.diff import (
    RULE_FIELDS,
    Diff,
    DiffError,
    describe_placement,
    diff_imports,
    diff_workspaces,
    rule_diff,
)
from explorer.cli import main
from explorer.cli.common import echo_json, one_line, open_workspace
from explorer.kinds import KINDS

TARGET_NOTE = "also disappears from Target"


@main.command()
@click.argument("ws", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("other", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "from_import", type=int, metavar="IMPORT",
              help="Import id to compare from (default: the import that loaded the "
                   "configuration before the one --to shows; usage-only imports are skipped).")
@click.option("--to", "to_import", type=int, metavar="IMPORT",
              help="Import id to compare to (default: the latest).")
@click.option("--force", is_flag=True, help="Compare workspaces of different tenants.")
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON.")
def diff(ws: Path, other: Path | None, from_import: int | None, to_import: int | None,
         force: bool, as_json: bool) -> None:
    """Compare two imports of WS (default: the previous and the latest), or WS with OTHER.

    Objects are matched by AAM id. Lists added, removed, changed (field: old → new, rules as a
    word diff) and moved objects, and findings new or resolved since the earlier import.
    """
    if other is not None and (from_import is not None or to_import is not None):
        raise click.UsageError("--from/--to compare imports of one workspace; "
                               "give either WS with --from/--to or WS and OTHER")
    try:
        if other is not None:
            with open_workspace(ws, readonly=True) as first, \
                    open_workspace(other, readonly=True) as second:
                result = diff_workspaces(first, second, force=force)
        else:
            with open_workspace(ws, readonly=True) as workspace:
                result = diff_imports(workspace, from_import, to_import)
    except DiffError as exc:
        raise click.ClickException(f"{ws}: {exc}" if other is None else str(exc)) from None
    if as_json:
        echo_json(result.to_json())
    else:
        for line in human_lines(result):
            click.echo(one_line(line))


def human_lines(result: Diff) -> list[str]:
    """The plain-text report, grouped like the Changes panel (names as the export has them:
    print each line through ``one_line``)."""
    counts = result.counts()
    lines = [f"Changes from {result.from_label} to {result.to_label}: "
             f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} "
             f"changed, {counts['moved']} moved; findings {counts['new_findings']} new, "
             f"{counts['resolved_findings']} resolved"]
    if result.is_empty():
        return [*lines, "  no changes"]
    lines += _section("Added", [_object_line(e) for e in result.added])
    lines += _section("Removed", [_object_line(e, removed=True) for e in result.removed])
    changed: list[str] = []
    for entry in result.changed:
        changed.append(_object_line(entry))
        changed += [f"      {name}: {_field_change(name, old, new)}"
                    for name, (old, new) in entry["fields"].items()]
    lines += _section("Changed", changed)
    lines += _section("Moved", [f"{_object_line(e)}: {describe_placement(e['from'])} → "
                                f"{describe_placement(e['to'])}"
                                for e in result.moved])
    lines += _section("Findings new", [_finding_line(f) for f in result.new_findings])
    lines += _section("Findings resolved", [_finding_line(f) for f in result.resolved_findings])
    return lines


def _section(title: str, lines: list[str]) -> list[str]:
    return [f"{title} ({_count_of(title, lines)}):", *lines] if lines else []


def _count_of(title: str, lines: list[str]) -> int:
    # Changed entries have indented field lines under them: count the objects only.
    return sum(1 for line in lines if line.startswith("  ") and not line.startswith("      "))


def _object_line(entry: dict[str, Any], *, removed: bool = False) -> str:
    label = KINDS[entry["kind"]].label.lower() if entry["kind"] in KINDS else entry["kind"]
    text = f"  {label} {entry['id']} {entry['name'] or ''}".rstrip()
    notes = []
    if entry.get("aep"):
        notes.append("AEP-shared")
    if removed and entry["kind"] == "segment":
        notes.append(TARGET_NOTE)
    return f"{text}  [{'; '.join(notes)}]" if notes else text


def _field_change(name: str, old: Any, new: Any) -> str:
    if name in RULE_FIELDS:
        return rule_diff(old, new)
    return f"{_value(old)} → {_value(new)}"


def _value(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    return f"'{value}'" if isinstance(value, str) else str(value)


def _finding_line(finding: dict[str, Any]) -> str:
    return f"  [{finding['severity']}] {finding['check']}: {finding['message']}"
