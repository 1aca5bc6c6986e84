"""Which kind a file holds, judged by its keys, and CSV cells typed back to JSON values."""

from __future__ import annotations

import pytest

from explorer.importers.parse import classify_keys, csv_cell_value, is_xdm, parse_csv


@pytest.mark.parametrize(("keys", "kind"), [
    ({"mappingId", "destinationId", "sid", "traitType", "traitAlias"}, "destination-mapping"),
    ({"traitToDataOrderId", "orderId", "sid", "traitType"}, "destination-mapping"),
    ({"orderId", "sid", "traitType", "elementStatus", "startDate"}, "destination-mapping"),
    ({"sid", "traitType", "folderId", "name"}, "trait"),
    ({"DerivedSignalId", "sourceKey"}, "derived-signal"),
    ({"folderId", "parentFolderId", "path"}, "folder"),
])
def test_classify_keys(keys: set[str], kind: str) -> None:
    assert classify_keys(keys) == kind


def test_xdm_keys() -> None:
    assert is_xdm({"xdm:segmentExpression", "xdm:segmentFolderId"})
    assert is_xdm({"https://ns.adobe.com/experience/audiencemanager/segmentFolderName"})
    assert not is_xdm({"sid", "name"})


@pytest.mark.parametrize(("cell", "value"), [
    ("[{'destinationMappingId': 620001, 'endDate': None, 'on': True}]",
     [{"destinationMappingId": 620001, "endDate": None, "on": True}]),
    ("['PII']", ["PII"]), ("[PII,ONSITE_PERSONALIZATION]", ["PII", "ONSITE_PERSONALIZATION"]),
    ("[]", []), ('{"a": 1}', {"a": 1}), ("{'a': (1, 2)}", {"a": (1, 2)}),
    ("29769.0", 29769.0), ("1.65E+12", 1_650_000_000_000), ("True", True), ("false", False),
    ("1e999", "1e999"), ("__import__('os').system('x')", "__import__('os').system('x')"),
    ("[__import__('os')]", ["__import__('os')"]),  # never evaluated: a Bulk Management list
])
def test_csv_cells_typed_back_safely(cell: str, value: object) -> None:
    assert csv_cell_value(cell) == value


def test_pandas_index_column_is_no_key() -> None:
    parsed = parse_csv("d.csv", ",sid,name\n0,1,a\n1,2,b\n")
    assert parsed.header == ["sid", "name"]
    assert parsed.records == [{"sid": "1", "name": "a"}, {"sid": "2", "name": "b"}]
    resaved = parse_csv("d.csv", "Unnamed: 0,sid\n0,1\n")
    assert resaved.records == [{"sid": "1"}]
