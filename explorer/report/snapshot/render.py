"""``render_html``: a ``Snapshot`` as one self-contained HTML page (Jinja2, autoescape).

The templates and CSS are in the project's ``resources/templates/`` (``explorer.paths``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from explorer.kinds import KINDS
from explorer.paths import templates_dir
from explorer.report.inspector_html import LIGHT, stylesheet
from explorer.report.snapshot.build import build_snapshot
from explorer.report.snapshot.findings import SEVERITY_LABELS
from explorer.report.snapshot.model import Snapshot

Flavour = Literal["browser", "qt"]


def _number(value: Any, digits: int = 0) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:,.{digits}f}"


def _percent(value: Any) -> str:
    if not isinstance(value, int | float):
        return "—"
    return f"{value:+.1f} %"


def _multiline(text: str) -> Markup:
    """A note with its line breaks kept: escaped first, then each newline becomes <br>."""
    escaped = Markup.escape(text or "")
    return Markup("<br>\n").join(escaped.split("\n"))


def _first_sentence(text: str) -> str:
    """The first sentence of an explanation (the summary page has room for one)."""
    text = " ".join(str(text or "").split())
    for end in (". ", "; "):
        cut = text.find(end)
        if 0 < cut < 220:
            return text[:cut + 1].rstrip(";") + ("" if end == ". " else ".")
    return text if len(text) <= 220 else text[:217].rstrip() + "…"


def _kind_label(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else str(kind).capitalize()


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined)
    env.filters.update(number=_number, percent=_percent, multiline=_multiline,
                       kind_label=_kind_label, first_sentence=_first_sentence)
    return env


def _css(flavour: Flavour) -> Markup:
    """The inspector's stylesheet, scoped, then ours (constants, never user data): ours comes
    last so it can restyle the inspector's pieces for the report."""
    env = _environment()
    own = env.loader.get_source(env, f"snapshot-{flavour}.css")[0]  # type: ignore[union-attr]
    return Markup(_scoped_inspector_css() + "\n" + own)


def _scoped_inspector_css() -> str:
    """The inspector's stylesheet with every selector prefixed by ``.inspector``."""
    rules = []
    for block in stylesheet(LIGHT).split("}"):
        if "{" not in block:
            continue
        selectors, body = block.split("{", 1)
        scoped = ", ".join(f".inspector {s.strip()}" for s in selectors.split(",") if s.strip())
        rules.append(f"{scoped} {{{body}}}")
    return "\n".join(rules)


def render_html(snapshot: Snapshot, *, flavour: Flavour = "browser",
                pages: Mapping[str, int] | None = None) -> str:
    """The snapshot as one HTML page: ``browser`` (the deliverable) or ``qt`` (markup and CSS
    Qt's rich-text engine renders, for the PDF; ``pages`` gives the contents' page numbers)."""
    template = _environment().get_template("snapshot.html.j2")
    return template.render(s=snapshot, css=_css(flavour), qt=flavour == "qt",
                           severities=SEVERITY_LABELS, pages=pages or {})


def render_snapshot(conn: sqlite3.Connection, **options: Any) -> str:
    """``build_snapshot(conn, **options)`` rendered as the browser HTML page."""
    return render_html(build_snapshot(conn, **options))
