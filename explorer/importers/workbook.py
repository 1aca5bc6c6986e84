"""Excel workbooks (``.xlsx``, ``.xlsm``): each sheet becomes a table read like a CSV file.

Read with openpyxl in read-only mode with cached values: a workbook's macros (Adobe's Bulk
Management workbook is an ``.xlsm``) are never run, and formulas are not evaluated. Cells are
turned into the text a CSV file would hold, so one set of rules types them (Bulk Management's
``[PII]`` lists, ``1.65E+12`` times, pandas' Python literals).

The ``aaudience`` script writes its trait folders a second time as ``segmentFolders``; such a
sheet is marked ``duplicate_of`` the sheet it repeats, so it is not taken for segment folders.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from explorer.importers.parse import FOLDER, Parsed, classify_keys, folder_kind_from_name
from explorer.importers.sources import Unreadable

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# Adobe's Bulk Management workbook: only its Request sheet holds what the API returned; these
# hold the requests a user means to send (and their templates), not the tenant's state.
BULK_INPUT_SHEETS = frozenset({"config", "create", "update", "delete", "headers"})
_MAX_SHEET_ROWS = 2_000_000


@dataclass
class Sheet:
    workbook: str
    sheet: str
    parsed: Parsed
    duplicate_of: str | None = None

    @property
    def is_bulk_input(self) -> bool:
        return self.sheet.strip().lower() in BULK_INPUT_SHEETS

    @property
    def label(self) -> str:
        """How messages name it: ``report.xlsx: sheet 'traits'`` (then ``row 5``)."""
        return f"{self.workbook}: sheet '{self.sheet}'"


def read_workbook(name: str, data: bytes) -> list[Sheet]:
    """Every sheet of the workbook as header + rows; Unreadable when it is no workbook."""
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - a dependency of the package
        raise Unreadable(name, "Excel workbooks need openpyxl, which is not installed",
                         advice=None) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "data validation not supported" and the like
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                          keep_vba=False, keep_links=False)
    except Exception as exc:  # a damaged workbook fails in openpyxl, zipfile or the XML parser
        raise Unreadable(name, f"not a readable Excel workbook ({type(exc).__name__})"
                         ) from None
    try:
        sheets = [Sheet(name, title, _read_sheet(name, title, book[title]))
                  for title in book.sheetnames]
    except Unreadable:
        raise
    except Exception as exc:  # a damaged sheet fails while its rows are read
        raise Unreadable(name, f"not a readable Excel workbook ({type(exc).__name__})"
                         ) from None
    finally:
        book.close()
    _mark_repeated_folder_sheets(sheets)
    return sheets


def _read_sheet(name: str, title: str, worksheet: Any) -> Parsed:
    header: list[str] | None = None
    records: list[dict[str, str]] = []
    rows: list[int] = []
    for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if number > _MAX_SHEET_ROWS:
            raise Unreadable(f"{name}: sheet '{title}'",
                             f"more than {_MAX_SHEET_ROWS:,} rows, over the limit")
        cells = [cell_text(value) for value in row]
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [cell.strip() for cell in cells]
            continue
        records.append({k: v for k, v in zip(header, cells, strict=False) if k and v != ""})
        rows.append(number)
    return Parsed(records, is_csv=True, lines=rows, header=[h for h in header or [] if h],
                  line_noun="row")


def cell_text(value: Any) -> str:
    """A cell as the text a CSV file would hold for it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**63 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _mark_repeated_folder_sheets(sheets: list[Sheet]) -> None:
    """A segment-folder sheet whose rows equal a trait-folder sheet's is the aaudience defect."""
    folder_sheets = [s for s in sheets
                     if s.parsed.records and classify_keys(s.parsed.header or ()) == FOLDER]
    trait_sheets = [s for s in folder_sheets if folder_kind_from_name(s.sheet) == "trait-folder"]
    for sheet in folder_sheets:
        if folder_kind_from_name(sheet.sheet) != "segment-folder":
            continue
        for trait_sheet in trait_sheets:
            if _folder_rows(sheet) == _folder_rows(trait_sheet):
                sheet.duplicate_of = trait_sheet.sheet
                break


def _folder_rows(sheet: Sheet) -> list[tuple[str, str, str]]:
    return sorted((r.get("folderId", ""), r.get("name", ""), r.get("parentFolderId", ""))
                  for r in sheet.parsed.records)
