"""The workspace handle: the one answer to "can this workspace be changed?"."""

from __future__ import annotations

from pathlib import Path

from explorer.importers import import_export
from explorer.store.workspace import Workspace


def test_read_only_when_opened_so_or_when_the_connection_is_query_only(
        sample_tenant: Path, tmp_path: Path) -> None:
    path = tmp_path / "ws.aamws"
    import_export(sample_tenant, path)
    with Workspace.open(path) as writable:
        assert not writable.is_read_only()
        writable.conn.execute("PRAGMA query_only = 1")
        assert writable.is_read_only()
    with Workspace.open(path, readonly=True) as read_only:
        assert read_only.is_read_only()
