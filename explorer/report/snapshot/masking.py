"""Masking the client's values in the snapshot, leaving AAM's vocabulary readable; long and
deep values are cut with a visible marker so any export gives a report in linear time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from explorer.report.snapshot.model import Mask

# Values of these keys are AAM's vocabulary (statuses, types, dates), not the client's data:
# the mask leaves them alone so the report still reads ("ACTIVE", "Rule-based").
_VOCABULARY_KEYS = frozenset({
    "kind", "status", "trait_type", "traitType", "destination_type", "destinationType", "type",
    "id_type", "idType", "sub_id_type", "subIdType", "element_status", "elementStatus",
    "severity", "check_id", "cross_device_option", "crossDeviceOption", "device_option",
    "deviceOption", "integration_code_label", "create_time_iso", "update_time_iso", "created",
    "updated", "start_date", "startDate", "end_date", "endDate", "label",
    "data_export_controls", "dataExportControls", "dataExportRestrictions", "devicePlatform",
    "mappingAutoFiller", "backfillStatus", "state",
})
# Numbers that identify the client (the partner id in every raw record) are masked as text.
_IDENTIFYING_NUMBERS = frozenset({"pid"})
# A value nested deeper than this is shown as DEPTH_MARKER (no export nests this deep; a
# hostile one must not exhaust the stack or the page).
MAX_DEPTH = 64
DEPTH_MARKER = "[nested too deep: not shown]"
# A text longer than this is cut: a report is read, and a 300,000-character name would cost
# the PDF's line breaker minutes while telling the reader nothing more.
MAX_TEXT = 2000


def clip_text(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut to ``limit`` characters with a marker saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [cut: {len(text) - limit:,} more characters]"


def masker_for(mask: Mask | None) -> Mask:
    """The function every client string of the report goes through: masked (when asked),
    then cut when too long."""
    if mask is None:
        return clip_text
    return lambda text: clip_text(mask(text))


def mask_value(value: Any, mask: Mask, key: str = "") -> Any:
    """``value`` with every string passed through ``mask``, except AAM vocabulary keys.

    Walks iteratively: a value nested thousands of levels deep gets DEPTH_MARKER below
    MAX_DEPTH instead of a RecursionError.
    """
    root: list[Any] = [None]
    # (value, its key, the container to store into, the slot, depth)
    stack: list[tuple[Any, str, Any, Any, int]] = [(value, key, root, 0, 0)]
    while stack:
        item, item_key, into, slot, depth = stack.pop()
        if item_key in _VOCABULARY_KEYS:
            into[slot] = item
        elif (item_key in _IDENTIFYING_NUMBERS and isinstance(item, int)
              and not isinstance(item, bool)):
            into[slot] = mask(str(item))
        elif isinstance(item, str):
            into[slot] = mask(item)
        elif isinstance(item, Mapping | list | tuple) and depth >= MAX_DEPTH:
            into[slot] = DEPTH_MARKER
        elif isinstance(item, Mapping):
            copy: dict[Any, Any] = {}
            into[slot] = copy
            for k, v in item.items():
                copy[k] = None
                stack.append((v, str(k), copy, k, depth + 1))
        elif isinstance(item, list | tuple):
            items: list[Any] = [None] * len(item)
            into[slot] = items
            stack.extend((v, item_key, items, n, depth + 1) for n, v in enumerate(item))
        else:
            into[slot] = item
    return root[0]
