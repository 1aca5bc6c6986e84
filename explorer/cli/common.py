"""Shared CLI helpers: KIND parsing, workspace opening, JSON output, user-facing errors."""

from __future__ import annotations

import difflib
import json
import math
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from explorer.kinds import KIND_NAMES
from explorer.store.db import WorkspaceError
from explorer.store.resolve import resolve_object
from explorer.store.workspace import Workspace


class KindType(click.ParamType):
    """A KIND word; a typo gets "did you mean" rather than the whole list of kinds."""

    name = "kind"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "KIND"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        text = str(value).strip().lower()
        if text in KIND_NAMES:
            return text
        self.fail(unknown_kind_message(str(value)), param, ctx)


def unknown_kind_message(word: str) -> str:
    """``unknown kind 'segmnt'; did you mean 'segment'?`` (the kinds listed only when no kind
    is close)."""
    close = difflib.get_close_matches(word.strip().lower(), KIND_NAMES, n=1, cutoff=0.6)
    if close:
        return f"unknown kind '{one_line(word)}'; did you mean '{close[0]}'?"
    return f"unknown kind '{one_line(word)}'; kinds: {', '.join(KIND_NAMES)}"


KIND_TYPE = KindType()
EXIT_USAGE = 2  # click's code for a usage error; also an ambiguous ID

# `show`, `lineage` and `impact` name their object as ``[KIND] ID`` (or ``KIND:ID``).
OBJECT_ARGUMENT = click.argument("target", nargs=-1, required=True, metavar="[KIND] ID")


def resolve_target(conn: sqlite3.Connection, target: tuple[str, ...], ws: Path
                   ) -> tuple[str, int]:
    """KIND and ID of the object ``[KIND] ID`` names in WS.

    Exits 1 when no object has the ID, 2 when objects of several kinds have it (they are
    listed as ``KIND:ID name``, never prompted for); a bad KIND or ID is a usage error (2).
    """
    kind, object_id = parse_target(target)
    candidates = resolve_object(conn, object_id, kind)
    if not candidates:
        fail(f"{kind or 'object'} {object_id} not found in {ws}")
    if len(candidates) > 1:
        click.echo(one_line(f"error: ID {object_id} belongs to {len(candidates)} objects in "
                            f"{ws}; give one as KIND ID:"), err=True)
        for candidate in candidates:
            click.echo(one_line(f"  {candidate}"), err=True)
        sys.exit(EXIT_USAGE)
    return candidates[0].kind, object_id


def parse_target(target: tuple[str, ...]) -> tuple[str | None, int]:
    """``ID``, ``KIND ID`` or ``KIND:ID`` (as the candidates and ``--select`` spell it)."""
    words = list(target)
    if len(words) == 1 and ":" in words[0]:
        words = words[0].split(":", 1)
    if len(words) > 2:
        raise click.UsageError(f"expected [KIND] ID, got {len(words)} words")
    kind = None
    if len(words) == 2:
        kind = words[0].strip().lower()
        if kind not in KIND_NAMES:
            raise click.BadParameter(unknown_kind_message(words[0]), param_hint="KIND")
    raw_id = words[-1].strip()
    if not raw_id.isdigit():
        if len(words) == 1 and raw_id.lower() in KIND_NAMES:
            raise click.UsageError(f"missing the ID after {raw_id}")
        raise click.BadParameter(f"'{one_line(raw_id)}' is not an AAM id", param_hint="ID")
    return kind, int(raw_id)
WS_ARGUMENT = click.argument("ws", type=click.Path(dir_okay=False, path_type=Path))


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@contextmanager
def open_workspace(path: Path, *, readonly: bool = False) -> Iterator[Workspace]:
    """Open WS for a command; a missing or foreign file becomes a one-line error, exit 1.

    SQLite errors of the command's own reads and writes (a workspace locked by an import in
    the GUI, a read-only file) become one line as well, never a traceback.
    """
    with workspace_errors(path):
        try:
            ws = Workspace.open(path, readonly=readonly)
        except WorkspaceError as exc:
            raise click.ClickException(str(exc)) from None
        try:
            yield ws
        finally:
            ws.close()


@contextmanager
def workspace_errors(path: Path) -> Iterator[None]:
    """Turn ``sqlite3.OperationalError`` (busy, read-only, cannot open) into one line, exit 1."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        raise click.ClickException(f"{path}: {describe_sqlite_error(exc)}") from None


def describe_sqlite_error(exc: sqlite3.OperationalError) -> str:
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return "workspace is busy (another import?); try again"
    if (name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM"))
            or "readonly" in text or "unable to open" in text):
        return "workspace is read-only"
    return f"cannot use the workspace ({exc})"


# Control characters in names and notes must not break a record over lines (or fake rows).
_VISIBLE_CONTROLS = {"\n": "⏎", "\r": "\\r", "\t": "\\t"}


def one_line(value: Any) -> str:
    """``value`` as text on one line: newlines as ⏎, other control characters escaped."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(_VISIBLE_CONTROLS.get(ch, f"\\x{ord(ch):02x}")
                   if _is_control(ch) else ch for ch in text)


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code < 0xA0 or ch in "\u2028\u2029"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 error``, ``8 warnings``, ``1,200 traits``."""
    word = singular if count == 1 else plural_form or f"{singular}s"
    return f"{count:,} {word}"


def severity_counts(counts: dict[str, int]) -> str:
    """Findings per severity as words: ``1 error, 8 warnings, 7 info``."""
    return ", ".join(plural(n, severity, "info" if severity == "info" else None)
                     for severity, n in counts.items())


class FiniteFloatRange(click.FloatRange):
    """A FloatRange that also refuses nan and infinity (they would be saved as invalid JSON)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


def fail(message: str, code: int = 1) -> None:
    click.echo(one_line(f"error: {message}"), err=True)
    sys.exit(code)
