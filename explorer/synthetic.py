"""Synthetic tenant exports at AAM's documented limits, for benchmarks and model tests.

``write_synthetic_tenant(out_dir, scale)`` writes an export with the same JSON shapes as a real
one (aam-formats.md §2-§8, §16) sized at the usage limits times ``scale``: at scale 1, 100,000
traits, 20,000 segments, 2,000 trait folders up to 5 levels deep, 500 segment folders, 4 merge
rules and 1,000 destinations. Traits and segments are streamed to paged files of 10,000 records
(the ``{total, page, pageSize, list}`` wrapper Adobe's tools write), one record at a time, so
memory stays flat whatever the scale. Deterministic for a given ``seed``.

Qt-free: tests and ``benchmarks/import_bench.py`` import it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

PID = 7777
PAGE_SIZE = 10_000
MAX_FOLDER_DEPTH = 5

# AAM usage limits (aam-formats.md §14) at scale 1.
LIMITS = {"traits": 100_000, "segments": 20_000, "trait_folders": 2_000,
          "segment_folders": 500, "destinations": 1_000}

FIRST_TRAIT_SID = 10_000_001
FIRST_SEGMENT_SID = 20_000_001
FIRST_TRAIT_FOLDER = 400_001
FIRST_SEGMENT_FOLDER = 500_001
FIRST_DESTINATION = 60_001
FIRST_MAPPING = 700_001
DATA_SOURCES = (180001, 180002, 180003, 180004)  # web, app, CRM, AEP audience sharing
DS_CRM, DS_AEP = 180003, 180004
MERGE_RULES = (180010, 180011, 180012, 180013)  # the third is the External Merge Policy
BASE_TIME_MS = 1_704_067_200_000  # 2024-01-01
SPAN_MS = 1_000 * 86_400 * 1_000  # 1,000 days

_WORDS = (
    "outdoor", "tent", "jacket", "boot", "trail", "running", "camping", "hiking", "summit",
    "river", "alpine", "winter", "summer", "loyalty", "cart", "checkout", "search", "mobile",
    "app", "email", "social", "display", "video", "premium", "budget", "family", "ultralight",
    "waterproof", "insulated", "climbing", "paddle", "snow", "geo", "urban", "coastal",
    "weekend", "deal", "gift",
)
_KEYS = ("c_product", "c_category", "c_page", "c_event", "c_search", "d_country", "h_referer")
_OPS = ("==", "contains", "startswith", "matchesregex", "!=")


@dataclass(frozen=True)
class _Sizes:
    traits: int
    segments: int
    trait_folders: int
    segment_folders: int
    destinations: int

    @classmethod
    def for_scale(cls, scale: float, wide_folder: int) -> _Sizes:
        def scaled(limit: int, minimum: int) -> int:
            return max(minimum, round(limit * scale))

        return cls(traits=max(scaled(LIMITS["traits"], 10), wide_folder),
                   segments=scaled(LIMITS["segments"], 2),
                   trait_folders=scaled(LIMITS["trait_folders"], MAX_FOLDER_DEPTH + 1),
                   segment_folders=scaled(LIMITS["segment_folders"], 2),
                   destinations=scaled(LIMITS["destinations"], 3))


def write_synthetic_tenant(out_dir: Path, scale: float = 1.0, seed: int = 1, *,
                           wide_folder: int = 0) -> dict[str, int]:
    """Write a synthetic export into ``out_dir``; return rows per table (schema table names).

    ``wide_folder`` > 0 puts that many traits (the first ones) into one leaf folder, for tests
    of "load more" rows and lazy models; the trait count grows to at least that number.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    sizes = _Sizes.for_scale(scale, wide_folder)
    trait_folders = _folder_tree(rng, sizes.trait_folders, FIRST_TRAIT_FOLDER, "Traits")
    segment_folders = _folder_tree(rng, sizes.segment_folders, FIRST_SEGMENT_FOLDER, "Segments")
    _write_json(out_dir / "datasources.json", _data_sources())
    _write_json(out_dir / "merge-rules.json", _merge_rules())
    _write_json(out_dir / "trait-folders.json", _nest(trait_folders))
    _write_json(out_dir / "segment-folders.json", segment_folders)
    trait_folder_ids = [f["folderId"] for f in trait_folders]
    wide_id = _deepest(trait_folders)["folderId"]
    _write_pages(out_dir, "traits", sizes.traits,
                 (_trait(rng, i, wide_id if i < wide_folder else rng.choice(trait_folder_ids))
                  for i in range(sizes.traits)))
    segment_folder_ids = [f["folderId"] for f in segment_folders]
    _write_pages(out_dir, "segments", sizes.segments,
                 (_segment(rng, i, sizes.traits, rng.choice(segment_folder_ids))
                  for i in range(sizes.segments)))
    mappings = _write_destinations(out_dir / "destinations.json", rng, sizes)
    return {
        "data_sources": len(DATA_SOURCES), "merge_rules": len(MERGE_RULES),
        "trait_folders": sizes.trait_folders, "segment_folders": sizes.segment_folders,
        "traits": sizes.traits, "segments": sizes.segments,
        "destinations": sizes.destinations, "destination_mappings": mappings,
    }


# --- folders ------------------------------------------------------------------------------------
def _folder_tree(rng: random.Random, count: int, first_id: int, label: str
                 ) -> list[dict[str, Any]]:
    """Flat folder records; the first MAX_FOLDER_DEPTH form one chain so the depth is reached."""
    folders: list[dict[str, Any]] = []
    open_parents: list[dict[str, Any]] = []  # folders that may still take children
    for index in range(count):
        if index < MAX_FOLDER_DEPTH:
            parent = folders[-1] if folders else None
        else:
            parent = rng.choice(open_parents) if open_parents and rng.random() < 0.85 else None
        depth = parent["_depth"] + 1 if parent else 1
        name = f"{label} {rng.choice(_WORDS).title()} {index + 1}"
        path = f"{parent['path']}/{name}" if parent else f"/{name}"
        folder = {"folderId": first_id + index,
                  "parentFolderId": parent["folderId"] if parent else 0,
                  "pid": PID, "name": name, "path": path, "_depth": depth}
        folders.append(folder)
        if depth < MAX_FOLDER_DEPTH:
            open_parents.append(folder)
    return _strip_depth(folders)


def _strip_depth(folders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in f.items() if k != "_depth"} for f in folders]


def _deepest(folders: list[dict[str, Any]]) -> dict[str, Any]:
    return max(folders, key=lambda f: f["path"].count("/"))


def _nest(folders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The flat list as AAM's nested ``subFolders`` tree (copies; parents precede children)."""
    nodes = {f["folderId"]: dict(f) for f in folders}
    roots: list[dict[str, Any]] = []
    for folder in folders:
        node = nodes[folder["folderId"]]
        parent = nodes.get(folder["parentFolderId"])
        if parent is None:
            roots.append(node)
        else:
            parent.setdefault("subFolders", []).append(node)
            parent["folderCount"] = len(parent["subFolders"])
    return roots


# --- records --------------------------------------------------------------------------------
def _times(rng: random.Random) -> tuple[int, int]:
    created = BASE_TIME_MS + rng.randrange(SPAN_MS)
    return created, created + rng.randrange(BASE_TIME_MS + SPAN_MS - created + 1)


def _trait_rule(rng: random.Random) -> str:
    """1 to 4 comparisons, joined with AND (each in parentheses) or OR."""
    parts = []
    for _ in range(rng.choice((1, 1, 2, 3, 4))):
        key, op = rng.choice(_KEYS), rng.choice(_OPS)
        parts.append(f'{key} {op} "{rng.choice(_WORDS)}"')
    if len(parts) == 1:
        return parts[0]
    return " AND ".join(f"({p})" for p in parts) if rng.random() < 0.5 else " OR ".join(parts)


def _trait(rng: random.Random, index: int, folder_id: int) -> dict[str, Any]:
    sid = FIRST_TRAIT_SID + index
    created, updated = _times(rng)
    onboarded = index % 5 == 4
    words = " ".join(rng.choice(_WORDS) for _ in range(3))
    record: dict[str, Any] = {
        "sid": sid, "pid": PID, "name": f"{words.title()} {sid}",
        "description": f"Synthetic trait about {words}", "comments": "",
        "integrationCode": f"ic_{sid}" if onboarded or index % 3 == 0 else "",
        "traitType": "ON_BOARDED_TRAIT" if onboarded else "RULE_BASED_TRAIT",
        "type": 1 if onboarded else 2,
        "dataSourceId": DS_CRM if onboarded else DATA_SOURCES[index % 2],
        "folderId": folder_id, "ttl": rng.choice((30, 60, 120, 0)), "status": "ACTIVE",
        "backfillStatus": "NONE", "crUID": 7001, "upUID": 7002,
        "createTime": created, "updateTime": updated,
        "traitRule": f'ic == "ic_{sid}"' if onboarded else _trait_rule(rng),
        "traitRuleVersion": rng.randrange(4),
    }
    if index % 2 == 0:
        uniques = rng.randrange(100, 500_000)
        record.update({"uniques7Day": uniques, "uniques30Day": uniques * 2,
                       "count7Day": uniques * 3, "count30Day": uniques * 6})
    return record


def _segment_rule(rng: random.Random, trait_count: int) -> str:
    """1 to 8 trait references nested with AND/OR/NOT; about a fifth of the rules add a
    frequency or recency clause (``frequency([…] <= 7D) >= 2``)."""
    refs = [f"{FIRST_TRAIT_SID + rng.randrange(trait_count)}T"
            for _ in range(rng.randint(1, 8))]
    rule = _rule_group(rng, refs, top=True)
    if rng.random() < 0.2:
        clause_refs = ", ".join(refs[:rng.randint(1, min(2, len(refs)))])
        if rng.random() < 0.5:
            clause = f"(frequency([{clause_refs}] <= {rng.choice((3, 7, 30))}D) >= " \
                     f"{rng.randint(1, 5)})"
        else:
            clause = f"(frequency([{clause_refs}] >= {rng.choice((1, 2))}D) >= 1)"
        rule = f"{clause} AND ({rule})" if rng.random() < 0.7 else f"({rule}) OR {clause}"
    return rule


def _rule_group(rng: random.Random, refs: list[str], *, top: bool = False) -> str:
    """``refs`` joined by AND/OR in nested groups, with a trailing ``AND NOT`` now and then."""
    if len(refs) == 1:
        return refs[0] if not top else f"({refs[0]})"
    if len(refs) >= 3 and rng.random() < 0.3:
        return f"({_rule_group(rng, refs[:-1])}) AND NOT ({refs[-1]})"
    if len(refs) >= 4 and rng.random() < 0.5:
        cut = rng.randint(2, len(refs) - 2)
        joint = rng.choice((" AND ", " OR "))
        return f"({_rule_group(rng, refs[:cut])}){joint}({_rule_group(rng, refs[cut:])})"
    return rng.choice((" AND ", " OR ")).join(refs)


def _segment(rng: random.Random, index: int, trait_count: int, folder_id: int
             ) -> dict[str, Any]:
    sid = FIRST_SEGMENT_SID + index
    created, updated = _times(rng)
    words = " ".join(rng.choice(_WORDS) for _ in range(3))
    record: dict[str, Any] = {
        "sid": sid, "pid": PID, "name": f"{words.title()} Segment {sid}",
        "description": f"Synthetic segment about {words}",
        "integrationCode": f"seg_{sid}" if index % 4 == 0 else "",
        "dataSourceId": DATA_SOURCES[0],
        "mergeRuleDataSourceId": rng.choice((MERGE_RULES[0], MERGE_RULES[0], MERGE_RULES[1],
                                             MERGE_RULES[3])),
        "folderId": folder_id, "segmentRule": _segment_rule(rng, trait_count),
        "status": "INACTIVE" if index % 17 == 0 else "ACTIVE",
        "crUID": 7001, "upUID": 7002, "createTime": created, "updateTime": updated,
    }
    if index % 2 == 0:
        total = rng.randrange(1_000, 3_000_000)
        record.update({"instantUniques7Day": total // 8, "instantUniques30Day": total // 4,
                       "totalUniques7Day": total // 2, "totalUniques30Day": total})
    return record


def _destination(rng: random.Random, index: int, segment_count: int,
                 next_mapping: Iterator[int]) -> dict[str, Any]:
    destination_id = FIRST_DESTINATION + index
    created, updated = _times(rng)
    dest_type = ("PUSH", "ADS", "S2S")[index % 3]
    record: dict[str, Any] = {
        "destinationId": destination_id, "pid": PID,
        "name": f"Synthetic {dest_type} destination {destination_id}",
        "description": "", "destinationType": dest_type,
        "dataSourceId": 505050 if dest_type == "S2S" else None, "status": "ACTIVE",
        "crUID": 7001, "upUID": 7001, "createTime": created, "updateTime": updated,
        "domainRestrictions": "all_domains", "devicePlatform": "ALL",
    }
    if dest_type == "ADS":
        record.update({"cookieName": f"syn_{destination_id}", "formatType": "single_key",
                       "singleKey": "seg", "maxSize": 2048, "ttl": 0})
    mappings = []
    for _ in range(rng.choice((0, 0, 1, 2, 5, 10))):
        sid = FIRST_SEGMENT_SID + rng.randrange(segment_count)
        mapping_id = next(next_mapping)
        mappings.append({
            "destinationMappingId": mapping_id, "destinationId": destination_id, "sid": sid,
            "traitType": "SEGMENT", "traitValue": 0, "elementName": f"Segment {sid}",
            "elementStatus": "active", "startDate": "2025-01-01",
            "endDate": rng.choice((None, None, "2026-12-31", "2025-06-30")),
            "traitAlias": f"a{sid}" if dest_type != "ADS" else None,
            "valueAlias": str(sid) if dest_type == "ADS" else None,
            "crUID": 7001, "upUID": 7001, "createTime": created, "updateTime": created,
        })
    record["mappings"] = mappings
    return record


def _data_sources() -> list[dict[str, Any]]:
    names = ("Synthetic Web", "Synthetic App", "Synthetic CRM",
             "Adobe Experience Platform Audience Sharing")
    return [{
        "pid": PID, "name": name, "description": "", "status": "ACTIVE",
        "integrationCode": f"syn_{ds}" if ds != DS_AEP else "", "dataExportRestrictions": [],
        "updateTime": BASE_TIME_MS, "crUID": 7001, "upUID": 7001, "type": "GENERAL",
        "uniqueTraitIntegrationCodes": ds != DS_AEP, "uniqueSegmentIntegrationCodes": False,
        "idType": "CROSS_DEVICE" if ds == DS_CRM else "COOKIE", "dataSourceId": ds,
        "containerIds": [], "samplingEnabled": False,
    } for ds, name in zip(DATA_SOURCES, names, strict=True)]


def _merge_rules() -> list[dict[str, Any]]:
    return [
        {"mergeRuleDataSourceId": MERGE_RULES[0],
         "name": "Last Authenticated Profiles + Device Profile", "isDefault": True,
         "crossDeviceOption": "Last Authenticated Profiles",
         "crossDeviceDataSourceIds": [DS_CRM], "deviceOption": "Device Profile",
         "dataExportControls": []},
        {"mergeRuleDataSourceId": MERGE_RULES[1],
         "name": "No Cross-Device Profile + Device Profile", "isDefault": False,
         "crossDeviceOption": "No Cross-Device Profile",
         "crossDeviceDataSourceIds": [], "deviceOption": "Device Profile",
         "dataExportControls": []},
        {"mergeRuleDataSourceId": MERGE_RULES[2], "name": "External Merge Policy",
         "isDefault": False, "crossDeviceOption": None, "crossDeviceDataSourceIds": [],
         "deviceOption": None, "dataExportControls": [], "external": True},
        {"mergeRuleDataSourceId": MERGE_RULES[3],
         "name": "Current Authenticated Profiles + No Device Profile", "isDefault": False,
         "crossDeviceOption": "Current Authenticated Profiles",
         "crossDeviceDataSourceIds": [DS_CRM], "deviceOption": "No Device Profile",
         "dataExportControls": ["PII"]},
    ]


# --- streaming writers ----------------------------------------------------------------------
def _write_json(path: Path, data: Any) -> None:
    with path.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)


def _write_pages(out_dir: Path, stem: str, total: int, records: Iterator[dict[str, Any]]
                 ) -> None:
    """Write ``records`` as ``{stem}-page-N.json`` wrappers of PAGE_SIZE, one record at a time."""
    pages = max(1, -(-total // PAGE_SIZE))
    for page in range(pages):
        count = min(PAGE_SIZE, total - page * PAGE_SIZE)
        with (out_dir / f"{stem}-page-{page}.json").open("w", encoding="utf-8") as handle:
            handle.write(f'{{"total": {total}, "page": {page}, "pageSize": {PAGE_SIZE}, '
                         '"list": [')
            _write_items(handle, (next(records) for _ in range(count)))
            handle.write("]}")


def _write_items(handle: TextIO, records: Iterator[dict[str, Any]]) -> None:
    for position, record in enumerate(records):
        if position:
            handle.write(",\n")
        handle.write(json.dumps(record, ensure_ascii=False))


def _write_destinations(path: Path, rng: random.Random, sizes: _Sizes) -> int:
    """Stream destinations (mappings nested) to ``path``; return how many mappings it wrote."""
    mapping_ids = iter(range(FIRST_MAPPING, FIRST_MAPPING + 100 * sizes.destinations))
    written = 0

    def destinations() -> Iterator[dict[str, Any]]:
        nonlocal written
        for index in range(sizes.destinations):
            record = _destination(rng, index, sizes.segments, mapping_ids)
            written += len(record["mappings"])
            yield record

    with path.open("w", encoding="utf-8") as handle:
        handle.write("[")
        _write_items(handle, destinations())
        handle.write("]")
    return written
