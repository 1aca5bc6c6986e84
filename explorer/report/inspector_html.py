"""One object's details as HTML: the GUI inspector shows it, the snapshot report reuses it.

Qt-free. The input is the dict ``explorer.store.queries.object_details`` returns; every value in
it is escaped here (``_e``) before it reaches the markup, so names like ``<script>`` show
literally. Links to other objects are ``aam://KIND/ID`` (``object_url``); the GUI intercepts
them, a static report can rewrite them to anchors.

The markup keeps to what Qt's rich-text engine renders well (tables, spans, inline colours,
no CSS variables or flexbox), so the same HTML looks right in ``QTextBrowser`` and a browser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import Any

from explorer.analysis.diff import describe_placement, field_label, rule_diff_parts
from explorer.domain.segment_rule import tokenize_segment_rule
from explorer.domain.trait_rule import tokenize_trait_rule
from explorer.kinds import KINDS

LINK_SCHEME = "aam"
# The "All fields" section's show/hide link (not an object: the GUI re-renders on it).
TOGGLE_ALL_FIELDS_URL = f"{LINK_SCHEME}://ui/toggle-all-fields"
# The "show all" link of long lists (segments using a popular trait) re-renders them longer.
EXPAND_LISTS_URL = f"{LINK_SCHEME}://ui/expand-lists"
# Rows a list shows at first: Qt lays a table row out in ~0.35 ms, and selecting an object must
# stay under 50 ms. "Show all" raises it to LIST_LIMIT; the rest is counted, not listed.
COLLAPSED_LIST_ROWS = 40
LIST_LIMIT = 500

Details = Mapping[str, Any]


@dataclass(frozen=True)
class Theme:
    """Colours of the rendered page. Syntax colours come from the Okabe-Ito palette."""

    text: str
    muted: str
    rule_line: str
    code_background: str
    link: str
    key: str = "#0072B2"
    operator: str = "#D55E00"
    string: str = "#009E73"
    number: str = "#CC79A7"
    error: str = "#D55E00"
    missing: str = "#C0392B"
    badge_text: str = "#FFFFFF"


LIGHT = Theme(text="#1F2328", muted="#656D76", rule_line="#D8DEE4",
              code_background="#F3F5F7", link="#0B5CAD")
DARK = Theme(text="#E6EDF3", muted="#9AA4AE", rule_line="#3A424B",
             code_background="#262C33", link="#6CB6FF",
             key="#56B4E9", operator="#F0A04B", string="#3CC8A0", number="#E19AC6",
             error="#FF7B72", missing="#FF7B72")
# Workshop projectors: white on black, Okabe-Ito colours chosen for contrast on black.
HIGH_CONTRAST = Theme(text="#FFFFFF", muted="#D8D8D8", rule_line="#FFFFFF",
                      code_background="#161616", link="#56B4E9", key="#56B4E9",
                      operator="#E69F00", string="#33D6A6", number="#F0A8D0",
                      error="#F0E442", missing="#F0E442", badge_text="#FFFFFF")

_SEVERITY_COLOURS = {"error": "#D55E00", "high": "#D55E00", "warning": "#E69F00",
                     "medium": "#E69F00", "info": "#0072B2", "low": "#0072B2"}
_STATUS_COLOURS = {"ACTIVE": "#009E73", "INACTIVE": "#6E7781", "DELETED": "#D55E00"}
_AEP_BADGE_COLOUR = "#5A3E9B"
_DESTINATION_TYPES = {"PUSH": "URL", "ADS": "Cookie", "S2S": "Server-to-server"}
_ID_TYPES = {"COOKIE": "Cookie", "CROSS_DEVICE": "Cross-device", "DEVICE_ADVERTISING_ID":
             "Device advertising ID"}
_TRAIT_TYPES = {"RULE_BASED_TRAIT": "Rule-based", "ON_BOARDED_TRAIT": "Onboarded",
                "ALGO_TRAIT": "Algorithmic"}
_METRIC_RE = re.compile(
    r"^(?P<family>uniques|count|instantUniques|totalUniques)(?P<period>\d+Day|Lifetime)$")
_METRIC_FAMILIES = {"uniques": "Uniques", "count": "Realisations",
                    "instantUniques": "Real-time population", "totalUniques": "Total population"}


# ---------------------------------------------------------------------------------------------
# Small builders


def _e(value: object) -> str:
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


def _link(kind: str, object_id: object, text: object) -> str:
    try:
        url = object_url(kind, int(object_id))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return _e(text)
    return f'<a href="{_e(url)}">{_e(text)}</a>'


def _muted(text: object) -> str:
    return f'<span class="muted">{_e(text)}</span>'


def _badge(text: str, colour: str, theme: Theme) -> str:
    # Non-breaking spaces pad the badge: Qt's rich text ignores padding on inline spans.
    return (f'<span style="background-color:{colour}; color:{theme.badge_text}; '
            f'font-weight:600;">&nbsp;{_e(text)}&nbsp;</span>')


def _missing(text: str = "missing from export") -> str:
    return f'<span class="missing">{_e(text)}</span>'


def _heading(title_html: str) -> str:
    # A one-cell table, not <h2>: Qt's rich text ignores font sizes on headings and draws no
    # borders on blocks, but does both on table cells.
    return (f'<table class="section" width="100%" cellspacing="0" cellpadding="0">'
            f'<tr><td>{title_html}</td></tr></table>\n')


def _section(title: str, body: str) -> str:
    return f"{_heading(_e(title))}{body}\n"


def _rows_table(rows: Iterable[tuple[str, str]], css_class: str = "fields") -> str:
    """A two-column label/value table; values are already-escaped HTML."""
    cells = "".join(f'<tr><td class="label">{_e(label)}</td><td>{value}</td></tr>'
                    for label, value in rows if value != "")
    if not cells:
        return ""
    return f'<table class="{css_class}" cellspacing="0" cellpadding="3">{cells}</table>'


def _grid(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table with a header row; cells are already-escaped HTML."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<table class="grid" cellspacing="0" cellpadding="3"><tr>{head}</tr>{body}'
            "</table>")


def _grid_dropping_empty_last(headers: Sequence[str], rows: list[list[str]]) -> str:
    """A grid whose last column is left out when no row has anything in it."""
    if any(row[-1] for row in rows):
        return _grid(headers, rows)
    return _grid(headers[:-1], [row[:-1] for row in rows])


def _para(html_text: str, css_class: str = "") -> str:
    cls = f' class="{css_class}"' if css_class else ""
    return f"<p{cls}>{html_text}</p>"


def _yes_no(value: object) -> str:
    if value is None:
        return ""
    return "yes" if value else "no"


def _date(iso: object, epoch_ms: object = None) -> str:
    """A date for people: the ISO day, or one computed from AAM's epoch milliseconds."""
    if isinstance(iso, str) and iso:
        return _e(iso[:10])
    if isinstance(epoch_ms, int | float) and not isinstance(epoch_ms, bool) and epoch_ms > 0:
        return _e(datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).date().isoformat())
    return ""


def _number(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _e(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def _first(details: Details, *keys: str) -> Any:
    """The first present, non-empty value among ``keys`` in details, then in its raw record."""
    raw = details.get("raw") or {}
    for source in (details, raw):
        for key in keys:
            value = source.get(key)
            if value not in (None, ""):
                return value
    return None


def _limited(items: Sequence[Any], limit: int, total: int | None = None
             ) -> tuple[Sequence[Any], str]:
    """The rows to show, and a line counting the rest (with a "show all" link when the list
    was collapsed). ``total`` is the full count when ``items`` is itself a capped list."""
    shown = items[:limit]
    rest = max(total or 0, len(items)) - len(shown)
    if rest <= 0:
        return items, ""
    line = _muted(f"… and {rest:,} more")
    if len(items) > limit and limit < LIST_LIMIT:
        line += f' &nbsp;<a href="{_e(EXPAND_LISTS_URL)}">show all</a>'
    return shown, _para(line)


# ---------------------------------------------------------------------------------------------
# Rules


def highlight_trait_rule(rule: str, theme: Theme = LIGHT) -> str:
    """A trait expression as coloured, escaped HTML (keys, operators, strings, numbers)."""
    colours = {"key": theme.key, "operator": theme.operator, "string": theme.string,
               "number": theme.number}
    parts: list[str] = []
    for token in tokenize_trait_rule(rule):
        text = _e(token.text)
        if token.type in colours:
            parts.append(f'<span style="color:{colours[token.type]};">{text}</span>')
        elif token.type == "bool_op":
            parts.append(f"<b>{text}</b>")
        elif token.type == "error":
            parts.append(f'<span style="color:{theme.error}; text-decoration:underline;">'
                         f"{text}</span>")
        else:
            parts.append(text)
    return "".join(parts)


def _code_block(inner_html: str) -> str:
    # A one-cell table: Qt gives <pre> no background padding, a table cell it does.
    return (f'<table class="code" width="100%" cellspacing="0" cellpadding="8"><tr><td>'
            f'<pre>{inner_html}</pre></td></tr></table>')


def _linked_segment_rule(rule: str, references: Sequence[Mapping[str, Any]]) -> str:
    """The segment rule with every ``NNNT`` shown as the trait's name (a link) and its id."""
    by_id = {int(r["id"]): r for r in references if r.get("id") is not None}
    parts: list[str] = []
    for token in tokenize_segment_rule(rule):
        if token.type == "trait":
            trait_id = int(token.text[:-1])
            ref = by_id.get(trait_id, {})
            parts.append(_reference_inline(trait_id, ref))
        elif token.type in ("and", "or", "not", "frequency"):
            parts.append(f"<b>{_e(token.text)}</b>")
        else:
            parts.append(_e(token.text))
    return "".join(parts)


def _reference_inline(trait_id: int, ref: Mapping[str, Any]) -> str:
    if ref.get("missing") or not ref.get("name"):
        return (f'<span class="missing">{_e(trait_id)}T (missing from export)</span>')
    return f'{_link("trait", trait_id, ref["name"])} {_muted(f"{trait_id}T")}'


def _references_table(references: Sequence[Mapping[str, Any]], limit: int) -> str:
    shown, more = _limited(references, limit)
    rows = []
    for ref in shown:
        if ref.get("missing"):
            name = _missing()
        else:
            name = _link("trait", ref["id"], ref.get("name") or f"Trait {ref['id']}")
        rows.append([_link("trait", ref["id"], ref["id"]), name, _e(_usage_words(ref))])
    return _grid_dropping_empty_last(("Trait ID", "Name", "Used as"), rows) + more


# ---------------------------------------------------------------------------------------------
# Sections


def _header(details: Details, theme: Theme) -> str:
    kind_name = str(details.get("kind", ""))
    kind_label = KINDS[kind_name].label if kind_name in KINDS else kind_name
    name = details.get("name") or f"{kind_label} {details.get('id')}"
    facts = [_e(kind_label), f"ID {_e(details.get('id'))}"]
    type_label = _type_label(details)
    if type_label:
        facts.append(_e(type_label))
    badges = []
    status = _first(details, "status")
    if status:
        colour = _STATUS_COLOURS.get(str(status).upper(), theme.muted)
        badges.append(_badge(str(status).upper(), colour, theme))
    if details.get("from_aep"):
        badges.append(_badge("From Adobe Experience Platform", _AEP_BADGE_COLOUR, theme))
    meta = ' <span class="muted">·</span> '.join(facts)
    badge_html = ("&nbsp;&nbsp;" + "&nbsp;".join(badges)) if badges else ""
    return (f'<h1>{_e(name)}</h1>\n<p class="meta">{meta}{badge_html}</p>\n')


def _type_label(details: Details) -> str:
    kind_name = details.get("kind")
    if kind_name == "trait":
        raw_type = _first(details, "trait_type", "traitType")
        return _TRAIT_TYPES.get(str(raw_type), str(raw_type or ""))
    if kind_name == "destination":
        raw_type = _first(details, "destination_type", "destinationType")
        return _DESTINATION_TYPES.get(str(raw_type), str(raw_type or ""))
    if kind_name == "data-source":
        return str(_first(details, "type") or "")
    return ""


def _identity(details: Details) -> str:
    raw = details.get("raw") or {}
    kind_name = details.get("kind")
    rows: list[tuple[str, str]] = [("ID", _e(details.get("id")))]
    type_label = _type_label(details)
    if type_label:
        rows.append(("Type", _e(type_label)))
    rows.append(("Status", _e(_first(details, "status") or "")))
    rows.append(("Data source", _data_source_html(details.get("data_source"))))
    is_folder = kind_name in ("trait-folder", "segment-folder")
    rows.append(("Path" if is_folder else "Folder", _folder_path_html(details)))
    code = _first(details, "integration_code", "integrationCode")
    if code:
        label = details.get("integration_code_label") or "Integration code"
        rows.append((str(label), f"<code>{_e(code)}</code>"))
    if kind_name == "trait":
        rows.append(("Expires after", _ttl(raw.get("ttl", details.get("ttl")))))
        event_type = _first(details, "event_type", "type")
        if isinstance(event_type, int):
            rows.append(("Event type", _e(event_type)))
        version = _first(details, "rule_version", "traitRuleVersion")
        if version is not None:
            rows.append(("Rule version", _e(version)))
    rows.append(("Algorithmic model", _ref_html("algo-model", details.get("algo_model"))))
    rows.append(("Description", _e(_first(details, "description") or "")))
    rows.append(("Created", _date(details.get("create_time_iso"), raw.get("createTime"))))
    rows.append(("Updated", _date(details.get("update_time_iso"), raw.get("updateTime"))))
    return _rows_table(rows)


def _ttl(ttl: object) -> str:
    if not isinstance(ttl, int):
        return ""
    return "never (TTL 0)" if ttl == 0 else f"{ttl:,} days"


def _data_source_html(data_source: object) -> str:
    return _ref_html("data-source", data_source)


def _folder_path_html(details: Details) -> str:
    path = details.get("folder_path") or []
    if not path:
        return ""
    folder_kind = {"trait": "trait-folder", "segment": "segment-folder",
                   "trait-folder": "trait-folder",
                   "segment-folder": "segment-folder"}.get(str(details.get("kind")), "")
    crumbs = []
    for folder in path:
        if folder.get("missing") or folder.get("name") is None:
            crumbs.append(f"{_e(folder.get('id'))} {_missing('not in this export')}")
        elif folder_kind:
            crumbs.append(_link(folder_kind, folder["id"], folder["name"]))
        else:
            crumbs.append(_e(folder["name"]))
    return ' <span class="muted">/</span> '.join(crumbs)


def _trait_rule_section(details: Details, theme: Theme) -> str:
    rule = _first(details, "rule", "traitRule")
    explained = details.get("trait_rule_explained")
    if not rule and not explained:
        return ""
    body = _code_block(highlight_trait_rule(str(rule), theme)) if rule else ""
    if explained:
        body += _para(f'{_muted("In plain words:")} {_e(explained)}', "plain")
    return _section("Trait expression", body)


def _segment_rule_section(details: Details, limit: int) -> str:
    rule = _first(details, "segment_rule", "rule", "segmentRule")
    if not rule:
        return ""
    references = details.get("rule_references") or []
    if len(references) <= limit:
        body = _code_block(_linked_segment_rule(str(rule), references))
    else:
        # Names inline cost three text fragments per reference; a rule with hundreds of
        # traits would take Qt over 100 ms to lay out. The table below names them instead.
        body = _code_block(_e(rule))
        note = _muted(f"This rule references {len(references):,} traits; the table below "
                      "names them.")
        if limit < LIST_LIMIT:
            note += f' &nbsp;<a href="{_e(EXPAND_LISTS_URL)}">show all</a>'
        body += _para(note)
    explained = details.get("segment_rule_explained")
    if explained:
        body += _para(f'{_muted("In plain words:")} {_e(explained)}', "plain")
    missing = [r for r in references if r.get("missing")]
    if missing:
        ids = ", ".join(f"{r['id']}T" for r in missing[:limit])
        more = f" and {len(missing) - limit:,} more" if len(missing) > limit else ""
        body += _para(_missing(
            f"{len(missing)} referenced trait(s) missing from export: {ids}{more}"))
    if references:
        body += _references_table(references, limit)
    return _section("Segment rule", body)


def _merge_rule_for_segment(details: Details) -> str:
    merge_rule = details.get("merge_rule")
    if not isinstance(merge_rule, Mapping) or merge_rule.get("id") is None:
        return ""
    rule_id = merge_rule["id"]
    if merge_rule.get("missing"):
        text = merge_rule.get("label") or f"unknown merge rule (ID: {rule_id})"
        return _section("Merge rule", _para(_missing(str(text))))
    label = merge_rule.get("label") or f"{merge_rule.get('name')} (ID: {rule_id})"
    rows = [("Rule", _link("merge-rule", rule_id, label))]
    rows += _merge_rule_option_rows(merge_rule)
    return _section("Merge rule", _rows_table(rows))


def _merge_rule_option_rows(merge_rule: Mapping[str, Any]) -> list[tuple[str, str]]:
    raw = merge_rule.get("raw") or {}

    def pick(*keys: str) -> Any:
        for key in keys:
            for source in (merge_rule, raw):
                if source.get(key) is not None:
                    return source[key]
        return None

    rows = [
        ("Cross-device option", _e(pick("cross_device_option", "crossDeviceOption") or "—")),
        ("Device option", _e(pick("device_option", "deviceOption") or "—")),
        ("Default rule", _yes_no(pick("is_default", "isDefault"))),
    ]
    if pick("external"):
        rows.append(("External", "yes (an AEP merge policy decides)"))
    ids = pick("cross_device_data_source_ids", "crossDeviceDataSourceIds")
    if ids:
        rows.append(("Cross-device data sources",
                     ", ".join(_link("data-source", i, f"Data source {i}") for i in ids)))
    controls = pick("data_export_controls", "dataExportControls")
    if controls:
        rows.append(("Data export controls", _e(", ".join(map(str, controls)))))
    return rows


def _destinations_for_segment(details: Details, limit: int) -> str:
    destinations = details.get("destinations")
    if not destinations:
        return ""
    shown, more = _limited(destinations, limit)
    rows = []
    for dest in shown:
        dest_id = dest.get("destination_id", dest.get("id"))
        name = dest.get("destination_name", dest.get("name")) or f"Destination {dest_id}"
        if dest.get("missing"):
            name_html = f"{_e(name)} {_missing('not in this export')}"
        else:
            name_html = _link("destination", dest_id, name)
        dest_type = dest.get("destination_type") or dest.get("type") or ""
        rows.append((name_html, _e(_DESTINATION_TYPES.get(str(dest_type), dest_type)),
                     _e(dest.get("start_date") or "—"), _e(dest.get("end_date") or "never"),
                     _e(dest.get("element_status") or dest.get("status") or "")))
    return _section("Destinations",
                    _grid(("Destination", "Type", "Start", "End", "Status"), rows) + more)


def _segments_list(title: str, segments: Sequence[Mapping[str, Any]], empty: str, *,
                   limit: int, total: int | None = None) -> str:
    """Clickable segments; ``total`` is the full count when the details list was capped."""
    if not segments:
        return _section(title, _para(_muted(empty)))
    shown, more = _limited(segments, limit, total)
    total = max(total or 0, len(segments))
    rows = [[_link("segment", seg["id"], seg["id"]),
             _link("segment", seg["id"], seg.get("name") or ""), _e(seg.get("status") or ""),
             _e(_usage_words(seg))] for seg in shown]
    table = _grid_dropping_empty_last(("ID", "Name", "Status", "Used as"), rows)
    return _section(f"{title} ({total:,})", table + more)


def _traits_list(traits: Sequence[Mapping[str, Any]], limit: int) -> str:
    if not traits:
        return _section("Traits using this model", _para(_muted("No trait uses this model.")))
    shown, more = _limited(traits, limit)
    rows = [(_link("trait", t["id"], t["id"]), _link("trait", t["id"], t.get("name") or ""))
            for t in shown]
    return _section(f"Traits using this model ({len(traits):,})",
                    _grid(("ID", "Name"), rows) + more)


def _usage_words(reference: Mapping[str, Any]) -> str:
    words = []
    if reference.get("in_frequency"):
        words.append("recency/frequency")
    if reference.get("negated"):
        words.append("excluded (NOT)")
    return ", ".join(words)


def population_metrics(raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Population figures in a raw record: {family label: {period: value}} (empty if none)."""
    table: dict[str, dict[str, Any]] = {}
    for key, value in raw.items():
        match = _METRIC_RE.match(key)
        if match and isinstance(value, int | float) and not isinstance(value, bool):
            family = _METRIC_FAMILIES[match.group("family")]
            table.setdefault(family, {})[match.group("period")] = value
    return table


def _period_order(period: str) -> tuple[int, int]:
    return (1, 0) if period == "Lifetime" else (0, int(period.removesuffix("Day")))


def _population_section(details: Details) -> str:
    metrics = population_metrics(details.get("raw") or {})
    if not metrics:
        return ""
    periods = sorted({p for family in metrics.values() for p in family}, key=_period_order)
    headers = ["", *(p.replace("Day", " days").replace("1 days", "1 day") for p in periods)]
    rows = [[f'<span class="muted">{_e(family)}</span>',
             *(_number(values.get(p, "")) for p in periods)]
            for family, values in metrics.items()]
    return _section("Population (from the export)", _grid(headers, rows))


def _sharing_section(details: Details) -> str:
    parts = [_aep_sharing(details), _target_sharing(details)]
    body = "".join(p for p in parts if p)
    return _section("Sharing", body) if body else ""


def _aep_sharing(details: Details) -> str:
    if not details.get("from_aep"):
        return ""
    kind_label = KINDS[details["kind"]].label.lower() if details.get("kind") in KINDS else "object"
    code = _first(details, "integration_code", "integrationCode")
    facts = [f"This {_e(kind_label)} was created by Adobe Experience Platform audience sharing."]
    if code:
        facts.append(f"Its integration code is the AEP segment ID <code>{_e(code)}</code>.")
    if details.get("kind") == "trait":
        facts.append("It qualifies on the signal <code>segid</code> that AEP sends.")
    elif details.get("kind") == "segment":
        facts.append("AEP merge policies, not AAM merge rules, decide its population.")
    facts.append("Change it in AEP, not in Audience Manager.")
    return _para(" ".join(facts))


_TARGET_BADGE = {"enabled": "Adobe Target: shared", "disabled": "Adobe Target: not shared",
                 "unknown": "Adobe Target: unknown", "not-via-destination": "Adobe Target"}


def _target_sharing(details: Details) -> str:
    """From explorer.analysis.sharing.target_sharing_for, added by the caller."""
    sharing = details.get("target_sharing")
    if not sharing:
        return ""
    label = _TARGET_BADGE.get(sharing.get("target"), "Adobe Target")
    notes = "".join(f"<li>{_e(n)}</li>" for n in sharing.get("notes") or [])
    return (_para(f"<b>{_e(label)}.</b> {_e(sharing.get('summary') or '')}")
            + (f"<ul>{notes}</ul>" if notes else ""))


def _data_source_sections(details: Details) -> str:
    raw = details.get("raw") or {}
    settings = details.get("settings") or {}

    def setting(key: str, raw_key: str) -> Any:
        return settings.get(key, raw.get(raw_key))

    id_type = setting("id_type", "idType")
    controls = setting("data_export_controls", "dataExportRestrictions")
    rows = [
        ("ID type", _e(_ID_TYPES.get(str(id_type), id_type or ""))),
        ("ID definition", _e(setting("sub_id_type", "subIdType") or "")),
        ("Data export controls", _e(", ".join(map(str, controls)) if controls else "none")),
        ("Unique trait integration codes",
         _yes_no(setting("unique_trait_integration_codes", "uniqueTraitIntegrationCodes"))),
        ("Unique segment integration codes",
         _yes_no(setting("unique_segment_integration_codes", "uniqueSegmentIntegrationCodes"))),
        ("Inbound S2S", _yes_no(setting("inbound_s2s", "inboundS2S"))),
        ("Outbound S2S", _yes_no(setting("outbound_s2s", "outboundS2S"))),
        ("Share enabled", _yes_no(setting("allow_data_sharing", "allowDataSharing"))),
        ("Authenticated profile",
         _yes_no(setting("use_as_authenticated_profile", "supportsAuthenticatedProfile"))),
        ("Device graph", _yes_no(setting("use_as_device_graph", "deviceGraph"))),
    ]
    html = _section("Settings", _rows_table(rows))
    html += _counts_section(details, "Where used", {
        "trait_count": "Traits in this data source",
        "segment_count": "Segments in this data source"})
    return html


def _counts_section(details: Details, title: str, labels: Mapping[str, str]) -> str:
    rows = [(label, _number(details[key])) for key, label in labels.items()
            if isinstance(details.get(key), int)]
    return _section(title, _rows_table(rows)) if rows else ""


def _merge_rule_sections(details: Details, limit: int) -> str:
    rows = _merge_rule_option_rows({**details, "raw": details.get("raw") or {}})
    html = _section("Options", _rows_table(rows))
    html += _segments_list("Segments using this merge rule",
                           details.get("segments_using") or [], "No segment uses this rule.",
                           limit=limit, total=details.get("segment_count"))
    return html


def _destination_sections(details: Details, limit: int) -> str:
    raw = details.get("raw") or {}
    rows = [
        ("Platform", _e(raw.get("devicePlatform") or "")),
        ("URL format", f"<code>{_e(raw['urlFormatString'])}</code>"
         if raw.get("urlFormatString") else ""),
        ("Cookie name", _e(_first(details, "cookie_name", "cookieName") or "")),
        ("Serialized", _yes_no(raw.get("serializationEnabled"))),
        ("Domain restrictions", _e(raw.get("domainRestrictions") or "")),
        ("Auto-fill mappings", _e(raw.get("mappingAutoFiller") or "")),
    ]
    labels = raw.get("dataExportLabels")
    if labels:
        rows.append(("Data export labels", _e(", ".join(map(str, labels)))))
    html = _section("Settings", _rows_table(rows))
    mappings = details.get("mappings") or []
    if mappings:
        shown, more = _limited(mappings, limit)
        table_rows = []
        for mapping in shown:
            seg_id = mapping.get("segment_id")
            seg_name = mapping.get("segment_name")
            if mapping.get("segment_missing") or (seg_id is not None and not seg_name):
                segment = f"{_e(seg_id)} {_missing()}"
            else:
                segment = _link("segment", seg_id, seg_name)
            table_rows.append((_link("segment", seg_id, seg_id) if seg_id else "", segment,
                               _e(mapping.get("start_date") or "—"),
                               _e(mapping.get("end_date") or "never"),
                               _e(mapping.get("element_status") or "")))
        html += _section(f"Mappings ({len(mappings):,})",
                         _grid(("ID", "Segment", "Start", "End", "Status"), table_rows) + more)
    else:
        html += _section("Mappings", _para(_muted("No segment is mapped to this destination.")))
    return html


def _folder_sections(details: Details) -> str:
    noun = "Traits" if details.get("kind") == "trait-folder" else "Segments"
    return _counts_section(details, "Contents", {
        "object_count": f"{noun} directly in this folder",
        "object_count_with_subfolders": f"{noun} including subfolders",
        "subfolder_count": "Subfolders",
    })


def _mapping_sections(details: Details) -> str:
    rows = [("Segment", _ref_html("segment", details.get("segment"))),
            ("Destination", _ref_html("destination", details.get("destination"))),
            ("Start", _e(_first(details, "start_date", "startDate") or "—")),
            ("End", _e(_first(details, "end_date", "endDate") or "never")),
            ("Alias", _e(_first(details, "trait_alias", "traitAlias") or ""))]
    return _section("Mapping", _rows_table(rows))


def _ref_html(kind: str, ref: object) -> str:
    """``{id, name | None, missing}`` as a link, or the id flagged as missing."""
    if not isinstance(ref, Mapping) or ref.get("id") is None:
        return ""
    if ref.get("missing") or not ref.get("name"):
        return f"{_e(ref['id'])} {_missing('not in this export')}"
    object_id = ref["id"]
    return f'{_link(kind, object_id, ref["name"])} {_muted(f"({object_id})")}'


def _changes_section(details: Details, theme: Theme) -> str:
    """"Changed since import N": each changed field's previous value beside its current one
    (rules as a word diff), and a move's old and new place. ``details["changes"]`` is
    ``{"since", "status", "fields": {FIELD: [OLD, NEW]}, "moved_from", "moved_to"}``."""
    changes = details.get("changes")
    if not isinstance(changes, Mapping):
        return ""
    since = str(changes.get("since") or "the previous import")
    if changes.get("status") == "added":
        return _section(f"New since {since}", _para(_muted("Not in the earlier import.")))
    rows = []
    for column, (old, new) in (changes.get("fields") or {}).items():
        if column == "rule":
            old_html, new_html = _rule_change_html(old, new, theme)
        else:
            old_html, new_html = _change_value(old), _change_value(new)
        rows.append((_e(field_label(column)), old_html, new_html))
    moved_from, moved_to = changes.get("moved_from"), changes.get("moved_to")
    if isinstance(moved_from, Mapping) and isinstance(moved_to, Mapping):
        rows.append(("Place", _e(describe_placement(dict(moved_from))),
                     _e(describe_placement(dict(moved_to)))))
    if not rows:
        return ""
    return _section(f"Changed since {since}", _grid(("Field", "Previous", "Current"), rows))


def _change_value(value: object) -> str:
    return _muted("(empty)") if value is None or value == "" else _e(value)


def _rule_change_html(old: object, new: object, theme: Theme) -> tuple[str, str]:
    """The old rule with removed words struck through, the new one with added words marked."""
    removed = f"color:{theme.error}; text-decoration:line-through; font-weight:600;"
    added = f"color:{theme.string}; font-weight:600;"
    old_parts, new_parts = [], []
    for op, text in rule_diff_parts(None if old is None else str(old),
                                    None if new is None else str(new)):
        if op in "=-":
            old_parts.append(_e(text) if op == "=" else _styled(removed, text))
        if op in "=+":
            new_parts.append(_e(text) if op == "=" else _styled(added, text))
    return (f"<code>{''.join(old_parts)}</code>" if old else _change_value(old),
            f"<code>{''.join(new_parts)}</code>" if new else _change_value(new))


def _styled(style: str, text: str) -> str:
    return f'<span style="{style}">{_e(text)}</span>'


def _findings_section(details: Details) -> str:
    findings = details.get("findings") or []
    if not findings:
        return ""
    items = []
    for finding in findings:
        severity = str(finding.get("severity") or "info")
        colour = _SEVERITY_COLOURS.get(severity.lower(), "#6E7781")
        check = finding.get("check_id") or ""
        accepted = " " + _muted("(accepted)") if finding.get("accepted") else ""
        items.append(f'<li><span style="color:{colour}; font-weight:600;">'
                     f"{_e(severity.upper())}</span> {_e(finding.get('message'))} "
                     f"{_muted(f'[{check}]') if check else ''}{accepted}</li>")
    return _section(f"Findings ({len(findings)})", f"<ul>{''.join(items)}</ul>")


def _annotation_section(details: Details) -> str:
    annotation = details.get("annotation")
    if not annotation:
        return ""
    tags = annotation.get("tags") or []
    if isinstance(tags, str):
        try:
            tags = json.loads(tags)
        except ValueError:
            tags = [tags]
    note = _e(annotation.get("note") or "").replace("\n", "<br>")
    rows = [("Review status", _e(annotation.get("status") or "")),
            ("Tags", _e(", ".join(map(str, tags)))),
            ("Note", note),
            ("Updated", _date(annotation.get("updated")))]
    return _section("Annotation", _rows_table(rows))


def _all_fields_section(raw: Mapping[str, Any], expanded: bool, toggle: bool) -> str:
    title = f"All fields ({len(raw)})"
    link = ""
    if toggle:
        word = "Hide" if expanded else "Show"
        link = f'&nbsp;&nbsp;<a class="toggle" href="{_e(TOGGLE_ALL_FIELDS_URL)}">{word}</a>'
    heading = _heading(f"{_e(title)}{link}")
    if not expanded:
        return heading
    rows = [(str(key), f'<span class="raw">{_e(_raw_value(value))}</span>')
            for key, value in raw.items()]
    cells = "".join(f'<tr><td class="label">{_e(k)}</td><td>{v}</td></tr>' for k, v in rows)
    return heading + f'<table class="fields" cellspacing="0" cellpadding="3">{cells}</table>'


def _raw_value(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Page


def stylesheet(theme: Theme = LIGHT) -> str:
    """CSS for the fragment (Qt rich-text subset: no variables, no flexbox)."""
    return f"""
body {{ color: {theme.text}; }}
h1 {{ font-size: x-large; font-weight: 600; margin-top: 0px; margin-bottom: 2px; }}
table.section {{ border-collapse: collapse; margin-top: 18px; margin-bottom: 5px; }}
table.section td {{ font-size: large; font-weight: 600; padding-bottom: 3px;
                    border-bottom: 1px solid {theme.rule_line}; }}
p {{ margin-top: 3px; margin-bottom: 3px; }}
p.meta {{ color: {theme.muted}; margin-bottom: 8px; }}
p.plain {{ margin-top: 6px; }}
a {{ color: {theme.link}; text-decoration: none; }}
a.toggle {{ font-size: small; font-weight: normal; }}
.muted {{ color: {theme.muted}; }}
.missing {{ color: {theme.missing}; font-weight: 600; }}
code {{ font-family: monospace; }}
pre {{ font-family: monospace; margin: 0px; white-space: pre-wrap; }}
table.code {{ background-color: {theme.code_background}; margin-top: 2px; }}
table.fields {{ margin-top: 6px; }}
table.fields td {{ vertical-align: top; }}
table.fields td.label {{ color: {theme.muted}; padding-right: 18px; white-space: nowrap; }}
table.grid {{ border-collapse: collapse; margin-top: 6px; }}
table.grid th {{ color: {theme.muted}; font-weight: 600; text-align: left;
                 padding-right: 14px; border-bottom: 1px solid {theme.rule_line}; }}
table.grid td {{ padding-right: 14px; vertical-align: top; }}
span.raw {{ font-family: monospace; }}
ul {{ margin-top: 2px; margin-bottom: 2px; -qt-list-indent: 1; }}
"""


def render_details_html(details: Details, *, all_fields_expanded: bool = False,
                        lists_expanded: bool = False, theme: Theme = LIGHT,
                        interactive: bool = True) -> str:
    """The whole inspector page for one object.

    ``interactive`` pages (the GUI) collapse "All fields" and long lists behind links; static
    ones (the report) show everything up to LIST_LIMIT rows per list.
    """
    kind_name = details.get("kind")
    limit = LIST_LIMIT if lists_expanded or not interactive else COLLAPSED_LIST_ROWS
    parts = [_header(details, theme), _identity(details), _changes_section(details, theme)]
    if kind_name == "trait":
        parts += [_trait_rule_section(details, theme),
                  _segments_list("Segments using this trait", details.get("segments_using") or [],
                                 "No segment uses this trait.", limit=limit,
                                 total=details.get("segment_count")),
                  _population_section(details), _sharing_section(details)]
    elif kind_name == "segment":
        parts += [_segment_rule_section(details, limit), _merge_rule_for_segment(details),
                  _destinations_for_segment(details, limit), _population_section(details),
                  _sharing_section(details)]
    elif kind_name == "data-source":
        parts.append(_data_source_sections(details))
    elif kind_name == "merge-rule":
        parts.append(_merge_rule_sections(details, limit))
    elif kind_name == "destination":
        parts += [_destination_sections(details, limit), _sharing_section(details)]
    elif kind_name in ("trait-folder", "segment-folder"):
        parts.append(_folder_sections(details))
    elif kind_name == "destination-mapping":
        parts.append(_mapping_sections(details))
    elif kind_name == "algo-model":
        parts.append(_traits_list(details.get("traits_using") or [], limit))
    parts += [_findings_section(details), _annotation_section(details)]
    raw = details.get("raw")
    if isinstance(raw, Mapping) and raw:
        parts.append(_all_fields_section(raw, all_fields_expanded or not interactive,
                                         interactive))
    return _page("".join(p for p in parts if p), theme)


def render_message_html(title: str, message: str = "", theme: Theme = LIGHT) -> str:
    """A page with one message (nothing selected, object not found)."""
    body = f'<p class="meta" style="font-size:large;">{_e(title)}</p>'
    if message:
        body += _para(_muted(message))
    return _page(body, theme)


def _page(body: str, theme: Theme) -> str:
    return (f"<html><head><style>{stylesheet(theme)}</style></head>"
            f"<body>{body}</body></html>")
