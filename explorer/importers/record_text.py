"""How the importer writes records and names them: the compact JSON of the
``raw`` column, a record's label in messages, and a validation error in plain words.
"""

from __future__ import annotations

from typing import Any

from explorer.importers.parse import json_type
from explorer.store.stored_records import compact_json

__all__ = ["compact_json", "error_message", "record_label"]

def record_label(base: str, id_field: str, record: Any) -> str:
    """``record 3 (sid 1000003)``: the position, plus the AAM id when the record has one."""
    if isinstance(record, dict):
        value = record.get(id_field)
        if isinstance(value, int | str) and not isinstance(value, bool) and str(value).strip():
            return f"{base} ({id_field} {value})"
    return base


def error_message(error: Any) -> str:
    message = str(error.get("msg", "invalid value"))
    if error.get("type") == "missing":
        return "required field is missing"
    value = error.get("input")
    if isinstance(value, dict | list):
        return f"{message} (got {json_type(value)})"
    shown = repr(value)
    return f"{message} (got {shown if len(shown) <= 40 else shown[:37] + '...'})"
