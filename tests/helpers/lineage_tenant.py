"""A tenant built for the lineage and impact tests, written straight into the schema.

Export date 2026-06-30. Traits in every position a segment rule can hold them:

- trait 10 "Cart" in an AND (segment 20), an OR (segment 21) and alone (paused segment 30);
- trait 12 "Employees" under NOT (segment 22: ``14T AND NOT 12T``);
- trait 15 "Visits" in a frequency clause, alone (segment 23) and beside trait 14 in an OR
  (segment 24);
- paused segment 30 mapped to destination 40 (ended), 41 (scheduled) and 42 (active), and
  active segment 20 mapped to destination 42 (mapping 504, active);
- data source 200 "Bulk" with ``BULK_TRAITS`` traits;
- the AEP pair of ``Tenant.base`` (trait 1, segment 2, AEP segment ``UUID``).

``sharing`` adds a Shared Audiences event: "enabled" / "disabled" on 2026-01-01, "later"
(enabled, but only after the export date) or None (no event).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.findings_tenant import UUID, Tenant

EXPORT_DATE = "2026-06-30"
BULK_DS = 200
BULK_TRAITS = 3000
BULK_FIRST_TRAIT = 100_000
__all__ = ["BULK_DS", "BULK_FIRST_TRAIT", "BULK_TRAITS", "EXPORT_DATE", "UUID",
           "build_lineage_tenant"]


def _mapping(tenant: Tenant, map_id: int, dest_id: int, seg_id: int, *, start: str,
             end: str | None = None) -> None:
    tenant.conn.execute(
        "INSERT INTO destination_mappings (id, destination_id, segment_id, element_status, "
        "start_date, end_date, raw) VALUES (?, ?, ?, 'active', ?, ?, '{}')",
        (map_id, dest_id, seg_id, start, end))


def build_lineage_tenant(path: Path, *, sharing: str | None = "enabled",
                         bulk: bool = True) -> Tenant:
    tenant = Tenant(path).base()
    tenant.trait(10, "Cart")
    tenant.trait(11, "Checkout")
    tenant.trait(12, "Employees")
    tenant.trait(13, "Newsletter")
    tenant.trait(14, "Bought")
    tenant.trait(15, "Visits")
    tenant.segment(20, "10T AND 11T", "Cart and checkout")
    tenant.segment(21, "10T OR 13T", "Cart or newsletter")
    tenant.segment(22, "14T AND NOT 12T", "Buyers, not employees")
    tenant.segment(23, "frequency([15T]) >= 3", "Frequent visitors")
    tenant.segment(24, "(frequency([15T, 14T]) >= 2) OR 13T", "Engaged")
    tenant.segment(30, "10T", "Paused campaign", status="INACTIVE")
    tenant.destination(40, "Old DSP")
    tenant.destination(41, "Next DSP")
    tenant.destination(42, "Social")
    _mapping(tenant, 501, 40, 30, start="2025-01-01", end="2026-01-31")
    _mapping(tenant, 502, 41, 30, start="2026-09-01")
    _mapping(tenant, 503, 42, 30, start="2025-01-01")
    _mapping(tenant, 504, 42, 20, start="2025-01-01")
    tenant.export_date(EXPORT_DATE)
    if sharing in ("enabled", "disabled"):
        tenant.event("2026-01-01", sharing, setting="shared audiences")
    elif sharing == "later":
        tenant.event("2026-08-01", "enabled", setting="shared audiences")
    if bulk:
        tenant.data_source(BULK_DS, "Bulk")
        tenant.conn.executemany(
            "INSERT INTO traits (id, name, data_source_id, folder_id, status, raw) "
            "VALUES (?, ?, ?, 11, ?, ?)",
            [(BULK_FIRST_TRAIT + n, f"Bulk trait {n:04d}", BULK_DS,
              "INACTIVE" if n % 10 == 0 else "ACTIVE", json.dumps({"uniques30Day": n}))
             for n in range(BULK_TRAITS)])
    tenant.conn.commit()
    return tenant
