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
    """Imports: 1 = v1 (2023-08-05), [2 = usage only], then v2 (2023-08-19)."""
    import_export(V1, path, export_date="2023-08-05")
    if usage_between:
        import_export(USAGE, path)
    import_export(V2, path, export_date="2023-08-19")
    return path


def copy_workspace(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


# What the diff of the two versions must report (shared by the core and CLI tests).
TRAIT_RULE_OLD = '(c_region == "caribbean") AND (c_budget >= 3000)'
TRAIT_RULE_NEW = '(c_region == "caribbean") AND (c_budget >= 4500)'

EXPECTED_OBJECTS = {
    "added": [
        {"kind": "trait", "id": 3100008, "name": "Brochure Requesters", "aep": False},
        {"kind": "trait", "id": 3100012, "name": "AEP: App Check-in Users", "aep": True},
        {"kind": "segment", "id": 3100013, "name": "AEP: App Check-in Users", "aep": True},
        {"kind": "segment", "id": 3200005, "name": "Brochure Requesters Viewing Beaches",
         "aep": False},
    ],
    "removed": [
        {"kind": "trait", "id": 3100003, "name": "Arrived From Review Sites", "aep": False},
        {"kind": "trait", "id": 3100006, "name": "AEP: Abandoned Booking (3d)", "aep": True},
        {"kind": "trait", "id": 3100020, "name": "Spring Sale Visitors", "aep": False},
        {"kind": "segment", "id": 3100007, "name": "AEP: Abandoned Booking (3d)", "aep": True},
        {"kind": "segment", "id": 3200004, "name": "Review-Site Long-Haul Flyers",
         "aep": False},
        {"kind": "destination-mapping", "id": 820004, "name": "AEP: Abandoned Booking (3d)",
         "aep": False},
    ],
    "changed": [
        # A folder rename changes its name only: its path (and its subfolders') is derived.
        {"kind": "segment-folder", "id": 640112, "name": "Display, Social and Video",
         "fields": {"name": ["Display and Social", "Display, Social and Video"]}},
        {"kind": "trait", "id": 3100001, "name": "Viewed Beach Holidays (all resorts)",
         "fields": {"name": ["Viewed Beach Holidays", "Viewed Beach Holidays (all resorts)"]}},
        {"kind": "trait", "id": 3100002, "name": "Luxury Caribbean Searchers",
         "fields": {"rule": [TRAIT_RULE_OLD, TRAIT_RULE_NEW]}},
        {"kind": "segment", "id": 3200001, "name": "Beach Viewers - Platinum Members",
         "fields": {"rule": ["(3100001T) AND (3100004T)",
                             "(3100001T OR 3100002T) AND (3100004T)"]}},
    ],
    "moved": [
        {"kind": "trait-folder", "id": 540142, "name": "Modeled",
         "from": {"parent_id": 540140, "folder_path": "/Loyalty Program"},
         "to": {"parent_id": 540130, "folder_path": "/Site Browsing"}},
        # Moved AND its rule changed: in both lists.
        {"kind": "trait", "id": 3100002, "name": "Luxury Caribbean Searchers",
         "from": {"folder_id": 540132,
                  "folder_path": "/Site Browsing/Holiday Types/Beach"},
         "to": {"folder_id": 540133, "folder_path": "/Site Browsing/Traffic Sources"}},
        {"kind": "trait", "id": 3100004, "name": "Platinum Tier",
         "from": {"data_source_id": 471202, "data_source": "Bluefin Loyalty CRM"},
         "to": {"data_source_id": 471203, "data_source": "Bluefin Audiences"}},
        {"kind": "segment", "id": 3200003, "name": "Modeled Prospects Not Yet Platinum",
         "from": {"folder_id": 640112, "folder_path": "/Campaigns/Display and Social"},
         "to": {"folder_id": 640111, "folder_path": "/Campaigns/Onsite Tests"}},
    ],
}
UNUSED_LONG_HAUL = {"check": "trait-unused", "severity": "info", "object_kind": "trait",
              "object_id": 3100010,
              "message": "Trait 'Frequent Flyers - Long Haul' (3100010) is used by no segment"}
# segments v2 adds without a destination mapping (segment-only-target)
ONLY_TARGET_NEW = [
    {"check": "segment-only-target", "severity": "info", "object_kind": "segment",
     "object_id": seg_id,
     "message": f"Segment '{name}' ({seg_id}) is sent to no destination: it reaches only Target"}
    for seg_id, name in ((3100013, "AEP: App Check-in Users"),
                         (3200005, "Brochure Requesters Viewing Beaches"))
]
UNUSED_OLD = {"check": "trait-unused", "severity": "info", "object_kind": "trait",
              "object_id": 3100020,
              "message": "Trait 'Spring Sale Visitors' (3100020) is used by no segment"}
