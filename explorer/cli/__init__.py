"""`aam-explorer`: a thin click layer over the same core the GUI uses.

Each command lives in its own module below and registers itself on ``main``; this file only
lists them, so commands can grow without touching one another.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from explorer import __version__

EXIT_INTERRUPTED = 130


class _Group(click.Group):
    """The command group: commands load on first use, and Ctrl-C ends any command quietly.

    Loading the command modules (the importer, the analyses) takes a moment; doing it inside
    ``main`` lets a Ctrl-C then end with "interrupted" rather than a traceback, and click's own
    "Aborted!" (exit 1) becomes the same line with exit 130.
    """

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        try:
            _register()
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
        _register()
        return super().get_command(ctx, cmd_name)


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


_registered = False


def _register() -> None:
    """Import every command module once (each registers itself on ``main``)."""
    global _registered
    if _registered:
        return
    # Here rather than at the top: the modules import ``main`` from this package, and loading
    # them inside ``main()`` lets a Ctrl-C during the load end quietly.
    from explorer.cli import (  # noqa: F401  (imported for their commands)
        annotate_cmd,
        diff_cmd,
        findings_cmd,
        gui_cmd,
        import_cmd,
        lineage_cmd,
        query_cmds,
        snapshot_cmd,
        usage_cmd,
    )

    _registered = True
