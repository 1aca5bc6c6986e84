"""One window measurement in a fresh process (run by ``window_bench.py``; prints one JSON line).

    python benchmarks/_window_probe.py FIGURE WORKSPACE [--profile OUT.txt]

FIGURE is start, tree, expand, search-core, search-ui, inspect or rss (see window_bench.py).
The parent sets ``AAM_PROBE_SPAWN`` (its ``perf_counter`` just before spawning us: on Linux the
same monotonic clock) and ``AAM_PROBE_SETTINGS`` (a private QSettings folder), plus private
data/config folders, so no run sees another's saved state or the user's.

Timings of window internals come from wrapping methods of this process's classes (never by
editing them): the window code measured is exactly what ``aam-explorer gui`` runs.
"""

import time

T_TOP = time.perf_counter()  # before any other import: the interpreter has just started

import argparse  # noqa: E402  (imports after the first clock reading on purpose)
import cProfile  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

SEED = 20240601
SEARCH_KEYSTROKES = 50
INSPECT_OBJECTS = 200
RSS_FOLDERS = 50
WAIT_TIMEOUT_S = 60.0
READY_TIMEOUT_MS = 180_000

timings: dict[str, list[float]] = {}  # wrapped method -> durations (seconds)
marks: dict[str, float] = {}  # named moments (perf_counter)


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def timed(owner: Any, name: str, key: str | None = None) -> None:
    """Replace ``owner.name`` by a wrapper that records each call's duration."""
    original = getattr(owner, name, None)
    if original is None:
        return
    key = key or name

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings.setdefault(key, []).append(time.perf_counter() - start)

    wrapper.__name__ = getattr(original, "__name__", name)
    setattr(owner, name, wrapper)


# --- Qt helpers -----------------------------------------------------------------------------
def isolate_settings() -> None:
    from PySide6.QtCore import QSettings

    folder = os.environ.get("AAM_PROBE_SETTINGS")
    if folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)


def make_paint_watch() -> Any:
    """An event filter that records when a watched widget has FINISHED a paint event."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class PaintWatch(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.painted: dict[int, float] = {}  # id(widget) -> end of its latest paint
            self.started: dict[int, float] = {}  # id(widget) -> start of its latest paint
            self.paints: dict[int, int] = {}

        def watch(self, widget: Any) -> None:
            widget.installEventFilter(self)

        def eventFilter(self, watched: Any, event: Any) -> bool:
            if event.type() == QEvent.Type.Paint:
                key = id(watched)
                self.started[key] = time.perf_counter()
                self.paints[key] = self.paints.get(key, 0) + 1
                # Runs once the paint (and the rest of this backing-store flush) is done.
                QTimer.singleShot(0, lambda: self.painted.__setitem__(key, time.perf_counter()))
            return False

        def painted_after(self, widget: Any, moment: float) -> bool:
            return self.painted.get(id(widget), 0.0) > moment

    return PaintWatch()


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = WAIT_TIMEOUT_S
               ) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + timeout
    while not predicate():
        QApplication.processEvents()
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")


def wait_painted(watch: Any, widget: Any, since: float, what: str) -> float:
    wait_until(lambda: watch.painted_after(widget, since), what)
    return watch.painted[id(widget)]


def settle(seconds: float = 0.3) -> None:
    """Let pending timers and paints run (between measurements, never inside one)."""
    from PySide6.QtWidgets import QApplication

    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        QApplication.processEvents()


def instrument_window() -> None:
    """Time the window's workspace installation steps (class-level wrappers, this process)."""
    from explorer.ui.window.navigator import Navigator
    from explorer.ui.window.opener import Opener
    from explorer.ui.window.panels import Panels

    timed(Opener, "open_workspace")
    for step in ("_install_tree", "_install_object_list", "_install_inspector",
                 "_install_findings", "_reset_trends"):
        timed(Panels, step)
    timed(Navigator, "_show_in_list")


def shown_window() -> tuple[Any, Any, Any]:
    """QApplication + MainWindow exactly as ``run_app`` builds them, shown and painted."""
    from PySide6.QtWidgets import QApplication

    from explorer.ui.app import configure_application
    from explorer.ui.main_window import MainWindow

    isolate_settings()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_application(app)
    instrument_window()
    window = MainWindow(interactive=True, restore_settings=True)
    watch = make_paint_watch()
    watch.watch(window.frame.tree.viewport())
    window.show()
    wait_until(window.isVisible, "the window to show")
    settle()
    return app, window, watch


def open_and_wait(window: Any, watch: Any, workspace: Path) -> dict[str, float]:
    """open_workspace + wait for ``ready``; returns the moments."""
    ready: dict[str, float] = {}
    window.ready.connect(lambda: ready.setdefault("ready", time.perf_counter()))
    start = time.perf_counter()
    if not window.open_workspace(workspace):
        raise RuntimeError(f"could not open {workspace}")
    wait_until(lambda: "ready" in ready, "the window's ready signal")
    if watch.started.get(id(window.frame.tree.viewport()), 0.0) <= start:
        raise RuntimeError("ready came from the fallback timer: the tree never painted")
    tree_painted = wait_painted(watch, window.frame.tree.viewport(), start, "the tree's paint")
    return {"start": start, "ready": ready["ready"], "tree_painted": tree_painted}


# --- figures --------------------------------------------------------------------------------
def figure_start(workspace: Path) -> dict[str, Any]:
    """``run_app(workspace)`` as ``aam-explorer gui WS`` runs it, until ``ready``."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import explorer.ui.app
    from explorer.ui.main_window import MainWindow

    marks["imports"] = time.perf_counter()
    isolate_settings()
    instrument_window()
    original_init = MainWindow.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        marks["window_start"] = time.perf_counter()
        original_init(self, *args, **kwargs)
        marks["window_built"] = time.perf_counter()
        watch = make_paint_watch()
        watch.watch(self.frame.tree.viewport())
        self._probe_watch = watch
        self.ready.connect(lambda: on_ready(self))
        QTimer.singleShot(READY_TIMEOUT_MS, QApplication.quit)  # never hang

    def on_ready(window: Any) -> None:
        marks.setdefault("ready", time.perf_counter())
        marks["tree_paint_started"] = window._probe_watch.started.get(
            id(window.frame.tree.viewport()), 0.0)
        QTimer.singleShot(0, window.close)
        QTimer.singleShot(0, QApplication.quit)

    MainWindow.__init__ = init
    # run_app opens through the window's opener (MainWindow.open_workspace delegates to it).
    from explorer.ui.window.opener import Opener
    opened: dict[str, float] = {}
    original_open = Opener.open_workspace

    def open_workspace(self: Any, *args: Any, **kwargs: Any) -> bool:
        opened.setdefault("start", time.perf_counter())
        return original_open(self, *args, **kwargs)

    Opener.open_workspace = open_workspace  # type: ignore[method-assign]
    explorer.ui.app.run_app(workspace, argv=sys.argv[:1])
    if "ready" not in marks:
        raise RuntimeError("the window never became ready")
    if marks["tree_paint_started"] <= opened["start"]:
        raise RuntimeError("ready came from the fallback timer: the tree never painted")
    spawn = float(os.environ.get("AAM_PROBE_SPAWN", T_TOP))
    return {"spawn_to_ready": marks["ready"] - spawn, "top_to_ready": marks["ready"] - T_TOP,
            "interpreter_start": T_TOP - spawn, "imports": marks["imports"] - T_TOP,
            "window_built": marks["window_built"] - marks["window_start"],
            "open_workspace": timings["open_workspace"][0],
            "open_to_ready": marks["ready"] - opened["start"],
            "rss_after_open": peak_rss_mb(),
            **{k: v[0] for k, v in timings.items() if k != "open_workspace" and v}}


def figure_tree(workspace: Path) -> dict[str, Any]:
    _app, window, watch = shown_window()  # _app: the QApplication must stay alive
    moments = open_and_wait(window, watch, workspace)
    settle()
    viewport = window.frame.tree.viewport()
    repaints = []
    for _ in range(5):
        start = time.perf_counter()
        viewport.repaint()
        repaints.append(time.perf_counter() - start)
    return {"open_to_tree_painted": moments["tree_painted"] - moments["start"],
            "open_to_ready": moments["ready"] - moments["start"],
            "tree_repaint": statistics.median(repaints),
            **{k: v[0] for k, v in timings.items() if v}}


def folders_by_size(conn: Any, limit: int) -> list[tuple[str, int, int]]:
    """(folder kind, folder id, direct objects) of the folders holding most objects."""
    rows = conn.execute(
        "SELECT 'trait-folder', f.id, COUNT(*) AS n FROM traits t "
        "JOIN trait_folders f ON f.id = t.folder_id GROUP BY f.id "
        "UNION ALL SELECT 'segment-folder', f.id, COUNT(*) AS n FROM segments s "
        "JOIN segment_folders f ON f.id = s.folder_id GROUP BY f.id "
        "ORDER BY n DESC, 2 LIMIT ?", (limit,)).fetchall()
    return [(str(r[0]), int(r[1]), int(r[2])) for r in rows]


def expand_folder(window: Any, watch: Any, kind: str, folder_id: int) -> tuple[float, int]:
    """Make the folder's row visible at the top, then time expand -> tree painted."""
    from PySide6.QtWidgets import QAbstractItemView

    from explorer.kinds import ObjectRef

    model, tree = window.tree_model, window.frame.tree
    index = model.index_for(ObjectRef(kind, folder_id))
    if not index.isValid():
        raise RuntimeError(f"{kind} {folder_id} is not in the tree")
    window.navigator.expand_to(index)
    tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
    settle(0.1)
    if tree.isExpanded(index):  # an ancestor of a folder expanded before
        return 0.0, model.rowCount(index)
    start = time.perf_counter()
    tree.expand(index)
    end = wait_painted(watch, tree.viewport(), start, "the expanded folder to paint")
    return end - start, model.rowCount(index)


def figure_expand(workspace: Path) -> dict[str, Any]:
    _app, window, watch = shown_window()  # _app: the QApplication must stay alive
    open_and_wait(window, watch, workspace)
    settle()
    largest = folders_by_size(window.workspace.conn, 1)
    if not largest:
        return {"expand": None, "rows": 0}
    kind, folder_id, direct = largest[0]
    with profiling():
        seconds, rows = expand_folder(window, watch, kind, folder_id)
    return {"expand": seconds, "rows": rows, "direct_objects": direct,
            "folder": f"{kind} {folder_id}"}


def typed_queries(conn: Any, count: int) -> list[str]:
    """Keystroke prefixes of real names and ids, as someone typing them would produce."""
    rng = random.Random(SEED)
    sources: list[str] = []
    for table in ("traits", "segments", "traits", "trait_folders", "segments", "traits"):
        total = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        if not total:
            continue
        row = conn.execute(f"SELECT id, name FROM {table} LIMIT 1 OFFSET ?",
                           (rng.randrange(total),)).fetchone()
        sources += [str(row[1]), str(row[0])]
    queries: list[str] = []
    while len(queries) < count and sources:
        for source in sources:
            # Names: the first word or two as typed; ids: every digit.
            text = source if source.isdigit() else " ".join(source.split()[:2])
            queries += [text[:n] for n in range(1, len(text) + 1) if text[n - 1] != " "]
        sources = []
    return queries[:count]


def figure_search_core(workspace: Path) -> dict[str, Any]:
    from explorer.store import queries as store_queries
    from explorer.store.workspace import Workspace
    from explorer.ui.search import RESULT_LIMIT

    ws = Workspace.open(workspace)
    texts = typed_queries(ws.conn, SEARCH_KEYSTROKES)
    times, hits = [], []
    with profiling():
        for text in texts:
            start = time.perf_counter()
            rows = store_queries.search(ws.conn, text, RESULT_LIMIT)
            times.append(time.perf_counter() - start)
            hits.append(len(rows))
    return {"times": times, "hits": hits, "queries": texts,
            "slowest": sorted(zip(texts, times, strict=True), key=lambda t: -t[1])[:3]}


def figure_search_ui(workspace: Path) -> dict[str, Any]:
    _app, window, watch = shown_window()  # _app: the QApplication must stay alive
    open_and_wait(window, watch, workspace)
    watch.watch(window.search_pane.view.viewport())
    settle()
    texts = typed_queries(window.workspace.conn, SEARCH_KEYSTROKES)
    times, hits = [], []
    with profiling():
        for text in texts:
            start = time.perf_counter()
            window.search_pane.box.setText(text)  # textChanged -> SearchController.set_query
            window.search.run_now()  # what the debounce timer calls
            wait_painted(watch, window.search_pane.view.viewport(), start, "search results")
            times.append(time.perf_counter() - start)
            hits.append(window.search.model.rowCount())
            settle(0.02)
    return {"times": times, "hits": hits, "queries": texts,
            "slowest": sorted(zip(texts, times, strict=True), key=lambda t: -t[1])[:3]}


def random_objects(conn: Any, count: int) -> list[Any]:
    from explorer.kinds import ObjectRef

    rng = random.Random(SEED)
    pool = [ObjectRef("trait", r[0]) for r in conn.execute("SELECT id FROM traits")]
    pool += [ObjectRef("segment", r[0]) for r in conn.execute("SELECT id FROM segments")]
    if not pool:
        return []
    return rng.sample(pool, count) if len(pool) >= count else \
        [rng.choice(pool) for _ in range(count)]


def instrument_inspect() -> None:
    import explorer.ui.inspector as inspector_module
    from explorer.ui.inspector import InspectorView
    from explorer.ui.tree_model import WorkspaceTreeModel

    timed(InspectorView, "show_object")
    timed(inspector_module, "object_details")
    timed(WorkspaceTreeModel, "index_for")


def inspect_objects(window: Any, watch: Any, refs: list[Any]) -> dict[str, list[float]]:
    to_ready, to_painted = [], []
    browser = window.inspector.browser.viewport()
    ready_at: dict[str, float] = {}
    window.inspector.ready.connect(lambda: ready_at.__setitem__("t", time.perf_counter()))
    for ref in refs:
        ready_at.clear()
        start = time.perf_counter()
        window.reveal(ref)
        if "t" not in ready_at:
            raise RuntimeError(f"the inspector did not render {ref}")
        to_ready.append(ready_at["t"] - start)
        painted = wait_painted(watch, browser, start, f"the inspector to paint {ref}")
        to_painted.append(painted - start)
        settle(0.01)
    return {"to_ready": to_ready, "to_painted": to_painted}


def figure_inspect(workspace: Path) -> dict[str, Any]:
    instrument_inspect()
    _app, window, watch = shown_window()  # _app: the QApplication must stay alive
    open_and_wait(window, watch, workspace)
    watch.watch(window.inspector.browser.viewport())
    settle()
    refs = random_objects(window.workspace.conn, INSPECT_OBJECTS)
    timings.clear()
    with profiling():
        result = inspect_objects(window, watch, refs)
    return {**result, "show_object": timings.get("show_object", []),
            "object_details": timings.get("object_details", []),
            "index_for": timings.get("index_for", []),
            "show_in_list": timings.get("_show_in_list", [])}


def figure_rss(workspace: Path) -> dict[str, Any]:
    _app, window, watch = shown_window()  # _app: the QApplication must stay alive
    open_and_wait(window, watch, workspace)
    settle()
    after_open = peak_rss_mb()
    watch.watch(window.inspector.browser.viewport())
    folders = folders_by_size(window.workspace.conn, RSS_FOLDERS)
    with profiling():
        for kind, folder_id, _direct in folders:
            expand_folder(window, watch, kind, folder_id)
        refs = random_objects(window.workspace.conn, INSPECT_OBJECTS)
        inspect_objects(window, watch, refs)
    settle()
    return {"rss_after_open": after_open, "rss_after_work": peak_rss_mb(),
            "folders_expanded": len(folders), "objects_inspected": len(refs)}


FIGURES: dict[str, Callable[[Path], dict[str, Any]]] = {
    "start": figure_start, "tree": figure_tree, "expand": figure_expand,
    "search-core": figure_search_core, "search-ui": figure_search_ui,
    "inspect": figure_inspect, "rss": figure_rss,
}


# --- profiling ------------------------------------------------------------------------------
class _Profiling:
    """cProfile around the measured part when ``--profile`` was given (else does nothing)."""

    def __init__(self) -> None:
        self.out: Path | None = None
        self.profiler: cProfile.Profile | None = None

    def __call__(self) -> "_Profiling":
        return self

    def __enter__(self) -> None:
        if self.out is not None and self.profiler is None:
            self.profiler = cProfile.Profile()
            self.profiler.enable()

    def __exit__(self, *exc: object) -> None:
        if self.profiler is not None:
            self.profiler.disable()

    def write(self) -> None:
        if self.out is None or self.profiler is None:
            return
        text = io.StringIO()
        for order in ("cumulative", "tottime"):
            text.write(f"=== top 30 by {order} ===\n")
            stats = pstats.Stats(self.profiler, stream=text)
            stats.strip_dirs().sort_stats(order).print_stats(30)
        self.out.write_text(text.getvalue(), encoding="utf-8")


profiling = _Profiling()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("figure", choices=sorted(FIGURES))
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    profiling.out = args.profile
    if args.figure in ("start", "tree") and args.profile is not None:
        with profiling():  # the whole start-up is the measured part
            result = FIGURES[args.figure](args.workspace)
    else:
        result = FIGURES[args.figure](args.workspace)
    profiling.write()
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # skip Qt teardown: nothing after the figure is measured


if __name__ == "__main__":
    main()
