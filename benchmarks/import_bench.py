#!/usr/bin/env python3
"""Import benchmark: our importer against the floor and against sqlite-utils.

For each scale (1 = AAM's documented limits: 100,000 traits, 20,000 segments, ...) it writes a
synthetic export (``explorer.synthetic``) into a temporary folder, then measures, each in a
FRESH subprocess so that the peak RSS (``ru_maxrss`` of the child) belongs to one measurement:

* cli           the CLI import as a whole process (``import EXPORT --workspace DB``): timed
                by the parent from spawn to exit, peak RSS from ``wait4``
* plain-floor   the issue's floor, also timed from spawn to exit: ``json`` parse of the traits
                and segments files, one transaction of ``executemany`` of every field of each
                record into a table per kind plus the record's raw JSON text, and an FTS5
                table over name, description, integration code and rule filled by
                ``INSERT … SELECT``. Nothing else
* ours          ``explorer.importers.import_export`` into a new workspace (validation,
                reference table, FTS, findings included)
* floor         plain ``json.load`` of the same files, one-transaction ``executemany`` of the same
                rows into the same tables/columns (raw JSON text included), FTS build
* sqlite-utils  ``sqlite_utils`` library ``insert_all`` of the same files, one table per file
                kind (records as they are; nested values stored as JSON), FTS on traits/segments

and prints seconds, peak RSS, workspace size and the ratios, with the goal checks: the CLI
import ≤ 1.3× the plain floor's time and ≤ 1.5× its peak RSS, the workspace ≤ 2× the export's
size; and (the broader floor) ours ≤ 1.5× the floor's time and ≤ 2× its peak RSS.

    python benchmarks/import_bench.py                 # scales 1 and 2
    python benchmarks/import_bench.py --scales 0.1    # quick run
    python benchmarks/import_bench.py --only floor sqlite-utils --repeat 3
    python benchmarks/import_bench.py --scales 2 --only cli plain-floor --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
METHODS = ("cli", "plain-floor", "ours", "floor", "sqlite-utils")
# Whole-process methods: timed by the parent from spawn to exit.
PROCESS_METHODS = ("cli", "plain-floor")
GOAL_TIME, GOAL_RSS = 1.5, 2.0  # ours against the broader floor
GOAL_CLI_TIME, GOAL_CLI_RSS, GOAL_SIZE = 1.3, 1.5, 2.0  # the CLI against the plain floor


# --- children: one measurement each ---------------------------------------------------------
def peak_rss_mb() -> float:
    # Linux reports kilobytes, macOS bytes.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_ours(export: Path, db: Path) -> dict[str, Any]:
    from explorer.importers import import_export

    start = time.perf_counter()
    report = import_export(export, db)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": sum(report.counts.values()),
            "errors": len(report.errors), "warnings": len(report.warnings)}


def export_records(export: Path) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(file kind, records) per file, unwrapping the paged ``{list: [...]}`` wrapper."""
    for path in sorted(export.glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
        records = data["list"] if isinstance(data, dict) else data
        yield path.stem.split("-page-")[0], records


def _walk_folders(records: list[dict[str, Any]], parent: int | None = None
                  ) -> Iterator[dict[str, Any]]:
    for record in records:
        children = record.get("subFolders") or []
        yield {k: v for k, v in record.items() if k != "subFolders"}
        yield from _walk_folders(children, record["folderId"])


def _folder_rows(records: list[dict[str, Any]], dumps: Callable[[Any], str]
                 ) -> list[tuple[Any, ...]]:
    flat = list(_walk_folders(records))
    parents = {f["folderId"]: f["parentFolderId"] for f in flat}

    def depth(folder_id: int) -> int:
        level = 0
        while folder_id in parents:
            level, folder_id = level + 1, parents[folder_id]
        return level

    return [(f["folderId"], f["parentFolderId"] or None, f.get("pid"), f["name"], f.get("path"),
             depth(f["folderId"]), dumps(f)) for f in flat]


def _floor_rows(kind: str, records: list[dict[str, Any]], dumps: Callable[[Any], str]
                ) -> dict[str, list[tuple[Any, ...]]]:
    """The same rows our importer writes, built by hand with no validation at all."""
    g = dict.get
    if kind == "datasources":
        return {"data_sources": [
            (g(d, "dataSourceId"), g(d, "pid"), g(d, "name"), g(d, "description"),
             g(d, "integrationCode"), g(d, "status"), g(d, "type"), g(d, "idType"),
             g(d, "uniqueTraitIntegrationCodes"), g(d, "uniqueSegmentIntegrationCodes"),
             g(d, "createTime"), g(d, "updateTime"), dumps(d)) for d in records]}
    if kind in ("trait-folders", "segment-folders"):
        return {kind.replace("-", "_"): _folder_rows(records, dumps)}
    if kind == "merge-rules":
        return {"merge_rules": [
            (g(m, "mergeRuleDataSourceId"), g(m, "name"), int(bool(g(m, "isDefault"))),
             g(m, "crossDeviceOption"), g(m, "deviceOption"), int(bool(g(m, "external"))),
             dumps(m)) for m in records]}
    if kind == "traits":
        return {"traits": [
            (g(t, "sid"), g(t, "pid"), g(t, "name"), g(t, "description"),
             g(t, "integrationCode"), g(t, "traitType"), g(t, "type"), g(t, "dataSourceId"),
             g(t, "folderId"), g(t, "traitRule"), g(t, "traitRuleVersion"), g(t, "ttl"),
             g(t, "status"), g(t, "algoModelId"), g(t, "createTime"), g(t, "updateTime"),
             dumps(t)) for t in records]}
    if kind == "segments":
        return {"segments": [
            (g(s, "sid"), g(s, "pid"), g(s, "name"), g(s, "description"),
             g(s, "integrationCode"), g(s, "dataSourceId"), g(s, "mergeRuleDataSourceId"),
             g(s, "folderId"), g(s, "segmentRule"), g(s, "status"), g(s, "createTime"),
             g(s, "updateTime"), dumps(s)) for s in records]}
    if kind == "destinations":
        mappings = [m for d in records for m in d.get("mappings") or []]
        return {
            "destinations": [
                (g(d, "destinationId"), g(d, "pid"), g(d, "name"), g(d, "description"),
                 g(d, "destinationType"), g(d, "dataSourceId"), g(d, "status"),
                 g(d, "cookieName"), g(d, "createTime"), g(d, "updateTime"),
                 dumps({k: v for k, v in d.items() if k != "mappings"})) for d in records],
            "destination_mappings": [
                (g(m, "destinationMappingId"), g(m, "destinationId"), g(m, "sid"),
                 g(m, "elementName"), g(m, "traitType"), g(m, "elementStatus"),
                 g(m, "startDate"), g(m, "endDate"), g(m, "traitAlias"), g(m, "createTime"),
                 g(m, "updateTime"), dumps(m)) for m in mappings],
        }
    raise ValueError(f"the floor does not know file kind {kind!r}")


def run_floor(export: Path, db: Path) -> dict[str, Any]:
    from explorer.store import schema, stored_records
    from explorer.store.db import connect, transaction
    from explorer.store.search_index import build_search_index

    start = time.perf_counter()
    conn = connect(db)
    schema.migrate(conn)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    rows = 0
    with transaction(conn):
        for kind, records in export_records(export):
            for table, table_rows in _floor_rows(kind, records, dumps).items():
                # the stored table itself, each record whole (through the view a trigger
                # would run per row)
                columns = [*stored_records.typed_columns(table), stored_records.REST_COLUMN]
                conn.executemany(
                    f"INSERT INTO {stored_records.stored_table(table)} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})", table_rows)
                rows += len(table_rows)
            del records
        build_search_index(conn)  # the app's own index: INSERT ... SELECT per table
    conn.close()
    return {"seconds": time.perf_counter() - start, "rows": rows}


def run_sqlite_utils(export: Path, db: Path) -> dict[str, Any]:
    import sqlite_utils

    pks = {"datasources": "dataSourceId", "trait-folders": "folderId",
           "segment-folders": "folderId", "merge-rules": "mergeRuleDataSourceId",
           "traits": "sid", "segments": "sid", "destinations": "destinationId"}
    start = time.perf_counter()
    database = sqlite_utils.Database(db)
    rows = 0
    for kind, records in export_records(export):
        database[kind.replace("-", "_")].insert_all(records, pk=pks[kind], alter=True)
        rows += len(records)
    for table in ("traits", "segments"):
        database[table].enable_fts(["name", "description", "integrationCode"])
    database.close()
    return {"seconds": time.perf_counter() - start, "rows": rows}


def run_plain_floor(export: Path, db: Path) -> dict[str, Any]:
    """The issue's floor: traits and segments only, every field as it came, raw JSON, FTS5.

    The files are parsed first, then written in one transaction, as the issue measured it
    (its floor peaked at 362 MB on the 2x tenant)."""
    import sqlite3

    parsed: dict[str, list[dict[str, Any]]] = {"traits": [], "segments": []}
    for path in sorted(export.glob("*.json")):
        kind = path.stem.split("-page-")[0]
        if kind in parsed:
            with path.open(encoding="utf-8") as handle:
                data = json.load(handle)
            parsed[kind].extend(data["list"] if isinstance(data, dict) else data)
    conn = sqlite3.connect(db, isolation_level=None)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    rows = 0
    conn.execute("BEGIN")
    for kind, records in parsed.items():
        fields = list(dict.fromkeys(key for record in records for key in record))
        names = ", ".join(f'"{f}"' for f in fields)
        conn.execute(f"CREATE TABLE {kind} ({names}, raw TEXT)")
        conn.executemany(
            f"INSERT INTO {kind} VALUES ({', '.join('?' * (len(fields) + 1))})",
            ([record.get(f) for f in fields] + [dumps(record)] for record in records))
        rows += len(records)
    conn.execute("CREATE VIRTUAL TABLE search USING fts5(name, description, integration_code, "
                 "rule, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')")
    for kind, rule in (("traits", "traitRule"), ("segments", "segmentRule")):
        conn.execute(f'INSERT INTO search SELECT name, description, "integrationCode", '
                     f'"{rule}" FROM {kind}')
    conn.execute("COMMIT")
    conn.close()
    return {"rows": rows}


def cli_command(export: Path, db: Path) -> list[str]:
    return [sys.executable, "-c", "from explorer.cli import main; main()", "import",
            str(export), "--workspace", str(db)]


PYCACHE = Path.home() / ".cache" / "aam-explorer" / "import-bench" / "pycache"


def use_compiled_bytecode() -> None:
    """Children import compiled modules, as an installed app does (pip compiles a wheel's
    modules): bytecode is written under PYCACHE (never into the repository), also where the
    environment sets PYTHONDONTWRITEBYTECODE, and one warm-up child compiles the CLI import's
    modules first. Otherwise every CLI run compiles ~100 modules (~0.2 s) and the figure
    times the compiler."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
    subprocess.run([sys.executable, "-c", "import explorer.cli, explorer.cli.import_cmd, "
                    "explorer.importers.import_run, explorer.analysis.findings"],
                   env=env, check=True)


CHILD_RUNNERS: dict[str, Callable[[Path, Path], dict[str, Any]]] = {
    "ours": run_ours, "floor": run_floor, "sqlite-utils": run_sqlite_utils,
    "plain-floor": run_plain_floor,
}


def child_main(method: str, export: Path, db: Path) -> None:
    result = CHILD_RUNNERS[method](export, db)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


# --- parent: generate, measure, print ---------------------------------------------------------
def measure(method: str, export: Path, work: Path) -> dict[str, Any]:
    db = work / f"{method}.db"
    for leftover in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        leftover.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
    command = (cli_command(export, db) if method == "cli"
               else [sys.executable, __file__, "--child", method, str(export), str(db)])
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env)
    # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix in earlier children).
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    stdout, stderr = child.stdout.read(), child.stderr.read()  # type: ignore[union-attr]
    if child.returncode != 0:
        return {"error": stderr.strip().splitlines()[-1:] or stdout.strip().splitlines()[-1:]
                or ["failed"]}
    rss = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    if method == "cli":
        result: dict[str, Any] = {"seconds": wall}
    else:
        result = json.loads(stdout.strip().splitlines()[-1])
        if method in PROCESS_METHODS:
            result["seconds"] = wall
    result["peak_rss_mb"] = rss
    result["db_mb"] = db.stat().st_size / 1e6 if db.exists() else 0.0
    return result


def best_of(method: str, export: Path, work: Path, repeat: int) -> dict[str, Any]:
    runs = [measure(method, export, work) for _ in range(repeat)]
    good = [r for r in runs if "error" not in r]
    if not good:
        return runs[0]
    best = min(good, key=lambda r: r["seconds"])
    return best | {"peak_rss_mb": max(r["peak_rss_mb"] for r in good),
                   "all_seconds": [r["seconds"] for r in good]}


def ratio(a: dict[str, Any], b: dict[str, Any] | None, key: str) -> str:
    if not b or "error" in a or "error" in b:
        return "-"
    return f"{a[key] / b[key]:.2f}x"


def print_table(scale: float, counts: dict[str, int], results: dict[str, dict[str, Any]],
                export_mb: float) -> None:
    floor, sqlite_utils = results.get("floor"), results.get("sqlite-utils")
    plain_floor = results.get("plain-floor")
    print(f"\nscale {scale:g}: {counts['traits']:,} traits, {counts['segments']:,} segments, "
          f"{counts['trait_folders']:,} trait folders, {counts['destinations']:,} destinations, "
          f"{counts['destination_mappings']:,} mappings")
    header = (f"{'method':<13}{'seconds':>9}{'peak RSS MB':>13}{'DB MB':>8}{'time/floor':>12}"
              f"{'RSS/floor':>11}{'time/plain':>12}{'RSS/plain':>11}{'time/s-u':>10}"
              f"{'RSS/s-u':>9}")
    print(header)
    print("-" * len(header))
    for method, result in results.items():
        if "error" in result:
            print(f"{method:<13}FAILED: {' '.join(result['error'])}")
            continue
        print(f"{method:<13}{result['seconds']:>9.2f}{result['peak_rss_mb']:>13.1f}"
              f"{result['db_mb']:>8.1f}{ratio(result, floor, 'seconds'):>12}"
              f"{ratio(result, floor, 'peak_rss_mb'):>11}"
              f"{ratio(result, plain_floor, 'seconds'):>12}"
              f"{ratio(result, plain_floor, 'peak_rss_mb'):>11}"
              f"{ratio(result, sqlite_utils, 'seconds'):>10}"
              f"{ratio(result, sqlite_utils, 'peak_rss_mb'):>9}")
    for method, result in results.items():
        if "error" not in result and len(result["all_seconds"]) > 1:
            print(f"  {method} runs: " + ", ".join(f"{t:.2f}" for t in result["all_seconds"]))
    cli, plain = results.get("cli"), results.get("plain-floor")
    if cli and "error" not in cli:
        size_ratio = cli["db_mb"] / export_mb
        verdict = "PASS" if size_ratio <= GOAL_SIZE else "FAIL"
        print(f"goal: workspace {cli['db_mb']:.1f} MB = {size_ratio:.2f}x the export "
              f"({export_mb:.1f} MB) <= {GOAL_SIZE}x {verdict}")
    if cli and plain and "error" not in cli and "error" not in plain:
        time_ratio = cli["seconds"] / plain["seconds"]
        rss_ratio = cli["peak_rss_mb"] / plain["peak_rss_mb"]
        print(f"goal: CLI import {time_ratio:.2f}x <= {GOAL_CLI_TIME}x plain floor "
              f"{'PASS' if time_ratio <= GOAL_CLI_TIME else 'FAIL'}; peak RSS {rss_ratio:.2f}x "
              f"<= {GOAL_CLI_RSS}x {'PASS' if rss_ratio <= GOAL_CLI_RSS else 'FAIL'}")
    ours = results.get("ours")
    if ours and floor and "error" not in ours and "error" not in floor:
        time_ratio = ours["seconds"] / floor["seconds"]
        rss_ratio = ours["peak_rss_mb"] / floor["peak_rss_mb"]
        print(f"goal: time {time_ratio:.2f}x <= {GOAL_TIME}x floor "
              f"{'PASS' if time_ratio <= GOAL_TIME else 'FAIL'}; "
              f"peak RSS {rss_ratio:.2f}x <= {GOAL_RSS}x floor "
              f"{'PASS' if rss_ratio <= GOAL_RSS else 'FAIL'}")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "CPU model unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description="Import benchmark (prints figures).")
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 2.0])
    parser.add_argument("--only", nargs="+", choices=METHODS, default=list(METHODS))
    parser.add_argument("--repeat", type=int, default=1, help="runs per method (best time)")
    parser.add_argument("--child", nargs=3, metavar=("METHOD", "EXPORT", "DB"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    sys.path.insert(0, str(REPO))
    from explorer.synthetic import write_synthetic_tenant

    print(f"Python {sys.version.split()[0]}, SQLite {__import__('sqlite3').sqlite_version}, "
          f"{os.cpu_count()} CPUs ({cpu_model()}), load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    use_compiled_bytecode()
    for scale in args.scales:
        with tempfile.TemporaryDirectory(prefix="aam-bench-") as tmp:
            work = Path(tmp)
            export = work / "export"
            counts = write_synthetic_tenant(export, scale)
            size = sum(p.stat().st_size for p in export.iterdir()) / 1e6
            print(f"\ngenerated scale {scale:g} export: {size:.1f} MB of JSON")
            results = {m: best_of(m, export, work, args.repeat)
                       for m in METHODS if m in args.only}
            print_table(scale, counts, results, size)
            print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
