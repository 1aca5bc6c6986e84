"""`show` as text: an object view (``explorer.analysis.object_view``) in labelled sections,
in the inspector's order and words.

Dates are days, durations carry their unit, references read "name (id)"; the raw source
record and the stored epoch milliseconds are for ``--json`` only. Every value from the export
passes through ``one_line``, so a name cannot break a line or drive the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from explorer.analysis.object_view import (
    ObjectView,
    period_label,
    population_metrics,
    population_periods,
)
from explorer.cli.common import one_line
from explorer.domain.explain import INDENT, segment_reading
from explorer.kinds import KINDS, adobe_data_source_name
from explorer.report.inspector_html.identity import DESTINATION_TYPES, type_label
from explorer.report.inspector_html.rules import usage_words

# Rows shown per list; --json lists up to explorer.store.queries.SEGMENTS_USING_LIMIT.
LIST_ROWS = 20
_NONE = "—"
Row = tuple[str, str]

_TARGET_LABELS = {"enabled": "Adobe Target: shared", "disabled": "Adobe Target: not shared",
                  "unknown": "Adobe Target: unknown", "not-via-destination": "Adobe Target"}
_DATA_SOURCE_SETTINGS = (
    ("id_type", "ID type"), ("sub_id_type", "ID definition"),
    ("data_export_controls", "Data export controls"),
    ("unique_trait_integration_codes", "Unique trait integration codes"),
    ("unique_segment_integration_codes", "Unique segment integration codes"),
    ("inbound_s2s", "Inbound S2S"), ("outbound_s2s", "Outbound S2S"),
    ("allow_data_sharing", "Share enabled"), ("use_as_authenticated_profile",
                                              "Authenticated profile"),
    ("use_as_device_graph", "Device graph"),
)


def view_lines(view: ObjectView) -> list[str]:
    """The whole text of `show` for one object."""
    kind = str(view["kind"])
    label = KINDS[kind].label
    name = view.get("name")
    lines = [f"{label} {view['id']}: {one_line(name)}" if name else f"{label} {view['id']}"]
    lines += _section("", _rows_text(_identity_rows(view)))
    for title, body in _kind_sections(view):
        lines += _section(title, body)
    lines += _section("Population (from the export)", _population(view))
    lines += _section("Sharing", _sharing(view))
    findings = view.get("findings") or []
    lines += _section(f"Findings ({len(findings)})", [_finding(f) for f in findings])
    lines += _section("Annotation", _annotation(view.get("annotation")))
    return lines


# -- building blocks ---------------------------------------------------------------------------

def _text(value: Any) -> str:
    """A value from the export as one line; empty values read as a dash."""
    if value is None or value == "" or value == []:
        return _NONE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return one_line(value)


def _ref(ref: Any, fallback_id: Any = None) -> str:
    """``{id, name, missing}`` as "name (id)", or "id (not in this export)"."""
    if not isinstance(ref, Mapping):
        return _NONE if fallback_id is None else f"{fallback_id} (not in this export)"
    object_id = ref.get("id")
    if object_id is None:
        return _NONE
    if ref.get("missing") or not ref.get("name"):
        return f"{object_id} (not in this export)"
    return f"{one_line(ref['name'])} ({object_id})"


def _data_source(view: ObjectView) -> str:
    """As the inspector says it: a data source no export holds because Adobe owns it (a
    global one, or a server-to-server destination's) is named as Adobe's, not as missing."""
    source = view.get("data_source")
    if isinstance(source, Mapping) and source.get("missing"):
        source_id = int(source.get("id") or 0)
        name = adobe_data_source_name(source_id, kind=view["kind"],
                                      destination_type=view.get("destination_type"))
        if name is not None:
            return f"{name} ({source_id}), Adobe-owned, not in this export"
    return _ref(source)


def _day(iso: Any) -> str:
    return str(iso)[:10] if iso else _NONE


def _section(title: str, body: Sequence[str]) -> list[str]:
    if not body:
        return []
    return ["", title, *body] if title else ["", *body]


def _rows_text(rows: Iterable[Row]) -> list[str]:
    kept = [(label, value) for label, value in rows if value not in ("", _NONE)]
    if not kept:
        return []
    width = max(len(label) for label, _ in kept)
    return [f"  {label + ':':<{width + 1}} {value}" for label, value in kept]


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], total: int | None = None
           ) -> list[str]:
    """An aligned table of at most LIST_ROWS rows, then how many more there are; a last
    column that is empty in every row (nothing "used as") is left out."""
    shown = [list(row) for row in rows[:LIST_ROWS]]
    headers = list(headers)
    if shown and len(headers) > 1 and not any(row[-1] for row in shown):
        headers.pop()
        for row in shown:
            row.pop()
    widths = [max(len(h), *(len(r[i]) for r in shown)) if shown else len(h)
              for i, h in enumerate(headers)]
    lines = ["  " + "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
              for row in shown]
    more = max(total or 0, len(rows)) - len(shown)
    if more > 0:
        lines.append(f"  … and {more:,} more")
    return lines


# -- identity ----------------------------------------------------------------------------------

def _identity_rows(view: ObjectView) -> list[Row]:
    kind = view["kind"]
    raw = view.get("raw") or {}
    rows: list[Row] = [("ID", str(view["id"])), ("Type", one_line(type_label(view)) or _NONE),
                       ("Status", _text(view.get("status")))]
    if "data_source" in view:
        rows.append(("Data source", _data_source(view)))
    path = view.get("folder_path") or []
    if path:
        rows.append(("Path" if kind.endswith("-folder") else "Folder", " / ".join(
            f"{f['id']} (not in this export)" if f.get("missing") else one_line(f["name"])
            for f in path)))
    if view.get("integration_code"):
        rows.append((str(view.get("integration_code_label") or "Integration code"),
                     one_line(view["integration_code"])))
    if kind == "trait":
        rows.append(("Expires after", _ttl(view.get("ttl", raw.get("ttl")))))
        rows.append(("Event type", _text(view.get("event_type"))))
        rows.append(("Rule version", _text(view.get("rule_version"))))
        if view.get("algo_model_id") is not None:
            rows.append(("Algorithmic model", _ref(view.get("algo_model"))))
    if kind == "derived-signal":
        rows.append(("Source signal", _signal(view.get("source_key"), view.get("source_value"))))
        rows.append(("Derived signal", _signal(view.get("target_key"), view.get("target_value"))))
    rows.append(("Description", _text(view.get("description"))))
    rows.append(("Created", _day(view.get("create_time_iso"))))
    rows.append(("Updated", _day(view.get("update_time_iso"))))
    return rows


def _ttl(ttl: Any) -> str:
    if not isinstance(ttl, int) or isinstance(ttl, bool):
        return _NONE
    return "never (TTL 0)" if ttl == 0 else f"{ttl:,} days"


def _signal(key: Any, value: Any) -> str:
    return _NONE if key is None else f"{one_line(key)}={one_line(value or '')}"


# -- per kind ----------------------------------------------------------------------------------

def _kind_sections(view: ObjectView) -> list[tuple[str, list[str]]]:
    kind = view["kind"]
    if kind == "trait":
        return [("Trait expression", _rule(view.get("trait_rule"),
                                           view.get("trait_rule_explained"))),
                _segments("Segments using this trait", view)]
    if kind == "segment":
        return [("Segment rule", _segment_rule(view)),
                ("Merge rule", _merge_rule(view.get("merge_rule"))),
                _destinations(view.get("destinations") or [])]
    if kind == "data-source":
        settings = view.get("settings") or {}
        return [("Settings", _rows_text((label, _text(settings.get(key)))
                                        for key, label in _DATA_SOURCE_SETTINGS)),
                ("Where used", _rows_text([
                    ("Traits in this data source", _text(view.get("trait_count"))),
                    ("Segments in this data source", _text(view.get("segment_count")))]))]
    if kind == "merge-rule":
        return [("Options", _rows_text(_merge_rule_options(view))),
                _segments("Segments using this merge rule", view)]
    if kind == "destination":
        raw = view.get("raw") or {}
        return [("Settings", _rows_text([
            ("Platform", _text(raw.get("devicePlatform"))),
            ("URL format", _text(raw.get("urlFormatString"))),
            ("Cookie name", _text(view.get("cookie_name"))),
            ("Serialized", _text(raw.get("serializationEnabled"))),
            ("Domain restrictions", _text(raw.get("domainRestrictions"))),
            ("Auto-fill mappings", _text(raw.get("mappingAutoFiller"))),
            ("Data export labels", _text(raw.get("dataExportLabels")))])),
                _mappings(view.get("mappings") or [])]
    if kind in ("trait-folder", "segment-folder"):
        noun = "Traits" if kind == "trait-folder" else "Segments"
        return [("Contents", _rows_text([
            (f"{noun} directly in this folder", _text(view.get("object_count"))),
            (f"{noun} including subfolders", _text(view.get("object_count_with_subfolders"))),
            ("Subfolders", _text(view.get("subfolder_count")))]))]
    if kind == "destination-mapping":
        return [("Mapping", _rows_text([
            ("Segment", _ref(view.get("segment"), view.get("segment_id"))),
            ("Destination", _ref(view.get("destination"), view.get("destination_id"))),
            ("Start", _day(view.get("start_date"))),
            ("End", _day(view.get("end_date")) if view.get("end_date") else "never"),
            ("State", _text(view.get("state"))),
            ("Alias", _text(view.get("trait_alias")))]))]
    if kind == "algo-model":
        traits = view.get("traits_using") or []
        return [(f"Traits using this model ({len(traits):,})",
                 _table(("ID", "Name"), [(str(t["id"]), _text(t.get("name"))) for t in traits]))]
    return []


def _rule(rule: Any, explained: Any) -> list[str]:
    if not rule:
        return ["  (no rule in the export)"]
    return [f"  {one_line(rule)}", f"  In plain words: {one_line(explained or _NONE)}"]


def _segment_rule(view: ObjectView) -> list[str]:
    """The rule, its plain-words reading one line per group (indented as nested), its traits."""
    rule = view.get("segment_rule")
    references = view.get("rule_references") or []
    if not rule:
        return ["  (no rule in the export)"]
    # Read from the rule and the names, not by splitting the explanation: a name holding a
    # line break must not start a line of its own.
    names = {r["id"]: r["name"] for r in references
             if not r.get("missing") and r.get("name") is not None}
    reading = segment_reading(rule, names)
    lines = [f"  {one_line(rule)}"]
    if len(reading) == 1:
        lines.append(f"  In plain words: {one_line(reading[0][1])}")
    else:
        lines.append("  In plain words:")
        lines += [f"    {INDENT * depth}{one_line(text)}" for depth, text in reading]
    return lines + _rule_traits(references)


def _rule_traits(references: Sequence[Mapping[str, Any]]) -> list[str]:
    if not references:
        return []
    rows = [(str(r["id"]), "(not in this export)" if r.get("missing") else _text(r.get("name")),
             _text(r.get("status")), _ttl(r.get("ttl")) if "ttl" in r else _NONE,
             _text(r.get("uniques_30_day")), usage_words(r)) for r in references]
    return ["", *_table(("Trait ID", "Name", "Status", "Expires after", "30-day uniques",
                         "Used as"), rows)]


def _segments(title: str, view: ObjectView) -> tuple[str, list[str]]:
    segments = view.get("segments_using") or []
    total = max(view.get("segment_count") or 0, len(segments))
    if not segments:
        return (f"{title} (0)", ["  none"])
    rows = [(str(s["id"]), _text(s.get("name")), _text(s.get("status")), usage_words(s))
            for s in segments]
    return (f"{title} ({total:,})", _table(("ID", "Name", "Status", "Used as"), rows, total))


def _merge_rule(merge_rule: Any) -> list[str]:
    if not isinstance(merge_rule, Mapping):
        return []
    if merge_rule.get("missing"):
        return [f"  {one_line(merge_rule.get('label') or merge_rule.get('id'))}"]
    return _rows_text([("Rule", _ref(merge_rule)), *_merge_rule_options(merge_rule)])


def _merge_rule_options(rule: Mapping[str, Any]) -> list[Row]:
    sources = rule.get("cross_device_data_sources") or []
    return [("Cross-device option", _text(rule.get("cross_device_option"))),
            ("Device option", _text(rule.get("device_option"))),
            ("Default rule", _text(bool(rule.get("is_default")))),
            ("External", "yes (an AEP merge policy decides)" if rule.get("external") else ""),
            ("Cross-device data sources", ", ".join(_ref(s) for s in sources)),
            ("Data export controls", _text(rule.get("data_export_controls") or ""))]


def _destinations(destinations: Sequence[Mapping[str, Any]]) -> tuple[str, list[str]]:
    rows = [(_ref({"id": d.get("destination_id"), "name": d.get("destination_name")}),
             DESTINATION_TYPES.get(str(d.get("destination_type")),
                                   _text(d.get("destination_type"))),
             _day(d.get("start_date")), _day(d.get("end_date")) if d.get("end_date") else "never",
             _text(d.get("state"))) for d in destinations]
    if not rows:
        return ("Destinations (0)", ["  not mapped to any destination"])
    return (f"Destinations ({len(rows):,})",
            _table(("Destination", "Type", "Start", "End", "State"), rows))


def _mappings(mappings: Sequence[Mapping[str, Any]]) -> tuple[str, list[str]]:
    rows = [(_ref({"id": m.get("segment_id"), "name": m.get("segment_name"),
                   "missing": m.get("segment_missing")}),
             _day(m.get("start_date")), _day(m.get("end_date")) if m.get("end_date") else "never",
             _text(m.get("state"))) for m in mappings]
    if not rows:
        return ("Mappings (0)", ["  no segment is mapped to this destination"])
    return (f"Mappings ({len(rows):,})", _table(("Segment", "Start", "End", "State"), rows))


# -- audience, findings, annotation ------------------------------------------------------------

def _population(view: ObjectView) -> list[str]:
    metrics = population_metrics(view.get("raw") or {})
    if not metrics:
        return []
    periods = population_periods(metrics)
    rows = [(family, *(_text(values.get(p)) for p in periods))
            for family, values in metrics.items()]
    headers = ("", *(period_label(p) for p in periods))
    widths = [max(len(headers[i]), *(len(r[i]) for r in rows)) for i in range(len(headers))]
    return ["  " + "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i])
                             for i, cell in enumerate(line))
            for line in (headers, *rows)]


def _sharing(view: ObjectView) -> list[str]:
    lines = []
    if view.get("from_aep"):
        lines.append("  Created by Adobe Experience Platform audience sharing; change it in AEP,"
                     " not in Audience Manager.")
    sharing = view.get("target_sharing")
    if isinstance(sharing, Mapping):
        label = _TARGET_LABELS.get(str(sharing.get("target")), "Adobe Target")
        lines.append(f"  {label}. {one_line(sharing.get('summary') or '')}".rstrip())
        lines += [f"  - {one_line(note)}" for note in sharing.get("notes") or []]
    return lines


def _finding(finding: Mapping[str, Any]) -> str:
    reason = finding.get("accepted_reason")
    accepted = (f" (accepted: {reason})" if reason else " (accepted)") \
        if finding.get("accepted") else ""
    return one_line(f"  [{finding.get('severity')}] {finding.get('message')}{accepted}")


def _annotation(annotation: Any) -> list[str]:
    if not isinstance(annotation, Mapping):
        return []
    tags = ", ".join(annotation.get("tags") or [])
    return _rows_text([("Status", _text(annotation.get("status"))),
                       ("Tags", tags and one_line(tags)),
                       ("Note", _text(annotation.get("note")))])
