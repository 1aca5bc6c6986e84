#!/usr/bin/env python3
"""Window benchmark: the explorer window on the 2x synthetic tenant against a near-empty one.

Builds once (reused from a cache folder; ``--rebuild`` forces it) three workspaces:

* ``2x``     ``explorer.synthetic`` at scale 2 (200,000 traits, 40,000 segments, 4,000 trait
             folders, ...) imported with ``explorer.importers.import_export``
* ``tiny``   the same generator at scale 0.0001 (10 traits, 2 segments, 6 + 2 folders, 3
             destinations) through the same importer: the baseline "empty" workspace, because
             it takes every code path the 2x one takes (an import row, findings, folders and
             objects in the tree, icons painted) with nothing worth counting in it
* ``empty``  ``Workspace.open(path, create=True)``: no objects and no import at all (shown for
             reference; the tree then paints five empty groups and the panels their empty
             states, so it skips work the 2x window does regardless of size)

then measures each figure in a FRESH subprocess (``benchmarks/_window_probe.py``, offscreen Qt
or ``--xvfb``), repeated ``--repeat`` times (median printed):

* start      process spawn (parent's ``perf_counter`` just before ``Popen``) to the window's
             ``ready`` after ``explorer.ui.app.run_app(workspace)``: the tree's viewport has
             painted the opened workspace (the whole window is painted in the same
             backing-store flush); the goal compares 2x with the baseline (≤ 1.2x)
* tree       in a shown window: ``open_workspace(path)`` to the end of the tree viewport's
             first paint event, and a synchronous repaint of the tree afterwards
* expand     the folder with the most direct objects (SQL) scrolled to the top:
             ``tree.expand(index)`` to the end of the next tree viewport paint
* search     50 keystroke prefixes of real names and ids: ``queries.search`` alone (one child),
             and the UI path (``search_box.setText`` + ``SearchController.run_now`` + the
             results view painted; another child), median and p95 (goal p95 ≤ 20 ms)
* inspect    ``window.reveal(ref)`` for 200 random traits/segments: to the inspector's
             ``ready`` (goal ≤ 50 ms, median and p95 shown) and to its viewport painted
* rss        peak RSS (``ru_maxrss``) after expanding the 50 folders with most direct objects
             and inspecting 200 objects, against the baseline's peak after just opening
             (goal ≤ 1.5x)

    python benchmarks/window_bench.py                   # everything, 3 repeats
    python benchmarks/window_bench.py --figures start rss --repeat 5
    python benchmarks/window_bench.py --profile inspect  # cProfile of one 2x child
    python benchmarks/window_bench.py --xvfb             # a real X server instead of offscreen

It is a benchmark, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PROBE = Path(__file__).resolve().parent / "_window_probe.py"
FIGURES = ("start", "tree", "expand", "search-core", "search-ui", "inspect", "rss")
TINY_SCALE = 0.0001
CHILD_TIMEOUT_S = 600
GOAL_START_RATIO, GOAL_SEARCH_P95_MS, GOAL_INSPECT_MS, GOAL_RSS_RATIO = 1.2, 20.0, 50.0, 1.5


# --- workspaces ---------------------------------------------------------------------------------
def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aam-explorer" / "window-bench"


def _marker(workspace: Path) -> Path:
    return workspace.with_suffix(".json")


def _reusable(workspace: Path) -> dict[str, Any] | None:
    marker = _marker(workspace)
    if not workspace.exists() or not marker.exists():
        return None
    try:
        return json.loads(marker.read_text(encoding="utf-8"))
    except ValueError:
        return None


def _remove_workspace(workspace: Path) -> None:
    for path in (workspace, Path(f"{workspace}-wal"), Path(f"{workspace}-shm"),
                 _marker(workspace)):
        path.unlink(missing_ok=True)


def build_synthetic(workspace: Path, scale: float, rebuild: bool) -> dict[str, Any]:
    """Generate and import a synthetic tenant into ``workspace`` unless a built one is there."""
    info = None if rebuild else _reusable(workspace)
    if info is not None:
        return info | {"reused": True}
    from explorer.importers import import_export
    from explorer.synthetic import write_synthetic_tenant

    _remove_workspace(workspace)
    workspace.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="aam-window-bench-") as tmp:
        export = Path(tmp) / "export"
        start = time.perf_counter()
        counts = write_synthetic_tenant(export, scale)
        generate_s = time.perf_counter() - start
        start = time.perf_counter()
        report = import_export(export, workspace)
        import_s = time.perf_counter() - start
    info = {"scale": scale, "counts": counts, "generate_s": generate_s, "import_s": import_s,
            "warnings": len(report.warnings), "errors": len(report.errors),
            "built": time.strftime("%Y-%m-%d %H:%M")}
    _marker(workspace).write_text(json.dumps(info), encoding="utf-8")
    return info | {"reused": False}


def build_empty(workspace: Path, rebuild: bool) -> dict[str, Any]:
    info = None if rebuild else _reusable(workspace)
    if info is not None:
        return info | {"reused": True}
    from explorer.store.workspace import Workspace

    _remove_workspace(workspace)
    workspace.parent.mkdir(parents=True, exist_ok=True)
    Workspace.open(workspace, create=True).close()
    info = {"scale": 0, "counts": {}, "built": time.strftime("%Y-%m-%d %H:%M")}
    _marker(workspace).write_text(json.dumps(info), encoding="utf-8")
    return info | {"reused": False}


def prepare_workspaces(cache: Path, scale: float, rebuild: bool) -> dict[str, Path]:
    sys.path.insert(0, str(REPO))
    paths = {"2x": cache / f"scale-{scale:g}.aamws", "tiny": cache / "tiny.aamws",
             "empty": cache / "empty.aamws"}
    for name in ("2x", "tiny"):
        info = build_synthetic(paths[name], scale if name == "2x" else TINY_SCALE, rebuild)
        counts = info["counts"]
        what = (f"{counts.get('traits', 0):,} traits, {counts.get('segments', 0):,} segments, "
                f"{counts.get('trait_folders', 0):,} trait folders")
        if info["reused"]:
            print(f"{name:>5}: reusing {paths[name]} ({what}; built {info['built']}: "
                  f"import took {info['import_s']:.1f} s; --rebuild to redo)")
        else:
            print(f"{name:>5}: generated in {info['generate_s']:.1f} s and imported in "
                  f"{info['import_s']:.1f} s into {paths[name]} ({what})")
    info = build_empty(paths["empty"], rebuild)
    print(f"empty: {'reusing' if info['reused'] else 'created'} {paths['empty']} "
          "(Workspace.open(create=True): no objects, no import)")
    return paths


# --- children -----------------------------------------------------------------------------------
def use_compiled_bytecode(cache_dir: Path) -> None:
    """Children import compiled modules, as an installed app does: bytecode is written under
    ``cache_dir/pycache`` (never into the repository), also where the environment sets
    PYTHONDONTWRITEBYTECODE, and one warm-up child compiles the window's modules first.
    Otherwise every child compiles ~200 modules (~0.25 s) and start measures the compiler."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(cache_dir / "pycache")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
    subprocess.run([sys.executable, "-c", "import explorer.ui.app, explorer.ui.main_window"],
                   env=env, check=True, timeout=CHILD_TIMEOUT_S)


def run_child(figure: str, workspace: Path, *, xvfb: bool, profile: Path | None = None
              ) -> dict[str, Any]:
    """One measurement in a fresh interpreter with its own settings and data folders."""
    with tempfile.TemporaryDirectory(prefix="aam-window-probe-") as home:
        env = dict(os.environ, AAM_EXPLORER_DATA_DIR=str(Path(home) / "data"),
                   XDG_CONFIG_HOME=str(Path(home) / "config"),
                   XDG_DATA_HOME=str(Path(home) / "share"), PYQTGRAPH_QT_LIB="PySide6",
                   AAM_PROBE_SETTINGS=str(Path(home) / "qt"),
                   PYTHONPATH=os.pathsep.join(
                       [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
        env["QT_QPA_PLATFORM"] = "xcb" if xvfb else "offscreen"
        command = [sys.executable, str(PROBE), figure, str(workspace)]
        if profile is not None:
            command += ["--profile", str(profile)]
        if xvfb:
            command = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", *command]
        spawn = time.perf_counter()
        # perf_counter is CLOCK_MONOTONIC on Linux: the child's clock is the parent's clock.
        env["AAM_PROBE_SPAWN"] = repr(spawn)
        try:
            completed = subprocess.run(command, capture_output=True, text=True, env=env,
                                       timeout=CHILD_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {CHILD_TIMEOUT_S} s"}
    if completed.returncode != 0:
        tail = completed.stderr.strip().splitlines()[-3:] or ["failed"]
        return {"error": " | ".join(tail)}
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return {"error": "no result printed"}
    return json.loads(lines[-1])


def repeated(figure: str, workspace: Path, repeat: int, xvfb: bool) -> list[dict[str, Any]]:
    runs = [run_child(figure, workspace, xvfb=xvfb) for _ in range(repeat)]
    for run in runs:
        if "error" in run:
            print(f"  ! {figure} on {workspace.name}: {run['error']}")
    return [run for run in runs if "error" not in run]


def median_of(runs: list[dict[str, Any]], key: str) -> float | None:
    values = [run[key] for run in runs if run.get(key) is not None]
    return statistics.median(values) if values else None


# --- table --------------------------------------------------------------------------------------
class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, figure: str, value: str, baseline: str = "", goal: str = "",
            verdict: str = "") -> None:
        self.rows.append((figure, value, baseline, goal, verdict))

    def print(self) -> None:
        header = ("figure", "2x tenant", "baseline", "goal", "verdict")
        widths = [max(len(row[i]) for row in [header, *self.rows]) for i in range(5)]
        line = "  ".join(f"{{:<{widths[0]}}}" if i == 0 else f"{{:>{widths[i]}}}"
                         for i in range(5))
        print(line.format(*header))
        print("-" * (sum(widths) + 8))
        for row in self.rows:
            print(line.format(*row))


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:,.1f} ms"


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("PASS" if ok else "FAIL")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def pooled(runs: list[dict[str, Any]], key: str) -> list[float]:
    return [value for run in runs for value in run.get(key, [])]


def report_start(table: Table, results: dict[str, list[dict[str, Any]]], baseline: str) -> None:
    big = median_of(results["2x"], "spawn_to_ready")
    base = median_of(results[baseline], "spawn_to_ready")
    ratio = big / base if big and base else None
    table.add("start: spawn -> window painted (ready)", ms(big), ms(base),
              f"<= {GOAL_START_RATIO}x", verdict(None if ratio is None
                                                  else ratio <= GOAL_START_RATIO)
              + ("" if ratio is None else f" {ratio:.2f}x"))
    for key, label in (("interpreter_start", "  spawn -> probe's first line"),
                       ("top_to_ready", "  probe's first line -> ready"),
                       ("imports", "  imports (PySide6 + explorer.ui.app)"),
                       ("window_built", "  MainWindow() constructed"),
                       ("open_workspace", "  open_workspace() call"),
                       ("open_to_ready", "  open_workspace() start -> ready")):
        table.add(label, ms(median_of(results["2x"], key)),
                  ms(median_of(results[baseline], key)))
    other = "empty" if baseline == "tiny" else "tiny"
    if results.get(other):
        table.add(f"  (spawn -> ready on {other})", ms(median_of(results[other],
                                                                 "spawn_to_ready")))
    for part in ("_install_tree", "_install_object_list", "_install_inspector",
                 "_install_findings", "_reset_trends"):
        big_part = median_of(results["2x"], part)
        if big_part is not None:
            table.add(f"  {part.lstrip('_')}", ms(big_part),
                      ms(median_of(results[baseline], part)))


def report_tree(table: Table, results: dict[str, list[dict[str, Any]]], baseline: str) -> None:
    table.add("tree: open_workspace -> tree painted",
              ms(median_of(results["2x"], "open_to_tree_painted")),
              ms(median_of(results[baseline], "open_to_tree_painted")))
    table.add("  tree model built + set (_install_tree)",
              ms(median_of(results["2x"], "_install_tree")),
              ms(median_of(results[baseline], "_install_tree")))
    table.add("  tree viewport repaint (synchronous)",
              ms(median_of(results["2x"], "tree_repaint")),
              ms(median_of(results[baseline], "tree_repaint")))


def report_expand(table: Table, results: dict[str, list[dict[str, Any]]], baseline: str) -> None:
    runs = results["2x"]
    rows = runs[0].get("rows", "?") if runs else "?"
    table.add(f"expand largest folder ({rows} rows) -> painted",
              ms(median_of(runs, "expand")), ms(median_of(results[baseline], "expand")))


def report_search(table: Table, figure: str, runs: list[dict[str, Any]]) -> None:
    times = pooled(runs, "times")
    if not times:
        table.add(f"{figure} per keystroke", "-")
        return
    label = "queries.search" if figure == "search-core" else "UI: run_now + results painted"
    worst = p95(times)
    table.add(f"search {label}: median", ms(statistics.median(times)))
    table.add(f"search {label}: p95 of {len(times)}", ms(worst), "",
              f"<= {GOAL_SEARCH_P95_MS:g} ms", verdict(worst * 1000 <= GOAL_SEARCH_P95_MS))
    slowest = max(runs[0]["slowest"], key=lambda item: item[1]) if runs[0].get("slowest") \
        else None
    if slowest:
        table.add(f"  slowest query {slowest[0]!r}", ms(slowest[1]))


def report_inspect(table: Table, runs: list[dict[str, Any]]) -> None:
    ready = pooled(runs, "to_ready")
    painted = pooled(runs, "to_painted")
    if not ready:
        table.add("inspect", "-")
        return
    table.add("inspect: reveal -> inspector ready, median", ms(statistics.median(ready)), "",
              f"<= {GOAL_INSPECT_MS:g} ms",
              verdict(statistics.median(ready) * 1000 <= GOAL_INSPECT_MS))
    table.add(f"inspect: reveal -> inspector ready, p95 of {len(ready)}", ms(p95(ready)), "",
              f"<= {GOAL_INSPECT_MS:g} ms", verdict(p95(ready) * 1000 <= GOAL_INSPECT_MS))
    if painted:
        table.add("  reveal -> inspector painted, median / p95",
                  f"{ms(statistics.median(painted))} / {ms(p95(painted))}")
    for key, label in (("show_object", "  inspector.show_object, median"),
                       ("object_details", "  queries.object_details, median"),
                       ("index_for", "  tree_model.index_for, median"),
                       ("show_in_list", "  object list show_node, median")):
        values = pooled(runs, key)
        if values:
            table.add(label, ms(statistics.median(values)))


def report_rss(table: Table, results: dict[str, list[dict[str, Any]]], baseline: str) -> None:
    big = median_of(results["2x"], "rss_after_work")
    base = median_of(results[baseline], "rss_after_open")
    ratio = big / base if big and base else None
    runs = results["2x"]
    work = (f"{runs[0].get('folders_expanded', '?')} folders, "
            f"{runs[0].get('objects_inspected', '?')} objects") if runs else ""
    table.add(f"peak RSS after {work}", mb(big), mb(base), f"<= {GOAL_RSS_RATIO}x",
              verdict(None if ratio is None else ratio <= GOAL_RSS_RATIO)
              + ("" if ratio is None else f" {ratio:.2f}x"))
    table.add("  peak RSS after just opening", mb(median_of(runs, "rss_after_open")),
              mb(base))
    other = "empty" if baseline == "tiny" else "tiny"
    if results.get(other):
        table.add(f"  (peak RSS after opening {other})",
                  mb(median_of(results[other], "rss_after_open")))


def mb(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f} MB"


# --- main ---------------------------------------------------------------------------------------
def workspaces_for(figure: str) -> tuple[str, ...]:
    if figure in ("start", "rss"):
        return ("2x", "tiny", "empty")
    if figure in ("tree", "expand"):
        return ("2x", "tiny")
    return ("2x",)


def profile_child(figure: str, workspace: Path, xvfb: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="aam-window-profile-") as tmp:
        out = Path(tmp) / "profile.txt"
        result = run_child(figure, workspace, xvfb=xvfb, profile=out)
        if "error" in result:
            print(f"profile failed: {result['error']}")
            return
        print(out.read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description="Window benchmark (prints figures).")
    parser.add_argument("--figures", nargs="+", choices=FIGURES, default=list(FIGURES))
    parser.add_argument("--repeat", type=int, default=3, help="fresh children per figure")
    parser.add_argument("--scale", type=float, default=2.0)
    parser.add_argument("--cache-dir", type=Path, default=default_cache_dir())
    parser.add_argument("--rebuild", action="store_true", help="regenerate the workspaces")
    parser.add_argument("--baseline", choices=("tiny", "empty"), default="tiny",
                        help="which near-empty workspace the ratios compare with")
    parser.add_argument("--xvfb", action="store_true", help="children under xvfb-run (xcb)")
    parser.add_argument("--profile", choices=FIGURES, metavar="FIGURE",
                        help="print a cProfile of one 2x child of FIGURE instead")
    args = parser.parse_args()
    if args.xvfb and shutil.which("xvfb-run") is None:
        print("--xvfb needs xvfb-run (apt-get install xvfb xauth)")
        return 0
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"{'Xvfb (xcb)' if args.xvfb else 'offscreen'} Qt platform, "
          f"load average {os.getloadavg()[0]:.2f}")
    paths = prepare_workspaces(args.cache_dir, args.scale, args.rebuild)
    use_compiled_bytecode(args.cache_dir)
    if args.profile:
        profile_child(args.profile, paths["2x"], args.xvfb)
        return 0
    table = Table()
    for figure in args.figures:
        started = time.perf_counter()
        results = {name: repeated(figure, paths[name], args.repeat, args.xvfb)
                   for name in workspaces_for(figure)}
        print(f"measured {figure}: {time.perf_counter() - started:.0f} s")
        if figure == "start":
            report_start(table, results, args.baseline)
        elif figure == "tree":
            report_tree(table, results, "tiny")
        elif figure == "expand":
            report_expand(table, results, "tiny")
        elif figure.startswith("search"):
            report_search(table, figure, results["2x"])
        elif figure == "inspect":
            report_inspect(table, results["2x"])
        else:
            report_rss(table, results, args.baseline)
    print(f"\nscale {args.scale:g} against the {args.baseline} workspace; medians of "
          f"{args.repeat} fresh processes (search and inspect: pooled over them)")
    table.print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
