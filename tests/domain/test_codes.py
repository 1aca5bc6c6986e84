"""Every published variant of a field has one meaning (explorer.domain.codes)."""

from __future__ import annotations

import pytest

from explorer.domain.codes import canonical_keys, canonical_record, coded_word, is_unknown_code


@pytest.mark.parametrize(("record", "expected"), [
    ({"mappingId": 14593, "destinationId": 1}, {"destinationMappingId": 14593,
                                                "destinationId": 1}),
    ({"traitToDataOrderId": 103455, "orderId": 780}, {"destinationMappingId": 103455,
                                                      "destinationId": 780}),
    # the canonical key wins over a variant, whatever the order
    ({"mappingId": 1, "destinationMappingId": 2}, {"destinationMappingId": 2}),
    ({"destinationMappingId": 2, "mappingId": 1}, {"destinationMappingId": 2}),
])
def test_mapping_key_variants(record: dict[str, int], expected: dict[str, int]) -> None:
    assert canonical_keys("destination-mapping", record) == expected


def test_derived_signal_capital_d_and_other_kinds_untouched() -> None:
    assert canonical_keys("derived-signal", {"DerivedSignalId": 5}) == {"derivedSignalId": 5}
    assert canonical_keys("trait", {"mappingId": 5}) == {"mappingId": 5}


@pytest.mark.parametrize(("key", "value", "word"), [
    ("status", 1, "ACTIVE"), ("status", 0, "INACTIVE"), ("status", "active", "ACTIVE"),
    ("status", " Inactive ", "INACTIVE"), ("status", "1", "ACTIVE"), ("status", 1.0, "ACTIVE"),
    ("status", 7, "code 7"), ("status", "", None), ("status", None, None),
    ("elementStatus", 1, "active"), ("elementStatus", "ACTIVE", "active"),
    ("elementStatus", 0, "inactive"), ("elementStatus", "Deleted", "deleted"),
    ("traitType", 3, "code 3"), ("traitType", "rule_based_trait", "RULE_BASED_TRAIT"),
    ("name", 1, 1),  # not a coded field
    ("status", True, True),  # not a code: the model says what is wrong with it
])
def test_coded_words(key: str, value: object, word: object) -> None:
    assert coded_word(key, value) == word


def test_canonical_record_applies_both() -> None:
    assert canonical_record("destination-mapping", {
        "mappingId": 9, "orderId": 780, "sid": 3, "elementStatus": 1}) == {
        "destinationMappingId": 9, "destinationId": 780, "sid": 3, "elementStatus": "active"}
    assert is_unknown_code("code 3") and not is_unknown_code("ACTIVE")
