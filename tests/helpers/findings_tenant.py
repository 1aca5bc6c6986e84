"""Helpers for the findings tests: a small tenant written straight into the schema.

Rows go in through plain SQL so each check can be tested on exactly the objects it needs;
``segment_traits`` is filled the way the importer fills it (``referenced_traits``). The
import-based tests in test_findings_import.py cover the same checks through real export files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from explorer.analysis.findings import Finding, list_findings, refresh_findings
from explorer.domain.gaps import Gap
from explorer.domain.segment_rule import referenced_traits
from explorer.kinds import (
    AEP_DATA_SOURCE_NAME,
    AEP_SEGMENT_FOLDER_NAME,
    AEP_TRAIT_FOLDER_NAME,
    EXTERNAL_MERGE_POLICY_NAME,
)
from explorer.store.db import transaction
from explorer.store.gaps import write_gaps
from explorer.store.workspace import Workspace

AEP_DS = 900
WEB_DS = 100
AEP_TRAIT_FOLDER = 10
AEP_SEGMENT_FOLDER = 20
WEB_TRAIT_FOLDER = 11
WEB_SEGMENT_FOLDER = 21
EXTERNAL_RULE = 7001
DEFAULT_RULE = 7000
UUID = "9b3f6c1e-2d4a-4e8b-a1c7-5f0e2b7d9a33"


class Tenant:
    """A tiny tenant: add objects, then ``findings()`` refreshes and lists them."""

    def __init__(self, path: Path) -> None:
        self.ws = Workspace.open(path, create=True)
        self.conn = self.ws.conn

    def close(self) -> None:
        self.ws.close()

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        row = {**row, "raw": json.dumps(row.pop("raw", {}))} if table != "segment_traits" \
            else row
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.conn.execute(f"INSERT OR REPLACE INTO {table} ({cols}) VALUES ({marks})",
                          tuple(row.values()))

    def data_source(self, ds_id: int, name: str, *, unique_traits: bool = False,
                    unique_segments: bool = False) -> None:
        self._insert("data_sources", {"id": ds_id, "name": name,
                                      "unique_trait_ics": int(unique_traits),
                                      "unique_segment_ics": int(unique_segments)})

    def trait_folder(self, folder_id: int, name: str, parent: int | None = None) -> None:
        self._insert("trait_folders", {"id": folder_id, "name": name, "parent_id": parent,
                                       "path": f"/{name}"})

    def segment_folder(self, folder_id: int, name: str, parent: int | None = None) -> None:
        self._insert("segment_folders", {"id": folder_id, "name": name, "parent_id": parent,
                                         "path": f"/{name}"})

    def merge_rule(self, rule_id: int, name: str, cross_device: str | None = None,
                   device: str | None = None) -> None:
        self._insert("merge_rules", {"id": rule_id, "name": name,
                                     "cross_device_option": cross_device,
                                     "device_option": device, "external": 0})

    def trait(self, trait_id: int, name: str = "", *, ds: int = WEB_DS,
              folder: int = WEB_TRAIT_FOLDER, ic: str = "",
              trait_type: str = "RULE_BASED_TRAIT", rule: str = 'c_x == "1"',
              ttl: int | None = None) -> None:
        self._insert("traits", {"id": trait_id, "name": name or f"Trait {trait_id}",
                                "data_source_id": ds, "folder_id": folder,
                                "integration_code": ic, "trait_type": trait_type,
                                "rule": rule, "status": "ACTIVE", "ttl": ttl})

    def segment(self, seg_id: int, rule: str, name: str = "", *, ds: int = WEB_DS,
                folder: int = WEB_SEGMENT_FOLDER, ic: str = "",
                merge_rule: int | None = DEFAULT_RULE, status: str = "ACTIVE") -> None:
        self._insert("segments", {"id": seg_id, "name": name or f"Segment {seg_id}",
                                  "data_source_id": ds, "folder_id": folder,
                                  "integration_code": ic, "merge_rule_id": merge_rule,
                                  "rule": rule, "status": status})
        self.conn.execute("DELETE FROM segment_traits WHERE segment_id = ?", (seg_id,))
        for ref in referenced_traits(rule):
            self._insert("segment_traits", {"segment_id": seg_id, "trait_id": ref.trait_id,
                                            "in_frequency": int(ref.in_frequency),
                                            "negated": int(ref.negated)})

    def destination(self, dest_id: int, name: str, dest_type: str = "PUSH", *,
                    description: str = "", cookie_name: str | None = None,
                    raw: dict[str, Any] | None = None) -> None:
        self._insert("destinations", {"id": dest_id, "name": name, "description": description,
                                      "destination_type": dest_type, "cookie_name": cookie_name,
                                      "raw": raw or {}})

    def mapping(self, map_id: int, dest_id: int, seg_id: int, *, end: str | None = None,
                status: str = "active", start: str | None = "2022-01-01") -> None:
        self._insert("destination_mappings", {"id": map_id, "destination_id": dest_id,
                                              "segment_id": seg_id, "end_date": end,
                                              "element_status": status,
                                              "start_date": start})

    def gaps(self, *gaps: Gap) -> None:
        """Record what the export lacks with a configuration import (as the importer does)."""
        import_id = self.conn.execute(
            "INSERT INTO imports (started_at, finished_at, source, partner_id) "
            "VALUES ('2026-01-02T00:00:00', '2026-01-02T00:00:01', 'test', 4321)").lastrowid
        assert import_id is not None
        write_gaps(self.conn, import_id, gaps)

    def export_date(self, date: str) -> None:
        self.conn.execute(
            "INSERT INTO imports (started_at, finished_at, source, export_date) "
            "VALUES ('2026-01-01T00:00:00', '2026-01-01T00:00:01', 'test', ?)", (date,))

    def usage(self, day: str, value: float, series: str = "target") -> None:
        self.conn.execute("INSERT OR REPLACE INTO usage_days (day, series, value) "
                          "VALUES (?, ?, ?)", (day, series, value))

    def event(self, date: str, value: str, setting: str = "data collection") -> None:
        self.conn.execute("INSERT INTO setting_events (date, setting, value) VALUES (?, ?, ?)",
                          (date, setting, value))

    def base(self) -> Tenant:
        """A correct tenant: web source/folders, merge rules, and one correct AEP pair."""
        self.data_source(WEB_DS, "Acme Web")
        self.data_source(AEP_DS, AEP_DATA_SOURCE_NAME)
        self.trait_folder(AEP_TRAIT_FOLDER, AEP_TRAIT_FOLDER_NAME)
        self.trait_folder(WEB_TRAIT_FOLDER, "Web")
        self.segment_folder(AEP_SEGMENT_FOLDER, AEP_SEGMENT_FOLDER_NAME)
        self.segment_folder(WEB_SEGMENT_FOLDER, "Marketing")
        self.merge_rule(DEFAULT_RULE, "Last Authenticated Profiles + Device Profile",
                        "Last Authenticated Profiles", "Device Profile")
        self.merge_rule(EXTERNAL_RULE, EXTERNAL_MERGE_POLICY_NAME)
        self.aep_pair(1, 2, UUID)
        self.trait(3)
        self.segment(4, "(3T)")
        return self

    def aep_pair(self, trait_id: int, seg_id: int, code: str, *,
                 expression: str | None = None) -> None:
        self.trait(trait_id, f"AEP {code[:8]}", ds=AEP_DS, folder=AEP_TRAIT_FOLDER, ic=code,
                   trait_type="ON_BOARDED_TRAIT",
                   rule=expression if expression is not None else f'segid == "{code}"')
        self.segment(seg_id, f"({trait_id}T)", f"AEP {code[:8]}", ds=AEP_DS,
                     folder=AEP_SEGMENT_FOLDER, ic=code, merge_rule=EXTERNAL_RULE)

    def findings(self, **filters: Any) -> list[Finding]:
        with transaction(self.conn):
            refresh_findings(self.conn)
        return list_findings(self.conn, **filters)

    def of(self, check: str) -> list[Finding]:
        return self.findings(check=check)


def keys(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(f.object_kind, f.object_id) for f in findings}
