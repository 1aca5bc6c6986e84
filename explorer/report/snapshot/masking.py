"""Masking the client's values in the snapshot, leaving AAM's vocabulary readable.
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
    "mappingAutoFiller", "backfillStatus",
})
# Numbers that identify the client (the partner id in every raw record) are masked as text.
_IDENTIFYING_NUMBERS = frozenset({"pid"})


def masker_for(mask: Mask | None) -> Mask:
    if mask is None:
        return lambda text: text
    return mask


def mask_value(value: Any, mask: Mask, key: str = "") -> Any:
    """``value`` with every string passed through ``mask``, except AAM vocabulary keys."""
    if key in _VOCABULARY_KEYS:
        return value
    if key in _IDENTIFYING_NUMBERS and isinstance(value, int) and not isinstance(value, bool):
        return mask(str(value))
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, Mapping):
        return {k: mask_value(v, mask, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(v, mask, key) for v in value]
    return value
