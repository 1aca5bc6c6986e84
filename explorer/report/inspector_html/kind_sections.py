"""Sections of the kinds without rules: a data source's settings, a merge
rule's options, a destination's settings and mappings, a folder's contents, a mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from explorer.kinds import adobe_data_source_name
from explorer.report.inspector_html.identity import adobe_data_source_html, ref_html
from explorer.report.inspector_html.markup import (
    Details,
    date_text,
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
from explorer.report.inspector_html.relations import (
    merge_rule_option_rows,
    segments_list,
    state_html,
    state_of_mapping,
)
from explorer.report.inspector_html.review import field_findings
from explorer.report.inspector_html.themes import Theme

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
    # The counts link to the data source itself: opening it lists its traits and segments.
    html += _counts_section(details, "Where used", {
        "trait_count": "Traits in this data source",
        "segment_count": "Segments in this data source"},
        link_to=("data-source", details.get("id")))
    return html


def _counts_section(details: Details, title: str, labels: Mapping[str, str],
                    link_to: tuple[str, Any] | None = None) -> str:
    rows = []
    for key, label in labels.items():
        count = details.get(key)
        if not isinstance(count, int):
            continue
        text = number_text(count)
        if link_to is not None and count:
            text = link(link_to[0], link_to[1], f"{count:,}")
        rows.append((label, text))
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
            segment_found = not mapping.get("segment_missing") and (seg_id is None or seg_name)
            if not segment_found:
                segment = f"{esc(seg_id)} {missing_mark()}"
            else:
                segment = (f'{link("segment", seg_id, seg_name)} '
                           f'{muted(f"({seg_id})") if seg_id is not None else ""}')
            state = state_of_mapping(mapping, details.get("export_date"),
                                     segment_found=bool(segment_found), destination_found=True)
            mapping_id = mapping.get("mapping_id")
            table_rows.append((
                link("destination-mapping", mapping_id, mapping_id) if mapping_id else "",
                segment, mapping_target_html(mapping), esc(mapping.get("start_date") or "—"),
                esc(mapping.get("end_date") or "never"), state_html(state)))
        headers = ("Mapping ID", "Segment", _target_header(details), "Start", "End", "Status")
        html += section(f"Mappings ({len(mappings):,})", grid(headers, table_rows) + more)
    else:
        html += section("Mappings", para(muted("No segment is mapped to this destination.")))
    return html


def _target_header(details: Details) -> str:
    dest_type = str(first_value(details, "destination_type", "destinationType") or "")
    return {"PUSH": "URL", "ADS": "Key / value", "S2S": "Alias"}.get(dest_type, "URL or alias")


def mapping_target_html(mapping: Mapping[str, Any]) -> str:
    """What the mapping sends: its URL (URL destinations), or its key=value / alias."""
    url = mapping.get("url") or mapping.get("secure_url")
    if url:
        return f"<code>{esc(url)}</code>"
    alias, value = mapping.get("trait_alias"), mapping.get("value_alias")
    if alias and value:
        return f"<code>{esc(alias)}={esc(value)}</code>"
    if alias or value:
        return f"<code>{esc(alias or value)}</code>"
    return muted("—")


def folder_sections(details: Details) -> str:
    noun = "Traits" if details.get("kind") == "trait-folder" else "Segments"
    return _counts_section(details, "Contents", {
        "object_count": f"{noun} directly in this folder",
        "object_count_with_subfolders": f"{noun} including subfolders",
        "subfolder_count": "Subfolders",
    })


def mapping_sections(details: Details, theme: Theme) -> str:
    segment, destination = details.get("segment") or {}, details.get("destination") or {}
    state = state_of_mapping(details, details.get("export_date"),
                             segment_found=bool(segment) and not segment.get("missing"),
                             destination_found=bool(destination) and not destination.get("missing"))
    rows = [("Status", state_html(state)),
            ("Segment", ref_html("segment", details.get("segment"))),
            ("Destination", ref_html("destination", details.get("destination"))),
            ("URL or alias", mapping_target_html({
                **details, "trait_alias": first_value(details, "trait_alias", "traitAlias")})),
            ("Start", esc(first_value(details, "start_date", "startDate") or "—")),
            ("End", esc(first_value(details, "end_date", "endDate") or "never"))]
    end_notes = field_findings(details, "end_date", theme)
    if end_notes:
        rows = [(label, f"{value}<br>{end_notes}" if label == "End" else value)
                for label, value in rows]
    return section("Mapping", rows_table(rows))


_LAST_RUN_WORDS = {1: "running", 2: "succeeded", 3: "failed"}


def algo_model_sections(details: Details) -> str:
    """A look-alike model's inputs and last run, read from the fields the export has."""
    raw = details.get("raw") or {}
    baseline = details.get("baseline")
    baseline_html = ""
    if isinstance(baseline, Mapping):
        if baseline.get("missing") or not baseline.get("kind"):
            baseline_html = f"{esc(baseline.get('id'))} {missing_mark('not in this export')}"
        else:
            baseline_id = baseline["id"]
            baseline_html = (f'{link(str(baseline["kind"]), baseline_id, baseline["name"])} '
                             f'{muted(f"({baseline_id})")}')
    look_back = raw.get("lookBackPeriod")
    interval = raw.get("intervalSeconds")
    sources = details.get("model_data_sources") or []
    last_status = raw.get("lastRunStatus")
    rows = [
        ("Baseline", baseline_html),
        ("Look-back", f"{look_back:,} days" if isinstance(look_back, int) else ""),
        ("Runs every", f"{interval // 86400:,} days"
         if isinstance(interval, int) and interval >= 86400 else ""),
        ("Data sources", ", ".join(_model_source_html(source) for source in sources)
         if sources else muted("none listed") if "dataSources" in raw else ""),
        ("Excluded traits",
         ", ".join(link("trait", t, t) for t in raw.get("excludedTraits") or [])),
        ("Last run", date_text(None, raw.get("lastRunTimestamp") or raw.get("latestRunTS"))
         or (muted("never") if "lastRunTimestamp" in raw else "")),
        ("Last run status", esc(_LAST_RUN_WORDS.get(last_status, last_status))
         if last_status not in (None, "") else ""),
        ("Last successful run", date_text(None, raw.get("lastSuccessfulRunTimestamp"))),
        ("Processing", esc(raw.get("processingStatus") or "")),
    ]
    return section("Model", rows_table(rows))


def _model_source_html(source: Mapping[str, Any]) -> str:
    source_id = source.get("id")
    if source.get("name"):
        return f'{link("data-source", source_id, source["name"])} {muted(f"({source_id})")}'
    if isinstance(source_id, int):
        adobe_name = adobe_data_source_name(source_id)
        if adobe_name is not None:
            return adobe_data_source_html(adobe_name, source_id)
    return f"{esc(source_id)} {missing_mark('not in this export')}"


def derived_signal_sections(details: Details, limit: int) -> str:
    """The signal it derives (source key=value → target key=value) and the traits that test
    the target key, which is what the derived signal feeds."""
    source_key = first_value(details, "source_key", "sourceKey") or ""
    target_key = first_value(details, "target_key", "targetKey") or ""
    pair = grid(("", "Key", "Value"), [
        (muted("Source"), f"<code>{esc(source_key)}</code>",
         f"<code>{esc(first_value(details, 'source_value', 'sourceValue') or '')}</code>"),
        (muted("Target"), f"<code>{esc(target_key)}</code>",
         f"<code>{esc(first_value(details, 'target_value', 'targetValue') or '')}</code>")])
    html = section("Signal", pair)
    traits = details.get("traits_testing_target") or []
    title = f"Traits that test {target_key}" if target_key else "Traits that test the target key"
    if not traits:
        return html + section(title, para(muted("No trait rule in this export tests it.")))
    shown, more = limited(traits, limit)
    rows = [(link("trait", t["id"], t["id"]), link("trait", t["id"], t.get("name") or ""),
             esc(t.get("status") or "")) for t in shown]
    return html + section(f"{title} ({len(traits):,})", grid(("ID", "Name", "Status"), rows)
                          + more)
