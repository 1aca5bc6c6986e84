"""Sections of the kinds without rules: a data source's settings, a merge
rule's options, a destination's settings and mappings, a folder's contents, a mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from explorer.report.inspector_html.identity import ref_html
from explorer.report.inspector_html.markup import (
    Details,
    esc,
    first_value,
    grid,
    limited,
    link,
    missing_mark,
    muted,
    number_text,
    para,
    rows_table,
    section,
    yes_no,
)
from explorer.report.inspector_html.relations import merge_rule_option_rows, segments_list

_ID_TYPES = {"COOKIE": "Cookie", "CROSS_DEVICE": "Cross-device", "DEVICE_ADVERTISING_ID":
             "Device advertising ID"}


def data_source_sections(details: Details) -> str:
    raw = details.get("raw") or {}
    settings = details.get("settings") or {}

    def setting(key: str, raw_key: str) -> Any:
        return settings.get(key, raw.get(raw_key))

    id_type = setting("id_type", "idType")
    controls = setting("data_export_controls", "dataExportRestrictions")
    rows = [
        ("ID type", esc(_ID_TYPES.get(str(id_type), id_type or ""))),
        ("ID definition", esc(setting("sub_id_type", "subIdType") or "")),
        ("Data export controls", esc(", ".join(map(str, controls)) if controls else "none")),
        ("Unique trait integration codes",
         yes_no(setting("unique_trait_integration_codes", "uniqueTraitIntegrationCodes"))),
        ("Unique segment integration codes",
         yes_no(setting("unique_segment_integration_codes", "uniqueSegmentIntegrationCodes"))),
        ("Inbound S2S", yes_no(setting("inbound_s2s", "inboundS2S"))),
        ("Outbound S2S", yes_no(setting("outbound_s2s", "outboundS2S"))),
        ("Share enabled", yes_no(setting("allow_data_sharing", "allowDataSharing"))),
        ("Authenticated profile",
         yes_no(setting("use_as_authenticated_profile", "supportsAuthenticatedProfile"))),
        ("Device graph", yes_no(setting("use_as_device_graph", "deviceGraph"))),
    ]
    html = section("Settings", rows_table(rows))
    html += _counts_section(details, "Where used", {
        "trait_count": "Traits in this data source",
        "segment_count": "Segments in this data source"})
    return html


def _counts_section(details: Details, title: str, labels: Mapping[str, str]) -> str:
    rows = [(label, number_text(details[key])) for key, label in labels.items()
            if isinstance(details.get(key), int)]
    return section(title, rows_table(rows)) if rows else ""


def merge_rule_sections(details: Details, limit: int) -> str:
    rows = merge_rule_option_rows({**details, "raw": details.get("raw") or {}})
    html = section("Options", rows_table(rows))
    html += segments_list("Segments using this merge rule",
                          details.get("segments_using") or [], "No segment uses this rule.",
                          limit=limit, total=details.get("segment_count"))
    return html


def destination_sections(details: Details, limit: int) -> str:
    raw = details.get("raw") or {}
    rows = [
        ("Platform", esc(raw.get("devicePlatform") or "")),
        ("URL format", f"<code>{esc(raw['urlFormatString'])}</code>"
         if raw.get("urlFormatString") else ""),
        ("Cookie name", esc(first_value(details, "cookie_name", "cookieName") or "")),
        ("Serialized", yes_no(raw.get("serializationEnabled"))),
        ("Domain restrictions", esc(raw.get("domainRestrictions") or "")),
        ("Auto-fill mappings", esc(raw.get("mappingAutoFiller") or "")),
    ]
    labels = raw.get("dataExportLabels")
    if labels:
        rows.append(("Data export labels", esc(", ".join(map(str, labels)))))
    html = section("Settings", rows_table(rows))
    mappings = details.get("mappings") or []
    if mappings:
        shown, more = limited(mappings, limit)
        table_rows = []
        for mapping in shown:
            seg_id = mapping.get("segment_id")
            seg_name = mapping.get("segment_name")
            if mapping.get("segment_missing") or (seg_id is not None and not seg_name):
                segment = f"{esc(seg_id)} {missing_mark()}"
            else:
                segment = link("segment", seg_id, seg_name)
            table_rows.append((link("segment", seg_id, seg_id) if seg_id else "", segment,
                               esc(mapping.get("start_date") or "—"),
                               esc(mapping.get("end_date") or "never"),
                               esc(mapping.get("element_status") or "")))
        html += section(f"Mappings ({len(mappings):,})",
                        grid(("ID", "Segment", "Start", "End", "Status"), table_rows) + more)
    else:
        html += section("Mappings", para(muted("No segment is mapped to this destination.")))
    return html


def folder_sections(details: Details) -> str:
    noun = "Traits" if details.get("kind") == "trait-folder" else "Segments"
    return _counts_section(details, "Contents", {
        "object_count": f"{noun} directly in this folder",
        "object_count_with_subfolders": f"{noun} including subfolders",
        "subfolder_count": "Subfolders",
    })


def mapping_sections(details: Details) -> str:
    rows = [("Segment", ref_html("segment", details.get("segment"))),
            ("Destination", ref_html("destination", details.get("destination"))),
            ("Start", esc(first_value(details, "start_date", "startDate") or "—")),
            ("End", esc(first_value(details, "end_date", "endDate") or "never")),
            ("Alias", esc(first_value(details, "trait_alias", "traitAlias") or ""))]
    return section("Mapping", rows_table(rows))
