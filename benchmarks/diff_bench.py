"""Time the diff of a synthetic tenant (default 2x AAM's limits) against itself with 1 % of its
traits and segments changed. The budget is 5 s for the diff.

    python benchmarks/diff_bench.py [--scale 2] [--changed 0.01] [--folder PATH]

Writes the export with ``explorer.synthetic.write_synthetic_tenant``, imports it, writes a copy
in which 1 % of the traits and segments are edited (a third renamed, a third with a new rule, a
third moved to another folder; plus as many again deleted and added), re-imports the copy into
the same workspace (so the first import is kept as a snapshot), then times ``diff_imports`` in
a fresh connection: reading both sides and comparing. Prints measured figures; not a test.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from explorer.analysis.diff import compare, diff_imports, import_side
from explorer.importers import import_export
from explorer.store.workspace import Workspace
from explorer.synthetic import write_synthetic_tenant

BUDGET_S = 5.0


def change_export(source: Path, target: Path, share: float, seed: int = 7) -> int:
    """Copy ``source`` to ``target`` with ``share`` of the traits and segments edited, and as
    many deleted and added; returns how many objects were touched."""
    shutil.copytree(source, target)
    rng = random.Random(seed)
    touched = 0
    for pattern in ("traits-page-*.json", "segments-page-*.json"):
        pages = sorted(target.glob(pattern))
        folders = sorted({r["folderId"] for p in pages for r in _read(p)["list"]})
        next_id = 90_000_001 if pattern.startswith("traits") else 95_000_001
        for page in pages:
            data = _read(page)
            kept: list[dict[str, Any]] = []
            for record in data["list"]:
                roll = rng.random()
                if roll < share / 2:  # deleted, and a new object in its place
                    kept.append({**record, "sid": next_id, "name": f"New {next_id}"})
                    next_id += 1
                    touched += 2
                    continue
                if roll < share * 1.5:
                    _edit(record, rng, folders)
                    touched += 1
                kept.append(record)
            data["list"] = kept
            page.write_text(json.dumps(data), encoding="utf-8")
    return touched


def _edit(record: dict[str, Any], rng: random.Random, folders: list[int]) -> None:
    choice = rng.randrange(3)
    if choice == 0:
        record["name"] = f"{record['name']} (renamed)"
    elif choice == 1:
        rule_key = "traitRule" if "traitRule" in record else "segmentRule"
        record[rule_key] = f"({record.get(rule_key) or 'x == 1'}) OR (y == 2)" \
            if rule_key == "traitRule" else f"({record[rule_key]}) OR ({record['sid']}T)"
    else:
        record["folderId"] = rng.choice(folders)


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=2.0)
    parser.add_argument("--changed", type=float, default=0.01)
    parser.add_argument("--folder", type=Path, default=None,
                        help="work folder (default: a temporary one, removed afterwards)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        folder = args.folder or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        return run(folder, args.scale, args.changed)


def run(folder: Path, scale: float, share: float) -> int:
    started = time.perf_counter()
    counts = write_synthetic_tenant(folder / "v1", scale)
    touched = change_export(folder / "v1", folder / "v2", share)
    print(f"synthetic export ({scale}x): {counts['traits']:,} traits, {counts['segments']:,} "
          f"segments; {touched:,} objects touched in the copy "
          f"({time.perf_counter() - started:.1f} s)")
    workspace = folder / "bench.aamws"
    for name in ("v1", "v2"):
        started = time.perf_counter()
        import_export(folder / name, workspace)
        print(f"import {name}: {time.perf_counter() - started:.1f} s")
    with Workspace.open(workspace, readonly=True) as ws:
        started = time.perf_counter()
        imports = ws.imports()
        old, new = import_side(ws, imports[0], imports), import_side(ws, imports[1], imports)
        read_s = time.perf_counter() - started
        started = time.perf_counter()
        compare(old, new)
        compare_s = time.perf_counter() - started
    with Workspace.open(workspace, readonly=True) as ws:
        started = time.perf_counter()
        result = diff_imports(ws)
        total_s = time.perf_counter() - started
    c = result.counts()
    print(f"diff: {c['added']:,} added, {c['removed']:,} removed, {c['changed']:,} changed, "
          f"{c['moved']:,} moved, findings {c['new_findings']:,} new / "
          f"{c['resolved_findings']:,} resolved")
    print(f"read both sides {read_s:.2f} s, compare {compare_s:.2f} s")
    verdict = "PASS" if total_s <= BUDGET_S else "FAIL"
    print(f"diff_imports: {total_s:.2f} s (budget {BUDGET_S:.0f} s): {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
