"""The small HTML builders every inspector section uses, and the ``aam://`` links.

Every value passes through ``esc`` before it reaches the markup; builders that take HTML
(``rows_table``, ``grid``, ``para``) expect already-escaped pieces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any

from explorer.kinds import KINDS
from explorer.report.inspector_html.themes import Theme

LINK_SCHEME = "aam"
# The "All fields" section's show/hide link (not an object: the GUI re-renders on it).
TOGGLE_ALL_FIELDS_URL = f"{LINK_SCHEME}://ui/toggle-all-fields"
# The "show all" link of long lists (segments using a popular trait) re-renders them longer.
EXPAND_LISTS_URL = f"{LINK_SCHEME}://ui/expand-lists"
# Rows a list shows at first: Qt lays a table row out in ~0.35 ms, and selecting an object must
# stay under 50 ms. "Show all" raises it to LIST_LIMIT; the rest is counted, not listed.
# Pages that are not objects: the tenant overview, a tree group's page, the findings panel
# filtered by severity, a bottom panel raised. The GUI opens them; a static report drops them.
OVERVIEW_URL = f"{LINK_SCHEME}://overview/"
PAGE_TARGETS = ("overview", "group", "findings", "panel")
COLLAPSED_LIST_ROWS = 40
LIST_LIMIT = 500

Details = Mapping[str, Any]


def esc(value: object) -> str:
    """Escape any value for HTML text or attribute context."""
    return escape("" if value is None else str(value), quote=True)


def object_url(kind: str, object_id: int) -> str:
    """The link the inspector intercepts: ``aam://trait/1000001``."""
    return f"{LINK_SCHEME}://{kind}/{int(object_id)}"


def parse_object_url(url: str) -> tuple[str, int] | None:
    """``aam://trait/1000001`` -> ("trait", 1000001); None for anything else."""
    match = re.fullmatch(rf"{LINK_SCHEME}://([a-z-]+)/(\d+)/?", url.strip())
    if match is None or match.group(1) not in KINDS:
        return None
    return match.group(1), int(match.group(2))


def page_url(target: str, argument: str = "") -> str:
    """A link to a page that is not an object: ``aam://findings/error``, ``aam://panel/trends``."""
    if target not in PAGE_TARGETS:
        raise ValueError(f"unknown page {target!r}")
    return f"{LINK_SCHEME}://{target}/{argument}"


def parse_page_url(url: str) -> tuple[str, str] | None:
    """``aam://group/traits`` -> ("group", "traits"); None for objects and anything else."""
    match = re.fullmatch(rf"{LINK_SCHEME}://([a-z]+)/([a-z-]*)/?", url.strip())
    if match is None or match.group(1) not in PAGE_TARGETS:
        return None
    return match.group(1), match.group(2)


def page_link(target: str, argument: str, text: object) -> str:
    return f'<a href="{esc(page_url(target, argument))}">{esc(text)}</a>'


def link(kind: str, object_id: object, text: object) -> str:
    try:
        url = object_url(kind, int(object_id))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return esc(text)
    return f'<a href="{esc(url)}">{esc(text)}</a>'


def muted(text: object) -> str:
    return f'<span class="muted">{esc(text)}</span>'


def badge(text: str, colour: str, theme: Theme) -> str:
    # Non-breaking spaces pad the badge: Qt's rich text ignores padding on inline spans.
    return (f'<span style="background-color:{colour}; color:{theme.badge_text}; '
            f'font-weight:600;">&nbsp;{esc(text)}&nbsp;</span>')


def missing_mark(text: str = "missing from export") -> str:
    return f'<span class="missing">{esc(text)}</span>'


def heading(title_html: str) -> str:
    # A one-cell table, not <h2>: Qt's rich text ignores font sizes on headings and draws no
    # borders on blocks, but does both on table cells.
    return (f'<table class="section" width="100%" cellspacing="0" cellpadding="0">'
            f'<tr><td>{title_html}</td></tr></table>\n')


def section(title: str, body: str) -> str:
    return f"{heading(esc(title))}{body}\n"


def rows_table(rows: Iterable[tuple[str, str]], css_class: str = "fields") -> str:
    """A two-column label/value table; values are already-escaped HTML."""
    cells = "".join(f'<tr><td class="label">{esc(label)}</td><td>{value}</td></tr>'
                    for label, value in rows if value != "")
    if not cells:
        return ""
    return f'<table class="{css_class}" cellspacing="0" cellpadding="3">{cells}</table>'


def grid(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table with a header row; cells are already-escaped HTML."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<table class="grid" cellspacing="0" cellpadding="3"><tr>{head}</tr>{body}'
            "</table>")


def grid_dropping_empty_last(headers: Sequence[str], rows: list[list[str]]) -> str:
    """A grid whose last column is left out when no row has anything in it."""
    if any(row[-1] for row in rows):
        return grid(headers, rows)
    return grid(headers[:-1], [row[:-1] for row in rows])


def para(html_text: str, css_class: str = "") -> str:
    cls = f' class="{css_class}"' if css_class else ""
    return f"<p{cls}>{html_text}</p>"


def yes_no(value: object) -> str:
    if value is None:
        return ""
    return "yes" if value else "no"


def date_text(iso: object, epoch_ms: object = None) -> str:
    """A date for people: the ISO day, or one computed from AAM's epoch milliseconds."""
    if isinstance(iso, str) and iso:
        return esc(iso[:10])
    if isinstance(epoch_ms, int | float) and not isinstance(epoch_ms, bool) and epoch_ms > 0:
        return esc(datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).date().isoformat())
    return ""


def number_text(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return esc(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def first_value(details: Details, *keys: str) -> Any:
    """The first present, non-empty value among ``keys`` in details, then in its raw record."""
    raw = details.get("raw") or {}
    for source in (details, raw):
        for key in keys:
            value = source.get(key)
            if value not in (None, ""):
                return value
    return None


def limited(items: Sequence[Any], limit: int, total: int | None = None
             ) -> tuple[Sequence[Any], str]:
    """The rows to show, and a line counting the rest (with a "show all" link when the list
    was collapsed). ``total`` is the full count when ``items`` is itself a capped list."""
    shown = items[:limit]
    rest = max(total or 0, len(items)) - len(shown)
    if rest <= 0:
        return items, ""
    line = muted(f"… and {rest:,} more")
    if len(items) > limit and limit < LIST_LIMIT:
        line += f' &nbsp;<a href="{esc(EXPAND_LISTS_URL)}">show all</a>'
    return shown, para(line)


def code_block(inner_html: str) -> str:
    # A one-cell table: Qt gives <pre> no background padding, a table cell it does.
    return (f'<table class="code" width="100%" cellspacing="0" cellpadding="8"><tr><td>'
            f'<pre>{inner_html}</pre></td></tr></table>')
