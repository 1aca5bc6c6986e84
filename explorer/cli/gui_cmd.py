"""`aam-explorer gui` and `aam-explorer demo`: the window, optionally as a scripted screenshot.

Qt is imported inside the commands only, so the CLI's other commands never load it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from explorer.cli import main
from explorer.kinds import ObjectRef


def _parse_select(_ctx: click.Context, _param: click.Parameter, value: str | None
                  ) -> ObjectRef | None:
    if value is None:
        return None
    try:
        return ObjectRef.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _parse_size(_ctx: click.Context, _param: click.Parameter, value: str | None
                ) -> tuple[int, int] | None:
    if value is None:
        return None
    width, sep, height = value.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise click.BadParameter(f"expected WIDTHxHEIGHT (e.g. 1280x800), got {value!r}")
    size = (int(width), int(height))
    if min(size) < 200 or max(size) > 10000:
        raise click.BadParameter(f"{value}: each side must be between 200 and 10000 pixels")
    return size


_SCREENSHOT = click.option(
    "--screenshot", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Open, wait until the window is ready, save a PNG of it to this file and exit.")
_SELECT = click.option(
    "--select", callback=_parse_select, default=None, metavar="KIND:ID",
    help="Reveal and inspect this object, e.g. segment:2000001.")
_SIZE = click.option(
    "--size", callback=_parse_size, default=None, metavar="WxH",
    help="Window size, e.g. 1280x800 (the default for screenshots).")
PANELS = ("findings", "trends", "search", "annotations", "changes", "lineage")
_PANEL = click.option(
    "--panel", type=click.Choice(PANELS), default=None,
    help="Raise this bottom panel (for scripted screenshots of it).")
_SEARCH = click.option(
    "--search", default=None, metavar="TEXT",
    help="Search for TEXT once the workspace opens (its results panel raised).")
_THEMES = ("system", "light", "dark", "high-contrast")
_MASK_CLASSES = ("pid", "uid", "email", "host")


def _parse_mask_classes(_ctx: click.Context, _param: click.Parameter,
                        values: tuple[str, ...]) -> tuple[str, ...]:
    chosen: list[str] = []
    for value in values:
        for name in (v.strip().lower() for v in value.split(",")):
            if not name:
                continue
            if name == "all":
                chosen.extend(_MASK_CLASSES)
            elif name in _MASK_CLASSES:
                chosen.append(name)
            else:
                raise click.BadParameter(
                    f"{name!r} is not a masking class (choose from {', '.join(_MASK_CLASSES)}"
                    ", or all)")
    return tuple(dict.fromkeys(chosen))


# --mask-class and --mask-term: the window's session masking, and the masking of the
# command line's exports (``snapshot``, ``export-csv``).
MASK_OPTIONS = (
    click.option("--mask-class", "mask_classes", multiple=True,
                 callback=_parse_mask_classes, metavar="CLASSES",
                 help="Mask these ready classes in what is shown: "
                      f"comma-separated {','.join(_MASK_CLASSES)} (partner ids, user ids, "
                      "e-mail addresses, hosts of URLs) or all of them (repeatable). Ready "
                      "classes never mask names: use --mask-term for brands and client "
                      "names."),
    click.option("--mask-term", "mask_terms", multiple=True, metavar="TERM",
                 help="Mask this literal term (a brand, a client name; any case) "
                      "(repeatable), e.g. --mask-term Northwind."),
)


def _workshop_options(func: Any) -> Any:
    """--theme, --zoom, --presentation, --mask-class, --mask-term (workshop mode)."""
    options = [
        click.option("--theme", type=click.Choice(_THEMES), default=None,
                     help="Colour theme (default: as last chosen, else the system's)."),
        click.option("--zoom", type=click.IntRange(50, 300), default=None, metavar="PERCENT",
                     help="Zoom of the whole window, e.g. 150."),
        click.option("--presentation", is_flag=True,
                     help="Start in presentation mode (large type, breadcrumb, spotlight)."),
        *MASK_OPTIONS,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _workshop(theme: str | None, zoom: int | None, presentation: bool,
              mask_classes: tuple[str, ...], mask_terms: tuple[str, ...]) -> Any:
    from explorer.ui.app import WorkshopOptions

    if theme is None and zoom is None and not presentation and not mask_classes \
            and not mask_terms:
        return None
    terms = tuple(t for t in mask_terms if t.strip())
    if mask_classes and not terms:
        click.echo("note: --mask-class masks ids, e-mail addresses and hosts, not names; "
                   "add --mask-term NAME for the client's brands", err=True)
    return WorkshopOptions(theme, zoom, presentation, mask_classes, terms)


def _no_display(screenshot: Path | None) -> bool:
    """On Linux without an X/Wayland display Qt aborts the process: pick or refuse first."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return False
    if screenshot is not None:  # a screenshot needs no screen: render offscreen
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return False
    return True


def _run(path: Path | None, screenshot: Path | None, select: ObjectRef | None,
         size: tuple[int, int] | None, workshop: Any = None, panel: str | None = None,
         search: str | None = None) -> None:
    if _no_display(screenshot):
        raise click.ClickException(
            "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); run it "
            "in a desktop session, under `xvfb-run -a`, or with --screenshot PNG")
    try:
        from explorer.ui.app import run_app
    except ImportError as exc:  # Qt or its system libraries are missing
        raise click.ClickException(
            f"cannot start the window: {exc} (see README: scripts/install.sh installs "
            "the libraries Qt needs)") from None
    sys.exit(run_app(path, screenshot=screenshot, select=select, size=size,
                     workshop=workshop, panel=panel, search=search))


@main.command("gui")
@click.argument("path", required=False, default=None,
                type=click.Path(exists=True, path_type=Path), metavar="[WS_OR_EXPORT]")
@_SCREENSHOT
@_SELECT
@_SIZE
@_PANEL
@_SEARCH
@_workshop_options
def gui(path: Path | None, screenshot: Path | None, select: ObjectRef | None,
        size: tuple[int, int] | None, panel: str | None, search: str | None,
        theme: str | None, zoom: int | None,
        presentation: bool, mask_classes: tuple[str, ...], mask_terms: tuple[str, ...]
        ) -> None:
    """Open the explorer window on WS (a workspace) or an export folder/.zip to import.

    An export given here is imported into DATA_DIR/<export name>.aamws. Without a path the
    last workspace opens again.
    """
    if screenshot is not None and path is None:
        raise click.UsageError("--screenshot needs WS_OR_EXPORT")
    _run(path, screenshot, select, size,
         _workshop(theme, zoom, presentation, mask_classes, mask_terms), panel, search)


@main.command("demo")
@click.option("--fresh", is_flag=True, help="Rebuild the demo workspace from the bundled export.")
@_SCREENSHOT
@_SELECT
@_SIZE
@_PANEL
@_SEARCH
@_workshop_options
def demo(fresh: bool, screenshot: Path | None, select: ObjectRef | None,
         size: tuple[int, int] | None, panel: str | None, search: str | None,
        theme: str | None, zoom: int | None,
         presentation: bool, mask_classes: tuple[str, ...], mask_terms: tuple[str, ...]
         ) -> None:
    """Open the window on the bundled demo tenant (a fictional retailer)."""
    from explorer.demo import ensure_demo_workspace

    try:
        workspace = ensure_demo_workspace(fresh=fresh)
    except Exception as exc:  # a broken demo must say what broke, not show a traceback
        raise click.ClickException(f"cannot prepare the demo workspace: {exc}") from None
    _run(workspace, screenshot, select, size,
         _workshop(theme, zoom, presentation, mask_classes, mask_terms), panel, search)
