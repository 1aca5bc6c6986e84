"""Validated records → row tuples for the workspace tables (one builder per kind).

Builders read the model's attributes straight into a tuple of the table's typed columns: no
intermediate dicts, so the per-record cost stays close to validation itself. ``stored_row``
adds the part of the source record those columns do not hold (``explorer.store.stored_records``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from explorer.domain import records as r
from explorer.store.stored_records import compact_json, split_record, stored_columns, stored_table

RowBuilder = Callable[[Any], tuple[Any, ...]]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def data_source_row(m: r.DataSource) -> tuple[Any, ...]:
    return (m.id, m.pid, m.name, m.description, m.integration_code, m.status, m.type,
            m.id_type, _flag(m.unique_trait_integration_codes),
            _flag(m.unique_segment_integration_codes), m.create_time, m.update_time)


def merge_rule_row(m: r.MergeRule) -> tuple[Any, ...]:
    return (m.id, m.name, int(m.is_default), m.cross_device_option, m.device_option,
            int(m.external))


def algo_model_row(m: r.AlgoModel) -> tuple[Any, ...]:
    return (m.id, m.pid, m.name, m.description, _text(m.status))


def trait_row(m: r.Trait) -> tuple[Any, ...]:
    return (m.id, m.pid, m.name, m.description, m.integration_code, m.trait_type, m.type,
            m.data_source_id, m.folder_id, m.trait_rule, m.trait_rule_version, m.ttl, m.status,
            m.algo_model_id, m.create_time, m.update_time)


def segment_row(m: r.Segment) -> tuple[Any, ...]:
    return (m.id, m.pid, m.name, m.description, m.integration_code, m.data_source_id,
            m.merge_rule_id, m.folder_id, m.segment_rule, m.status, m.create_time,
            m.update_time)


def destination_row(m: r.Destination) -> tuple[Any, ...]:
    return (m.id, m.pid, m.name, m.description, m.destination_type, m.data_source_id,
            _text(m.status), m.cookie_name, m.create_time, m.update_time)


def mapping_name(m: r.DestinationMapping) -> str:
    return m.element_name or f"Segment {m.sid}"


def destination_mapping_row(m: r.DestinationMapping) -> tuple[Any, ...]:
    return (m.id, m.destination_id, m.sid, mapping_name(m), m.trait_type, m.element_status,
            m.start_date, m.end_date, m.trait_alias, m.create_time, m.update_time)


def derived_signal_name(m: r.DerivedSignal) -> str:
    return f"{m.source_key}={m.source_value} → {m.target_key}={m.target_value}"


def derived_signal_row(m: r.DerivedSignal) -> tuple[Any, ...]:
    return (m.id, m.pid, derived_signal_name(m), m.source_key, m.source_value, m.target_key,
            m.target_value, m.integration_code, m.create_time, m.update_time)


ROW_BUILDERS: dict[str, RowBuilder] = {
    "data-source": data_source_row,
    "merge-rule": merge_rule_row,
    "algo-model": algo_model_row,
    "trait": trait_row,
    "segment": segment_row,
    "destination": destination_row,
    "destination-mapping": destination_mapping_row,
    "derived-signal": derived_signal_row,
}


def stored_row(table: str, typed: tuple[Any, ...], record: dict[str, Any]) -> tuple[Any, ...]:
    """The row written to ``<table>_stored``: the typed values, the rest of the source record
    as compact JSON, and the bits of the fields left out of it."""
    rest, omitted = split_record(table, typed, record)
    return (*typed, compact_json(rest), omitted)


def insert_sql(table: str) -> str:
    """The INSERT of one ``stored_row`` into ``table``'s stored table."""
    columns = stored_columns(table)
    return (f"INSERT INTO {stored_table(table)} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")


def string_aliases(cls: type[r.AamRecord]) -> frozenset[str]:
    """JSON keys whose values are text for this record type (their CSV cells stay strings)."""
    keys: set[str] = set()
    for name, info in cls.model_fields.items():
        annotation = str(info.annotation)
        if "str" in annotation and "int" not in annotation and "list" not in annotation:
            keys.add(info.alias or name)
    return frozenset(keys)
