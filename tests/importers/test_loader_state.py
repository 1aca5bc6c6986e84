"""What the import's shared state counts: partner ids and the newest time, read from a batch
of rows."""

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


def test_rows_tell_the_partner_ids_and_the_newest_time() -> None:
    state = _state()
    for kind, records in RECORDS.items():
        models = [RECORD_TYPES[kind].model_validate(r) for r in records]
        table = KINDS[kind].table
        rows = [stored_row(table, ROW_BUILDERS[kind](model), record)
                for model, record in zip(models, records, strict=True)]
        state.track_rows(kind, table, rows)
    assert list(state.pids.items()) == [(7, 2), (9, 1)]
    assert list(state.pid_kinds.items()) == [((7, "trait"), 2), ((9, "trait"), 1)]
    assert state.newest_ms == 1_700_000_000_000
