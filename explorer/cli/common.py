"""Shared CLI helpers: KIND parsing, workspace opening, JSON output, user-facing errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from explorer.kinds import KIND_NAMES
from explorer.store.db import WorkspaceError
from explorer.store.workspace import Workspace

KIND_CHOICE = click.Choice(KIND_NAMES)
WS_ARGUMENT = click.argument("ws", type=click.Path(dir_okay=False, path_type=Path))


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@contextmanager
def open_workspace(path: Path, *, readonly: bool = False) -> Iterator[Workspace]:
    """Open WS for a command; a missing or foreign file becomes a one-line error, exit 2."""
    try:
        ws = Workspace.open(path, readonly=readonly)
    except WorkspaceError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        yield ws
    finally:
        ws.close()


def fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)
