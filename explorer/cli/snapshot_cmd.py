"""`snapshot`: the annotated HTML snapshot (and PDF, bundle); `export-csv`: lists as CSV."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from explorer.cli import main
from explorer.cli.common import WS_ARGUMENT, open_workspace
from explorer.cli.output_masking import masking_options, output_masker
from explorer.kinds import GROUP_OF_KIND, ObjectRef
from explorer.report.scope import SPECIAL_SCOPES

# The lists `export-csv list KIND` offers (the object list's groups).
_LIST_GROUPS = {kind: GROUP_OF_KIND[kind]
                for kind in ("trait", "segment", "data-source", "merge-rule", "destination")}


def _price_choice(workspace: Any, price: str | None, currency: str | None) -> Any:
    """The estimated cost the user chose to include (``--price`` alone: the workspace's
    saved price), or None."""
    from explorer.report.snapshot.model import PriceChoice
    from explorer.store.usage_events import get_currency, get_price

    if price is None:
        if currency:
            raise click.UsageError("--currency goes with --price")
        return None
    if price == _SAVED_PRICE:
        value = get_price(workspace.conn)
        if value is None:
            raise click.UsageError("no price is saved in the workspace: give one, e.g. "
                                   "--price 0.05")
    else:
        try:
            value = float(price)
        except ValueError:
            raise click.BadParameter(f"{price!r} is not a number",
                                     param_hint="--price") from None
        if not math.isfinite(value) or value < 0:
            raise click.BadParameter(f"{price!r} is not a price", param_hint="--price")
    return PriceChoice(value, (currency or "").strip() or get_currency(workspace.conn))


_SAVED_PRICE = "saved"


@main.command()
@WS_ARGUMENT
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write.")
@click.option("--scope", "scopes", multiple=True, metavar="KIND:ID | WORD",
              help="An object, folder (with its subfolders) or data source (with its traits "
                   "and segments) to include; repeat for several. Or one word: "
                   f"{' or '.join(SPECIAL_SCOPES)} (objects with open findings, "
                   "annotated objects). Default: the whole tenant.")
@click.option("--title", help="The report's title (default: names the partner).")
@click.option("--pdf", "pdf_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the same content as PDF.")
@click.option("--bundle", "bundle_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a .aamsnap bundle (the HTML and a workspace reduced to the "
                   "scope; not with masking).")
@click.option("--since-import", type=int, metavar="N",
              help="Add a 'Changes since import N' section.")
@click.option("--chart/--no-chart", "chart", default=None,
              help="Include the Target calls chapter and its chart (default: for the whole "
                   "tenant only, since the calls are the tenant's).")
@click.option("--price", is_flag=False, flag_value=_SAVED_PRICE, default=None,
              metavar="[PRICE]",
              help="Include the estimated cost of Target calls at PRICE per 1,000 calls "
                   "(alone: the price saved in the workspace). Without it no cost appears.")
@click.option("--currency", metavar="CODE",
              help="The price's currency, e.g. EUR (default: the workspace's, else "
                   "'cost units').")
@click.option("--max-objects", type=click.IntRange(min=1), default=None,
              help="Show at most this many objects (default 5000).")
@masking_options
def snapshot(ws: Path, out: Path | None, scopes: tuple[str, ...], title: str | None,
             pdf_out: Path | None, bundle_out: Path | None, since_import: int | None,
             chart: bool | None, price: str | None, currency: str | None,
             max_objects: int | None, saved_mask: bool, no_mask: bool,
             mask_classes: tuple[str, ...], mask_terms: tuple[str, ...]) -> None:
    """Write an annotated snapshot of WS: one self-contained HTML file for the client."""
    from explorer.report.bundle import BundleError
    from explorer.report.export import (
        SnapshotExportError,
        SnapshotOptions,
        export_snapshot,
    )
    from explorer.report.scope import ScopeError, parse_picks, split_scope_words
    from explorer.report.snapshot import DEFAULT_MAX_OBJECTS

    if not (out or pdf_out or bundle_out):
        raise click.UsageError("give at least one of --out, --pdf, --bundle")
    _check_folders(("--out", out), ("--pdf", pdf_out), ("--bundle", bundle_out))
    chart_renderer = pdf_writer = None
    if chart is not False:
        from explorer.report.qt.chart_png import render_target_chart  # loads Qt: only for it

        chart_renderer = render_target_chart
    if pdf_out is not None:
        from explorer.report.qt.pdf import write_pdf

        pdf_writer = write_pdf
    with open_workspace(ws, readonly=True) as workspace:
        masker = output_masker(workspace, saved_mask, no_mask, mask_classes, mask_terms)
        if masker is not None and bundle_out is not None:
            raise click.UsageError("--bundle cannot go with masking: a bundle holds the "
                                   "workspace's own data (add --no-mask, or leave --bundle "
                                   "out)")
        options = SnapshotOptions(
            title=title, since_import=since_import, chart_renderer=chart_renderer,
            usage=chart, price=_price_choice(workspace, price, currency),
            max_objects=max_objects or DEFAULT_MAX_OBJECTS)
        try:
            special, picks = split_scope_words(scopes)
            options = replace(options, scope=special or parse_picks(picks))
            with _reported_write_errors():
                result = export_snapshot(workspace, html=out, pdf=pdf_out, bundle=bundle_out,
                                         options=options, mask=masker, pdf_writer=pdf_writer)
        except (ScopeError, SnapshotExportError, BundleError) as exc:
            raise click.ClickException(str(exc)) from None
        except ValueError as exc:  # e.g. --since-import of an import without a snapshot
            raise click.ClickException(str(exc)) from None
    for path in result.paths:
        plural = "" if result.objects == 1 else "s"
        objects = f" ({result.objects:,} object{plural})" if path == out else ""
        click.echo(f"wrote {path}{objects}")
    if result.masked:
        click.echo("note: the output is masked", err=True)
    if result.left_out:
        click.echo(f"note: {result.left_out:,} objects left out (--max-objects)", err=True)


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
@masking_options
def export_csv_command(ws: Path, what: str, arg: str | None, out: Path, saved_mask: bool,
                       no_mask: bool, mask_classes: tuple[str, ...],
                       mask_terms: tuple[str, ...]) -> None:
    """Write findings, annotations, search results for QUERY, or a list as CSV.

    `list` takes a KIND (trait, segment, data-source, merge-rule, destination) or the KIND:ID
    of a folder, data source, merge rule or destination (its contents).
    """
    from explorer.report import csv_export

    _check_folders(("--out", out))
    if what == "search" and not arg:
        raise click.UsageError("export-csv search needs a QUERY")
    with open_workspace(ws, readonly=True) as workspace, _reported_write_errors():
        masker = output_masker(workspace, saved_mask, no_mask, mask_classes, mask_terms)
        conn = workspace.conn
        writers: dict[str, Callable[[Any], int]] = {
            "findings": lambda buffer: csv_export.findings_csv(conn, buffer),
            "annotations": lambda buffer: csv_export.annotations_csv(conn, buffer),
            "search": lambda buffer: csv_export.search_csv(conn, arg or "", buffer),
            "list": lambda buffer: _export_list(conn, arg, buffer),
        }
        count = csv_export.write_masked_csv(out, writers[what], masker)
    click.echo(f"wrote {out} ({count:,} rows)")


def _export_list(conn: object, arg: str | None, out: Any) -> int:
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
