"""Every published variant of an AAM field, read with one meaning.

Adobe's own API responses name the same thing in several ways (a mapping's id is
``destinationMappingId``, ``mappingId`` or ``traitToDataOrderId``), give some states as numbers
(``status: 1`` next to ``"ACTIVE"`` and ``"active"``) and mix letter case. This module is the one
place that says what each variant means; the importer applies it to every record before it is
validated, so the rest of the app only ever sees the canonical key and word.
``docs/exports.md`` lists the same table for people.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# kind -> {variant key: canonical key}; a canonical key already present wins.
KEY_VARIANTS: dict[str, dict[str, str]] = {
    "destination-mapping": {
        "mappingId": "destinationMappingId",
        "traitToDataOrderId": "destinationMappingId",
        "orderId": "destinationId",
    },
    "derived-signal": {"DerivedSignalId": "derivedSignalId"},
}

# Keys that only a destination mapping has under one of its id names.
MAPPING_ID_KEYS = frozenset({"destinationMappingId", "mappingId", "traitToDataOrderId"})

# ``status`` of data sources, traits, segments, destinations and models: the app shows these
# words in capitals. Adobe's single-object responses give 1 where lists give "ACTIVE".
STATUS_CODES: dict[int, str] = {0: "INACTIVE", 1: "ACTIVE"}
# A mapping's ``elementStatus``: Adobe writes these words in lower case.
ELEMENT_STATUS_CODES: dict[int, str] = {0: "inactive", 1: "active"}
# ``traitType``: no public source pairs a number with a trait type (the one published trait
# with ``traitType: 3`` says nothing else about its type), so every number is kept as "code N".
TRAIT_TYPE_CODES: dict[int, str] = {}

UNKNOWN_CODE_PREFIX = "code "

# field key -> (code table, whether the words are upper case)
CODED_FIELDS: dict[str, tuple[dict[int, str], bool]] = {
    "status": (STATUS_CODES, True),
    "elementStatus": (ELEMENT_STATUS_CODES, False),
    "traitType": (TRAIT_TYPE_CODES, True),
}


def canonical_keys(kind: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """The record with every variant key of ``kind`` renamed to its canonical key."""
    variants = KEY_VARIANTS.get(kind)
    if not variants or not any(key in record for key in variants):
        return dict(record)
    result: dict[str, Any] = {}
    for key, value in record.items():
        canonical = variants.get(key, key)
        if canonical != key and (canonical in record or canonical in result):
            continue  # the canonical key (or an earlier variant) already gave the value
        result[canonical] = value
    return result


def coded_word(key: str, value: Any) -> Any:
    """The word for a coded field's value: ``1`` → ``ACTIVE``, ``"active"`` → ``ACTIVE`` for
    ``status``; an undocumented number → ``"code N"``. Other values come back unchanged."""
    table_upper = CODED_FIELDS.get(key)
    if table_upper is None or value is None or isinstance(value, bool):
        return value
    table, upper = table_upper
    number = _code_number(value)
    if number is not None:
        return table.get(number, f"{UNKNOWN_CODE_PREFIX}{number}")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        return text.upper() if upper else text.lower()
    return value


def is_unknown_code(word: Any) -> bool:
    return isinstance(word, str) and word.startswith(UNKNOWN_CODE_PREFIX)


def canonical_record(kind: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """Variant keys renamed and coded fields turned into words: what the models validate."""
    result = canonical_keys(kind, record)
    for key in CODED_FIELDS:
        if key in result:
            result[key] = coded_word(key, result[key])
    return result


def _code_number(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**31:
        return int(value)
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.isdecimal() and len(text) < 10:
        return int(text)
    return None
