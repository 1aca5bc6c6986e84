"""A real X window under Xvfb: the demo in presentation mode, masked, dark theme, 150 % zoom."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

DEMO_SEGMENT = "segment:1200054"  # Gold & Platinum Members (Marketing / Email)
BADGE = QColor("#D55E00")  # the status bar's MASKED badge (Okabe-Ito vermillion)


def _cli() -> list[str]:
    script = shutil.which("aam-explorer")
    if script is not None:
        return [script]
    return [sys.executable, "-c", "from explorer.cli import main; main()"]


def _near(colour: QColor, target: QColor, tolerance: int = 24) -> bool:
    return (abs(colour.red() - target.red()) <= tolerance
            and abs(colour.green() - target.green()) <= tolerance
            and abs(colour.blue() - target.blue()) <= tolerance)


@pytest.mark.skipif(shutil.which("xvfb-run") is None,
                    reason="xvfb-run is not installed (CI installs xvfb; apt install xvfb xauth)")
def test_presentation_masked_dark_screenshot_under_xvfb(tmp_path: Path) -> None:
    png = tmp_path / "workshop-dark.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "AAM_EXPLORER_DATA_DIR": str(tmp_path)}
    command = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", *_cli(), "demo",
               "--screenshot", str(png), "--select", DEMO_SEGMENT, "--theme", "dark",
               "--zoom", "150", "--presentation", "--mask-class", "all",
               "--mask-term", "Northwind", "--mask-term", "Platinum"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1280, 800)
    pixels = [image.pixelColor(x, y) for x in range(0, image.width(), 4)
              for y in range(0, image.height(), 4)]
    assert len({p.rgb() for p in pixels}) > 100, "the screenshot looks blank"
    dark = sum(1 for p in pixels if p.lightness() < 70)
    assert dark > len(pixels) * 0.6, "the dark theme should paint mostly dark"
    # the MASKED badge sits at the right end of the status bar
    status_bar = [image.pixelColor(x, y) for x in range(image.width() - 220, image.width())
                  for y in range(image.height() - 30, image.height())]
    assert sum(1 for p in status_bar if _near(p, BADGE)) > 200, "no MASKED badge"
    # presentation mode: no bottom docks, so the tree runs down to the status bar
    tree_column = {image.pixelColor(x, y).rgb() for x in range(10, 300, 3)
                   for y in range(image.height() - 200, image.height() - 40, 3)}
    assert len(tree_column) > 20, "the tree should fill the left side down to the bottom"
