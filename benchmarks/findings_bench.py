"""Time every finding check on a synthetic tenant (default 2x AAM's limits: 200k traits,
40k segments). The budget is 5 s for all checks together.

    python benchmarks/findings_bench.py [--scale 2] [--workspace PATH]

Writes the export with ``explorer.synthetic.write_synthetic_tenant``, imports it with the real
importer (which itself runs the checks once), then times ``refresh_findings`` as a whole inside
one transaction and each check on its own. Prints measured figures; not a test.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from explorer.analysis.findings import CHECK_ORDER, refresh_findings
from explorer.analysis.findings.base import RUNNERS, ObjectSet, build_context
from explorer.importers import import_export
from explorer.kinds import AEP_DATA_SOURCE_NAME, EXTERNAL_MERGE_POLICY_NAME
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.synthetic import write_synthetic_tenant

BUDGET_S = 5.0


def build(folder: Path, scale: float, workspace: Path) -> None:
    started = time.perf_counter()
    counts = write_synthetic_tenant(folder / "export", scale)
    print(f"synthetic export ({scale}x): {counts['traits']:,} traits, "
          f"{counts['segments']:,} segments in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    import_export(folder / "export", workspace)
    print(f"import (including one findings refresh): {time.perf_counter() - started:.1f} s")


def add_aep_pairs(workspace: Path, count: int) -> None:
    """The synthetic export has no AEP-shared objects: add `count` trait/segment pairs (one in
    ten deliberately wrong) so the AEP checks are measured under load too."""
    ws = Workspace.open(workspace)
    try:
        conn = ws.conn
        ds = conn.execute("SELECT id FROM data_sources WHERE name = ?",
                          (AEP_DATA_SOURCE_NAME,)).fetchone()[0]
        rule = conn.execute("SELECT id FROM merge_rules WHERE name = ?",
                            (EXTERNAL_MERGE_POLICY_NAME,)).fetchone()
        with transaction(conn):
            for i in range(count):
                trait_id, seg_id, code = 90_000_000 + 2 * i, 90_000_001 + 2 * i, f"aep-{i:08d}"
                expression = f'segid == "{code}"' if i % 10 else 'segid == "wrong"'
                conn.execute(
                    "INSERT OR REPLACE INTO traits (id, name, data_source_id, folder_id, "
                    "integration_code, trait_type, rule) VALUES (?, ?, ?, 0, ?, "
                    "'ON_BOARDED_TRAIT', ?)", (trait_id, f"AEP {i}", ds, code, expression))
                conn.execute(
                    "INSERT OR REPLACE INTO segments (id, name, data_source_id, folder_id, "
                    "integration_code, merge_rule_id, rule, status) "
                    "VALUES (?, ?, ?, 0, ?, ?, ?, 'ACTIVE')",
                    (seg_id, f"AEP {i}", ds, code, rule[0] if rule else None, f"({trait_id}T)"))
                conn.execute("INSERT OR REPLACE INTO segment_traits (segment_id, trait_id, "
                             "in_frequency, negated) VALUES (?, ?, 0, 0)", (seg_id, trait_id))
    finally:
        ws.close()
    print(f"added {count:,} AEP trait/segment pairs")


def measure(workspace: Path) -> float:
    ws = Workspace.open(workspace)
    try:
        conn = ws.conn
        started = time.perf_counter()
        with transaction(conn):
            total = refresh_findings(conn)
        elapsed = time.perf_counter() - started
        per_check = Counter(r[0] for r in conn.execute("SELECT check_id FROM findings"))
        print(f"refresh_findings: {total:,} findings in {elapsed:.2f} s "
              f"(budget {BUDGET_S:.0f} s)")
        print(f"findings storage: {_storage_mb(conn):.1f} MB (rows and their indexes)")
        ctx = build_context(conn)
        for check_id in CHECK_ORDER:
            started = time.perf_counter()
            n = sum(_count(conn, item) for item in RUNNERS[check_id](conn, ctx))
            print(f"  {check_id:<40} {time.perf_counter() - started:6.3f} s  "
                  f"{n:>8,} ({per_check.get(check_id, 0):,} stored)")
        return elapsed
    finally:
        ws.close()


def _count(conn: sqlite3.Connection, item: object) -> int:
    """1 per finding row; the number of objects an ObjectSet selects (what it would store)."""
    if isinstance(item, ObjectSet):
        return int(conn.execute(f"SELECT count(*) FROM ({item.select})",
                                item.params).fetchone()[0])
    return 1


def _storage_mb(conn: sqlite3.Connection) -> float:
    """Pages of the findings tables and their indexes (the dbstat table; 0 without it)."""
    try:
        row = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE '%finding%' "
                           "AND name <> 'finding_acceptances'").fetchone()
    except sqlite3.OperationalError:
        return 0.0
    return (row[0] or 0) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=2.0)
    parser.add_argument("--aep", type=int, default=5_000,
                        help="AEP trait/segment pairs to add to a new workspace")
    parser.add_argument("--workspace", type=Path,
                        help="reuse (or create) this workspace instead of a temporary one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workspace = args.workspace or Path(tmp) / "bench.aamws"
        if not workspace.exists():
            build(Path(tmp), args.scale, workspace)
            add_aep_pairs(workspace, args.aep)
        elapsed = measure(workspace)
    return 0 if elapsed <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
