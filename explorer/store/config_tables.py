"""The configuration tables: one per AAM kind, typed columns for what the tools show plus
``raw``, the source record (since schema v8 each is a view over ``<table>_stored``: see
``explorer.store.stored_records``). ``explorer.store.schema`` creates and migrates them.
"""

from __future__ import annotations

_INT, _TEXT = int, str


def _listed_object(own: dict[str, type]) -> dict[str, type]:
    """The columns of a kind the AAM UI lists by name and stamps with times (a record with
    ``Listed`` and ``Timestamps`` fields): id, pid, name, description, the kind's ``own``
    columns, then the times and the raw record."""
    return {"id": _INT, "pid": _INT, "name": _TEXT, "description": _TEXT, **own,
            "create_time": _INT, "update_time": _INT, "raw": _TEXT}


# table -> (columns, foreign keys as (column, other_table, other_column))
CONFIG_TABLES: dict[str, tuple[dict[str, type], list[tuple[str, str, str]]]] = {
    "data_sources": (
        _listed_object({"integration_code": _TEXT, "status": _TEXT, "type": _TEXT,
                        "id_type": _TEXT, "unique_trait_ics": _INT, "unique_segment_ics": _INT}),
        [],
    ),
    "trait_folders": (
        {"id": _INT, "parent_id": _INT, "pid": _INT, "name": _TEXT, "path": _TEXT,
         "depth": _INT, "raw": _TEXT},
        [("parent_id", "trait_folders", "id")],
    ),
    "segment_folders": (
        {"id": _INT, "parent_id": _INT, "pid": _INT, "name": _TEXT, "path": _TEXT,
         "depth": _INT, "raw": _TEXT},
        [("parent_id", "segment_folders", "id")],
    ),
    "merge_rules": (
        {"id": _INT, "name": _TEXT, "is_default": _INT, "cross_device_option": _TEXT,
         "device_option": _TEXT, "external": _INT, "raw": _TEXT},
        [],
    ),
    "algo_models": (
        {"id": _INT, "pid": _INT, "name": _TEXT, "description": _TEXT, "status": _TEXT,
         "raw": _TEXT},
        [],
    ),
    "traits": (
        _listed_object({"integration_code": _TEXT, "trait_type": _TEXT, "event_type": _INT,
                        "data_source_id": _INT, "folder_id": _INT, "rule": _TEXT,
                        "rule_version": _INT, "ttl": _INT, "status": _TEXT,
                        "algo_model_id": _INT}),
        [("data_source_id", "data_sources", "id"), ("folder_id", "trait_folders", "id"),
         ("algo_model_id", "algo_models", "id")],
    ),
    "segments": (
        _listed_object({"integration_code": _TEXT, "data_source_id": _INT,
                        "merge_rule_id": _INT, "folder_id": _INT, "rule": _TEXT,
                        "status": _TEXT}),
        [("data_source_id", "data_sources", "id"), ("folder_id", "segment_folders", "id"),
         ("merge_rule_id", "merge_rules", "id")],
    ),
    "destinations": (
        _listed_object({"destination_type": _TEXT, "data_source_id": _INT, "status": _TEXT,
                        "cookie_name": _TEXT}),
        [("data_source_id", "data_sources", "id")],
    ),
    "destination_mappings": (
        {"id": _INT, "destination_id": _INT, "segment_id": _INT, "name": _TEXT,
         "trait_type": _TEXT, "element_status": _TEXT, "start_date": _TEXT,
         "end_date": _TEXT, "trait_alias": _TEXT, "create_time": _INT, "update_time": _INT,
         "raw": _TEXT},
        [("destination_id", "destinations", "id"), ("segment_id", "segments", "id")],
    ),
    "derived_signals": (
        {"id": _INT, "pid": _INT, "name": _TEXT, "source_key": _TEXT, "source_value": _TEXT,
         "target_key": _TEXT, "target_value": _TEXT, "integration_code": _TEXT,
         "create_time": _INT, "update_time": _INT, "raw": _TEXT},
        [],
    ),
}
