"""Plot a 3-year daily Target-call series with events and export it as PNG; print the seconds.

Goal: at most 0.5 s for plotting plus export (pyqtgraph's import is measured apart).
Run: QT_QPA_PLATFORM=offscreen python benchmarks/chart_bench.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

YEARS = 3
WIDTH, HEIGHT = 1600, 800


def build_workspace(folder: Path):
    from explorer.store import usage_events as history
    from explorer.store.db import transaction
    from explorer.store.workspace import Workspace

    ws = Workspace.open(folder / "bench.aamws", create=True)
    start = date(2023, 1, 1)
    rows = []
    for i in range(365 * YEARS):
        day = (start + timedelta(days=i)).isoformat()
        target = 120_000 + (i % 7) * 5_000 if i < 700 else 50_000 + (i % 7) * 2_000
        rows += [(day, "target", float(target), "bench"),
                 (day, "analytics", 30_000.0 + i % 11, "bench"),
                 (day, "total", target + 40_000.0, "bench")]
    with transaction(ws.conn) as conn:
        history.upsert_usage_days(conn, rows)
        history.add_event(conn, "2024-12-01", "data collection", "Once Per Session")
        history.add_event(conn, "2023-06-01", "shared audiences", "enabled")
        history.set_price(conn, 0.5)
    return ws


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        ws = build_workspace(Path(folder))
        t0 = time.perf_counter()
        import pyqtgraph  # noqa: F401

        import_seconds = time.perf_counter() - t0
        from explorer.ui.trends import TrendsPanel

        # the panel remembers the chosen aggregation in QSettings: not in the user's own
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        print(f"pyqtgraph import: {import_seconds:.3f} s (paid once, on first show)")
        worst = 0.0
        size_ok = True
        for aggregation in ("day", "week"):  # every day is the worst case; week the default
            t0 = time.perf_counter()
            panel = TrendsPanel(ws)
            panel.set_aggregation(aggregation)
            panel.resize(1400, 600)
            panel.show()
            for name in ("analytics", "total"):
                panel.set_series_visible(name, True)
            app.processEvents()
            plot_seconds = time.perf_counter() - t0
            t0 = time.perf_counter()
            png = panel.export_png(Path(folder) / "chart.png", WIDTH, HEIGHT)
            export_seconds = time.perf_counter() - t0
            image = QImage(str(png))
            size_ok = size_ok and (image.width(), image.height()) == (WIDTH, HEIGHT)
            points = len(panel.curves["target"].getData()[0])
            panel.close()
            total = plot_seconds + export_seconds
            worst = max(worst, total)
            print(f"[{aggregation}] plot {points} points x 3 series + events, headline, "
                  f"labels: {plot_seconds:.3f} s; export PNG {image.width()}x{image.height()}: "
                  f"{export_seconds:.3f} s; plot + export: {total:.3f} s")
        ws.close()
    print(f"worst plot + export: {worst:.3f} s (goal <= 0.5 s): "
          f"{'OK' if worst <= 0.5 else 'SLOW'}")
    return 0 if worst <= 0.5 and size_ok else 1


if __name__ == "__main__":
    sys.exit(main())
