"""A destination mapping's state: one function decides it for every view."""

from __future__ import annotations

import pytest

from explorer.analysis.mapping_status import MappingState, mapping_state


def _state(**changes: object) -> MappingState:
    fields: dict[str, object] = {
        "segment_found": True, "destination_found": True, "segment_status": "active",
        "element_status": "active", "start_date": "2024-01-01", "end_date": None,
        "export_date": "2025-06-30",
    }
    fields.update(changes)
    return mapping_state(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, MappingState.ACTIVE),
    ({"segment_status": "INACTIVE"}, MappingState.PAUSED),
    ({"element_status": "inactive"}, MappingState.PAUSED),
    ({"end_date": "2025-06-29"}, MappingState.ENDED),
    ({"end_date": "2025-06-30"}, MappingState.ACTIVE),
    ({"start_date": "2025-07-01"}, MappingState.SCHEDULED),
    ({"segment_found": False}, MappingState.MISSING),
    ({"destination_found": False}, MappingState.MISSING),
    ({"export_date": None}, MappingState.NOT_CHECKED),
    ({"export_date": None, "start_date": None}, MappingState.ACTIVE),
    ({"segment_status": "INACTIVE", "end_date": "2020-01-01"}, MappingState.ENDED),
])
def test_mapping_state(changes: dict[str, object], expected: MappingState) -> None:
    assert _state(**changes) is expected
