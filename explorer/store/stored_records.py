"""How a configuration record is stored without keeping twice what the typed columns hold.

Each AAM kind's rows live in ``<table>_stored``: the typed columns, ``raw_rest`` (the source
record as compact JSON, minus the fields a typed column holds exactly) and ``raw_omitted`` (a
bit per such field: which ones were left out). The view ``<table>`` (the name the table had
up to schema v6) has the same columns as before, ``raw`` being the whole record again: the
remainder with each left-out field put back from its typed column under its export key.

A field is left out only when its typed column gives back the identical JSON value under the
same key: a string for a string (SQLite's JSON functions keep a NUL inside it), an integer
for an integer (never a bool, a float or a numeric string), never an explicit null.
Everything else, and every key no typed column holds, stays in ``raw_rest`` exactly as the
export had it, so nothing is lost.

The rebuilt record has the remainder's keys first (in the export's order), then the
left-out fields in the order of ``EXPORT_KEYS``; ``in_display_order`` puts those first.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter
from types import NoneType
from typing import Any

from explorer.store.config_tables import CONFIG_TABLES

STORED_SUFFIX = "_stored"
REST_COLUMN = "raw_rest"
OMITTED_COLUMN = "raw_omitted"

# table -> (typed column, the export key it holds verbatim), in AAM's field order; a field's
# bit in ``raw_omitted`` is 1 << its position here. Columns the importer derives or
# normalises (a folder's parent 0 -> NULL, its depth, flags stored as 0/1, a mapping's or a
# signal's made-up name) are not listed: their fields always stay in the remainder.
EXPORT_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "data_sources": (
        ("id", "dataSourceId"), ("pid", "pid"), ("name", "name"), ("description", "description"),
        ("integration_code", "integrationCode"), ("status", "status"), ("type", "type"),
        ("id_type", "idType"), ("create_time", "createTime"), ("update_time", "updateTime")),
    "trait_folders": (
        ("id", "folderId"), ("pid", "pid"), ("name", "name"), ("path", "path")),
    "segment_folders": (
        ("id", "folderId"), ("pid", "pid"), ("name", "name"), ("path", "path")),
    "merge_rules": (
        ("id", "mergeRuleDataSourceId"), ("name", "name"),
        ("cross_device_option", "crossDeviceOption"), ("device_option", "deviceOption")),
    "algo_models": (
        ("id", "algoModelId"), ("pid", "pid"), ("name", "name"), ("description", "description"),
        ("status", "status")),
    "traits": (
        ("id", "sid"), ("pid", "pid"), ("name", "name"), ("description", "description"),
        ("integration_code", "integrationCode"), ("trait_type", "traitType"),
        ("event_type", "type"), ("data_source_id", "dataSourceId"), ("folder_id", "folderId"),
        ("ttl", "ttl"), ("status", "status"), ("create_time", "createTime"),
        ("update_time", "updateTime"), ("rule", "traitRule"),
        ("rule_version", "traitRuleVersion"), ("algo_model_id", "algoModelId")),
    "segments": (
        ("id", "sid"), ("pid", "pid"), ("name", "name"), ("description", "description"),
        ("integration_code", "integrationCode"), ("data_source_id", "dataSourceId"),
        ("merge_rule_id", "mergeRuleDataSourceId"), ("folder_id", "folderId"),
        ("rule", "segmentRule"), ("status", "status"), ("create_time", "createTime"),
        ("update_time", "updateTime")),
    "destinations": (
        ("id", "destinationId"), ("pid", "pid"), ("name", "name"),
        ("description", "description"), ("destination_type", "destinationType"),
        ("data_source_id", "dataSourceId"), ("status", "status"),
        ("create_time", "createTime"), ("update_time", "updateTime"),
        ("cookie_name", "cookieName")),
    "destination_mappings": (
        ("id", "destinationMappingId"), ("destination_id", "destinationId"),
        ("segment_id", "sid"), ("trait_type", "traitType"), ("name", "elementName"),
        ("element_status", "elementStatus"), ("start_date", "startDate"),
        ("end_date", "endDate"), ("trait_alias", "traitAlias"),
        ("create_time", "createTime"), ("update_time", "updateTime")),
    "derived_signals": (
        ("id", "derivedSignalId"), ("pid", "pid"), ("source_key", "sourceKey"),
        ("source_value", "sourceValue"), ("target_key", "targetKey"),
        ("target_value", "targetValue"), ("integration_code", "integrationCode"),
        ("create_time", "createTime"), ("update_time", "updateTime")),
}

def stored_table(table: str) -> str:
    """The physical table behind the view ``table``."""
    return table + STORED_SUFFIX


def typed_columns(table: str) -> list[str]:
    """The typed columns of ``table``, in order (every column but ``raw``)."""
    return [c for c in CONFIG_TABLES[table][0] if c != "raw"]


def stored_columns(table: str) -> list[str]:
    return [*typed_columns(table), REST_COLUMN, OMITTED_COLUMN]


class _SplitPlan:
    """One table's typed fields held under export keys, laid out for ``split_record``."""

    def __init__(self, table: str) -> None:
        positions = [typed_columns(table).index(column) for column, _key in EXPORT_KEYS[table]]
        self.keys = tuple(key for _column, key in EXPORT_KEYS[table])
        self.held: Callable[[Sequence[Any]], tuple[Any, ...]] = (
            itemgetter(*positions) if len(positions) > 1
            else lambda row: (row[positions[0]],))
        # the types of the typed values (NoneType where None) -> (the bits, the keys) left
        # out of a usual record
        self.usual: dict[tuple[type, ...], tuple[int, frozenset[str]]] = {}

    def left_out(self, omitted: int) -> frozenset[str]:
        return frozenset(key for bit, key in enumerate(self.keys) if omitted & (1 << bit))

    def usual_split(self, types: tuple[type, ...]) -> tuple[int, frozenset[str]]:
        """The bits and keys left out of a usual record whose typed values are of ``types``."""
        omitted = sum(1 << bit for bit, kind in enumerate(types) if kind is not NoneType)
        found = self.usual[types] = (omitted, self.left_out(omitted))
        return found


_PLANS = {table: _SplitPlan(table) for table in EXPORT_KEYS}


def split_record(table: str, typed: Sequence[Any], record: Mapping[str, Any]
                 ) -> tuple[Mapping[str, Any], int]:
    """The part of ``record`` to store and the bits of the fields left out of it: each field
    whose value the typed row (``typed``, in ``typed_columns`` order) holds identically.
    A missing key reads as None here, and a None column is never left out."""
    plan = _PLANS[table]
    held = plan.held(typed)
    given = tuple(map(record.get, plan.keys))
    # The usual record: every field equal to its column and of the same type (True is not
    # the integer 1, 5.0 is not 5, "5" is not 5), both compared in C; what it leaves out
    # depends only on which columns are None.
    types = tuple(map(type, held))
    if given == held and tuple(map(type, given)) == types:
        omitted, keys = plan.usual.get(types) or plan.usual_split(types)
    else:
        omitted = 0
        for bit, (value, column) in enumerate(zip(given, held, strict=True)):
            if column is not None and type(value) is type(column) and value == column:
                omitted |= 1 << bit
        keys = plan.left_out(omitted)
    if not omitted:
        return record, 0
    # A copy then a few deletions costs half a comprehension over every field.
    rest = dict(record)
    for key in keys:
        rest.pop(key, None)
    return rest, omitted


def rebuilt_record(table: str, typed: Mapping[str, Any], rest: Mapping[str, Any],
                   omitted: int) -> dict[str, Any]:
    """The whole record from its stored parts (what the view's ``raw`` gives, as a dict)."""
    record = dict(rest)
    for column, key in _omitted_fields(table, omitted):
        record[key] = typed[column]
    return record


def _omitted_fields(table: str, omitted: int) -> Iterable[tuple[str, str]]:
    return (pair for bit, pair in enumerate(EXPORT_KEYS[table]) if omitted & (1 << bit))


def in_display_order(table: str, record: dict[str, Any]) -> dict[str, Any]:
    """The record with the typed fields first, in AAM's field order, then the others in the
    order the export gave them (a rebuilt record has the left-out fields last)."""
    keys = [key for _column, key in EXPORT_KEYS[table] if key in record]
    ordered = {key: record[key] for key in keys}
    ordered.update((key, value) for key, value in record.items() if key not in ordered)
    return ordered


_TYPED_KEYS = {table: frozenset(key for _column, key in keys)
               for table, keys in EXPORT_KEYS.items()}


def field_sql(table: str, alias: str, key: str, *, split: bool) -> str:
    """SQL of the export field ``key`` of the record of ``alias``, a row of ``table`` (the
    view, or the plain table before schema v8). With ``split`` (``stores_remainder``), a field
    no typed column holds is read from the stored remainder, by primary key, instead of from
    the record the view rebuilds: a sort over every row stays as fast as before the split."""
    if split and key not in _TYPED_KEYS[table]:
        return (f"(SELECT json_extract(r.{REST_COLUMN}, '$.{key}') FROM {stored_table(table)} r "
                f"WHERE r.id = {alias}.id)")
    return f"json_extract({alias}.raw, '$.{key}')"


def record_sql(table: str) -> str:
    """SQL (over ``<table>_stored``) of the whole record as JSON text."""
    inserts = ", ".join(f"CASE WHEN {OMITTED_COLUMN} & {1 << bit} THEN '$.{key}' END, {column}"
                        for bit, (column, key) in enumerate(EXPORT_KEYS[table]))
    # A NULL path inserts nothing; a row with nothing left out is its remainder verbatim.
    return (f"CASE WHEN {OMITTED_COLUMN} = 0 THEN {REST_COLUMN} "
            f"ELSE json_insert({REST_COLUMN}, {inserts}) END")


def create_stored_table(conn: sqlite3.Connection, table: str) -> None:
    """``<table>_stored``: the typed columns, the remainder and the left-out fields' bits."""
    columns, fks = CONFIG_TABLES[table]
    definitions = [f"{name} {_SQL_TYPES[kind]}" + (" PRIMARY KEY NOT NULL" if name == "id" else "")
                   for name, kind in columns.items() if name != "raw"]
    definitions += [f"{REST_COLUMN} TEXT", f"{OMITTED_COLUMN} INTEGER NOT NULL DEFAULT 0"]
    definitions += [f"FOREIGN KEY ({column}) REFERENCES {stored_table(other)}({other_column})"
                    for column, other, other_column in fks]
    conn.execute(f"CREATE TABLE {stored_table(table)} ({', '.join(definitions)})")


def create_record_view(conn: sqlite3.Connection, table: str) -> None:
    """The view ``<table>`` over ``<table>_stored`` (the old table's columns, ``raw`` whole)
    and its write triggers."""
    stored = stored_table(table)
    typed = typed_columns(table)
    conn.execute(f"CREATE VIEW {table} AS SELECT {', '.join(typed)}, {record_sql(table)} AS raw "
                 f"FROM {stored}")
    # Other tools (and tests) may write through the view: such a record is stored whole.
    new_values = ", ".join(f"NEW.{c}" for c in typed)
    conn.execute(f"CREATE TRIGGER {table}_insert INSTEAD OF INSERT ON {table} BEGIN "
                 f"INSERT INTO {stored} ({', '.join(typed)}, {REST_COLUMN}, {OMITTED_COLUMN}) "
                 f"VALUES ({new_values}, NEW.raw, 0); END")
    assignments = ", ".join(f"{c} = NEW.{c}" for c in typed)
    conn.execute(f"CREATE TRIGGER {table}_update INSTEAD OF UPDATE ON {table} BEGIN "
                 f"UPDATE {stored} SET {assignments}, {REST_COLUMN} = NEW.raw, "
                 f"{OMITTED_COLUMN} = 0 WHERE id = OLD.id; END")
    conn.execute(f"CREATE TRIGGER {table}_delete INSTEAD OF DELETE ON {table} BEGIN "
                 f"DELETE FROM {stored} WHERE id = OLD.id; END")


_SQL_TYPES = {int: "INTEGER", str: "TEXT", float: "REAL"}


# One encoder for every record: json.dumps with options would build a new one per call.
_encode_json: Callable[[Any], str] = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":")).encode

_orjson_dumps: Callable[[Any], bytes] | None
_orjson_loads: Callable[[str], Any] | None
try:  # optional accelerator: 5x faster for the raw column of a 200k-trait export
    from orjson import dumps as _orjson_dumps
    from orjson import loads as _orjson_loads
except ImportError:  # pragma: no cover - depends on the environment
    _orjson_dumps = _orjson_loads = None


def compact_json(value: Any) -> str:
    """The record as compact UTF-8 JSON (what ``json.dumps(..., ensure_ascii=False,
    separators=(",", ":"))`` gives)."""
    if _orjson_dumps is not None:
        try:
            return _orjson_dumps(value).decode()
        except TypeError:  # e.g. integers beyond 64 bits: the standard encoder copes
            pass
    return _encode_json(value)


def _parse_json(text: str) -> Any:
    """JSON text as Python values (ValueError when it is not JSON)."""
    if _orjson_loads is not None:
        try:
            return _orjson_loads(text)
        except ValueError:  # e.g. NaN or integers beyond 64 bits: the standard parser copes
            pass
    return json.loads(text)


def stores_remainder(conn: sqlite3.Connection, table: str = "traits") -> bool:
    """Whether this workspace keeps ``table``'s records split (schema v8 on); a workspace of
    an earlier schema opened read-only (a bundle) has plain tables with the whole ``raw``."""
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                       (stored_table(table),)).fetchone()
    return row is not None


def distinct_field_values(conn: sqlite3.Connection, table: str, key: str) -> set[Any]:
    """The distinct values of the export field ``key`` over all of ``table``'s records, read
    from the stored parts (no record rebuilt) when the workspace keeps them split."""
    if not stores_remainder(conn, table):
        rows = conn.execute(f"SELECT DISTINCT json_extract(raw, ?) FROM {table} "
                            "WHERE json_valid(raw)", (f"$.{key}",))
        return {r[0] for r in rows}
    stored = stored_table(table)
    rows = conn.execute(f"SELECT DISTINCT json_extract({REST_COLUMN}, ?) FROM {stored} "
                        f"WHERE json_valid({REST_COLUMN})", (f"$.{key}",))
    found = {r[0] for r in rows}
    for bit, (column, field) in enumerate(EXPORT_KEYS[table]):
        if field == key:
            found.update(r[0] for r in conn.execute(
                f"SELECT DISTINCT {column} FROM {stored} WHERE {OMITTED_COLUMN} & ?",
                (1 << bit,)))
    return found


def split_existing_rows(conn: sqlite3.Connection, table: str, old_table: str,
                        chunk: int = 5000) -> None:
    """Copy ``old_table`` (typed columns and the whole ``raw``) into ``<table>_stored``."""
    typed = typed_columns(table)
    insert = (f"INSERT INTO {stored_table(table)} ({', '.join(stored_columns(table))}) "
              f"VALUES ({', '.join('?' * (len(typed) + 2))})")
    cursor = conn.execute(f"SELECT {', '.join(typed)}, raw FROM {old_table} ORDER BY id")
    while rows := cursor.fetchmany(chunk):
        conn.executemany(insert, [split_row(table, tuple(row)[:-1], row[-1]) for row in rows])


def split_row(table: str, typed: tuple[Any, ...], raw: Any) -> tuple[Any, ...]:
    """A stored row from the typed values and the record's JSON text (kept as it is when it
    is not a JSON object)."""
    try:
        record = _parse_json(raw) if isinstance(raw, str) else None
    except ValueError:
        record = None
    if not isinstance(record, dict):
        return (*typed, raw, 0)
    rest, omitted = split_record(table, typed, record)
    if not omitted:
        return (*typed, raw, 0)
    return (*typed, compact_json(rest), omitted)
