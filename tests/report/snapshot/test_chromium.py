"""The snapshot in a real browser: headless Chromium opens the file, with the network off,
and takes a screenshot (skipped only where Chromium is not installed; CI installs it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from explorer.report.qt.chart_png import render_target_chart
from explorer.report.snapshot import render_snapshot
from tests.helpers.snapshot_workspaces import demo_workspace

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def _screenshot(html_file: Path, png: Path, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", f"--screenshot={png}",
         "--window-size=1280,2000", html_file.resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=False)


def test_chromium_renders_the_demo_snapshot(tmp_path: Path) -> None:
    with demo_workspace(tmp_path / "d.aamws") as ws:
        from explorer.store.annotations import set_annotation
        from explorer.store.db import transaction

        with transaction(ws.conn):
            set_annotation(ws.conn, "segment", 1200062, note="Shown to the client\n東京",
                           tags=["workshop"], status="to fix")
        html_file = tmp_path / "snapshot.html"
        html_file.write_text(render_snapshot(ws.conn, title="Northwind review",
                                             chart_renderer=render_target_chart),
                             encoding="utf-8")
    png = tmp_path / "snapshot.png"
    result = _screenshot(html_file, png, tmp_path / "profile")
    assert result.returncode == 0, result.stderr[-2000:]
    assert png.exists() and png.read_bytes().startswith(b"\x89PNG")
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert (image.width(), image.height()) == (1280, 2000)
    # the page is drawn: many colours (text, tables, chips), not an error page or a blank
    colours = {image.pixelColor(x, y).name() for x in range(0, 1280, 9)
               for y in range(0, 2000, 9)}
    assert len(colours) > 40
