"""`aam-explorer findings`: list the pitfall findings of a workspace, accept or un-accept them."""

from __future__ import annotations

from pathlib import Path

import click

from explorer.analysis.findings import (
    CHECKS,
    SEVERITIES,
    TENANT_KIND,
    Finding,
    NotChecked,
    accept_finding,
    findings_for,
    list_findings,
    not_checked,
    refresh_findings,
    unaccept_finding,
)
from explorer.analysis.findings.documentation import doc_link
from explorer.cli import main
from explorer.cli.common import (
    WS_ARGUMENT,
    echo_json,
    one_line,
    open_workspace,
    severity_counts,
)
from explorer.kinds import KINDS
from explorer.store.db import transaction


def parse_finding_key(text: str) -> tuple[str, str, int]:
    """``CHECK:KIND:ID`` (e.g. ``trait-unused:trait:1000003``, ``limit-near:tenant:0``)."""
    parts = text.split(":")
    if len(parts) != 3 or not parts[2].strip().isdigit():
        raise click.BadParameter(f"expected CHECK:KIND:ID, got {text!r}")
    check, kind, raw_id = (p.strip() for p in parts)
    if check not in CHECKS:
        raise click.BadParameter(f"unknown check {check!r}; see `aam-explorer findings --help`")
    if kind != TENANT_KIND and kind not in KINDS:
        raise click.BadParameter(f"unknown kind {kind!r}")
    return check, kind, int(raw_id)


_CHECK_HELP = (
    "Checks and what each needs from the export (a check whose part the export lacks is "
    "listed as 'not checked' and adds no finding; see docs/findings.md):\n\n\b\n"
    + "\n".join(f"{cid}: {', '.join(sorted(p.value for p in spec.needs))}"
                for cid, spec in CHECKS.items())
)


@main.command(name="findings", epilog=_CHECK_HELP)
@WS_ARGUMENT
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option("--severity", "severities", type=click.Choice(SEVERITIES), multiple=True,
              help="Only this severity (repeatable).")
@click.option("--check", "checks", type=click.Choice(list(CHECKS)), multiple=True,
              metavar="ID", help="Only this check (repeatable).")
@click.option("--include-accepted", is_flag=True, help="Also list accepted findings, marked.")
@click.option("--verbose", "-v", is_flag=True,
              help="Under each finding: why it matters, how to fix it, and its documentation.")
@click.option("--refresh", is_flag=True, help="Run the checks again before listing.")
@click.option("--accept", "accept_key", metavar="CHECK:KIND:ID",
              help="Accept a finding (needs --reason).")
@click.option("--unaccept", "unaccept_key", metavar="CHECK:KIND:ID",
              help="Withdraw the acceptance of a finding.")
@click.option("--reason", help="Why the accepted finding is fine (with --accept).")
def findings_command(ws: Path, as_json: bool, severities: tuple[str, ...],
                     checks: tuple[str, ...], include_accepted: bool, verbose: bool,
                     refresh: bool,
                     accept_key: str | None, unaccept_key: str | None, reason: str | None) -> None:
    """List the known pitfalls found in WS (exit code 0 whatever is found).

    Accepted findings are left out unless --include-accepted is given. The table ends with
    the checks the export did not let run ("not checked: <check> — <reason>"); --json lists
    findings only.
    """
    if accept_key and unaccept_key:
        raise click.UsageError("give --accept or --unaccept, not both")
    if reason is not None and not accept_key:
        raise click.UsageError("--reason goes with --accept CHECK:KIND:ID")
    if accept_key:
        _accept(ws, parse_finding_key(accept_key), reason or "")
        return
    if unaccept_key:
        _unaccept(ws, parse_finding_key(unaccept_key))
        return
    with open_workspace(ws, readonly=not refresh) as workspace:
        if refresh:
            with transaction(workspace.conn):
                refresh_findings(workspace.conn)
        found = list_findings(workspace.conn, severity=severities or None,
                              check=checks or None, include_accepted=include_accepted)
        skipped = [n for n in not_checked(workspace.conn) if not checks or n.check_id in checks]
    if as_json:
        echo_json([_json_row(f, include_accepted) for f in found])
    else:
        _print_table(found, skipped, verbose=verbose)


def _accept(ws: Path, key: tuple[str, str, int], reason: str) -> None:
    if not reason.strip():
        raise click.UsageError("--accept needs --reason TEXT (why the finding is fine)")
    check, kind, object_id = key
    with open_workspace(ws) as workspace:
        accept_finding(workspace.conn, check, kind, object_id, reason)
        exists = any(f.check == check for f in findings_for(workspace.conn, kind, object_id))
    click.echo(f"accepted {check} on {kind}:{object_id}")
    if not exists:
        click.echo("note: no such finding at present; the acceptance applies if it appears",
                   err=True)


def _unaccept(ws: Path, key: tuple[str, str, int]) -> None:
    check, kind, object_id = key
    with open_workspace(ws) as workspace:
        removed = unaccept_finding(workspace.conn, check, kind, object_id)
    click.echo(f"un-accepted {check} on {kind}:{object_id}" if removed
               else f"{check} on {kind}:{object_id} was not accepted")


def _json_row(finding: Finding, include_accepted: bool) -> dict[str, object]:
    row: dict[str, object] = finding.to_json()
    if include_accepted:
        row["accepted"] = finding.accepted
        row["accepted_reason"] = finding.accepted_reason
    return row


def _print_table(found: list[Finding], skipped: list[NotChecked], *,
                 verbose: bool = False) -> None:
    if not found:
        click.echo("No findings.")
        _print_not_checked(skipped)
        return
    width = max(len(f.check) for f in found)
    for f in found:
        obj = f"{f.object_kind}:{f.object_id}"
        mark = f"  [accepted: {f.accepted_reason}]" if f.accepted else ""
        click.echo(one_line(f"{f.severity:<8} {f.check:<{width}}  {obj:<28} {f.message}{mark}"))
        if verbose:
            title, url = doc_link(f.doc)
            for label, text in (("Why", f.explanation), ("Fix", f.fix), ("See", url or title)):
                if text:
                    click.echo(one_line(f"{'':<9}{label}: {text}"))
    counts = {s: sum(1 for f in found if f.severity == s and not f.accepted) for s in SEVERITIES}
    accepted = sum(1 for f in found if f.accepted)
    click.echo("")
    click.echo(severity_counts(counts) + (f" ({accepted} accepted)" if accepted else ""))
    _print_not_checked(skipped)


def _print_not_checked(skipped: list[NotChecked]) -> None:
    if skipped:
        click.echo("")
    for item in skipped:
        click.echo(one_line(item.text))
