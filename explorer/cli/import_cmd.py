"""`aam-explorer import EXPORT... --workspace WS`: load an export into a workspace.

Exit codes: 0 imported (warnings allowed), 1 refused (one line per problem on stderr),
130 interrupted with Ctrl-C (the workspace is unchanged).

Whether an interrupted or failed import landed is read from the workspace itself (its latest
import id before and after): a Ctrl-C just after the commit must not claim "unchanged".
"""

from __future__ import annotations

import contextlib
import sys
import textwrap
from datetime import date
from pathlib import Path

import click

from explorer.analysis.gaps import gap_json
from explorer.cli import main
from explorer.cli.common import echo_json, one_line
from explorer.importers import (
    ImportCancelled,
    ImportRefused,
    ImportReport,
    Progress,
    import_export,
)
from explorer.importers.summary import summary_lines
from explorer.store.workspace import Workspace

EXIT_REFUSED = 1
EXIT_INTERRUPTED = 130
_MAX_WARNINGS_SHOWN = 20
_WIDTH = 88  # summary lines wrap here


class _TerminalProgress:
    """One self-overwriting status line on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.width = 0

    def __call__(self, step: Progress) -> None:
        if not self.enabled:
            return
        share = f" {step.done:,}/{step.total:,}" if step.total > 1 else ""
        text = f"{step.stage}{share} {step.message}".strip()[:78]
        click.echo("\r" + text.ljust(self.width), err=True, nl=False)
        self.width = len(text)

    def finish(self) -> None:
        if self.enabled and self.width:
            click.echo("\r" + " " * self.width + "\r", err=True, nl=False)


def _export_date(_ctx: click.Context, _param: click.Parameter, value: str | None
                 ) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter("expected a date as YYYY-MM-DD") from None


@main.command("import")
@click.argument("export", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--workspace", "-w", "workspace", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The workspace file to create or update (WS).")
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
@click.option("--strict", is_flag=True,
              help="Refuse the import on any bad record instead of skipping it.")
@click.option("--force", is_flag=True,
              help="Import another tenant's export into this workspace anyway.")
@click.option("--export-date", callback=_export_date, metavar="YYYY-MM-DD",
              help="The date the export was taken (default: its newest timestamp).")
def import_command(export: tuple[Path, ...], workspace: Path, as_json: bool, strict: bool,
                   force: bool, export_date: str | None) -> None:
    """Import EXPORT (folders, .zip files or single files) into the workspace WS."""
    progress = _TerminalProgress()
    before = latest_import_id(workspace)
    try:
        report = import_export(list(export), workspace, strict=strict, force=force,
                               export_date=export_date, progress=progress)
    except ImportRefused as refused:
        progress.finish()
        _print_refusal(refused, as_json)
        sys.exit(EXIT_REFUSED)
    except (KeyboardInterrupt, ImportCancelled):
        progress.finish()
        _report_interrupted(workspace, before)
    except Exception as exc:  # never a traceback: one line, saying what became of WS
        progress.finish()
        _report_failure(workspace, before, exc)
    progress.finish()
    if as_json:
        echo_json({**report.to_json(), "gaps": [gap_json(g) for g in report.gaps]})
    else:
        _print_summary(report, workspace)


def latest_import_id(workspace: Path) -> int | None:
    """The id of WS's latest import; None when WS is missing, empty or unreadable."""
    if not workspace.exists() or workspace.stat().st_size == 0:
        return None
    with contextlib.suppress(Exception), Workspace.open(workspace, readonly=True) as ws:
        last = ws.latest_import()
        return None if last is None else last.id
    return None


def _landed(workspace: Path, before: int | None) -> int | None:
    """The new import's id if the import committed after all, else None."""
    after = latest_import_id(workspace)
    return after if after is not None and after != before else None


def _report_interrupted(workspace: Path, before: int | None) -> None:
    landed = _landed(workspace, before)
    if landed is None:
        click.echo("import interrupted; the workspace is unchanged", err=True)
        sys.exit(EXIT_INTERRUPTED)
    click.echo(f"interrupted after the import was saved: {workspace} holds it as import "
               f"#{landed} (see `aam-explorer info {workspace}`)", err=True)
    sys.exit(0)


def _report_failure(workspace: Path, before: int | None, exc: Exception) -> None:
    landed = _landed(workspace, before)
    outcome = ("the workspace is unchanged" if landed is None
               else f"the import was saved all the same (import #{landed})")
    click.echo(one_line(f"error: import failed unexpectedly ({type(exc).__name__}: {exc}); "
                        f"{outcome}"), err=True)
    sys.exit(EXIT_REFUSED if landed is None else 0)


def _print_refusal(refused: ImportRefused, as_json: bool) -> None:
    problems = refused.report.errors or []
    lines = [str(p) for p in problems] or [str(refused)]
    for line in lines:
        click.echo(one_line(f"error: {line}"), err=True)
    for warning in refused.report.warnings[:_MAX_WARNINGS_SHOWN]:  # what was found meanwhile
        click.echo(one_line(f"warning: {warning}"), err=True)
    if as_json:
        echo_json({**refused.report.to_json(), "refused": str(refused)})


def _print_summary(report: ImportReport, workspace: Path) -> None:
    verb = "created" if report.new_workspace else "updated"
    click.echo(one_line(f"Imported into {workspace} ({verb}):"))
    for line in summary_lines(report):
        # made visible first, then wrapped: the only line breaks are the wrapping's own
        click.echo(textwrap.fill(one_line(line), _WIDTH, initial_indent="  ",
                                 subsequent_indent="    ", break_on_hyphens=False))
    if report.gaps:
        click.echo(f"Not in this export ({len(report.gaps)}):")
        for gap in report.gaps:
            click.echo(one_line(f"  {gap.what}"))
    if report.warnings:
        click.echo(f"{len(report.warnings)} warning(s):")
        for problem in report.warnings[:_MAX_WARNINGS_SHOWN]:
            click.echo(one_line(f"  {problem}"))
        hidden = len(report.warnings) - _MAX_WARNINGS_SHOWN
        if hidden > 0:
            click.echo(f"  ... and {hidden} more (use --json to see all)")
