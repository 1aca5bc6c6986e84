"""Shared by the diff tests: a workspace holding two versions of one tenant (tests/data/diff).

Version 1 is the sample tenant plus an unused trait; version 2 renames a trait, changes a trait
and a segment rule, moves objects between folders and between data sources, moves a folder,
renames a folder, deletes traits, segments and an AEP trait+segment pair, and adds plain and
AEP objects. A usage-only import sits between the two.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from explorer.importers import import_export
from tests.helpers.paths import DATA_DIR

DIFF_DATA = DATA_DIR / "diff"
V1, V2, USAGE = DIFF_DATA / "v1", DIFF_DATA / "v2", DIFF_DATA / "usage"


def build_two_version_workspace(path: Path, *, usage_between: bool = True) -> Path:
    """Imports: 1 = v1 (2022-07-01), [2 = usage only], then v2 (2022-07-15)."""
    import_export(V1, path, export_date="2022-07-01")
    if usage_between:
        import_export(USAGE, path)
    import_export(V2, path, export_date="2022-07-15")
    return path


def copy_workspace(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


# What the diff of the two versions must report (shared by the core and CLI tests).
TRAIT_RULE_OLD = '(c_category == "electronics") AND (c_price >= 500)'
TRAIT_RULE_NEW = '(c_category == "electronics") AND (c_price >= 800)'

EXPECTED_OBJECTS = {
    "added": [
        {"kind": "trait", "id": 1000008, "name": "Newsletter Subscribers", "aep": False},
        {"kind": "trait", "id": 1000012, "name": "AEP: Loyal App Users", "aep": True},
        {"kind": "segment", "id": 1000013, "name": "AEP: Loyal App Users", "aep": True},
        {"kind": "segment", "id": 2000005, "name": "Newsletter Phone Viewers", "aep": False},
    ],
    "removed": [
        {"kind": "trait", "id": 1000003, "name": "Referred From Search", "aep": False},
        {"kind": "trait", "id": 1000006, "name": "AEP: Cart Abandoners (7d)", "aep": True},
        {"kind": "trait", "id": 1000020, "name": "Old Campaign Visitors", "aep": False},
        {"kind": "segment", "id": 1000007, "name": "AEP: Cart Abandoners (7d)", "aep": True},
        {"kind": "segment", "id": 2000004, "name": "Search-Referred SUV Intenders",
         "aep": False},
        {"kind": "destination-mapping", "id": 610004, "name": "AEP: Cart Abandoners (7d)",
         "aep": False},
    ],
    "changed": [
        # A folder rename changes its name only: its path (and its subfolders') is derived.
        {"kind": "segment-folder", "id": 300112, "name": "Paid Media & Social",
         "fields": {"name": ["Paid Media", "Paid Media & Social"]}},
        {"kind": "trait", "id": 1000001, "name": "Viewed Phones (all brands)",
         "fields": {"name": ["Viewed Phones", "Viewed Phones (all brands)"]}},
        {"kind": "trait", "id": 1000002, "name": "Premium Electronics Shoppers",
         "fields": {"rule": [TRAIT_RULE_OLD, TRAIT_RULE_NEW]}},
        {"kind": "segment", "id": 2000001, "name": "Phone Viewers - Gold Members",
         "fields": {"rule": ["(1000001T) AND (1000004T)",
                             "(1000001T OR 1000002T) AND (1000004T)"]}},
    ],
    "moved": [
        {"kind": "trait-folder", "id": 200142, "name": "Look-alikes",
         "from": {"parent_id": 200140, "folder_path": "/CRM"},
         "to": {"parent_id": 200130, "folder_path": "/Web Behavior"}},
        # Moved AND its rule changed: in both lists.
        {"kind": "trait", "id": 1000002, "name": "Premium Electronics Shoppers",
         "from": {"folder_id": 200132,
                  "folder_path": "/Web Behavior/Product Interest/Electronics"},
         "to": {"folder_id": 200133, "folder_path": "/Web Behavior/Acquisition"}},
        {"kind": "trait", "id": 1000004, "name": "CRM Gold Tier",
         "from": {"data_source_id": 163002, "data_source": "Acme CRM"},
         "to": {"data_source_id": 163003, "data_source": "Acme Audiences"}},
        {"kind": "segment", "id": 2000003, "name": "Look-alikes Not Yet Gold",
         "from": {"folder_id": 300112, "folder_path": "/Marketing/Paid Media"},
         "to": {"folder_id": 300111, "folder_path": "/Marketing/Target Activities"}},
    ],
}
UNUSED_SUV = {"check": "trait-unused", "severity": "info", "object_kind": "trait",
              "object_id": 1000010,
              "message": "Trait 'Auto Intenders - SUV' (1000010) is used by no segment"}
# segments v2 adds without a destination mapping (segment-only-target)
ONLY_TARGET_NEW = [
    {"check": "segment-only-target", "severity": "info", "object_kind": "segment",
     "object_id": seg_id,
     "message": f"Segment '{name}' ({seg_id}) is sent to no destination: it reaches only Target"}
    for seg_id, name in ((1000013, "AEP: Loyal App Users"), (2000005, "Newsletter Phone Viewers"))
]
UNUSED_OLD = {"check": "trait-unused", "severity": "info", "object_kind": "trait",
              "object_id": 1000020,
              "message": "Trait 'Old Campaign Visitors' (1000020) is used by no segment"}
