"""rule-window-beyond-ttl: a recency/frequency window longer than the trait's TTL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.findings_tenant import Tenant, keys


@pytest.fixture
def tenant(tmp_path: Path) -> Iterator[Tenant]:
    t = Tenant(tmp_path / "r.aamws").base()
    t.trait(5, "Short-lived", ttl=30)
    t.trait(6, "Forever", ttl=0)  # 0 = never expires
    t.trait(7, "Long", ttl=180)
    yield t
    t.close()


def test_window_beyond_ttl(tenant: Tenant) -> None:
    tenant.segment(80, "(3T) AND frequency([5T, 7T] <= 90D) >= 3", "Buyers")
    found = tenant.of("rule-window-beyond-ttl")
    assert keys(found) == {("segment", 80)}
    assert found[0].message == ("Segment 'Buyers' (80) looks back 90 days over trait "
                                "'Short-lived' (5), whose TTL is 30 days")
    assert found[0].numbers["traits"] == [{"trait_id": 5, "ttl": 30, "window_days": 90}]


def test_windows_within_ttl_or_without_recency_are_fine(tenant: Tenant) -> None:
    tenant.segment(81, "frequency([5T] <= 30D) >= 2")  # exactly the TTL
    tenant.segment(82, "frequency([6T] <= 365D) >= 2")  # never expires
    tenant.segment(83, "frequency([5T]) >= 2 AND (7T)")  # no window
    tenant.segment(84, "(5T) AND frequency([7T] <= 90D) >= 2")  # 90 D is over 7T only
    assert tenant.of("rule-window-beyond-ttl") == []
