"""Regression: PySide6 6.12.0 on CPython <= 3.11 aborts after ~16k None-returning Qt calls.

pyproject.toml keeps that version out; this test makes 100,000 such calls in one process, so a
dependency change that lets it back in fails here instead of crashing users' sessions.
"""

from __future__ import annotations

import subprocess
import sys

CALLS = 100_000

_SCRIPT = f"""
import os
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for i in range({CALLS}):
    label.setText(str(i))     # returns None
    label.resize(10 + i % 7, 10)  # returns None
print("survived", label.text())
"""


def test_100k_none_returning_qt_calls_do_not_abort() -> None:
    result = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"survived {CALLS - 1}" in result.stdout
