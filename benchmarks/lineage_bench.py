"""Time the lineage of the largest data source (summarised) and of busy objects on a
synthetic tenant (default 2x AAM's limits). The budget for a data source with thousands of
traits is 100 ms.

    python benchmarks/lineage_bench.py [--scale 2] [--workspace PATH] [--repeat 5]

Prints measured figures with the machine they ran on; not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from explorer.analysis.impact import build_impact
from explorer.analysis.lineage import build_lineage
from explorer.importers import import_export
from explorer.store.workspace import Workspace
from explorer.synthetic import write_synthetic_tenant

BUDGET_MS = 100.0


def machine() -> str:
    return (f"{platform.node() or 'unknown host'}: {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{platform.platform(terse=True)}")


def best_ms(work: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    return min(timings)


def busiest(conn: sqlite3.Connection, sql: str) -> tuple[int, int]:
    row = conn.execute(sql).fetchone()
    return int(row[0]), int(row[1])


def measure(workspace: Path, repeat: int) -> float:
    with Workspace.open(workspace, readonly=True) as ws:
        conn = ws.conn
        source, traits = busiest(conn, "SELECT data_source_id, count(*) FROM traits "
                                       "GROUP BY data_source_id ORDER BY 2 DESC LIMIT 1")
        summary_ms = best_ms(lambda: build_lineage(conn, "data-source", source), repeat)
        print(f"lineage of data source {source} ({traits:,} traits, summarised): "
              f"{summary_ms:.1f} ms (budget {BUDGET_MS:.0f} ms)")
        cases = [
            ("trait", "SELECT trait_id, count(*) FROM segment_traits GROUP BY trait_id "
                      "ORDER BY 2 DESC LIMIT 1", "segments"),
            ("segment", "SELECT segment_id, count(*) FROM segment_traits GROUP BY segment_id "
                        "ORDER BY 2 DESC LIMIT 1", "traits"),
            ("destination", "SELECT destination_id, count(*) FROM destination_mappings "
                            "GROUP BY destination_id ORDER BY 2 DESC LIMIT 1", "mappings"),
        ]
        for kind, sql, what in cases:
            object_id, count = busiest(conn, sql)
            ms = best_ms(lambda k=kind, i=object_id: build_lineage(conn, k, i), repeat)
            impact_ms = best_ms(lambda k=kind, i=object_id: build_impact(conn, k, i), repeat)
            print(f"{kind} {object_id} ({count:,} {what}): lineage {ms:.1f} ms, "
                  f"impact {impact_ms:.1f} ms")
        impact_ms = best_ms(lambda: build_impact(conn, "data-source", source), 1)
        print(f"impact of data source {source}: {impact_ms:.1f} ms")
    return summary_ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workspace", type=Path,
                        help="reuse (or create) this workspace instead of a temporary one")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        workspace = args.workspace or Path(tmp) / "bench.aamws"
        if not workspace.exists():
            started = time.perf_counter()
            counts = write_synthetic_tenant(Path(tmp) / "export", args.scale)
            import_export(Path(tmp) / "export", workspace)
            print(f"synthetic tenant ({args.scale}x): {counts['traits']:,} traits, "
                  f"{counts['segments']:,} segments, built in "
                  f"{time.perf_counter() - started:.0f} s")
        elapsed = measure(workspace, args.repeat)
    return 0 if elapsed <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
