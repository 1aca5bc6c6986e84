"""What every CLI command shares: locked / read-only / foreign workspaces, truthful
interrupts, usage-only imports, parse-time number checks, one-line text output, Ctrl-C
anywhere, small annotate/findings/show details."""

from __future__ import annotations

import builtins
import contextlib
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import explorer.cli as cli_package
from explorer.cli import import_cmd, main, query_cmds
from explorer.cli.common import describe_sqlite_error, one_line
from explorer.importers import import_export
from explorer.store import db, schema
from explorer.store.db import WorkspaceError
from explorer.store.workspace import Workspace
from tests.helpers.paths import DATA_DIR, DEMO_DIR, REPO_ROOT

DATA = DATA_DIR
PARTNER = 7315  # the sample tenant's partner id


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def ws(sample_workspace: Path) -> Path:
    return sample_workspace


def _tables(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    finally:
        conn.close()


# -- 1. locked and read-only workspaces: one line, exit 1 -------------------------------------

@pytest.fixture
def locked(ws: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """WS while another process (the GUI importing) holds its write lock."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(ws, isolation_level=None)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN IMMEDIATE")
    yield ws
    holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.parametrize("args", [
    ("annotate", "{ws}", "trait", "3100002", "--note", "x"),
    ("findings", "{ws}", "--refresh"),
    ("findings", "{ws}", "--accept", "trait-unused:trait:3100003", "--reason", "ok"),
    ("usage", "{ws}", "--set-price", "2"),
    ("usage", "{ws}", "--add-event", "2026-03-01", "data collection", "Once Per Session"),
])
def test_a_locked_workspace_gives_one_line(locked: Path, args: tuple[str, ...]) -> None:
    result = invoke(*(a.format(ws=locked) for a in args))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.strip() == (f"Error: {locked}: workspace is busy (another import?); "
                                      "try again")


def test_migrating_a_locked_workspace_says_busy(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    old = tmp_path / "old.aamws"
    conn = db.connect(old)
    with db.transaction(conn):
        schema.MIGRATIONS[1](conn)
        conn.execute("PRAGMA user_version = 1")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = invoke("annotate", old, "trait", "1", "--note", "x")
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {old}: workspace is busy (another import?); try again"


@contextlib.contextmanager
def _immutable(path: Path) -> Iterator[None]:
    if shutil.which("chattr") is None:
        pytest.skip("no chattr")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("cannot make a file immutable here (not root?)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("args", [
    ("annotate", "{ws}", "trait", "3100002", "--note", "x"),
    ("findings", "{ws}", "--unaccept", "trait-unused:trait:3100003"),
    ("usage", "{ws}", "--delete-event", "1"),
])
def test_an_immutable_workspace_is_read_only(ws: Path, args: tuple[str, ...]) -> None:
    invoke("annotate", ws, "trait", "3100002", "--note", "before")  # now in WAL mode
    with _immutable(ws):
        result = invoke(*(a.format(ws=ws) for a in args))
        assert result.exit_code == 1
        assert result.output.strip() == f"Error: {ws}: workspace is read-only"
        info = invoke("info", ws, "--json")  # reading still works
        assert info.exit_code == 0 and json.loads(info.output)["partner_id"] == PARTNER


def test_sqlite_errors_are_named_for_the_user(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    sqlite3.connect(path).execute("CREATE TABLE t(x)").connection.commit()
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as readonly:
        conn.execute("INSERT INTO t VALUES (1)")
    conn.close()
    assert describe_sqlite_error(readonly.value) == "workspace is read-only"
    assert describe_sqlite_error(sqlite3.OperationalError("database is locked")) == \
        "workspace is busy (another import?); try again"
    assert describe_sqlite_error(sqlite3.OperationalError("disk I/O error")) == \
        "cannot use the workspace (disk I/O error)"


# -- 2. foreign and empty files are not workspaces ----------------------------------------------

def test_a_foreign_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE foo(x)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    for args in (("annotate", foreign, "trait", "1", "--note", "x"),
                 ("usage", foreign, "--set-price", "1"),
                 ("findings", foreign, "--refresh")):
        result = invoke(*args)
        assert result.exit_code == 1
        assert result.output.strip() == f"Error: {foreign}: not an AAM Config Explorer workspace"
    assert _tables(foreign) == ["foo"]
    assert foreign.read_bytes() == before  # not even switched to WAL
    with pytest.raises(WorkspaceError, match="not an AAM Config Explorer workspace"):
        Workspace.open(foreign, create=True)


def test_an_empty_file_is_not_a_workspace_but_import_fills_it(sample_tenant: Path,
                                                              tmp_path: Path) -> None:
    empty = tmp_path / "empty.aamws"
    empty.write_bytes(b"")
    result = invoke("annotate", empty, "trait", "1", "--note", "x")
    assert result.exit_code == 1
    assert "not an AAM Config Explorer workspace" in result.output
    assert empty.stat().st_size == 0
    assert invoke("import", sample_tenant, "-w", empty).exit_code == 0
    assert invoke("annotate", empty, "trait", "3100002", "--note", "x").exit_code == 0


def test_new_workspaces_are_still_created(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "new.aamws", create=True) as fresh:
        assert fresh.counts()["traits"] == 0
    with Workspace.open(tmp_path / "new.aamws") as again:  # a migrated empty one is a workspace
        assert again.latest_import() is None


# -- 3. Ctrl-C just after the commit ------------------------------------------------------------

def _interrupt_after(error: BaseException, monkeypatch: pytest.MonkeyPatch) -> None:
    real = import_cmd.import_export

    def import_then_fail(*args: object, **kwargs: object) -> object:
        real(*args, **kwargs)
        raise error

    monkeypatch.setattr(import_cmd, "import_export", import_then_fail)


@pytest.mark.parametrize("existing", [False, True])
def test_ctrl_c_after_the_commit_reports_the_import(sample_tenant: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    existing: bool) -> None:
    target = tmp_path / "w.aamws"
    if existing:
        import_export(sample_tenant, target)
    _interrupt_after(KeyboardInterrupt(), monkeypatch)
    result = invoke("import", sample_tenant, "-w", target)
    assert "unchanged" not in result.output
    assert result.exit_code == 0
    expected = 2 if existing else 1
    assert f"interrupted after the import was saved: {target} holds it as import " \
           f"#{expected}" in result.output


def test_ctrl_c_before_the_commit_says_unchanged(ws: Path, sample_tenant: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(import_cmd, "import_export", interrupted)
    result = invoke("import", sample_tenant, "-w", ws)
    assert result.exit_code == 130
    assert result.output.strip() == "import interrupted; the workspace is unchanged"


def test_an_unexpected_error_after_the_commit_says_so(ws: Path, sample_tenant: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _interrupt_after(RuntimeError("boom"), monkeypatch)
    result = invoke("import", sample_tenant, "-w", ws)
    assert "unchanged" not in result.output
    assert "the import was saved all the same (import #2)" in result.output


# -- 4. usage-only imports keep the tenant ------------------------------------------------------

def test_a_usage_import_keeps_partner_and_export_date(ws: Path) -> None:
    result = invoke("import", DATA / "usage" / "usage-us-dates.csv", "-w", ws)
    assert result.exit_code == 0, result.output
    assert "partner None" not in result.output
    assert "  Usage history only; the configuration is unchanged" in result.output.splitlines()
    assert "trait" not in result.output  # no table of zero configuration counts
    assert "usage days" in result.output
    data = json.loads(invoke("info", ws, "--json").output)
    assert data["partner_id"] == PARTNER
    assert data["export_date"] == "2023-08-18"
    assert data["imports"] == 2
    assert data["counts"]["traits"] > 0


# -- 5. read-only media -------------------------------------------------------------------------

def test_a_workspace_on_read_only_media_can_be_read(ws: Path, tmp_path: Path) -> None:
    invoke("annotate", ws, "trait", "3100002", "--note", "x")  # WAL mode, like any used one
    mount = tmp_path / "ro"
    mount.mkdir()
    if subprocess.run(["mount", "--bind", str(ws.parent), str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot bind-mount here (not root?)")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)],
                          capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only here")
        on_media = mount / ws.name
        info = invoke("info", on_media, "--json")
        assert info.exit_code == 0, info.output
        assert json.loads(info.output)["partner_id"] == PARTNER
        write = invoke("annotate", on_media, "trait", "3100002", "--note", "y")
        assert write.exit_code == 1
        assert write.output.strip() == f"Error: {on_media}: workspace is read-only"
    finally:
        subprocess.run(["umount", str(mount)], check=False)


# -- 6. numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("--set-price", "nan"), ("--set-price", "inf"), ("--price", "nan"), ("--price", "inf"),
    ("--price", "-1"), ("--reduction", "-50"), ("--reduction", "101"), ("--reduction", "nan"),
])
def test_non_finite_and_out_of_range_numbers_are_refused(ws: Path, args: tuple[str, str]
                                                         ) -> None:
    result = invoke("usage", ws, *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "Invalid value" in result.output
    with Workspace.open(ws, readonly=True) as workspace:
        assert workspace.get_setting("usage.price_per_1000") is None


# -- 7. one record, one line --------------------------------------------------------------------

def test_one_line_shows_control_characters() -> None:
    assert one_line("plain — ü") == "plain — ü"
    assert one_line("a\nb\r\nc\td\x1b[31m") == "a⏎b\\r⏎c\\td\\x1b[31m"
    assert one_line(42) == "42"


def test_names_with_newlines_stay_on_one_line(ws: Path) -> None:
    fake = "Real\n segment  3200001  Injected row\rX"
    conn = sqlite3.connect(ws)
    conn.execute("UPDATE traits SET name = ? WHERE id = 3100002", (fake,))
    conn.execute("INSERT INTO findings(check_id, severity, object_kind, object_id, message) "
                 "VALUES ('trait-unused', 'info', 'trait', 3100002, ?)", (fake,))
    conn.commit()
    conn.close()
    show = invoke("show", ws, "trait", "3100002")
    assert show.output.splitlines()[0] == \
        "Trait 3100002: Real⏎ segment  3200001  Injected row\\rX"
    search = invoke("search", ws, "3100002")
    hits = [line.split() for line in search.output.splitlines() if "Injected" in line]
    assert hits == [["trait", "3100002", "Real⏎", "segment", "3200001", "Injected",
                     "row\\rX", "ID"]]
    assert not any(line.startswith("X") for line in search.output.splitlines())
    findings = invoke("findings", ws)
    assert "\r" not in findings.output and "Real⏎ segment" in findings.output
    assert sum("Injected row" in line for line in findings.output.splitlines()) == 1
    assert not any(line.lstrip().startswith(("segment", "X"))
                   for line in findings.output.splitlines())


# -- 8. Ctrl-C anywhere -------------------------------------------------------------------------

def test_ctrl_c_in_a_command_exits_130(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(query_cmds, "search", interrupted)
    result = invoke("search", ws, "x")
    assert result.exit_code == 130
    assert result.output.strip() == "interrupted"


def test_ctrl_c_while_commands_load_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def interrupted(name: str, *args: Any, **kwargs: Any) -> Any:
        fromlist = args[2] if len(args) > 2 else kwargs.get("fromlist")
        if name == "explorer.cli" and fromlist and "query_cmds" in fromlist:
            raise KeyboardInterrupt  # as if Ctrl-C came while the command's module loads
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(cli_package, "_registered", False)
    monkeypatch.setattr(builtins, "__import__", interrupted)
    result = invoke("info", "x.aamws")
    assert result.exit_code == 130
    assert result.output.strip() == "interrupted"


def test_a_command_loads_only_its_own_module() -> None:
    # A fresh interpreter: this one has loaded every command module already.
    script = (
        "from explorer import cli\n"
        "from explorer.cli import main\n"
        "names = sorted(cli._LOADERS)\n"
        "for name in names:\n"
        "    if name not in main.commands:\n"
        "        before = set(main.commands)\n"
        "        cli._register(name)\n"
        "        assert name in main.commands, name\n"
        "        assert all(cli._LOADERS[new] is cli._LOADERS[name]\n"
        "                   for new in set(main.commands) - before), name\n"
        "cli._register()\n"
        "assert sorted(main.commands) == names, sorted(main.commands)\n"
    )
    only_import = (
        "from explorer.cli import _register, main\n"
        "_register('import')\n"
        "assert sorted(main.commands) == ['import'], sorted(main.commands)\n"
    )
    for code in (script, only_import):
        done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr


def test_the_entry_point_still_lists_every_command() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for name in ("import", "info", "show", "search", "findings", "usage", "annotate"):
        assert f"  {name} " in result.output


# -- 9. small things ----------------------------------------------------------------------------

def test_annotate_without_options_prints_and_changes_nothing(ws: Path) -> None:
    result = invoke("annotate", ws, "trait", "3100002")
    assert result.exit_code == 0
    assert result.output.strip() == "no annotation on trait 3100002"
    assert invoke("annotations", ws, "--json").output.strip() == "[]"
    invoke("annotate", ws, "trait", "3100002", "--note", "check the rule", "--tag", "q")
    shown = invoke("annotate", ws, "trait", "3100002", "--json")
    assert json.loads(shown.output)["note"] == "check the rule"
    assert json.loads(shown.output)["tags"] == ["q"]


def test_reason_without_accept_is_refused(ws: Path) -> None:
    result = invoke("findings", ws, "--reason", "x")
    assert result.exit_code == 2
    assert "--reason goes with --accept" in result.output


def test_show_json_findings_name_the_check_like_findings_json(ws: Path) -> None:
    conn = sqlite3.connect(ws)
    conn.execute("INSERT INTO findings(check_id, severity, object_kind, object_id, message) "
                 "VALUES ('trait-unused', 'info', 'trait', 3100002, 'never used')")
    conn.commit()
    conn.close()
    listed = json.loads(invoke("findings", ws, "--json").output)
    first = next(f for f in listed if f["object_kind"] != "tenant")
    shown = json.loads(invoke("show", ws, first["object_kind"], first["object_id"],
                              "--json").output)
    checks = [f["check"] for f in shown["findings"]]
    assert first["check"] in checks
    assert all(f["check"] == f["check_id"] for f in shown["findings"])


def test_snapshot_to_an_unwritable_path_is_one_line(tmp_path: Path) -> None:
    import os

    from explorer.importers import import_export

    workspace = tmp_path / "w.aamws"
    import_export(DATA_DIR / "sample-tenant", workspace)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        for args in (["--out", str(locked / "r.html")],
                     ["--out", str(tmp_path / "r.html"), "--pdf", str(locked / "r.pdf")],
                     ["--out", str(tmp_path / "r.html"), "--bundle", "/proc/x.aamsnap"]):
            result = CliRunner().invoke(main, ["snapshot", str(workspace), *args])
            if os.geteuid() == 0 and "/proc" not in " ".join(args):
                continue  # root writes into a read-only folder anyway
            assert result.exit_code == 1, result.output
            assert "Traceback" not in result.output
            assert "cannot write" in result.output or "Permission denied" in result.output
    finally:
        locked.chmod(0o700)


def test_import_summary_prints_the_notes(tmp_path: Path) -> None:
    demo = DEMO_DIR / "export"
    result = CliRunner().invoke(main, ["import", str(demo), "--workspace",
                                       str(tmp_path / "d.aamws")])
    assert result.exit_code == 0, result.output
    assert "  9 usage file overlaps (2–5 days each); the values agree" in result.output.splitlines()
