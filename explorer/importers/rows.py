"""Validated records → row tuples for the workspace tables (one builder per kind).

Builders read the model's attributes straight into a tuple in the table's column order: no
intermediate dicts, so the per-record cost stays close to validation itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from explorer.domain import records as r
from explorer.store.schema import CONFIG_TABLES

RowBuilder = Callable[[Any, str], tuple[Any, ...]]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def data_source_row(m: r.DataSource, raw: str) -> tuple[Any, ...]:
    return (m.id, m.pid, m.name, m.description, m.integration_code, m.status, m.type,
            m.id_type, _flag(m.unique_trait_integration_codes),
            _flag(m.unique_segment_integration_codes), m.create_time, m.update_time, raw)


def merge_rule_row(m: r.MergeRule, raw: str) -> tuple[Any, ...]:
    return (m.id, m.name, int(m.is_default), m.cross_device_option, m.device_option,
            int(m.external), raw)


def algo_model_row(m: r.AlgoModel, raw: str) -> tuple[Any, ...]:
    return (m.id, m.pid, m.name, m.description, _text(m.status), raw)


def trait_row(m: r.Trait, raw: str) -> tuple[Any, ...]:
    return (m.id, m.pid, m.name, m.description, m.integration_code, m.trait_type, m.type,
            m.data_source_id, m.folder_id, m.trait_rule, m.trait_rule_version, m.ttl, m.status,
            m.algo_model_id, m.create_time, m.update_time, raw)


def segment_row(m: r.Segment, raw: str) -> tuple[Any, ...]:
    return (m.id, m.pid, m.name, m.description, m.integration_code, m.data_source_id,
            m.merge_rule_id, m.folder_id, m.segment_rule, m.status, m.create_time,
            m.update_time, raw)


def destination_row(m: r.Destination, raw: str) -> tuple[Any, ...]:
    return (m.id, m.pid, m.name, m.description, m.destination_type, m.data_source_id,
            _text(m.status), m.cookie_name, m.create_time, m.update_time, raw)


def mapping_name(m: r.DestinationMapping) -> str:
    return m.element_name or f"Segment {m.sid}"


def destination_mapping_row(m: r.DestinationMapping, raw: str) -> tuple[Any, ...]:
    return (m.id, m.destination_id, m.sid, mapping_name(m), m.trait_type, m.element_status,
            m.start_date, m.end_date, m.trait_alias, m.create_time, m.update_time, raw)


def derived_signal_name(m: r.DerivedSignal) -> str:
    return f"{m.source_key}={m.source_value} → {m.target_key}={m.target_value}"


def derived_signal_row(m: r.DerivedSignal, raw: str) -> tuple[Any, ...]:
    return (m.id, m.pid, derived_signal_name(m), m.source_key, m.source_value, m.target_key,
            m.target_value, m.integration_code, m.create_time, m.update_time, raw)


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


def insert_sql(table: str) -> str:
    columns = list(CONFIG_TABLES[table][0])
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")


def string_aliases(cls: type[r.AamRecord]) -> frozenset[str]:
    """JSON keys whose values are text for this record type (their CSV cells stay strings)."""
    keys: set[str] = set()
    for name, info in cls.model_fields.items():
        annotation = str(info.annotation)
        if "str" in annotation and "int" not in annotation and "list" not in annotation:
            keys.add(info.alias or name)
    return frozenset(keys)
