"""What the import's shared state counts: partner ids and the newest time, per model or read
from a batch of rows (the same answer, in the same order)."""

from __future__ import annotations

import sqlite3
from typing import Any

from explorer.domain.records import RECORD_TYPES
from explorer.importers.loader_state import LoaderState
from explorer.importers.report import ImportReport
from explorer.importers.rows import ROW_BUILDERS, stored_row
from explorer.kinds import KINDS


def _state() -> LoaderState:
    return LoaderState(sqlite3.connect(":memory:"), ImportReport(source="x"), strict=False,
                       progress=None)


RECORDS: dict[str, list[dict[str, Any]]] = {
    "trait": [
        {"sid": 11, "pid": 7, "name": "a", "traitType": "RULE_BASED_TRAIT", "dataSourceId": 1,
         "folderId": 0, "createTime": 1_600_000_000_000, "updateTime": 1_650_000_000_000},
        {"sid": 12, "pid": 9, "name": "b", "traitType": "RULE_BASED_TRAIT", "dataSourceId": 1,
         "folderId": 0, "updateTime": 1_700_000_000_000},
        {"sid": 13, "name": "no pid", "traitType": "RULE_BASED_TRAIT", "dataSourceId": 1,
         "folderId": 0, "createTime": 0},
        {"sid": 14, "pid": 7, "name": "c", "traitType": "RULE_BASED_TRAIT", "dataSourceId": 1,
         "folderId": 0},
    ],
    "merge-rule": [{"mergeRuleDataSourceId": 3, "name": "m", "crossDeviceOption": "NONE",
                    "deviceOption": "NONE"}],
}


def test_rows_are_tracked_as_their_models_are() -> None:
    by_model, by_rows = _state(), _state()
    for kind, records in RECORDS.items():
        models = [RECORD_TYPES[kind].model_validate(r) for r in records]
        for model in models:
            by_model.track(model)
        table = KINDS[kind].table
        rows = [stored_row(table, ROW_BUILDERS[kind](model), record)
                for model, record in zip(models, records, strict=True)]
        by_rows.track_rows(kind, table, rows)
    assert list(by_rows.pids.items()) == list(by_model.pids.items()) == [(7, 2), (9, 1)]
    assert list(by_rows.pid_kinds.items()) == list(by_model.pid_kinds.items())
    assert by_rows.newest_ms == by_model.newest_ms == 1_700_000_000_000
