"""A real X window under Xvfb: `aam-explorer demo --screenshot` must paint a sensible PNG."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

DEMO_SEGMENT = "segment:1300002"  # Cart Abandoners (7d), shared from AEP


def _cli() -> list[str]:
    script = shutil.which("aam-explorer")
    if script is not None:
        return [script]
    return [sys.executable, "-c", "from explorer.cli import main; main()"]


@pytest.mark.skipif(shutil.which("xvfb-run") is None,
                    reason="xvfb-run is not installed (CI installs xvfb; apt install xvfb xauth)")
def test_demo_screenshot_under_xvfb(tmp_path: Path) -> None:
    png = tmp_path / "xvfb-demo.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "AAM_EXPLORER_DATA_DIR": str(tmp_path)}
    command = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", *_cli(), "demo",
               "--screenshot", str(png), "--select", DEMO_SEGMENT]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1280, 800)
    colours = {image.pixel(x, y) for x in range(0, image.width(), 3)
               for y in range(0, image.height(), 3)}
    assert len(colours) > 100, "the screenshot looks blank"
    # The tree (left) was painted with rows, icons and the selection, not left empty.
    tree_colours = {image.pixel(x, y) for x in range(0, 280, 2) for y in range(80, 500, 2)}
    assert len(tree_colours) > 20
