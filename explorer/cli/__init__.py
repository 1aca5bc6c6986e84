"""`aam-explorer`: a thin click layer over the same core the GUI uses.

Each command lives in its own module below and registers itself on ``main``; this file only
lists them, so commands can grow without touching one another.
"""

from __future__ import annotations

import importlib

import click

from explorer import __version__

_COMMAND_MODULES = (
    "explorer.cli.import_cmd",
    "explorer.cli.query_cmds",
    "explorer.cli.findings_cmd",
    "explorer.cli.usage_cmd",
    "explorer.cli.gui_cmd",
    "explorer.cli.annotate_cmd",
    "explorer.cli.diff_cmd",
    "explorer.cli.snapshot_cmd",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aam-explorer")
def main() -> None:
    """Explore an Adobe Audience Manager tenant export offline.

    WS is a workspace file; KIND is one of data-source, trait-folder, segment-folder, trait,
    segment, merge-rule, destination, destination-mapping, algo-model, derived-signal.
    """


def _register() -> None:
    for module_name in _COMMAND_MODULES:
        try:
            importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:  # a real import error inside the module: surface it
                raise


_register()
