"""`annotate` and `annotations`: consultants' notes on objects, from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from explorer.cli import main
from explorer.cli.common import KIND_TYPE, WS_ARGUMENT, echo_json, one_line, open_workspace
from explorer.store.annotations import (
    STATUSES,
    Annotation,
    AnnotationError,
    delete_annotation,
    get_annotation,
    list_annotations,
    set_annotation,
)
from explorer.store.db import transaction
from explorer.store.names import lookup_name


@main.command()
@WS_ARGUMENT
@click.argument("kind", type=KIND_TYPE)
@click.argument("object_id", metavar="ID", type=int)
@click.option("--note", help="The note (replaces the current one).")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for several (replaces).")
@click.option("--status", type=click.Choice(STATUSES), help="Review status.")
@click.option("--delete", is_flag=True, help="Remove the annotation.")
@click.option("--force", is_flag=True,
              help="Annotate an ID the workspace does not hold (the note starts orphaned).")
@click.option("--json", "as_json", is_flag=True, help="Print the annotation as JSON.")
def annotate(ws: Path, kind: str, object_id: int, note: str | None, tags: tuple[str, ...],
             status: str | None, delete: bool, force: bool, as_json: bool) -> None:
    """Annotate the object KIND ID in WS with a note, tags and a review status.

    Without --note, --tag, --status or --delete, print the annotation and change nothing.
    An ID that is not in WS is refused (a typo would leave an orphaned note) unless --force.
    """
    if note is None and not tags and status is None and not delete:
        _print_current(ws, kind, object_id, as_json)
        return
    with open_workspace(ws) as workspace, transaction(workspace.conn) as conn:
        if not delete and not force and not lookup_name(conn, kind, object_id)[0]:
            raise click.ClickException(
                f"{kind} {object_id} is not in {ws}; check the ID, or add --force to "
                "annotate it anyway")
        if delete:
            removed = delete_annotation(conn, kind, object_id)
            click.echo(f"{'removed' if removed else 'no'} annotation on {kind} {object_id}")
            return
        try:
            annotation = set_annotation(conn, kind, object_id, note=note,
                                        tags=list(tags) if tags else None, status=status)
        except AnnotationError as exc:
            raise click.ClickException(str(exc)) from None
    if as_json:
        echo_json(annotation.to_json())
    else:
        click.echo(_describe(annotation))


def _print_current(ws: Path, kind: str, object_id: int, as_json: bool) -> None:
    with open_workspace(ws, readonly=True) as workspace:
        current = get_annotation(workspace.conn, kind, object_id)
    if as_json:
        echo_json(current.to_json() if current else None)
    else:
        click.echo(_describe(current) if current else f"no annotation on {kind} {object_id}")


@main.command("annotations")
@WS_ARGUMENT
@click.option("--tag", help="Only annotations with this tag.")
@click.option("--status", type=click.Choice(STATUSES), help="Only annotations with this status.")
@click.option("--orphaned", is_flag=True, help="Only annotations whose object is gone.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def list_annotations_command(ws: Path, tag: str | None, status: str | None, orphaned: bool,
                as_json: bool) -> None:
    """List the annotations in WS (orphaned ones are those whose object left the export)."""
    with open_workspace(ws, readonly=True) as workspace:
        found = list_annotations(workspace.conn, tag=tag, status=status, orphaned_only=orphaned)
    if as_json:
        echo_json([a.to_json() for a in found])
        return
    if not found:
        click.echo("no annotations")
    for annotation in found:
        click.echo(_describe(annotation))


def _describe(annotation: Annotation) -> str:
    name = annotation.object_name or "(not in the current export: orphaned)"
    tags = f" [{', '.join(annotation.tags)}]" if annotation.tags else ""
    first_line = annotation.note.splitlines()[0] if annotation.note else ""
    return one_line(f"{annotation.kind} {annotation.object_id} {name} — {annotation.status}"
                    f"{tags}{': ' + first_line if first_line else ''}")
