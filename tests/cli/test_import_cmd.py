"""`aam-explorer import`: summary, --json, exit codes 0/1/130, one line per problem."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main
from explorer.importers import loader
from tests.helpers.paths import DATA_DIR

DATA = DATA_DIR


def run(*args: str):
    return CliRunner().invoke(main, ["import", *args])


def _traits(ws: Path) -> int:
    conn = sqlite3.connect(ws)
    try:
        return conn.execute("SELECT count(*) FROM traits").fetchone()[0]
    finally:
        conn.close()


def test_import_prints_a_summary(sample_tenant: Path, tmp_path: Path) -> None:
    ws = tmp_path / "acme.aamws"
    result = run(str(sample_tenant), "--workspace", str(ws))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Imported into {ws} (created):",
        "  Partner 7315, export of 2023-08-18",
        "  Imported 5 data sources, 11 trait folders, 4 segment folders, 7 traits, 5 segments, 4",
        "    merge rules, 3 destinations, 4 destination mappings, 0 algorithmic models, 0 derived",
        "    signals.",
        "Not in this export (1):",
        "  partner 6240: 1 data source, 1 trait folder, 1 trait (imported; the tenant is partner "
        "7315)",
    ]
    assert result.stderr == ""  # no progress line: stderr is not a terminal here
    again = run(str(sample_tenant), "-w", str(ws))
    assert "(updated)" in again.stdout


def test_import_json_report(sample_tenant: Path, tmp_path: Path) -> None:
    ws = tmp_path / "acme.aamws"
    result = run(str(sample_tenant), "--workspace", str(ws), "--json",
                 "--export-date", "2024-01-31")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["counts"]["segments"] == 5 and report["partner_id"] == 7315
    assert report["export_date"] == "2024-01-31" and report["export_date_overridden"]
    assert report["import_id"] == 1 and report["warnings"] == []


def test_warnings_are_listed_and_exit_is_zero(tmp_path: Path) -> None:
    result = run(str(DATA / "bad" / "bad-field"), "--workspace", str(tmp_path / "w.aamws"))
    assert result.exit_code == 0
    assert ("traits.json: record 3 (sid 3100003): field 'folderId': Input should be a valid "
            "integer") in result.stdout
    assert "1 warning(s)" in result.stdout


def test_refused_import_exits_1_with_one_line_per_problem(tmp_path: Path) -> None:
    ws = tmp_path / "w.aamws"
    result = run(str(DATA / "bad" / "truncated-json"), "--workspace", str(ws))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: traits.json: not valid JSON:")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert not ws.exists()


def test_strict_refuses_a_bad_record(tmp_path: Path) -> None:
    result = run(str(DATA / "bad" / "bad-field"), "-w", str(tmp_path / "w.aamws"), "--strict")
    assert result.exit_code == 1
    assert "record 3 (sid 3100003): field 'folderId'" in result.stderr


def test_foreign_tenant_needs_force(sample_tenant: Path, tmp_path: Path) -> None:
    ws = tmp_path / "acme.aamws"
    assert run(str(sample_tenant), "-w", str(ws)).exit_code == 0
    other = tmp_path / "other"
    other.mkdir()
    traits = json.loads((sample_tenant / "traits.json").read_text())
    (other / "traits.json").write_text(json.dumps([dict(t, pid=777) for t in traits[:2]]))
    refused = run(str(other), "-w", str(ws))
    assert refused.exit_code == 1 and "partner 777" in refused.stderr
    assert _traits(ws) == 7
    forced = run(str(other), "-w", str(ws), "--force")
    assert forced.exit_code == 0 and _traits(ws) == 2


def test_bad_export_date_is_a_usage_error(sample_tenant: Path, tmp_path: Path) -> None:
    result = run(str(sample_tenant), "-w", str(tmp_path / "w.aamws"), "--export-date", "3/1/24")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_ctrl_c_exits_130_and_leaves_the_workspace(sample_tenant: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ws = tmp_path / "acme.aamws"
    assert run(str(sample_tenant), "-w", str(ws)).exit_code == 0
    real_load_file = loader.Loader.load_file
    calls = []

    def interrupted(self: loader.Loader, name: str, data: bytes) -> None:
        calls.append(name)
        if len(calls) == 3:  # after two files were written inside the transaction
            raise KeyboardInterrupt
        real_load_file(self, name, data)

    monkeypatch.setattr(loader.Loader, "load_file", interrupted)
    other = tmp_path / "other"
    other.mkdir()
    for path in sample_tenant.iterdir():
        (other / path.name).write_text("[]" if path.name == "traits.json" else path.read_text())
    result = run(str(other), "-w", str(ws))
    assert result.exit_code == 130
    assert "interrupted; the workspace is unchanged" in result.stderr
    assert "Traceback" not in result.output
    assert _traits(ws) == 7


def test_unexpected_error_is_one_line(sample_tenant: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(loader.LoaderState, "finish_writes", broken)
    ws = tmp_path / "w.aamws"
    result = run(str(sample_tenant), "-w", str(ws))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "error: import failed unexpectedly (RuntimeError: disk on fire); the workspace is "
        "unchanged"]
    assert not ws.exists()


def test_progress_line_only_on_a_terminal(sample_tenant: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.cli import import_cmd

    shown: list[str] = []
    monkeypatch.setattr(import_cmd.sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(import_cmd.click, "echo",
                        lambda text="", **kw: shown.append(str(text)) if kw.get("err") else None)
    progress = import_cmd._TerminalProgress()
    assert progress.enabled
    import_export_report = import_cmd.import_export(sample_tenant, tmp_path / "t.aamws",
                                                    progress=progress)
    progress.finish()
    assert import_export_report.counts["traits"] == 7
    assert any(line.startswith("\rread") for line in shown)
    assert shown[-1].strip() == ""  # the status line is cleared at the end


def test_warnings_show_string_ids_with_controls_visible(sample_tenant: Path,
                                                         tmp_path: Path) -> None:
    traits_file = sample_tenant / "traits.json"
    traits = json.loads(traits_file.read_text(encoding="utf-8"))
    traits[1]["sid"] = "\x1b]0;pwned\x07\x1b[2J"
    traits_file.write_text(json.dumps(traits), encoding="utf-8")
    result = run(str(sample_tenant), "-w", str(tmp_path / "w.aamws"))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert result.stdout.splitlines()[-2:] == [
        "1 warning(s):",
        "  traits.json: record 2 (sid \\x1b]0;pwned\\x07\\x1b[2J): field 'sid': Input should be "
        "a valid integer, unable to parse string as an integer "
        "(got '\\x1b]0;pwned\\x07\\x1b[2J')",
    ]
    refused = run(str(sample_tenant), "-w", str(tmp_path / "s.aamws"), "--strict")
    assert refused.exit_code == 1
    assert "\x1b" not in refused.output and "\\x1b]0;pwned\\x07" in refused.stderr


def test_gaps_one_line_each_in_the_summary_and_in_json(tmp_path: Path) -> None:
    from tests.helpers.export_forms import tenant, write_json

    data = tenant()
    del data["merge-rule"]
    for trait in data["trait"]:
        del trait["traitRule"], trait["integrationCode"]
    export = write_json(tmp_path / "export", data)
    result = run(str(export), "--workspace", str(tmp_path / "ws.aamws"))
    assert result.exit_code == 0, result.output
    tail = result.stdout.split("Not in this export (2):\n")[1].splitlines()
    assert tail == [
        "  traits.json: 4 of 4 traits have no rule or integration code (exported without "
        "includeDetails=true)",
        "  no merge rules: segments name their merge rule by id only"]
    result = run(str(export), "--workspace", str(tmp_path / "ws2.aamws"), "--json")
    gaps = json.loads(result.stdout)["gaps"]
    assert [(g["part"], sorted(g)) for g in gaps] == [
        ("details", ["checks", "files", "kinds", "part", "what"]),
        ("merge-rules", ["checks", "files", "kinds", "part", "what"])]
    assert all(isinstance(g["checks"], list) for g in gaps)
