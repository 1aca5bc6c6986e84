"""Flat object lists (what a tree node contains), filtered and sorted in SQL, and CSV export.

Qt-free so the GUI's object list and the CLI share it. Every list is one SELECT over a
UNION ALL of per-kind SELECTs that all yield the same columns (``LIST_COLUMNS``); filters are
parameterised and sort keys come from a whitelist.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from explorer.kinds import (
    AEP_DATA_SOURCE_NAME,
    DESTINATION_TYPE_LABELS,
    EXTERNAL_MERGE_POLICY_NAME,
    GROUP_KEYS,
    KIND_IN_FOLDER,
    KINDS,
    TRAIT_TYPE_LABELS,
    ObjectRef,
)
from explorer.store.finding_marks import NOT_ACCEPTED
from explorer.store.names import object_name
from explorer.store.stored_records import field_sql, stores_remainder

# Type codes as AAM writes them -> the words the inspector shows too (one vocabulary).
TYPE_LABELS: dict[str, str] = {**TRAIT_TYPE_LABELS, **DESTINATION_TYPE_LABELS}

# The worst open finding of an object, as a number that sorts: info < warning < error.
SEVERITY_RANKS: dict[str, int] = {"info": 1, "low": 1, "warning": 2, "medium": 2, "error": 3,
                                  "high": 3}
RANK_SEVERITIES: dict[int, str] = {1: "info", 2: "warning", 3: "error"}


@dataclass(frozen=True)
class ListColumn:
    key: str
    header: str
    sql: str  # the (whitelisted) column of the list query it shows and sorts by
    text: bool = True  # sort case-insensitively


LIST_COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("kind", "Kind", "kind"),
    ListColumn("id", "ID", "id", text=False),
    ListColumn("name", "Name", "name"),
    ListColumn("type", "Type", "type"),
    ListColumn("status", "Status", "status"),
    ListColumn("data_source", "Data source", "data_source"),
    ListColumn("integration_code", "Code", "integration_code"),
    ListColumn("merge_rule", "Merge rule", "merge_rule"),
    ListColumn("population", "Uniques", "population", text=False),
    ListColumn("ttl", "TTL", "ttl", text=False),
    ListColumn("segments_using", "Used by", "segments_using", text=False),
    ListColumn("mappings", "Mappings", "mappings", text=False),
    ListColumn("findings", "Findings", "findings", text=False),
    ListColumn("note", "Note", "note_status"),
    ListColumn("updated", "Updated", "update_time", text=False),
    ListColumn("aep", "AEP", "aep", text=False),
)
COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in LIST_COLUMNS)
_COLUMN_BY_KEY = {c.key: c for c in LIST_COLUMNS}

# The columns that mean something for each kind, in display order ("kind" is added when a
# list holds several kinds): a trait list has no merge rule, a merge rule no status.
KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    "trait": ("id", "name", "type", "status", "data_source", "integration_code", "population",
              "ttl", "segments_using", "findings", "note", "updated", "aep"),
    "segment": ("id", "name", "status", "data_source", "merge_rule", "integration_code",
                "population", "mappings", "findings", "note", "updated", "aep"),
    "data-source": ("id", "name", "type", "status", "integration_code", "findings", "note",
                    "updated", "aep"),
    "merge-rule": ("id", "name", "type", "segments_using", "findings", "note", "aep"),
    "destination": ("id", "name", "type", "status", "data_source", "mappings", "findings",
                    "note", "updated"),
    "algo-model": ("id", "name", "status", "findings", "note"),
    "derived-signal": ("id", "name", "integration_code", "findings", "note", "updated"),
}


# Shown by the icon's badges already (AEP mark, annotation note), so hidden until the user
# asks for them in "Columns…": the other columns then fit beside a readable Name at 1280 px.
DEFAULT_HIDDEN_COLUMNS: frozenset[str] = frozenset({"aep", "note"})


def columns_for(kinds: Sequence[str]) -> tuple[str, ...]:
    """The column keys a list of these kinds shows, in LIST_COLUMNS order."""
    wanted = {key for kind in kinds for key in KIND_COLUMNS.get(kind, COLUMN_KEYS)}
    if len(set(kinds)) > 1:
        wanted.add("kind")
    return tuple(key for key in COLUMN_KEYS if key in wanted)


_RANK_CASE = " ".join(f"WHEN '{word}' THEN {rank}" for word, rank in SEVERITY_RANKS.items())
# The per-object figures beyond the base columns, as correlated lookups on indexed columns.
# A list query computes only the one it sorts by; a page's rows get the rest afterwards
# (``_add_figures``), so listing 200,000 traits costs what it did without them.
FIGURES: tuple[str, ...] = ("population", "ttl", "segments_using", "mappings", "findings",
                            "note_status")


def _figure_sql(kind: str, split: bool) -> dict[str, str]:
    """Figure -> SQL expression over the kind's table aliased ``t`` (kind words are literals
    of this module, never input); ``split``: the workspace stores records split
    (``explorer.store.stored_records``)."""
    figures = {
        "findings": (
            f"(SELECT max(CASE lower(f.severity) {_RANK_CASE} ELSE 1 END) FROM findings f "
            f"WHERE f.object_kind = '{kind}' AND f.object_id = t.id AND {NOT_ACCEPTED})"),
        "note_status": (f"(SELECT n.status FROM annotations n WHERE n.kind = '{kind}' "
                        "AND n.object_id = t.id)"),
    }
    if kind in ("trait", "segment"):
        figures["population"] = field_sql(KINDS[kind].table, "t", "uniques30Day", split=split)
    if kind == "trait":
        figures["ttl"] = "t.ttl"
        figures["segments_using"] = ("(SELECT count(*) FROM segment_traits st "
                                     "WHERE st.trait_id = t.id)")
    if kind == "merge-rule":
        figures["segments_using"] = ("(SELECT count(*) FROM segments s "
                                     "WHERE s.merge_rule_id = t.id)")
    if kind in ("segment", "destination"):
        column = "segment_id" if kind == "segment" else "destination_id"
        figures["mappings"] = (f"(SELECT count(*) FROM destination_mappings dm "
                               f"WHERE dm.{column} = t.id)")
    return figures


_FIGURE_SQL = {(kind, split): _figure_sql(kind, split) for kind in KIND_COLUMNS
               for split in (False, True)}


def _figure_columns(kind: str, wanted: frozenset[str], split: bool = False) -> str:
    """``, <expr or NULL> AS population, ...`` for every figure, computing only ``wanted``."""
    sql = _FIGURE_SQL[(kind, split)]
    return "".join(f", {sql[name] if name in wanted and name in sql else 'NULL'} AS {name}"
                   for name in FIGURES)


# Per kind, a SELECT yielding: kind, id, name, type, status, data_source_id, data_source,
# integration_code, merge_rule_id, merge_rule, update_time, aep, then the FIGURES where
# "{figures}" stands. One "?" = the AEP name.
_SELECTS: dict[str, str] = {
    "trait": (
        "SELECT 'trait' AS kind, t.id, t.name, t.trait_type AS type, t.status, "
        "t.data_source_id, ds.name AS data_source, t.integration_code, "
        "NULL AS merge_rule_id, NULL AS merge_rule, t.update_time, "
        "COALESCE(ds.name = ?, 0) AS aep{figures} "
        "FROM traits t LEFT JOIN data_sources ds ON ds.id = t.data_source_id"
    ),
    "segment": (
        "SELECT 'segment' AS kind, t.id, t.name, NULL AS type, t.status, "
        "t.data_source_id, ds.name AS data_source, t.integration_code, "
        "t.merge_rule_id, mr.name AS merge_rule, t.update_time, "
        "COALESCE(ds.name = ?, 0) AS aep{figures} "
        "FROM segments t LEFT JOIN data_sources ds ON ds.id = t.data_source_id "
        "LEFT JOIN merge_rules mr ON mr.id = t.merge_rule_id"
    ),
    "data-source": (
        "SELECT 'data-source' AS kind, t.id, t.name, t.type, t.status, "
        "t.id AS data_source_id, NULL AS data_source, t.integration_code, "
        "NULL AS merge_rule_id, NULL AS merge_rule, t.update_time, "
        "COALESCE(t.name = ?, 0) AS aep{figures} FROM data_sources t"
    ),
    "merge-rule": (
        "SELECT 'merge-rule' AS kind, t.id, t.name, t.cross_device_option AS type, "
        "NULL AS status, NULL AS data_source_id, NULL AS data_source, "
        "NULL AS integration_code, t.id AS merge_rule_id, NULL AS merge_rule, "
        "NULL AS update_time, (COALESCE(t.external, 0) = 1 OR t.name = ?) AS aep{figures} "
        "FROM merge_rules t"
    ),
    "destination": (
        "SELECT 'destination' AS kind, t.id, t.name, t.destination_type AS type, t.status, "
        "t.data_source_id, ds.name AS data_source, NULL AS integration_code, "
        "NULL AS merge_rule_id, NULL AS merge_rule, t.update_time, "
        "(? IS NULL) AS aep{figures} "  # never AEP objects; keeps one "?" per SELECT
        "FROM destinations t LEFT JOIN data_sources ds ON ds.id = t.data_source_id"
    ),
    "algo-model": (
        "SELECT 'algo-model' AS kind, t.id, t.name, NULL AS type, t.status, "
        "NULL AS data_source_id, NULL AS data_source, NULL AS integration_code, "
        "NULL AS merge_rule_id, NULL AS merge_rule, NULL AS update_time, "
        "(? IS NULL) AS aep{figures} FROM algo_models t"
    ),
    "derived-signal": (
        "SELECT 'derived-signal' AS kind, t.id, t.name, NULL AS type, NULL AS status, "
        "NULL AS data_source_id, NULL AS data_source, t.integration_code, "
        "NULL AS merge_rule_id, NULL AS merge_rule, t.update_time, "
        "(? IS NULL) AS aep{figures} FROM derived_signals t"
    ),
}
# Which kinds have the column each filter tests: a filter never applies to a list whose kinds
# all lack its column (status on merge rules), so it cannot hide every row there.
FILTER_KINDS: dict[str, frozenset[str]] = {
    "type": frozenset({"trait", "data-source", "merge-rule", "destination"}),
    "status": frozenset({"trait", "segment", "data-source", "destination", "algo-model"}),
    "data_source_id": frozenset({"trait", "segment", "destination"}),
    "merge_rule_id": frozenset({"segment"}),
    "updated_since": frozenset({"trait", "segment", "data-source", "destination",
                                "derived-signal"}),
    "aep_only": frozenset({"trait", "segment", "data-source", "merge-rule"}),
}
FILTER_NAMES: tuple[str, ...] = tuple(FILTER_KINDS)
_AEP_PARAM = {"merge-rule": EXTERNAL_MERGE_POLICY_NAME}
_SUBTREE = (
    "WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT f.id FROM {table} f "
    "JOIN sub ON f.parent_id = sub.id) SELECT id FROM sub"
)


@dataclass(frozen=True)
class ListSource:
    """What to list: a group key ("traits", ...) or an ObjectRef of a folder, data source,
    merge rule or destination."""

    target: ObjectRef | str
    include_subfolders: bool = True

    def parts(self) -> list[tuple[str, str, tuple[Any, ...]]]:
        """(kind, WHERE clause or "", params) per kind the list unions."""
        target = self.target
        if isinstance(target, str):
            if target not in GROUP_KEYS:
                raise ValueError(f"unknown group {target!r}; expected one of {list(GROUP_KEYS)}")
            return [(GROUP_KEYS[target], "", ())]
        kind, ident = target.kind, target.id
        if kind in KIND_IN_FOLDER:
            object_kind = "trait" if kind == "trait-folder" else "segment"
            if self.include_subfolders:
                subtree = _SUBTREE.format(table=KINDS[kind].table)
                return [(object_kind, f"t.folder_id IN ({subtree})", (ident,))]
            return [(object_kind, "t.folder_id = ?", (ident,))]
        if kind == "data-source":
            return [("trait", "t.data_source_id = ?", (ident,)),
                    ("segment", "t.data_source_id = ?", (ident,))]
        if kind == "merge-rule":
            return [("segment", "t.merge_rule_id = ?", (ident,))]
        if kind == "destination":
            return [("segment", "t.id IN (SELECT segment_id FROM destination_mappings "
                                "WHERE destination_id = ?)", (ident,))]
        raise ValueError(f"cannot list the contents of a {kind}")

    def kinds(self) -> list[str]:
        return [kind for kind, _where, _params in self.parts()]

    def applicable_filters(self) -> frozenset[str]:
        """The ListFilters fields that can narrow this list (the others are ignored)."""
        kinds = set(self.kinds())
        names = {name for name, filter_kinds in FILTER_KINDS.items() if kinds & filter_kinds}
        if isinstance(self.target, ObjectRef) and self.target.kind == "data-source":
            names.discard("data_source_id")  # every row has this very data source
        return frozenset(names)

    def describe(self) -> str:
        if isinstance(self.target, str):
            return KINDS[GROUP_KEYS[self.target]].plural_label
        return f"{KINDS[self.target.kind].label} {self.target.id}"

    def title(self, conn: sqlite3.Connection) -> tuple[str, str]:
        """(what the list header says, its tooltip): "Trait folder Rain Jackets" and
        "Trait folder 210012"; a group's plural label for both."""
        if isinstance(self.target, str):
            label = self.describe()
            return label, label
        kind = KINDS[self.target.kind]
        by_id = f"{kind.label} {self.target.id}"
        name = object_name(conn, kind.name, self.target.id)
        return (f"{kind.label} {name}" if name else by_id), by_id


@dataclass(frozen=True)
class ListFilters:
    """Filters applied in SQL; None / False means "any"."""

    type: str | None = None
    data_source_id: int | None = None
    status: str | None = None
    merge_rule_id: int | None = None
    updated_since: date | None = None
    aep_only: bool = False

    def restricted_to(self, names: frozenset[str]) -> ListFilters:
        """These filters with every one not in ``names`` reset to "any"."""
        defaults = ListFilters()
        return replace(self, **{name: getattr(defaults, name)
                                for name in FILTER_NAMES if name not in names})

    def active(self) -> list[str]:
        """The names of the filters that narrow the list."""
        defaults = ListFilters()
        return [name for name in FILTER_NAMES if getattr(self, name) != getattr(defaults, name)]

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in (("type", self.type), ("data_source_id", self.data_source_id),
                              ("status", self.status), ("merge_rule_id", self.merge_rule_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.updated_since is not None:
            clauses.append("update_time >= ?")
            params.append(date_to_epoch_ms(self.updated_since))
        if self.aep_only:
            clauses.append("aep = 1")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


@dataclass(frozen=True)
class ListQuery:
    source: ListSource
    filters: ListFilters = field(default_factory=ListFilters)
    sort: str = "name"  # a key of LIST_COLUMNS
    descending: bool = False

    def with_sort(self, sort: str, descending: bool = False) -> ListQuery:
        if sort not in _COLUMN_BY_KEY:
            raise ValueError(f"cannot sort by {sort!r}")
        return replace(self, sort=sort, descending=descending)


@dataclass(frozen=True)
class ListRow:
    kind: str
    id: int
    name: str | None
    type: str | None
    status: str | None
    data_source_id: int | None
    data_source: str | None
    integration_code: str | None
    merge_rule_id: int | None
    merge_rule: str | None
    update_time: int | None
    aep: int
    population: int | None = None
    ttl: int | None = None
    segments_using: int | None = None
    mappings: int | None = None
    findings: int | None = None  # the worst open finding's rank (SEVERITY_RANKS), or None
    note_status: str | None = None  # the annotation's review status, None when not annotated

    @property
    def worst_severity(self) -> str | None:
        """"error", "warning" or "info": the worst open finding; None without one."""
        return RANK_SEVERITIES.get(self.findings or 0)

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef(self.kind, self.id)


@dataclass(frozen=True)
class FilterChoices:
    """The values the filter widgets offer for a source (from its unfiltered rows)."""

    types: list[str]
    statuses: list[str]
    data_sources: list[tuple[int, str | None]]
    merge_rules: list[tuple[int, str | None]]


def _base_sql(source: ListSource, figures: frozenset[str] = frozenset(), split: bool = False
              ) -> tuple[str, list[Any]]:
    selects: list[str] = []
    params: list[Any] = []
    for kind, where, where_params in source.parts():
        select = _SELECTS[kind].format(figures=_figure_columns(kind, figures, split))
        selects.append(select + (f" WHERE {where}" if where else ""))
        params.append(_AEP_PARAM.get(kind, AEP_DATA_SOURCE_NAME))
        params.extend(where_params)
    return " UNION ALL ".join(selects), params


def _filtered_sql(query: ListQuery, figures: frozenset[str] = frozenset(), split: bool = False
                  ) -> tuple[str, list[Any]]:
    base, params = _base_sql(query.source, figures, split)
    filters = query.filters.restricted_to(query.source.applicable_filters())
    where, filter_params = filters.where()
    return f"SELECT * FROM ({base}){where}", params + filter_params


def _order_by(query: ListQuery) -> str:
    column = _COLUMN_BY_KEY[query.sort]  # KeyError for anything not whitelisted
    direction = "DESC" if query.descending else "ASC"
    collate = " COLLATE NOCASE" if column.text else ""
    return f" ORDER BY {column.sql}{collate} {direction} NULLS LAST, id {direction}"


def count_rows(conn: sqlite3.Connection, query: ListQuery) -> int:
    sql, params = _filtered_sql(query)
    return int(conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])


_AEP_COUNT_TABLES = {"traits": "traits", "segments": "segments"}


def count_aep(conn: sqlite3.Connection, group: str) -> int:
    """How many traits or segments (``group``) the ``aep_only`` filter keeps: those whose data
    source is the AEP one. Counted on the data-source index (the filtered list reads every
    object and its data source: ~30 ms on 200,000 traits, against well under 1 ms)."""
    table = _AEP_COUNT_TABLES[group]  # a whitelist, never input
    return int(conn.execute(
        f"SELECT count(*) FROM {table} WHERE data_source_id IN "
        "(SELECT id FROM data_sources WHERE name = ?)", (AEP_DATA_SOURCE_NAME,)).fetchone()[0])


def fetch_rows(conn: sqlite3.Connection, query: ListQuery, limit: int = -1, offset: int = 0
               ) -> list[ListRow]:
    """Rows of the filtered, sorted list (``limit`` -1 = all), with their figures."""
    return list(iter_rows(conn, query, limit, offset))


_PAGE = 1000  # rows whose figures one query reads


def iter_rows(conn: sqlite3.Connection, query: ListQuery, limit: int = -1, offset: int = 0
              ) -> Iterator[ListRow]:
    sort_column = _COLUMN_BY_KEY[query.sort].sql
    sorted_by = frozenset({sort_column}) & frozenset(FIGURES)
    # a sort by a figure computes it for every row: read it from the stored part directly
    split = bool(sorted_by) and stores_remainder(conn)
    sql, params = _filtered_sql(query, sorted_by, split)
    cursor = conn.execute(f"{sql}{_order_by(query)} LIMIT ? OFFSET ?", [*params, limit, offset])
    while True:
        page = [ListRow(*tuple(r)) for r in cursor.fetchmany(_PAGE)]
        if not page:
            return
        yield from _add_figures(conn, page)


def _add_figures(conn: sqlite3.Connection, rows: list[ListRow]) -> list[ListRow]:
    """The rows with every figure read: one query per kind, by primary key."""
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row.id)
    found: dict[tuple[str, int], tuple[Any, ...]] = {}
    split = stores_remainder(conn)  # a CSV of every trait reads every population
    for kind, ids in by_kind.items():
        figures = _figure_columns(kind, frozenset(FIGURES), split)
        table = KINDS[kind].table  # a whitelisted table name
        for r in conn.execute(f"SELECT t.id{figures} FROM {table} t "
                              "WHERE t.id IN (SELECT value FROM json_each(?))",
                              (json.dumps(ids),)):
            found[(kind, r[0])] = tuple(r[1:])
    return [replace(row, **dict(zip(FIGURES, found[(row.kind, row.id)], strict=True)))
            if (row.kind, row.id) in found else row for row in rows]


def filter_choices(conn: sqlite3.Connection, source: ListSource) -> FilterChoices:
    base, params = _base_sql(source)

    def distinct(column: str) -> list[Any]:
        rows = conn.execute(f"SELECT DISTINCT {column} FROM ({base}) "
                            f"WHERE {column} IS NOT NULL ORDER BY 1", params)
        return [r[0] for r in rows]

    def named(id_column: str, name_column: str) -> list[tuple[int, str | None]]:
        rows = conn.execute(
            f"SELECT DISTINCT {id_column}, {name_column} FROM ({base}) "
            f"WHERE {id_column} IS NOT NULL ORDER BY {name_column} COLLATE NOCASE, 1", params)
        return [(r[0], r[1]) for r in rows]

    applicable = source.applicable_filters()
    return FilterChoices(
        types=distinct("type") if "type" in applicable else [],
        statuses=distinct("status") if "status" in applicable else [],
        data_sources=named("data_source_id", "data_source")
        if "data_source_id" in applicable else [],
        merge_rules=named("merge_rule_id", "merge_rule") if "merge_rule_id" in applicable
        else [],
    )


def choice_label(object_id: int, name: str | None) -> str:
    """A data source / merge rule filter entry: "Name (id)", or "(missing: id)" once."""
    return f"{name} ({object_id})" if name else f"(missing: {object_id})"


def date_to_epoch_ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def format_date(epoch_ms: int | None) -> str:
    """Epoch ms (UTC) as YYYY-MM-DD."""
    if epoch_ms is None:
        return ""
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).strftime("%Y-%m-%d")


def type_label(value: str | None) -> str:
    return "" if value is None else TYPE_LABELS.get(value, value)


def format_cell(row: ListRow, key: str) -> str:
    """The text a column shows (and CSV export writes) for a row."""
    if key == "kind":
        return KINDS[row.kind].label
    if key == "type":
        return type_label(row.type)
    if key == "data_source":
        if row.data_source_id is None or row.kind == "data-source":
            return ""
        return row.data_source or f"(missing: {row.data_source_id})"
    if key == "merge_rule":
        if row.merge_rule_id is None or row.kind == "merge-rule":
            return ""
        return row.merge_rule or f"(missing: {row.merge_rule_id})"
    if key == "updated":
        return format_date(row.update_time)
    if key == "aep":
        return "yes" if row.aep else ""
    if key == "findings":
        return row.worst_severity or ""
    if key == "note":
        return row.note_status or ""
    if key == "ttl":
        if row.ttl is None:
            return ""
        return "never" if row.ttl == 0 else f"{row.ttl:,} days"
    if key in ("population", "segments_using", "mappings"):
        value = getattr(row, key)
        return "" if value is None else f"{value:,}"
    if key == "id":
        return str(row.id)
    value = getattr(row, key)
    return "" if value is None else str(value)


def export_csv(conn: sqlite3.Connection, query: ListQuery, out: Path | str | TextIO,
               columns: Sequence[str] = COLUMN_KEYS) -> int:
    """Write every row of the filtered, sorted list as CSV (headers as shown); returns rows."""
    unknown = [c for c in columns if c not in _COLUMN_BY_KEY]
    if unknown:
        raise ValueError(f"unknown columns {unknown}")
    if isinstance(out, str | Path):
        # utf-8-sig so Excel, the consultants' usual CSV reader, detects UTF-8.
        with open(out, "w", encoding="utf-8-sig", newline="") as handle:
            return _write_csv(conn, query, handle, columns)
    return _write_csv(conn, query, out, columns)


def _write_csv(conn: sqlite3.Connection, query: ListQuery, handle: TextIO,
               columns: Sequence[str]) -> int:
    writer = csv.writer(handle)
    writer.writerow([_COLUMN_BY_KEY[c].header for c in columns])
    count = 0
    for row in iter_rows(conn, query):
        writer.writerow([format_cell(row, c) for c in columns])
        count += 1
    return count
