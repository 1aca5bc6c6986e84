"""`snapshot`: the annotated HTML snapshot (and PDF, bundle); `export-csv`: lists as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from explorer.cli import main
from explorer.cli.common import WS_ARGUMENT, open_workspace
from explorer.kinds import GROUP_OF_KIND, ObjectRef

# The lists `export-csv list KIND` offers (the object list's groups).
_LIST_GROUPS = {kind: GROUP_OF_KIND[kind]
                for kind in ("trait", "segment", "data-source", "merge-rule", "destination")}


@main.command()
@WS_ARGUMENT
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write.")
@click.option("--scope", "scopes", multiple=True, metavar="KIND:ID",
              help="An object, folder (with its subfolders) or data source (with its traits "
                   "and segments) to include; repeat for several. Default: the whole tenant.")
@click.option("--title", help="The report's title (default: names the partner).")
@click.option("--pdf", "pdf_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the same content as PDF.")
@click.option("--bundle", "bundle_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a .aamsnap bundle (the HTML and a workspace reduced to the scope).")
@click.option("--since-import", type=int, metavar="N",
              help="Add a 'Changes since import N' section.")
@click.option("--no-chart", is_flag=True, help="Leave the Target chart image out.")
@click.option("--max-objects", type=click.IntRange(min=1), default=None,
              help="Show at most this many objects (default 5000).")
@click.option("--masked", is_flag=True,
              help="Mask client values with the workspace's masking rules (the same aliases "
                   "the window shows).")
def snapshot(ws: Path, out: Path | None, scopes: tuple[str, ...], title: str | None,
             pdf_out: Path | None, bundle_out: Path | None, since_import: int | None,
             no_chart: bool, max_objects: int | None, masked: bool) -> None:
    """Write an annotated snapshot of WS: one self-contained HTML file for the client."""
    from explorer.report.scope import ScopeError, parse_picks, resolve_scope
    from explorer.report.snapshot import (
        DEFAULT_MAX_OBJECTS,
        ChartRenderer,
        build_snapshot,
        render_html,
    )

    if not (out or pdf_out or bundle_out):
        raise click.UsageError("give at least one of --out, --pdf, --bundle")
    if masked and bundle_out:
        raise click.UsageError("--bundle cannot be masked: it carries the workspace's rows")
    _check_folders(("--out", out), ("--pdf", pdf_out), ("--bundle", bundle_out))
    chart_renderer: ChartRenderer | None = None
    if not no_chart:
        from explorer.report.qt.chart_png import render_target_chart  # loads Qt: only for it

        chart_renderer = render_target_chart
    with open_workspace(ws, readonly=True) as workspace:
        try:
            scope = resolve_scope(workspace.conn, parse_picks(scopes))
            report = build_snapshot(
                workspace.conn, scope=scope, title=title, since_import=since_import,
                chart_renderer=chart_renderer, mask=_masker(workspace, ws) if masked else None,
                max_objects=max_objects or DEFAULT_MAX_OBJECTS)
        except ScopeError as exc:
            raise click.ClickException(str(exc)) from None
        except ValueError as exc:  # e.g. --since-import of an import without a snapshot
            raise click.ClickException(str(exc)) from None
        html = render_html(report)
        with _reported_write_errors():
            _write_outputs(workspace, report, scope, html, out, pdf_out, bundle_out)


def _write_outputs(workspace: Any, report: Any, scope: Any, html: str, out: Path | None,
                   pdf_out: Path | None, bundle_out: Path | None) -> None:
    if out:
        out.write_text(html, encoding="utf-8")
        click.echo(f"wrote {out} ({report.object_count():,} objects)")
    if report.left_out:
        click.echo(f"note: {report.left_out:,} objects left out (--max-objects)", err=True)
    if pdf_out:
        from explorer.report.qt.pdf import write_pdf

        write_pdf(report, pdf_out)
        click.echo(f"wrote {pdf_out}")
    if bundle_out:
        from explorer.report.bundle import write_bundle

        write_bundle(workspace.conn, scope, html, bundle_out, manifest={
            "title": report.title, "partner_id": report.partner_id,
            "export_date": report.snapshot_date, "objects": report.object_count()})
        click.echo(f"wrote {bundle_out}")


def _masker(workspace: Any, ws: Path) -> Any:
    """The workspace's masker with masking on, or a one-line error when it has no rules."""
    from explorer.masking import load_rules, masker_for

    masker = masker_for(workspace, load_rules(workspace).with_enabled(True))
    if not masker.active:
        raise click.ClickException(f"{ws}: no masking rules: set them in the window "
                                   "(Tools \u2192 Masking rules\u2026)")
    return masker


@contextmanager
def _reported_write_errors() -> Iterator[None]:
    """A file that cannot be written (permissions, a full disk, /proc) is one line, exit 1."""
    try:
        yield
    except OSError as exc:  # ReportWriteError included: its message names the path
        raise click.ClickException(str(exc) if str(exc) else repr(exc)) from None


def _check_folders(*options: tuple[str, Path | None]) -> None:
    """Refuse (exit 1, one line) an output whose folder does not exist: never create it."""
    for option, path in options:
        if path is None:
            continue
        folder = path.expanduser().absolute().parent
        if not folder.is_dir():
            raise click.ClickException(f"{option} {path}: the folder {folder} does not exist")


@main.command("export-csv")
@WS_ARGUMENT
@click.argument("what", type=click.Choice(["findings", "annotations", "search", "list"]))
@click.argument("arg", required=False, metavar="[QUERY | KIND | KIND:ID]")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The CSV file to write.")
@click.option("--masked", is_flag=True,
              help="Mask client values with the workspace's masking rules.")
def export_csv_command(ws: Path, what: str, arg: str | None, out: Path, masked: bool) -> None:
    """Write findings, annotations, search results for QUERY, or a list as CSV.

    `list` takes a KIND (trait, segment, data-source, merge-rule, destination) or the KIND:ID
    of a folder, data source, merge rule or destination (its contents).
    """
    from explorer.report import csv_export

    _check_folders(("--out", out))
    with open_workspace(ws, readonly=True) as workspace, _reported_write_errors():
        conn = workspace.conn
        # Asked before anything is written: a masked file is never left unmasked.
        mask = _masker(workspace, ws) if masked else None
        if what == "findings":
            count = csv_export.findings_csv(conn, out)
        elif what == "annotations":
            count = csv_export.annotations_csv(conn, out)
        elif what == "search":
            if not arg:
                raise click.UsageError("export-csv search needs a QUERY")
            count = csv_export.search_csv(conn, arg, out)
        else:
            count = _export_list(conn, arg, out)
        if mask is not None:
            _mask_csv_file(out, mask)
    click.echo(f"wrote {out} ({count:,} rows)")


def _mask_csv_file(path: Path, mask: Any) -> None:
    """The written CSV again, every cell masked (its byte-order mark kept)."""
    from explorer.masking import mask_csv_text

    data = path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    text = mask_csv_text(data.decode("utf-8-sig"), mask)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


def _export_list(conn: object, arg: str | None, out: Path) -> int:
    from explorer.store.lists import ListQuery, ListSource, export_csv

    if not arg:
        raise click.UsageError(f"export-csv list needs a KIND ({', '.join(_LIST_GROUPS)}) "
                               "or KIND:ID")
    if arg in _LIST_GROUPS:
        source = ListSource(_LIST_GROUPS[arg])
    else:
        try:
            source = ListSource(ObjectRef.parse(arg))
            source.parts()
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
    return export_csv(conn, ListQuery(source), out)  # type: ignore[arg-type]
