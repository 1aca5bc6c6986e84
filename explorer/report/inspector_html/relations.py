"""The objects related to the inspected one: a segment's merge rule and
destinations, the segments using a trait or merge rule, the traits using a model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from explorer.analysis.mapping_status import MappingState, mapping_state
from explorer.kinds import DESTINATION_TYPE_LABELS
from explorer.report.inspector_html.markup import (
    Details,
    esc,
    grid,
    grid_dropping_empty_last,
    limited,
    link,
    missing_mark,
    muted,
    para,
    rows_table,
    section,
    yes_no,
)
from explorer.report.inspector_html.rules import usage_words


def merge_rule_for_segment(details: Details) -> str:
    merge_rule = details.get("merge_rule")
    if not isinstance(merge_rule, Mapping) or merge_rule.get("id") is None:
        return ""
    rule_id = merge_rule["id"]
    if merge_rule.get("missing"):
        text = merge_rule.get("label") or f"unknown merge rule (ID: {rule_id})"
        return section("Merge rule", para(missing_mark(str(text))))
    label = merge_rule.get("label") or f"{merge_rule.get('name')} (ID: {rule_id})"
    rows = [("Rule", link("merge-rule", rule_id, label))]
    rows += merge_rule_option_rows(merge_rule)
    return section("Merge rule", rows_table(rows))


def merge_rule_option_rows(merge_rule: Mapping[str, Any]) -> list[tuple[str, str]]:
    raw = merge_rule.get("raw") or {}

    def pick(*keys: str) -> Any:
        for key in keys:
            for source in (merge_rule, raw):
                if source.get(key) is not None:
                    return source[key]
        return None

    rows = [
        ("Cross-device option", esc(pick("cross_device_option", "crossDeviceOption") or "—")),
        ("Device option", esc(pick("device_option", "deviceOption") or "—")),
        ("Default rule", yes_no(pick("is_default", "isDefault"))),
    ]
    if pick("external"):
        rows.append(("External", "yes (an AEP merge policy decides)"))
    sources = merge_rule.get("cross_device_data_sources") or [
        {"id": i, "name": None}
        for i in pick("cross_device_data_source_ids", "crossDeviceDataSourceIds") or []]
    if sources:
        rows.append(("Cross-device data sources", ", ".join(map(_data_source_link, sources))))
    controls = pick("data_export_controls", "dataExportControls")
    if controls:
        rows.append(("Data export controls", esc(", ".join(map(str, controls)))))
    return rows


def _data_source_link(source: Mapping[str, Any]) -> str:
    """"Northwind CRM (171003)", or "Data source 171003" when the name is not known."""
    source_id, name = source.get("id"), source.get("name")
    return link("data-source", source_id,
                f"{name} ({source_id})" if name else f"Data source {source_id}")


def destinations_for_segment(details: Details, limit: int) -> str:
    destinations = details.get("destinations")
    if not destinations:
        return ""
    shown, more = limited(destinations, limit)
    rows = []
    for dest in shown:
        dest_id = dest.get("destination_id", dest.get("id"))
        name = dest.get("destination_name", dest.get("name")) or f"Destination {dest_id}"
        if dest.get("missing"):
            name_html = f"{esc(name)} {missing_mark('not in this export')}"
        else:
            name_html = link("destination", dest_id, name)
        dest_type = dest.get("destination_type") or dest.get("type") or ""
        state = state_of_mapping(dest, details.get("export_date"), segment_found=True,
                                 destination_found=not dest.get("missing"))
        rows.append((name_html, esc(DESTINATION_TYPE_LABELS.get(str(dest_type), dest_type)),
                     esc(dest.get("start_date") or "—"), esc(dest.get("end_date") or "never"),
                     state_html(state)))
    return section("Destinations",
                   grid(("Destination", "Type", "Start", "End", "Status"), rows) + more)


def state_of_mapping(mapping: Mapping[str, Any], export_date: object, *, segment_found: bool,
                     destination_found: bool) -> MappingState:
    """A mapping's state at the export date: the object view's ``state``
    (``explorer.analysis.object_view``); details assembled without it (a diff's previous
    version) get it from the same core rule (``mapping_state``)."""
    state = mapping.get("state")
    if state is not None:
        return MappingState(state)
    return mapping_state(
        segment_found=segment_found, destination_found=destination_found,
        segment_status=mapping.get("segment_status"),
        element_status=mapping.get("element_status"),
        start_date=mapping.get("start_date"), end_date=mapping.get("end_date"),
        export_date=str(export_date)[:10] if export_date else None)


_STATE_NOTES = {
    MappingState.PAUSED: "the segment or the mapping is inactive",
    MappingState.ENDED: "end date before the export date",
    MappingState.SCHEDULED: "start date after the export date",
    MappingState.MISSING: "its segment or destination is not in this export",
    MappingState.NOT_CHECKED: "the export has no date to compare the mapping's dates with",
}


def state_html(state: MappingState) -> str:
    """"active" plainly; any other state in bold (it is the news), its reason as tooltip."""
    if state is MappingState.ACTIVE:
        return esc(state.value)
    note = esc(_STATE_NOTES.get(state, ""))
    return f'<b title="{note}">{esc(state.value)}</b>'


def segments_list(title: str, segments: Sequence[Mapping[str, Any]], empty: str, *,
                  limit: int, total: int | None = None) -> str:
    """Clickable segments; ``total`` is the full count when the details list was capped."""
    if not segments:
        return section(title, para(muted(empty)))
    shown, more = limited(segments, limit, total)
    total = max(total or 0, len(segments))
    rows = [[link("segment", seg["id"], seg["id"]),
             link("segment", seg["id"], seg.get("name") or ""), esc(seg.get("status") or ""),
             esc(usage_words(seg))] for seg in shown]
    table = grid_dropping_empty_last(("ID", "Name", "Status", "Used as"), rows)
    return section(f"{title} ({total:,})", table + more)


def traits_list(traits: Sequence[Mapping[str, Any]], limit: int) -> str:
    if not traits:
        return section("Traits using this model", para(muted("No trait uses this model.")))
    shown, more = limited(traits, limit)
    rows = [(link("trait", t["id"], t["id"]), link("trait", t["id"], t.get("name") or ""))
            for t in shown]
    return section(f"Traits using this model ({len(traits):,})",
                   grid(("ID", "Name"), rows) + more)
