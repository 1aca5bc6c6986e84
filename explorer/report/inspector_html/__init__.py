"""One object's details as HTML: the GUI inspector shows it, the snapshot report reuses it.

Qt-free. The input is the dict ``explorer.analysis.object_view.object_view`` returns (the one
view of an object, shared with `aam-explorer show`); every value in it is escaped
(``markup.esc``) before it reaches the markup, so names like ``<script>`` show literally.
Links to other objects are ``aam://KIND/ID`` (``object_url``); the GUI intercepts them, a
static report can rewrite them to anchors.

The markup keeps to what Qt's rich-text engine renders well (tables, spans, inline colours,
no CSS variables or flexbox), so the same HTML looks right in ``QTextBrowser`` and a browser.

The package splits the page by meaning: ``markup`` (escaping, links, tables), ``themes``
(colours, stylesheet), ``identity`` (title, identity table), ``rules`` (trait expression,
segment rule), ``relations`` (merge rule, destinations, objects using this one),
``audience`` (population, sharing), ``kind_sections`` (data sources, merge rules,
destinations, folders, mappings), ``review`` (changes, findings, annotation, all fields)
and ``page`` (the whole page).
"""

from explorer.report.inspector_html.audience import population_metrics
from explorer.report.inspector_html.markup import (
    COLLAPSED_LIST_ROWS,
    EXPAND_LISTS_URL,
    LINK_SCHEME,
    LIST_LIMIT,
    OVERVIEW_URL,
    TOGGLE_ALL_FIELDS_URL,
    Details,
    object_url,
    page_url,
    parse_object_url,
    parse_page_url,
)
from explorer.report.inspector_html.page import (
    render_details_html,
    render_message_html,
    render_overview_html,
)
from explorer.report.inspector_html.rules import highlight_trait_rule
from explorer.report.inspector_html.themes import DARK, HIGH_CONTRAST, LIGHT, Theme, stylesheet

__all__ = [
    "COLLAPSED_LIST_ROWS",
    "DARK",
    "EXPAND_LISTS_URL",
    "HIGH_CONTRAST",
    "LIGHT",
    "LINK_SCHEME",
    "LIST_LIMIT",
    "OVERVIEW_URL",
    "TOGGLE_ALL_FIELDS_URL",
    "Details",
    "Theme",
    "highlight_trait_rule",
    "object_url",
    "page_url",
    "parse_object_url",
    "parse_page_url",
    "population_metrics",
    "render_details_html",
    "render_message_html",
    "render_overview_html",
    "stylesheet",
]
