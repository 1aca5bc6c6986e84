"""One small tenant, written in the forms consultants receive: raw API JSON, CSV files as
pandas' ``DataFrame.to_csv`` writes them, and Excel workbooks (one sheet per kind, Adobe's Bulk
Management ``Request`` sheet, the ``aaudience`` report workbook).

Field names and value shapes follow Adobe's published responses and the public wrappers; the
values are made up. pandas is not needed: ``pandas_csv`` writes what ``to_csv`` writes (one
column per top-level key in first-seen order, Python reprs for lists and dicts, ``True`` /
``False``, empty cells for missing values, an integer column with a gap as floats, an optional
unnamed index column).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PID = 4321
T0 = 1_650_864_000_000  # 2022-04-25


def tenant() -> dict[str, list[dict[str, Any]]]:
    """The tenant, kind → records as the REST API returns them (with details and metrics)."""
    data_sources = [
        {"dataSourceId": 163001, "pid": PID, "name": "Web Site", "description": "first party",
         "status": "ACTIVE", "integrationCode": "web", "dataExportRestrictions": ["PII"],
         "inboundS2S": True, "outboundS2S": False, "idType": "COOKIE",
         "createTime": T0, "updateTime": T0},
        {"dataSourceId": 163002, "pid": PID, "name": "CRM", "description": "",
         "status": "ACTIVE", "integrationCode": "crm", "dataExportRestrictions": [],
         "inboundS2S": True, "outboundS2S": True, "idType": "CROSS_DEVICE",
         "createTime": T0, "updateTime": T0 + 1000},
    ]
    trait_folders = [
        {"folderId": 700001, "parentFolderId": 0, "pid": PID, "name": "Web",
         "path": "/Web"},
        {"folderId": 700002, "parentFolderId": 700001, "pid": PID, "name": "Products",
         "path": "/Web/Products"},
    ]
    segment_folders = [
        {"folderId": 800001, "parentFolderId": 0, "pid": PID, "name": "Campaigns",
         "path": "/Campaigns"},
        {"folderId": 800002, "parentFolderId": 800001, "pid": PID, "name": "Q3",
         "path": "/Campaigns/Q3"},
    ]
    traits = [
        {"sid": 1000001 + i, "pid": PID, "name": name, "description": f"about {name}",
         "integrationCode": f"t{i}", "traitType": "RULE_BASED_TRAIT", "type": 2,
         "dataSourceId": 163001, "folderId": 700002 if i % 2 else 700001,
         "traitRule": f'c_page == "{name.lower()}"', "traitRuleVersion": 1, "ttl": 120,
         "status": "ACTIVE", "createTime": T0 + i * 60_000, "updateTime": T0 + i * 60_000,
         "uniques7Day": 10 * i, "count7Day": 20 * i}
        for i, name in enumerate(("Phones", "Tablets", "Laptops", "Cameras"))
    ]
    segments = [
        {"sid": 2000001, "pid": PID, "name": "Gadget fans", "description": "",
         "integrationCode": "s1", "dataSourceId": 163001, "mergeRuleDataSourceId": 500001,
         "folderId": 800002, "segmentRule": "1000001T OR 1000002T", "status": "ACTIVE",
         "createTime": T0, "updateTime": T0 + 5000, "instantUniques7Day": 5},
        {"sid": 2000002, "pid": PID, "name": "Frequent laptop", "description": "x",
         "integrationCode": "s2", "dataSourceId": 163002, "mergeRuleDataSourceId": 500001,
         "folderId": 800001,
         "segmentRule": "frequency([1000003T]) >= 2 AND NOT 1000004T", "status": "INACTIVE",
         "createTime": T0, "updateTime": T0 + 6000, "instantUniques7Day": 7},
    ]
    merge_rules = [
        {"mergeRuleDataSourceId": 500001, "name": "Last Authenticated + Device",
         "isDefault": True, "crossDeviceOption": "Last Authenticated Profiles",
         "deviceOption": "Device Profile", "crossDeviceDataSourceIds": [163002]},
    ]
    destinations = [
        {"destinationId": 620001, "pid": PID, "name": "Ad server", "description": "",
         "destinationType": "PUSH", "dataSourceId": 163001, "status": "ACTIVE",
         "createTime": T0, "updateTime": T0 + 7000,
         "mappings": [
             {"destinationMappingId": 640001, "destinationId": 620001, "sid": 2000001,
              "traitType": "SEGMENT", "traitAlias": "fans", "elementStatus": "active",
              "startDate": "2022-05-01", "endDate": None},
             {"destinationMappingId": 640002, "destinationId": 620001, "sid": 2000002,
              "traitType": "SEGMENT", "traitAlias": "laptop", "elementStatus": "inactive",
              "startDate": "2022-05-01", "endDate": "2030-01-01"},
         ]},
    ]
    derived = [{"derivedSignalId": 900001, "pid": PID, "sourceKey": "c_page",
                "sourceValue": "home", "targetKey": "c_section", "targetValue": "start",
                "integrationCode": None, "createTime": T0, "updateTime": T0}]
    return {"data-source": data_sources, "trait-folder": trait_folders,
            "segment-folder": segment_folders, "trait": traits, "segment": segments,
            "merge-rule": merge_rules, "destination": destinations, "derived-signal": derived}


FILE_NAMES = {"data-source": "datasources", "trait-folder": "trait_folders",
              "segment-folder": "segment_folders", "trait": "traits", "segment": "segment",
              "merge-rule": "merge_rules", "destination": "destinations",
              "derived-signal": "derivedSignals"}


def write_json(folder: Path, data: dict[str, list[dict[str, Any]]] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for kind, records in (data or tenant()).items():
        (folder / f"{FILE_NAMES[kind]}.json").write_text(json.dumps(records, indent=2))
    return folder


def _pandas_cell(value: Any, as_float: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int) and as_float:
        return f"{float(value)}"
    return repr(value) if isinstance(value, list | dict) else str(value)


def pandas_csv(path: Path, records: list[dict[str, Any]], *, index: bool = False,
               times_as_dates: bool = False) -> Path:
    """What ``pd.DataFrame(records).to_csv(path, index=index)`` writes. ``times_as_dates``:
    adobe_aam's ``pd.to_datetime(..., unit='ms')`` first."""
    columns: list[str] = []
    for record in records:
        columns.extend(key for key in record if key not in columns)
    # An integer column with a missing value becomes a float column in pandas.
    float_columns = {c for c in columns
                     if any(c not in r or r[c] is None for r in records)
                     and all(isinstance(r.get(c), int | type(None))
                             and not isinstance(r.get(c), bool) for r in records)
                     and any(isinstance(r.get(c), int) for r in records)}
    with path.open("w", newline="", encoding="utf-8", errors="backslashreplace") as handle:
        writer = csv.writer(handle)
        writer.writerow(([""] if index else []) + columns)
        for number, record in enumerate(records):
            cells = []
            for column in columns:
                value = record.get(column)
                if times_as_dates and column in ("createTime", "updateTime") and value:
                    value = datetime.fromtimestamp(value / 1000, tz=UTC).strftime(
                        "%Y-%m-%d %H:%M:%S")
                cells.append(_pandas_cell(value, column in float_columns))
            writer.writerow(([str(number)] if index else []) + cells)
    return path


def write_pandas_csvs(folder: Path, data: dict[str, list[dict[str, Any]]] | None = None
                      ) -> Path:
    """The tenant as a pitchmuc-style folder of CSVs (destinations with the index column,
    times as date-time strings in the traits, as adobe_aam writes them)."""
    folder.mkdir(parents=True, exist_ok=True)
    for kind, records in (data or tenant()).items():
        pandas_csv(folder / f"{FILE_NAMES[kind]}.csv", records,
                   index=kind == "destination", times_as_dates=kind == "trait")
    return folder


def sheet_rows(records: list[dict[str, Any]]) -> list[list[Any]]:
    """Header and rows as pandas' ``to_excel`` writes them: lists as their repr."""
    columns: list[str] = []
    for record in records:
        columns.extend(key for key in record if key not in columns)
    rows: list[list[Any]] = [columns]
    for record in records:
        rows.append([repr(v) if isinstance(v, list | dict) else v
                     for v in (record.get(c) for c in columns)])
    return rows


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_tenant_workbook(path: Path, data: dict[str, list[dict[str, Any]]] | None = None
                          ) -> Path:
    """The tenant as one workbook, one sheet per kind named like the JSON files."""
    return write_workbook(path, {FILE_NAMES[kind]: sheet_rows(records)
                                 for kind, records in (data or tenant()).items()})


def stored_rows(ws: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows a query gives on a workspace file, sorted (a plain sqlite3 connection)."""
    conn = sqlite3.connect(ws)
    try:
        return sorted(conn.execute(sql).fetchall())
    finally:
        conn.close()
