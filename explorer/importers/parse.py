"""Bytes → text → records, and which AAM kind a file holds, judged by its records' keys.

A file is recognised by its content, not its name: Adobe's clients and consultants' scripts name
export files every which way. Only trait vs segment *folders* (identical keys) need the name or,
failing that, the folder ids that traits and segments use.
"""

from __future__ import annotations

import ast
import codecs
import csv
import io
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from explorer.domain.codes import KEY_VARIANTS, MAPPING_ID_KEYS
from explorer.importers.sources import Unreadable

JSON_SUFFIXES = (".json",)
CSV_SUFFIXES = (".csv", ".tsv")
FOLDER = "folder"  # trait or segment folder, not yet decided
_CSV_DELIMITERS = ",;\t"
_KEY_SAMPLE = 20  # records whose keys decide the kind: enough to ride over a sparse first one


@dataclass
class Parsed:
    """A readable file: its records (dicts, or whatever bad values it held) and their labels."""

    records: list[Any]
    is_csv: bool  # a table (CSV file or workbook sheet): cells are text to be typed
    # CSV: the physical line each record ended on (a sheet: its row); JSON: None (records are
    # numbered from 1).
    lines: list[int] | None = None
    header: list[str] | None = None
    noun: str = "record"
    line_noun: str = "line"
    # The paged wrapper's ``total`` (all objects of the kind), when the file had one.
    total: int | None = None

    def label(self, index: int) -> str:
        if self.lines is not None:
            return f"{self.line_noun} {self.lines[index]}"
        return f"{self.noun} {index + 1}"


def decode(name: str, data: bytes, *, allow_legacy: bool) -> tuple[str, str | None]:
    """Decode UTF-8 (BOM or not) or UTF-16 with BOM; Windows-1252 only when ``allow_legacy``.

    Returns the text and a warning when a legacy encoding had to be guessed.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise Unreadable(name, f"not valid UTF-16 text ({exc.reason})") from None
    warning: str | None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not allow_legacy:
            raise Unreadable(
                name, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
            ) from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise Unreadable(
                name, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
            ) from None
        warning = "not UTF-8: read as Windows-1252 (as Excel saves CSV)"
    else:
        warning = None
    if "\x00" in text:
        raise Unreadable(
            name, "not an AAM export file: binary data (NUL bytes), not JSON or CSV text")
    return text, warning


def looks_like_json(name: str, text: str) -> bool:
    lowered = name.lower()
    if lowered.endswith(JSON_SUFFIXES):
        return True
    if lowered.endswith(CSV_SUFFIXES):
        return False
    return text.lstrip()[:1] in ("[", "{")


def looks_like_csv(name: str) -> bool:
    return name.lower().endswith(CSV_SUFFIXES)


def parse_json(name: str, text: str) -> Parsed | None:
    """Records of a JSON file; None when its top level is an object of no known shape."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        # A file cut short (an interrupted download or copy) fails right at its end.
        ending = ", where the file ends: truncated?" if exc.pos >= len(text.rstrip()) else ""
        raise Unreadable(
            name, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}{ending})"
        ) from None
    except RecursionError:
        raise Unreadable(
            name, "not readable as an AAM export file: its JSON nests too deeply "
            "(AAM files nest a few levels)"
        ) from None
    if isinstance(document, list):
        return Parsed(document, is_csv=False)
    if isinstance(document, dict):
        if "list" in document:  # the paged wrapper {total, page, pageSize, list}
            if not isinstance(document["list"], list):
                raise Unreadable(name, "paged wrapper whose 'list' is not an array")
            total = document.get("total")
            usable_total = (total if isinstance(total, int) and not isinstance(total, bool)
                            and 0 <= total < 2**63 else None)
            return Parsed(document["list"], is_csv=False, total=usable_total)
        if classify_keys(document.keys()) is not None or is_xdm(document.keys()):
            return Parsed([document], is_csv=False)  # one object, e.g. a folder tree root
        return None
    raise Unreadable(
        name, f"wrong top-level shape: expected an array or an object, got {json_type(document)}"
    )


def parse_csv(name: str, text: str) -> Parsed:
    """Rows of a CSV sheet as dicts keyed by the header; blank cells are left out."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(_CSV_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    records: list[dict[str, str]] = []
    lines: list[int] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [_column_name(cell) for cell in row]
                continue
            records.append({k: v for k, v in zip(header, row, strict=False) if k and v != ""})
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise Unreadable(name, f"not readable CSV (line {reader.line_num}: {exc})") from None
    return Parsed(records, is_csv=True, lines=lines, header=[h for h in header or [] if h])


_INDEX_COLUMN = re.compile(r"unnamed: ?\d+", re.IGNORECASE)


def _column_name(cell: str) -> str:
    """A header cell; pandas' index column (blank, or "Unnamed: 0" once re-saved) is no key."""
    name = cell.strip()
    return "" if _INDEX_COLUMN.fullmatch(name) else name


def json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def sample_keys(parsed: Parsed) -> set[str]:
    if parsed.header is not None:
        return set(parsed.header)
    keys: set[str] = set()
    for record in parsed.records[:_KEY_SAMPLE]:
        if isinstance(record, dict):
            keys.update(record)
    return keys


_DATA_SOURCE_MARKERS = {
    "idType", "subIdType", "inboundS2S", "outboundS2S", "uniqueTraitIntegrationCodes",
    "uniqueSegmentIntegrationCodes", "dataExportRestrictions", "customNamespaceId",
    "useAudienceManagerVisitorID", "integrationCode", "name",
}


_MAPPING_MARKERS = {"traitAlias", "valueAlias", "elementStatus", "elementName", "traitValue"}


def classify_keys(keys: Iterable[str]) -> str | None:
    """The KIND word (or FOLDER) for records with these keys; None when nothing fits."""
    k = set(keys)
    if "segmentRule" in k:
        return "segment"
    # Mappings carry sid + traitType "SEGMENT" too, and Adobe names their id three ways.
    if k & MAPPING_ID_KEYS or (
            "sid" in k and k & {"destinationId", "orderId"} and k & _MAPPING_MARKERS):
        return "destination-mapping"
    if "sid" in k and k & {"traitType", "traitRule", "folderId"}:
        return "trait"
    if "algoModelId" in k:  # after traits: algo traits name their model
        return "algo-model"
    if k & {"derivedSignalId", *KEY_VARIANTS["derived-signal"]}:
        return "derived-signal"
    if "destinationId" in k and "destinationType" in k:
        return "destination"
    if "mergeRuleDataSourceId" in k and k & {"crossDeviceOption", "deviceOption"}:
        return "merge-rule"
    if "folderId" in k and ("parentFolderId" in k or "subFolders" in k):
        return FOLDER
    if "dataSourceId" in k and "sid" not in k and k & _DATA_SOURCE_MARKERS:
        return "data-source"
    return None


_TRAIT_NAME = re.compile(r"trait", re.IGNORECASE)
_SEGMENT_NAME = re.compile(r"segment", re.IGNORECASE)


def folder_kind_from_name(name: str) -> str | None:
    """``trait-folders.json`` → trait-folder; a name naming both or neither decides nothing."""
    is_trait = bool(_TRAIT_NAME.search(name))
    is_segment = bool(_SEGMENT_NAME.search(name))
    if is_trait != is_segment:
        return "trait-folder" if is_trait else "segment-folder"
    return None


def is_xdm(keys: Iterable[str]) -> bool:
    """AEP's XDM view of AAM objects (``xdm:segmentExpression``, IRI keys), not REST form."""
    return any(key.startswith(("xdm:", "https://ns.adobe.com/", "@id")) for key in keys)


_INT = re.compile(r"-?(0|[1-9]\d*)")
_FLOAT = re.compile(r"-?\d+(\.\d*)?([eE][-+]?\d+)?|-?\.\d+([eE][-+]?\d+)?")


def csv_cell_value(text: str) -> Any:
    """A Bulk Management cell as the JSON value it was dumped from (for the ``raw`` column)."""
    value = text.strip()
    lowered = value.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        number = float(value)
        if not math.isfinite(number):
            return text  # "1e999": the field's own check says what is wrong with it
        # Excel writes epoch milliseconds as 1.65E+12: give them back as integers.
        return int(number) if number.is_integer() and "e" in lowered else number
    if value.startswith(("[", "{")) and value.endswith(("]", "}")):
        literal = _literal(value)
        if literal is not _NOT_A_LITERAL:
            return literal
        if value.startswith("["):  # Bulk Management writes arrays as [a,b], strings unquoted
            inner = value[1:-1].strip()
            return [csv_cell_value(part.strip('"')) for part in inner.split(",")] if inner \
                else []
    return text


_NOT_A_LITERAL = object()
_MAX_LITERAL_CHARS = 1 << 20


def _literal(value: str) -> Any:
    """A cell holding JSON, or the Python literal pandas writes for a list or dict
    (``[{'destinationMappingId': 620001}]``, ``['PII']``): read with ``ast.literal_eval``,
    which evaluates literals only, never code."""
    try:
        return json.loads(value)
    except (json.JSONDecodeError, RecursionError):
        pass
    if len(value) > _MAX_LITERAL_CHARS:
        return _NOT_A_LITERAL
    try:
        result = ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _NOT_A_LITERAL
    return result if isinstance(result, list | dict) else _NOT_A_LITERAL
