"""What opening a path means: a workspace is recognised by its content, not only its name."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

from explorer.importers import import_export
from explorer.ui.main_window import MainWindow
from explorer.ui.recent import classify_path


def test_a_workspace_under_any_name_is_a_workspace(sample_tenant: Path, tmp_path: Path) -> None:
    created = tmp_path / "acme.aamws"
    import_export(sample_tenant, created)
    renamed = shutil.copyfile(created, tmp_path / "acme-review.db")
    plain = shutil.copyfile(created, tmp_path / "acme")
    assert classify_path(renamed) is not None and classify_path(renamed).kind == "workspace"
    assert classify_path(plain) is not None and classify_path(plain).kind == "workspace"
    text = tmp_path / "notes.txt"
    text.write_text("SQLite is a database\n", encoding="utf-8")
    assert classify_path(text) is None


def test_a_bundle_renamed_to_zip_is_a_bundle_and_an_export_zip_an_export(tmp_path: Path) -> None:
    bundle = tmp_path / "review.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("manifest.json", "{}")
        archive.writestr("workspace.aamws", b"")
        archive.writestr("snapshot.html", "<html></html>")
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("traits.json", "[]")
    assert classify_path(bundle).kind == "snapshot"  # type: ignore[union-attr]
    assert classify_path(export).kind == "export"  # type: ignore[union-attr]


def test_the_window_opens_a_workspace_not_named_aamws(sample_tenant: Path, tmp_path: Path,
                                                      qtbot) -> None:
    created = tmp_path / "acme.aamws"
    import_export(sample_tenant, created)
    renamed = Path(shutil.copyfile(created, tmp_path / "acme.sqlite"))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=5000):
        assert window.opener.open_path(renamed)
    assert window.workspace is not None and window.workspace.path == renamed


def test_a_foreign_sqlite_file_is_refused_by_the_workspace_not_the_name(tmp_path: Path,
                                                                         qtbot) -> None:
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    window = MainWindow()
    qtbot.addWidget(window)
    window.messenger.interactive = False
    messages: list[str] = []
    window.loadFailed.connect(messages.append)
    assert not window.opener.open_path(foreign)
    assert messages and str(foreign) in messages[0] and "not a workspace" not in messages[0]
