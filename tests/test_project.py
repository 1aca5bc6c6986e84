"""Project-level guarantees: the README's test command is what CI runs, and the layers hold."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from tests.helpers.paths import REPO_ROOT

REPO = REPO_ROOT
CORE_PACKAGES = ("domain", "store", "importers", "analysis", "report")
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6")
# The report's renderers that need Qt's painters: the chart as PNG (DESIGN.md) and the PDF
# (Qt's own PDF writer). Both import Qt lazily, inside their functions' callers' processes.
QT_RENDERERS = {REPO / "explorer" / "report" / "chart_png.py",
                REPO / "explorer" / "report" / "pdf.py"}


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_ci_runs_the_readme_test_command() -> None:
    test_command = next(c for c in _readme_commands() if "pytest" in c)
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert f"{test_command} || exit 1" in ci_lines


def test_readme_starts_the_demo() -> None:
    assert any(c.endswith("aam-explorer demo") for c in _readme_commands())


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_never_imports_qt() -> None:
    offenders = []
    for package in CORE_PACKAGES:
        for path in (REPO / "explorer" / package).rglob("*.py"):
            if path in QT_RENDERERS:
                continue
            for name in _imported_modules(path):
                if name.split(".")[0] in QT_MODULES or name.startswith("explorer.ui"):
                    offenders.append(f"{path.relative_to(REPO)} imports {name}")
    assert offenders == []


def test_importing_the_core_loads_no_qt() -> None:
    code = (
        "import sys, explorer.cli, explorer.store.workspace, explorer.importers;"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ui_is_the_only_layer_that_imports_ui() -> None:
    offenders = []
    for path in (REPO / "explorer").rglob("*.py"):
        relative = path.relative_to(REPO / "explorer")
        if relative.parts[0] == "ui" or relative.name in ("app.py",) or relative.parts[0] == "cli":
            continue
        if any(n.startswith("explorer.ui") for n in _imported_modules(path)):
            offenders.append(str(relative))
    assert offenders == []
