"""The synthetic tenant generator: sizes, shapes, references and determinism at small scales."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from explorer.importers import import_export
from explorer.store.workspace import Workspace
from explorer.synthetic import MAX_FOLDER_DEPTH, PAGE_SIZE, write_synthetic_tenant


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _paged(out: Path, stem: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    pages = sorted(out.glob(f"{stem}-page-*.json"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    for number, path in enumerate(pages):
        wrapper = _load(path)
        assert set(wrapper) == {"total", "page", "pageSize", "list"}
        assert (wrapper["page"], wrapper["pageSize"]) == (number, PAGE_SIZE)
        assert len(wrapper["list"]) <= PAGE_SIZE
        records.extend(wrapper["list"])
        assert wrapper["total"] >= len(records)
    return records


def _walk(nodes: list[dict[str, Any]], depth: int = 1) -> list[tuple[dict[str, Any], int]]:
    found = []
    for node in nodes:
        found.append((node, depth))
        found.extend(_walk(node.get("subFolders", []), depth + 1))
    return found


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("synthetic")
    return out, write_synthetic_tenant(out, scale=0.02, seed=3)


def test_counts_scale_with_the_documented_limits(small) -> None:
    out, counts = small
    assert counts == {"data_sources": 4, "merge_rules": 4, "trait_folders": 40,
                      "segment_folders": 10, "traits": 2_000, "segments": 400,
                      "destinations": 20, "destination_mappings": counts["destination_mappings"]}
    traits, segments = _paged(out, "traits"), _paged(out, "segments")
    assert (len(traits), len(segments)) == (2_000, 400)
    assert len({t["sid"] for t in traits} | {s["sid"] for s in segments}) == 2_400
    destinations = _load(out / "destinations.json")
    assert len(destinations) == 20
    assert sum(len(d["mappings"]) for d in destinations) == counts["destination_mappings"]
    assert len(_load(out / "merge-rules.json")) == 4
    assert len(_load(out / "datasources.json")) == 4


def test_folders_are_nested_five_deep_and_referenced(small) -> None:
    out, _counts = small
    trait_folders = _walk(_load(out / "trait-folders.json"))
    assert len(trait_folders) == 40
    assert max(depth for _node, depth in trait_folders) == MAX_FOLDER_DEPTH
    for node, depth in trait_folders:
        assert node["path"].count("/") == depth
        for child in node.get("subFolders", []):
            assert child["parentFolderId"] == node["folderId"]
    segment_folders = _load(out / "segment-folders.json")
    assert all("subFolders" not in f for f in segment_folders)  # the flat-list format
    folder_ids = {node["folderId"] for node, _depth in trait_folders}
    assert {t["folderId"] for t in _paged(out, "traits")} <= folder_ids
    assert {s["folderId"] for s in _paged(out, "segments")} <= {
        f["folderId"] for f in segment_folders}


def test_rules_and_mappings_reference_existing_objects(small) -> None:
    out, _counts = small
    trait_ids = {t["sid"] for t in _paged(out, "traits")}
    segments = _paged(out, "segments")
    referenced = {int(ref) for s in segments for ref in re.findall(r"(\d+)T", s["segmentRule"])}
    assert referenced and referenced <= trait_ids
    assert any("frequency(" in s["segmentRule"] for s in segments)
    segment_ids = {s["sid"] for s in segments}
    destinations = _load(out / "destinations.json")
    assert {m["sid"] for d in destinations for m in d["mappings"]} <= segment_ids
    assert Counter(d["destinationType"] for d in destinations).keys() == {"PUSH", "ADS", "S2S"}


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    def files(out: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(out.iterdir())}

    write_synthetic_tenant(tmp_path / "a", scale=0.005, seed=9)
    write_synthetic_tenant(tmp_path / "b", scale=0.005, seed=9)
    write_synthetic_tenant(tmp_path / "c", scale=0.005, seed=10)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a")["traits-page-0.json"] != files(tmp_path / "c")[
        "traits-page-0.json"]


def test_traits_are_paged_by_ten_thousand(tmp_path: Path) -> None:
    counts = write_synthetic_tenant(tmp_path, scale=0.12)
    assert counts["traits"] == 12_000
    pages = [_load(tmp_path / f"traits-page-{n}.json") for n in (0, 1)]
    assert [len(p["list"]) for p in pages] == [10_000, 2_000]
    assert all(p["total"] == 12_000 for p in pages)
    assert not (tmp_path / "traits-page-2.json").exists()


def test_wide_folder_holds_the_requested_traits(tmp_path: Path) -> None:
    counts = write_synthetic_tenant(tmp_path, scale=0.01, wide_folder=3_000)
    assert counts["traits"] == 3_000
    per_folder = Counter(t["folderId"] for t in _paged(tmp_path, "traits"))
    folder, held = per_folder.most_common(1)[0]
    assert held == 3_000
    depths = {node["folderId"]: depth
              for node, depth in _walk(_load(tmp_path / "trait-folders.json"))}
    assert depths[folder] == MAX_FOLDER_DEPTH


def test_rejects_a_non_positive_scale(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale"):
        write_synthetic_tenant(tmp_path, scale=0)


def test_the_importer_accepts_the_synthetic_export(small, tmp_path: Path) -> None:
    out, counts = small
    report = import_export(out, tmp_path / "synthetic.aamws")
    assert report.errors == []
    with Workspace.open(tmp_path / "synthetic.aamws") as workspace:
        stored = workspace.counts()
    for table, expected in counts.items():
        assert stored[table] == expected, table
