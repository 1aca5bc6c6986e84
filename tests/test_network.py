"""The app makes no network connection, ever: no module can, and a whole session does not."""

from __future__ import annotations

import ast
import socket
from pathlib import Path

import pytest

from explorer.analysis.findings import not_checked
from explorer.analysis.lineage import build_lineage
from explorer.importers import import_export
from explorer.report.export import SnapshotOptions, export_snapshot
from explorer.report.qt.chart_png import render_target_chart
from explorer.store.workspace import Workspace
from tests.helpers.paths import DEMO_DIR, REPO_ROOT

NETWORK_MODULES = {"socket", "ssl", "http", "urllib", "requests", "httpx", "ftplib", "smtplib",
                   "xmlrpc", "asyncio", "PySide6.QtNetwork", "PySide6.QtWebEngineCore"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_module_imports_a_network_library() -> None:
    offenders = {}
    for path in (REPO_ROOT / "explorer").rglob("*.py"):
        hits = {name for name in _imported_modules(path)
                if name in NETWORK_MODULES or name.split(".")[0] in NETWORK_MODULES}
        if hits:
            offenders[str(path.relative_to(REPO_ROOT))] = sorted(hits)
    assert offenders == {}


def test_import_findings_lineage_and_snapshot_open_no_connection(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network use is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection",
                        lambda *args, **kwargs: refuse(None, args))  # type: ignore[arg-type]
    ws_path = tmp_path / "demo.aamws"
    import_export(DEMO_DIR / "export", ws_path)
    with Workspace.open(ws_path) as ws:
        not_checked(ws.conn)
        build_lineage(ws.conn, "segment", 1200054)
        export_snapshot(ws, html=tmp_path / "demo.html",
                        options=SnapshotOptions(chart_renderer=render_target_chart))
    assert (tmp_path / "demo.html").stat().st_size > 0
    assert attempts == []
