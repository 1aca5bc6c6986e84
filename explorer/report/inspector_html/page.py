"""The whole inspector page for one object: each kind's sections in order, wrapped
with the theme's stylesheet; and the one-message page (nothing selected, not found).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from explorer.analysis.overview import Overview
from explorer.kinds import KIND_IN_FOLDER
from explorer.report.inspector_html.audience import population_section, sharing_section
from explorer.report.inspector_html.group import group_sections
from explorer.report.inspector_html.identity import header, identity
from explorer.report.inspector_html.kind_sections import (
    algo_model_sections,
    data_source_sections,
    derived_signal_sections,
    destination_sections,
    folder_sections,
    mapping_sections,
    merge_rule_sections,
)
from explorer.report.inspector_html.markup import (
    COLLAPSED_LIST_ROWS,
    LIST_LIMIT,
    Details,
    esc,
    muted,
    para,
)
from explorer.report.inspector_html.overview import overview_sections
from explorer.report.inspector_html.relations import (
    destinations_for_segment,
    merge_rule_for_segment,
    segments_list,
    traits_list,
)
from explorer.report.inspector_html.review import (
    all_fields_section,
    annotation_section,
    changes_section,
    findings_section,
)
from explorer.report.inspector_html.rules import segment_rule_section, trait_rule_section
from explorer.report.inspector_html.themes import LIGHT, Theme, stylesheet


def render_details_html(details: Details, *, all_fields_expanded: bool = False,
                        lists_expanded: bool = False, theme: Theme = LIGHT,
                        interactive: bool = True) -> str:
    """The whole inspector page for one object.

    ``interactive`` pages (the GUI) collapse "All fields" and long lists behind links; static
    ones (the report) show everything up to LIST_LIMIT rows per list.
    """
    kind_name = details.get("kind")
    limit = LIST_LIMIT if lists_expanded or not interactive else COLLAPSED_LIST_ROWS
    # The findings come first: what is wrong matters more than the settings below it.
    parts = [header(details, theme), findings_section(details, theme),
             identity(details, theme), changes_section(details, theme)]
    if kind_name == "trait":
        parts += [trait_rule_section(details, theme),
                  segments_list("Segments using this trait", details.get("segments_using") or [],
                                "No segment uses this trait.", limit=limit,
                                total=details.get("segment_count")),
                  population_section(details), sharing_section(details)]
    elif kind_name == "segment":
        parts += [segment_rule_section(details, limit), merge_rule_for_segment(details),
                  destinations_for_segment(details, limit), population_section(details),
                  sharing_section(details)]
    elif kind_name == "data-source":
        parts.append(data_source_sections(details))
    elif kind_name == "merge-rule":
        parts.append(merge_rule_sections(details, limit))
    elif kind_name == "destination":
        parts += [destination_sections(details, limit), sharing_section(details)]
    elif kind_name in KIND_IN_FOLDER:
        parts.append(folder_sections(details))
    elif kind_name == "destination-mapping":
        parts.append(mapping_sections(details, theme))
    elif kind_name == "algo-model":
        parts += [algo_model_sections(details),
                  traits_list(details.get("traits_using") or [], limit)]
    elif kind_name == "derived-signal":
        parts.append(derived_signal_sections(details, limit))
    parts.append(annotation_section(details))
    raw = details.get("raw")
    if isinstance(raw, Mapping) and raw:
        parts.append(all_fields_section(raw, all_fields_expanded or not interactive,
                                        interactive))
    return _page("".join(p for p in parts if p), theme)


def render_message_html(title: str, message: str = "", theme: Theme = LIGHT) -> str:
    """A page with one message (nothing selected, object not found)."""
    body = f'<p class="meta" style="font-size:large;">{esc(title)}</p>'
    if message:
        body += para(muted(message))
    return _page(body, theme)


def render_group_html(summary: dict[str, Any], theme: Theme = LIGHT) -> str:
    """A top-level group's page (``group.group_summary``): counts, AEP share, Target sharing."""
    return _page(group_sections(summary), theme)


def render_overview_html(overview: Overview, theme: Theme = LIGHT) -> str:
    """The tenant overview page (``explorer.analysis.overview.tenant_overview``)."""
    return _page(overview_sections(overview, theme), theme)


def _page(body: str, theme: Theme) -> str:
    return (f"<html><head><style>{stylesheet(theme)}</style></head>"
            f"<body>{body}</body></html>")
