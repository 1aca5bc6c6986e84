"""`aam-explorer`: a thin click layer over the same core the GUI uses.

Each command lives in its own module below and registers itself on ``main``; this file only
lists them, so commands can grow without touching one another.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from explorer import __version__

EXIT_INTERRUPTED = 130


class _Group(click.Group):
    """The command group: a command's module loads on first use, and Ctrl-C ends any command
    quietly.

    Loading the command modules (the importer, the analyses) takes a moment, so a command
    loads only its own module (``_LOADERS``), and only ``--help`` loads them all. Doing it
    inside ``main`` lets a Ctrl-C then end with "interrupted" rather than a traceback, and
    click's own "Aborted!" (exit 1) becomes the same line with exit 130.
    """

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        try:
            _register(_command_name(sys.argv[1:] if args is None else args))
        except KeyboardInterrupt:
            _interrupted()
        return super().main(args, prog_name, complete_var, standalone_mode, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _interrupted()

    def list_commands(self, ctx: click.Context) -> list[str]:
        _register()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        _register(cmd_name)
        return super().get_command(ctx, cmd_name)


def _command_name(args: Sequence[str]) -> str | None:
    """The command the arguments name (the group's own options take no values)."""
    return next((arg for arg in args if not arg.startswith("-")), None)


def _interrupted() -> None:
    click.echo("interrupted", err=True)
    sys.exit(EXIT_INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aam-explorer")
def main() -> None:
    """Explore an Adobe Audience Manager tenant export offline.

    WS is a workspace file; KIND is one of data-source, trait-folder, segment-folder, trait,
    segment, merge-rule, destination, destination-mapping, algo-model, derived-signal.
    """


# Here rather than at the top: the modules import ``main`` from this package (each registers
# its commands on it when imported), and loading them inside ``main()`` lets a Ctrl-C during
# the load end quietly.
def _annotate() -> None:
    from explorer.cli import annotate_cmd  # noqa: F401


def _diff() -> None:
    from explorer.cli import diff_cmd  # noqa: F401


def _findings() -> None:
    from explorer.cli import findings_cmd  # noqa: F401


def _gui() -> None:
    from explorer.cli import gui_cmd  # noqa: F401


def _import() -> None:
    from explorer.cli import import_cmd  # noqa: F401


def _lineage() -> None:
    from explorer.cli import lineage_cmd  # noqa: F401


def _queries() -> None:
    from explorer.cli import query_cmds  # noqa: F401


def _snapshot() -> None:
    from explorer.cli import snapshot_cmd  # noqa: F401


def _usage() -> None:
    from explorer.cli import usage_cmd  # noqa: F401


# command name -> what loads the module that registers it
_LOADERS: dict[str, Callable[[], None]] = {
    "annotate": _annotate, "annotations": _annotate, "diff": _diff, "findings": _findings,
    "gui": _gui, "demo": _gui, "import": _import, "lineage": _lineage, "impact": _lineage,
    "info": _queries, "show": _queries, "search": _queries, "snapshot": _snapshot,
    "export-csv": _snapshot, "usage": _usage,
}
_registered = False


def _register(command: str | None = None) -> None:
    """Load the module of ``command``, or every command module (once) when it is None or
    no command's name (click then lists them all, or says the command does not exist)."""
    global _registered
    if _registered:
        return
    loader = _LOADERS.get(command) if command is not None else None
    if loader is not None:
        loader()
        return
    for load in dict.fromkeys(_LOADERS.values()):
        load()
    _registered = True
