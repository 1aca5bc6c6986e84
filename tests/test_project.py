"""Project-level guarantees: the README's test command is what CI runs, and the import
contracts in pyproject.toml (layers, Qt only where allowed, no circles) hold."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from tests.helpers.paths import REPO_ROOT

REPO = REPO_ROOT
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph")


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_ci_runs_the_readme_test_command() -> None:
    test_command = next(c for c in _readme_commands() if "pytest" in c)
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    parts = [f"{part.strip()} || exit 1" for part in test_command.split("&&")]
    assert len(parts) == 2 and all(part in ci_lines for part in parts)
    positions = [ci_lines.index(part) for part in parts]
    assert positions == sorted(positions)  # install first, then the tests


def test_readme_starts_the_demo() -> None:
    assert any(c.endswith("aam-explorer demo") for c in _readme_commands())


def test_import_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports")
    assert lint_imports is not None, "import-linter is in the test extra: pip install .[test]"
    result = subprocess.run([lint_imports, "--no-cache"], capture_output=True, text=True,
                            cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_importing_the_core_loads_no_qt() -> None:
    code = (
        "import sys, explorer.cli, explorer.store.workspace, explorer.importers;"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
