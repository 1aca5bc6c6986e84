"""Read-only queries over a workspace: one object's full details, and search-as-you-type.

Qt-free and plain ``sqlite3`` (every value parameterised), so the inspector, the CLI ``show``
and ``search`` commands and the report all read the same dictionaries.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from explorer.domain.explain import explain_segment_rule, explain_trait_rule
from explorer.domain.segment_rule import referenced_traits
from explorer.kinds import AEP_DATA_SOURCE_NAME, KINDS, TABLE_TO_KIND
from explorer.store.annotations import get_annotation
from explorer.store.names import lookup_name, names_by_id
from explorer.store.resolve import resolve_object
from explorer.store.search_index import (
    SEARCH_KIND_NUMBERS,
    has_text_copy,
    indexed_text,
    matching_objects,
)
from explorer.store.stored_records import in_display_order, stores_remainder

Details = dict[str, Any]

# How many rows a list inside the details may hold (merge rules can serve thousands).
SEGMENTS_USING_LIMIT = 200
# Folder chains are ≤5 deep in AAM; the cap only guards against a parent cycle in bad data.
_MAX_FOLDER_DEPTH = 64
_FOLDER_TABLES = {"trait-folder": "trait_folders", "segment-folder": "segment_folders"}


# ---------------------------------------------------------------------------------------------
# object_details


def object_details(conn: sqlite3.Connection, kind: str, object_id: int) -> Details | None:
    """Everything the inspector shows about one object, or None if the export lacks it.

    Always present: ``kind, id, name``, every typed column, ``raw`` (the source record),
    ``create_time_iso``/``update_time_iso`` where the kind has times, ``findings`` and
    ``annotation``. The rest depends on the kind (see the ``_KIND_DETAILS`` functions).
    """
    table = KINDS[kind].table
    row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (object_id,)).fetchone()
    if row is None:
        return None
    details = _base_details(kind, row)
    if stores_remainder(conn, table):  # a rebuilt record has the typed fields last
        details["raw"] = in_display_order(table, details["raw"])
    if "data_source_id" in row.keys():  # noqa: SIM118 (sqlite3.Row has no __contains__ on names)
        _add_data_source(conn, details, row["data_source_id"])
    extra = _KIND_DETAILS.get(kind)
    if extra is not None:
        extra(conn, row, details)
    details["findings"] = _findings(conn, kind, object_id)
    annotation = get_annotation(conn, kind, object_id)
    details["annotation"] = None if annotation is None else annotation.to_json()
    return details


def _base_details(kind: str, row: sqlite3.Row) -> Details:
    details: Details = {"kind": kind, "id": row["id"], "name": row["name"]}
    for column in row.keys():  # noqa: SIM118
        if column not in ("id", "name", "raw"):
            details[column] = row[column]
    details["raw"] = _json(row["raw"], {})
    for column in ("create_time", "update_time"):
        if column in details:
            details[f"{column}_iso"] = epoch_ms_to_iso(details[column])
    return details


def epoch_ms_to_iso(value: int | None) -> str | None:
    """AAM times are epoch milliseconds, UTC: ``1652592000000`` -> ``2022-05-15T05:20:00Z``."""
    if value is None:
        return None
    try:
        moment = datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _json(text: str | None, default: Any) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def _is_aep_name(name: str | None) -> bool:
    return name is not None and name.strip().lower() == AEP_DATA_SOURCE_NAME.lower()


def _add_data_source(conn: sqlite3.Connection, details: Details,
                     data_source_id: int | None) -> None:
    if data_source_id is None:
        details["data_source"] = None
        details["from_aep"] = False
    else:
        details["data_source"] = _ref(conn, "data-source", data_source_id)
        details["from_aep"] = _is_aep_name(details["data_source"]["name"])
    if "integration_code" in details:
        # AEP audience sharing stores the AEP segment ID in the integration code.
        details["integration_code_label"] = (
            "AEP segment ID" if details["from_aep"] else "Integration code"
        )


def _folder_path(conn: sqlite3.Connection, table: str, folder_id: int | None
                 ) -> list[dict[str, Any]]:
    """Folders from the top level down to ``folder_id`` inclusive, as ``{id, name}``.

    A folder the export lacks ends the walk with ``{id, name: None, missing: True}``.
    """
    path: list[dict[str, Any]] = []
    seen: set[int] = set()
    current = folder_id
    while current is not None and current != 0 and current not in seen:
        if len(seen) >= _MAX_FOLDER_DEPTH:
            break
        seen.add(current)
        row = conn.execute(f"SELECT name, parent_id FROM {table} WHERE id = ?",
                           (current,)).fetchone()
        if row is None:
            path.append({"id": current, "name": None, "missing": True})
            break
        path.append({"id": current, "name": row["name"]})
        current = row["parent_id"]
    path.reverse()
    return path


def _findings(conn: sqlite3.Connection, kind: str, object_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT f.check_id, f.severity, f.message, f.detail, a.reason AS accepted_reason, "
        "a.check_id IS NOT NULL AS accepted "
        "FROM findings f LEFT JOIN finding_acceptances a ON a.check_id = f.check_id "
        "AND a.object_kind = f.object_kind AND a.object_id = f.object_id "
        "WHERE f.object_kind = ? AND f.object_id = ? ORDER BY f.rowid",
        (kind, object_id),
    ).fetchall()
    return [
        {"check_id": r["check_id"], "severity": r["severity"], "message": r["message"],
         "detail": _json(r["detail"], {}), "accepted": bool(r["accepted"]),
         "accepted_reason": r["accepted_reason"]}
        for r in rows
    ]


# -- per kind ---------------------------------------------------------------------------------


def _trait_details(conn: sqlite3.Connection, row: sqlite3.Row, details: Details) -> None:
    details["folder_path"] = _folder_path(conn, "trait_folders", row["folder_id"])
    details["trait_rule"] = row["rule"]
    details["trait_rule_explained"] = explain_trait_rule(row["rule"])
    # A popular trait can sit in tens of thousands of rules: count them all, list the first few.
    details["segment_count"] = conn.execute(
        "SELECT count(*) FROM segment_traits WHERE trait_id = ?", (row["id"],)
    ).fetchone()[0]
    details["segments_using"] = [
        {"id": r["id"], "name": r["name"], "status": r["status"],
         "in_frequency": bool(r["in_frequency"]), "negated": bool(r["negated"])}
        for r in conn.execute(
            "SELECT s.id, s.name, s.status, st.in_frequency, st.negated "
            "FROM segment_traits st JOIN segments s ON s.id = st.segment_id "
            "WHERE st.trait_id = ? ORDER BY s.id LIMIT ?",
            (row["id"], SEGMENTS_USING_LIMIT),
        )
    ]
    if row["algo_model_id"] is not None:
        details["algo_model"] = _ref(conn, "algo-model", row["algo_model_id"])


def _segment_details(conn: sqlite3.Connection, row: sqlite3.Row, details: Details) -> None:
    details["folder_path"] = _folder_path(conn, "segment_folders", row["folder_id"])
    rule = row["rule"]
    refs = referenced_traits(rule)
    facts = _trait_facts(conn, [r.trait_id for r in refs])
    names = {trait_id: fact["name"] for trait_id, fact in facts.items()}
    details["segment_rule"] = rule
    details["rule_references"] = [
        {"id": r.trait_id, "name": names.get(r.trait_id), "missing": r.trait_id not in names,
         "in_frequency": r.in_frequency, "negated": r.negated,
         **facts.get(r.trait_id, _NO_TRAIT_FACTS)}
        for r in refs
    ]
    details["segment_rule_explained"] = explain_segment_rule(rule, names)
    details["merge_rule"] = _merge_rule(conn, row["merge_rule_id"])
    details["export_date"] = latest_export_date(conn)
    details["destinations"] = [
        {"mapping_id": r["id"], "destination_id": r["destination_id"],
         "destination_name": r["destination_name"], "destination_type": r["destination_type"],
         "missing": r["known"] is None, "segment_status": row["status"],
         "start_date": r["start_date"], "end_date": r["end_date"],
         "element_status": r["element_status"], "trait_alias": r["trait_alias"]}
        for r in conn.execute(
            "SELECT m.id, m.destination_id, d.name AS destination_name, d.destination_type, "
            "d.id AS known, m.start_date, m.end_date, m.element_status, m.trait_alias "
            "FROM destination_mappings m LEFT JOIN destinations d ON d.id = m.destination_id "
            "WHERE m.segment_id = ? ORDER BY m.destination_id, m.id",
            (row["id"],),
        )
    ]


_NO_TRAIT_FACTS = {"status": None, "trait_type": None, "ttl": None, "uniques_30_day": None}


def _trait_facts(conn: sqlite3.Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    """What the rule's display says of each referenced trait the export holds: name, status,
    type, TTL and the 30-day uniques (None when the export has no such figure)."""
    if not ids:
        return {}
    rows = conn.execute(
        "SELECT id, name, status, trait_type, ttl, "
        "CASE WHEN json_valid(raw) THEN json_extract(raw, '$.uniques30Day') END "
        "AS uniques_30_day "
        "FROM traits WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    )
    return {r["id"]: {"name": r["name"], "status": r["status"], "trait_type": r["trait_type"],
                      "ttl": r["ttl"], "uniques_30_day": r["uniques_30_day"]}
            for r in rows}


def _merge_rule(conn: sqlite3.Connection, merge_rule_id: int | None) -> dict[str, Any] | None:
    if merge_rule_id is None:
        return None
    row = conn.execute("SELECT * FROM merge_rules WHERE id = ?", (merge_rule_id,)).fetchone()
    if row is None:
        return {"id": merge_rule_id, "name": None, "missing": True,
                "label": f"unknown merge rule (ID: {merge_rule_id})"}
    raw = _json(row["raw"], {})
    source_ids = raw.get("crossDeviceDataSourceIds") or []
    return {
        "id": row["id"], "name": row["name"], "is_default": bool(row["is_default"]),
        "cross_device_option": row["cross_device_option"],
        "cross_device_data_source_ids": source_ids,
        "cross_device_data_sources": _data_source_names(conn, source_ids),
        "device_option": row["device_option"],
        "data_export_controls": raw.get("dataExportControls") or [],
        "external": bool(row["external"]),
    }


def _data_source_names(conn: sqlite3.Connection, ids: list[Any]) -> list[dict[str, Any]]:
    """[{id, name}] in the given order; name None for a data source not in the export."""
    wanted = [i for i in ids if isinstance(i, int) and not isinstance(i, bool)]
    names = names_by_id(conn, "data-source", wanted)
    return [{"id": i, "name": names.get(i) if isinstance(i, int) else None} for i in ids]


def _data_source_details(conn: sqlite3.Connection, row: sqlite3.Row, details: Details) -> None:
    details["from_aep"] = _is_aep_name(row["name"])
    details["integration_code_label"] = "Integration code"
    for key, table in (("trait_count", "traits"), ("segment_count", "segments")):
        details[key] = conn.execute(
            f"SELECT count(*) FROM {table} WHERE data_source_id = ?", (row["id"],)
        ).fetchone()[0]
    raw = details["raw"]
    details["settings"] = {
        "id_type": row["id_type"],
        "sub_id_type": raw.get("subIdType"),
        "data_export_controls": raw.get("dataExportRestrictions") or [],
        "unique_trait_integration_codes": _bool_or_none(row["unique_trait_ics"]),
        "unique_segment_integration_codes": _bool_or_none(row["unique_segment_ics"]),
        "inbound_s2s": raw.get("inboundS2S"),
        "outbound_s2s": raw.get("outboundS2S"),
        "allow_data_sharing": raw.get("allowDataSharing"),
        "use_as_authenticated_profile": raw.get("supportsAuthenticatedProfile"),
        "use_as_device_graph": raw.get("deviceGraph"),
    }


def _bool_or_none(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _folder_details(conn: sqlite3.Connection, row: sqlite3.Row, details: Details,
                    kind: str) -> None:
    table = _FOLDER_TABLES[kind]
    objects = "traits" if kind == "trait-folder" else "segments"
    details["folder_path"] = _folder_path(conn, table, row["id"])
    details["subfolder_count"] = conn.execute(
        f"SELECT count(*) FROM {table} WHERE parent_id = ?", (row["id"],)
    ).fetchone()[0]
    details["object_count"] = conn.execute(
        f"SELECT count(*) FROM {objects} WHERE folder_id = ?", (row["id"],)
    ).fetchone()[0]
    details["object_count_with_subfolders"] = conn.execute(
        f"WITH RECURSIVE tree(id) AS (SELECT ? UNION SELECT f.id FROM {table} f "
        f"JOIN tree ON f.parent_id = tree.id) "
        f"SELECT count(*) FROM {objects} WHERE folder_id IN (SELECT id FROM tree)",
        (row["id"],),
    ).fetchone()[0]


def _merge_rule_details(conn: sqlite3.Connection, row: sqlite3.Row, details: Details) -> None:
    rule = _merge_rule(conn, row["id"]) or {}
    details["cross_device_data_source_ids"] = rule.get("cross_device_data_source_ids", [])
    details["cross_device_data_sources"] = rule.get("cross_device_data_sources", [])
    details["data_export_controls"] = rule.get("data_export_controls", [])
    details["segment_count"] = conn.execute(
        "SELECT count(*) FROM segments WHERE merge_rule_id = ?", (row["id"],)
    ).fetchone()[0]
    details["segments_using"] = [
        {"id": r["id"], "name": r["name"], "status": r["status"]}
        for r in conn.execute(
            "SELECT id, name, status FROM segments WHERE merge_rule_id = ? ORDER BY id LIMIT ?",
            (row["id"], SEGMENTS_USING_LIMIT),
        )
    ]


def latest_export_date(conn: sqlite3.Connection) -> str | None:
    """The day (``YYYY-MM-DD``) the latest export that names one was taken, or None: the day
    mapping states, findings and the lineage are taken at."""
    found = conn.execute("SELECT export_date FROM imports WHERE export_date IS NOT NULL "
                         "ORDER BY id DESC LIMIT 1").fetchone()
    return str(found[0])[:10] if found and found[0] else None


def _mapping_target(raw: dict[str, Any]) -> dict[str, Any]:
    """Where a mapping sends its segment: the URL (URL destinations) or the key/value alias
    (cookie and server-to-server destinations), as the export writes them."""
    return {"url": raw.get("url") or None, "secure_url": raw.get("secureUrl") or None,
            "value_alias": raw.get("valueAlias") or None}


def _destination_details(conn: sqlite3.Connection, row: sqlite3.Row, details: Details) -> None:
    details["export_date"] = latest_export_date(conn)
    details["mappings"] = [
        {"mapping_id": r["id"], "segment_id": r["segment_id"], "segment_name": r["segment_name"],
         "segment_missing": r["known"] is None, "segment_status": r["segment_status"],
         "element_status": r["element_status"], "start_date": r["start_date"],
         "end_date": r["end_date"], "trait_alias": r["trait_alias"],
         **_mapping_target(_json(r["raw"], {}))}
        for r in conn.execute(
            "SELECT m.id, m.segment_id, s.name AS segment_name, s.id AS known, "
            "s.status AS segment_status, m.element_status, m.start_date, m.end_date, "
            "m.trait_alias, m.raw "
            "FROM destination_mappings m LEFT JOIN segments s ON s.id = m.segment_id "
            "WHERE m.destination_id = ? ORDER BY m.segment_id, m.id",
            (row["id"],),
        )
    ]


def _mapping_details(conn: sqlite3.Connection, row: sqlite3.Row, details: Details) -> None:
    details["segment"] = _ref(conn, "segment", row["segment_id"])
    details["destination"] = _ref(conn, "destination", row["destination_id"])
    destination = conn.execute("SELECT destination_type FROM destinations WHERE id = ?",
                               (row["destination_id"],)).fetchone()
    if destination is not None and details["destination"] is not None:
        details["destination"]["destination_type"] = destination["destination_type"]
    segment = conn.execute("SELECT status FROM segments WHERE id = ?",
                           (row["segment_id"],)).fetchone()
    details["segment_status"] = None if segment is None else segment["status"]
    details["export_date"] = latest_export_date(conn)
    details.update(_mapping_target(details["raw"]))


def _algo_model_details(conn: sqlite3.Connection, row: sqlite3.Row, details: Details) -> None:
    raw = details["raw"]
    baseline_id = raw.get("sid")
    if isinstance(baseline_id, int) and not isinstance(baseline_id, bool):
        # The baseline is a trait or a segment (baselineTraitType says which, not always in
        # words: older models write a number); traits and segments share one ID space.
        for kind, table in (("trait", "traits"), ("segment", "segments")):
            found = conn.execute(f"SELECT name FROM {table} WHERE id = ?",
                                 (baseline_id,)).fetchone()
            if found is not None:
                details["baseline"] = {"kind": kind, "id": baseline_id, "name": found["name"]}
                break
        else:
            details["baseline"] = {"kind": None, "id": baseline_id, "name": None, "missing": True}
    details["model_data_sources"] = _data_source_names(conn, list(raw.get("dataSources") or []))
    details["traits_using"] = [
        {"id": r["id"], "name": r["name"]}
        for r in conn.execute(
            "SELECT id, name FROM traits WHERE algo_model_id = ? ORDER BY id", (row["id"],)
        )
    ]


# A trait rule tests a key where the key stands as a word before an operator (c_category ==).
_RULE_KEY_RE = (r"(?<![\w.]){key}\s*(?:==|!=|>=|<=|=>|>|<|"
                r"contains\b|matcheswords\b|startswith\b|endswith\b|matchesregex\b)")


def _like_escaped(text: str) -> str:
    """``text`` with LIKE's wildcards escaped (for ``LIKE ? ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def traits_testing_key(conn: sqlite3.Connection, key: str, limit: int = SEGMENTS_USING_LIMIT
                       ) -> list[dict[str, Any]]:
    """Rule-based traits whose rule tests ``key`` (a derived signal's target key), by id."""
    if not key:
        return []
    pattern = re.compile(_RULE_KEY_RE.format(key=re.escape(key)), re.IGNORECASE)
    escaped = _like_escaped(key)
    found = []
    for r in conn.execute("SELECT id, name, rule, status FROM traits "
                          "WHERE rule LIKE ? ESCAPE '\\' ORDER BY id", (f"%{escaped}%",)):
        if pattern.search(r["rule"] or ""):
            found.append({"id": r["id"], "name": r["name"], "status": r["status"],
                          "rule": r["rule"]})
            if len(found) >= limit:
                break
    return found


def _derived_signal_details(conn: sqlite3.Connection, row: sqlite3.Row,
                            details: Details) -> None:
    details["traits_testing_target"] = traits_testing_key(conn, row["target_key"] or "")


def _ref(conn: sqlite3.Connection, kind: str, object_id: int | None) -> dict[str, Any] | None:
    """``{id, name}`` of a referenced object, ``missing`` when the export lacks it."""
    if object_id is None:
        return None
    exists, name = lookup_name(conn, kind, object_id)
    if not exists:
        return {"id": object_id, "name": None, "missing": True}
    return {"id": object_id, "name": name}


_KIND_DETAILS: dict[str, Callable[[sqlite3.Connection, sqlite3.Row, Details], None]] = {
    "trait": _trait_details,
    "segment": _segment_details,
    "data-source": _data_source_details,
    "trait-folder": lambda c, r, d: _folder_details(c, r, d, "trait-folder"),
    "segment-folder": lambda c, r, d: _folder_details(c, r, d, "segment-folder"),
    "merge-rule": _merge_rule_details,
    "destination": _destination_details,
    "destination-mapping": _mapping_details,
    "algo-model": _algo_model_details,
    "derived-signal": _derived_signal_details,
}


# ---------------------------------------------------------------------------------------------
# search

# Words as FTS5's unicode61 tokenizer sees them; everything else (quotes, *, ^, :, parens,
# -, +) is FTS syntax and is dropped so user input can never raise an FTS syntax error.
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def fts_prefix_query(query: str, column: str | None = None) -> str | None:
    """``phone gold`` -> ``"phone"* "gold"*`` (implicit AND); None when nothing is left.

    With ``column``, every term is restricted to that column (``{ident} : "123"*``).
    """
    words = _WORD_RE.findall(query)
    if not words:
        return None
    terms = " ".join(f'"{word}"*' for word in words)
    return f"{{{column}}} : ({terms})" if column else terms


def search(conn: sqlite3.Connection, query: str, limit: int = 50, *,
           trait_types: bool = False, kinds: Iterable[str] | None = None,
           matches: bool = False, indexed: bool = False) -> list[dict[str, Any]]:
    """Objects whose indexed text has every query word as a prefix, unranked, at most ``limit``.

    ``trait_types=True`` adds ``trait_type`` to trait hits (the window's icons need it; the
    CLI's JSON keeps its three keys). ``kinds`` keeps only hits of those KIND words.
    ``matches=True`` adds what matched: ``field`` (its label, e.g. "Integration code"),
    ``text`` (that field's text, shortened around the match) and ``spans`` (``[start, end)``
    of each matched word in ``text``). ``indexed=True`` instead keeps ``indexed`` (the hit's
    indexed text, or None) for ``match_of_hit`` later: a window marks only the hits it shows.

    Order: objects whose id equals a numeric query; then, for an all-numeric query, objects
    whose id starts with it (before rules and codes that merely contain the number); then
    every other match as the index yields it.
    """
    if limit <= 0:
        return []
    wanted = None if kinds is None else frozenset(kinds)
    results: dict[tuple[str, int], dict[str, Any]] = {}
    stripped = query.strip()
    if stripped.isdigit():
        for found in resolve_object(conn, int(stripped)):
            if wanted is None or found.kind in wanted:
                results.setdefault((found.kind, found.id),
                                   {"kind": found.kind, "id": found.id, "name": found.name})
    words = _WORD_RE.findall(query)
    passes = [fts_prefix_query(query)]
    if words and all(word.isdigit() for word in words):
        passes.insert(0, fts_prefix_query(query, column="ident"))
    text_copy = has_text_copy(conn)
    for match in passes:
        if match is None or len(results) >= limit:
            continue
        if text_copy:
            _collect_from_copy(conn, match, limit + len(results), results, wanted)
        else:
            matched = matching_objects(conn, match, limit + len(results), wanted)
            _add_objects(conn, matched, limit, results)
    if len(results) < limit and _CJK_RE.search(stripped):
        if text_copy:
            _collect_cjk_from_copy(conn, stripped, limit, results, wanted)
        else:
            _collect_cjk_substrings(conn, stripped, limit, results, wanted)
    hits = list(results.values())[:limit]
    for hit in hits:
        fields = hit.pop("_fields", None)
        if matches:
            hit.update(match_of_hit(fields, hit["id"], hit.get("name") or "", stripped))
        elif indexed:
            hit["indexed"] = fields
    if trait_types:
        _add_trait_types(conn, hits)
    return hits


# The search index's columns, in the order a match is reported from, with their labels.
SEARCH_FIELDS: dict[str, str] = {"name": "Name", "ident": "ID", "integration_code":
                                 "Integration code", "description": "Description",
                                 "rule": "Rule"}
_MATCH_CONTEXT = 60  # characters of a long field shown around its match


def match_of_hit(indexed: dict[str, str] | None, object_id: int, name: str, query: str
                 ) -> dict[str, Any]:
    """``match_in_fields`` of a search hit: its indexed text, else its id and name."""
    return match_in_fields(indexed or {"ident": str(object_id), "name": name}, query.strip())


def match_in_fields(fields: dict[str, str], query: str) -> dict[str, Any]:
    """Which field a query matched and where: ``{"field", "text", "spans"}``.

    A word matches where it starts a word of the field (as the prefix search does), ignoring
    case; the first field (in SEARCH_FIELDS order) with the most query words matched wins.
    CJK words match anywhere. No match (an id hit, say) reports the name without spans.
    """
    patterns, any_word = _word_patterns(query)
    flat = {column: " ".join((fields.get(column) or "").split()) for column in SEARCH_FIELDS}
    best: tuple[int, str, list[tuple[int, int]]] | None = None
    for column in SEARCH_FIELDS:
        text = flat[column]
        spans = _word_spans(text, patterns) if any_word.search(text) else []
        found = len({text[a:b].casefold() for a, b in spans})
        if spans and (best is None or found > best[0]):
            best = (found, column, spans)
    if best is None:
        return {"field": SEARCH_FIELDS["name"], "text": fields.get("name") or "", "spans": []}
    _found, column, spans = best
    text, spans = _around(flat[column], spans)
    return {"field": SEARCH_FIELDS[column], "text": text, "spans": spans}


@lru_cache(maxsize=32)
def _word_patterns(query: str) -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str]]:
    """Each query word's pattern, and one matching any of them: a search marks the matches
    of ~200 hits, so the patterns are compiled once and most fields are passed over at once."""
    sources = [("" if _CJK_RE.search(word) else r"(?<!\w)") + re.escape(word)
               for word in _WORD_RE.findall(query)]
    patterns = tuple(re.compile(source, re.IGNORECASE) for source in sources)
    # With no word, (?!) matches nothing.
    return patterns, re.compile("|".join(sources) or "(?!)", re.IGNORECASE)


def _word_spans(text: str, patterns: tuple[re.Pattern[str], ...]) -> list[tuple[int, int]]:
    spans = []
    for pattern in patterns:
        spans += [m.span() for m in pattern.finditer(text)]
    return sorted(set(spans))


def _around(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """A long text cut to the context of its first match, with "…" where it was cut."""
    if len(text) <= 2 * _MATCH_CONTEXT or not spans:
        return text, spans
    start = max(0, spans[0][0] - _MATCH_CONTEXT // 2)
    end = min(len(text), start + 2 * _MATCH_CONTEXT)
    head = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    shift = len(head) - start
    kept = [(a + shift, b + shift) for a, b in spans if a >= start and b <= end]
    return f"{head}{text[start:end]}{tail}", kept


# Chinese, Japanese and Korean scripts: the FTS tokenizer keeps a run of them as one word, so
# "ユーザー" would only match names that *start* with it. Such queries also match inside names.
_CJK_RE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _name_contains(words: list[str]) -> tuple[str, list[str]]:
    """SQL ``name LIKE`` conditions for every word (LIKE wildcards escaped), and their values."""
    where = " AND ".join("name LIKE ? ESCAPE '\\'" for _ in words)
    return where, [f"%{_like_escaped(w)}%" for w in words]


def _collect_cjk_substrings(conn: sqlite3.Connection, query: str, limit: int,
                            results: dict[tuple[str, int], dict[str, Any]],
                            wanted: frozenset[str] | None = None) -> None:
    """Names containing every query word (a scan of the tables' names, only for CJK queries,
    which are rare and short), in the index's order: kind by kind, then by id."""
    where, values = _name_contains([w for w in query.split() if w])
    selects: list[str] = []
    params: list[Any] = []
    for kind, number in SEARCH_KIND_NUMBERS.items():
        if wanted is None or kind in wanted:
            selects.append(f"SELECT {number:d} AS kind_number, id FROM {KINDS[kind].table} "
                           f"WHERE {where}")
            params += values
    if not selects:
        return
    numbers = {number: kind for kind, number in SEARCH_KIND_NUMBERS.items()}
    rows = conn.execute(f"{' UNION ALL '.join(selects)} ORDER BY kind_number, id LIMIT ?",
                        [*params, limit + len(results)])
    _add_objects(conn, [(numbers[row[0]], int(row[1])) for row in rows], limit, results)


def _collect_cjk_from_copy(conn: sqlite3.Connection, query: str, limit: int,
                           results: dict[tuple[str, int], dict[str, Any]],
                           wanted: frozenset[str] | None = None) -> None:
    """``_collect_cjk_substrings`` over an index that holds a copy of the text (before v7)."""
    where, values = _name_contains([w for w in query.split() if w])
    if wanted is not None:
        stored = _stored_kinds(wanted)
        where += f" AND kind IN ({', '.join('?' * len(stored))})"
        values += stored
    rows = conn.execute(
        f"SELECT kind, object_id, {_INDEXED} FROM search_index WHERE {where} LIMIT ?",
        [*values, limit + len(results)])
    _add_rows(rows, limit, results, wanted)


def _add_trait_types(conn: sqlite3.Connection, hits: list[dict[str, Any]]) -> None:
    """Give trait hits their ``trait_type`` (the icon needs it): one primary-key lookup."""
    traits = {hit["id"]: hit for hit in hits if hit["kind"] == "trait"}
    if not traits:
        return
    marks = ", ".join("?" for _ in traits)
    rows = conn.execute(f"SELECT id, trait_type FROM traits WHERE id IN ({marks})",
                        list(traits))
    for row in rows:
        traits[int(row[0])]["trait_type"] = row[1]


_INDEXED = ", ".join(SEARCH_FIELDS)


def _add_objects(conn: sqlite3.Connection, found: list[tuple[str, int]], limit: int,
                 results: dict[tuple[str, int], dict[str, Any]]) -> None:
    """Add the found objects, in order, with their indexed text read from their tables."""
    texts = indexed_text(conn, [ref for ref in found if ref not in results])
    for kind, object_id in found:
        fields = texts.get((kind, object_id))
        if fields is not None:  # an object its table no longer holds is not shown
            results.setdefault((kind, object_id), {"kind": kind, "id": object_id,
                                                   "name": fields["name"], "_fields": fields})
        if len(results) >= limit:
            return


def _collect_from_copy(conn: sqlite3.Connection, match: str, limit: int,
                       results: dict[tuple[str, int], dict[str, Any]],
                       wanted: frozenset[str] | None = None) -> None:
    """The matches of an index that holds a copy of the text (workspaces before v7)."""
    sql = f"SELECT kind, object_id, {_INDEXED} FROM search_index WHERE search_index MATCH ?"
    params: list[Any] = [match]
    if wanted is not None:
        stored = _stored_kinds(wanted)
        sql += f" AND kind IN ({', '.join('?' * len(stored))})"
        params += stored
    _add_rows(conn.execute(f"{sql} LIMIT ?", [*params, limit]), limit, results, wanted)


def _stored_kinds(wanted: frozenset[str]) -> list[str]:
    """How an index with a copy of the text names ``wanted`` kinds: KIND words, or (older
    ones, read through TABLE_TO_KIND) table names."""
    return sorted({*wanted, *(KINDS[k].table for k in wanted if k in KINDS)})


def _add_rows(rows: Iterable[sqlite3.Row], limit: int,
              results: dict[tuple[str, int], dict[str, Any]],
              wanted: frozenset[str] | None) -> None:
    for row in rows:
        kind = TABLE_TO_KIND.get(row[0], row[0])
        if wanted is not None and kind not in wanted:
            continue
        object_id = int(row[1])
        fields = {column: str(row[column] or "") for column in SEARCH_FIELDS}
        results.setdefault((kind, object_id), {"kind": kind, "id": object_id,
                                               "name": fields["name"], "_fields": fields})
        if len(results) >= limit:
            return
