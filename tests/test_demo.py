"""The bundled demo tenant: deterministic generator, clean import, every pitfall present."""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from explorer.demo import demo_workspace_path, ensure_demo_workspace
from explorer.importers import ImportReport, import_export
from explorer.paths import data_dir, demo_export_dir
from explorer.store.workspace import Workspace
from tests.helpers.paths import DEMO_DIR

PITFALLS = json.loads((DEMO_DIR / "pitfalls.json").read_text(encoding="utf-8"))

# Each deliberate pitfall and the finding check that must report it.
PITFALL_CHECKS = {
    "folder-too-deep": "folder-too-deep",
    "trait-folder-missing": "object-missing-folder",
    "unused-traits": "trait-unused",
    "duplicate-integration-code": "duplicate-integration-code",
    "aep-trait-wrong-expression": "aep-trait-expression-mismatch",
    "aep-segment-ic-mismatch": "aep-segment-integration-code-mismatch",
    "aep-segment-normal-merge-rule": "aep-segment-merge-rule",
    "aep-trait-outside-folder": "aep-object-outside-folder",
    "aep-trait-unused": "aep-trait-without-segment",
    "segment-missing-trait": "segment-missing-trait",
    "segment-missing-merge-rule": "segment-missing-merge-rule",
    "paused-segment-mapped": "paused-segment-mapped",
    "cookie-destination-for-target": "target-cookie-destination",
    "expired-mapping": "mapping-expired",
}


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("demo_generate", DEMO_DIR / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _export_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportReport, sqlite3.Connection]:
    path = tmp_path_factory.mktemp("demo") / "demo.aamws"
    report = import_export(demo_export_dir(), path)
    workspace = Workspace.open(path)
    yield report, workspace.conn
    workspace.close()


def _ids(conn: sqlite3.Connection, sql: str, *params: object) -> set[int]:
    return {row[0] for row in conn.execute(sql, params)}


def test_generator_is_deterministic_and_matches_the_committed_export(tmp_path: Path) -> None:
    generator = _load_generator()
    generator.generate(tmp_path / "first")
    generator.generate(tmp_path / "second")
    first = _export_files(tmp_path / "first")
    assert first == _export_files(tmp_path / "second")
    assert first == _export_files(demo_export_dir()), "run resources/demo/generate.py"
    assert sum(len(b) for b in first.values()) < 2_000_000


def test_readme_and_pitfalls_file_agree_with_the_generator() -> None:
    tenant = _load_generator().DemoTenant().build()
    assert {p["key"]: p["ids"] for p in PITFALLS} == {
        key: p.ids for key, p in tenant.pitfalls.items()}
    readme = (DEMO_DIR / "README.md").read_text(encoding="utf-8")
    for pitfall in PITFALLS:
        assert f"| `{pitfall['key']}` |" in readme
        assert ", ".join(str(i) for i in pitfall["ids"]) in readme
    assert set(PITFALL_CHECKS) == {p["key"] for p in PITFALLS}


def test_demo_imports_cleanly_with_expected_counts(demo) -> None:
    report, _conn = demo
    assert report.errors == []
    # Only the overlapping days of consecutive Activity Usage exports are worth a remark.
    assert all(w.file and w.file.startswith("usage/") for w in report.warnings), [
        str(w) for w in report.warnings]
    assert report.partner_id == 5150
    assert report.export_date == "2026-10-31"
    counts = report.counts
    assert 230 <= counts["traits"] <= 270
    assert 75 <= counts["segments"] <= 90
    assert counts["merge_rules"] == 4
    assert counts["data_sources"] == 7
    assert counts["algo_models"] == 3
    assert counts["destinations"] >= 4
    assert counts["destination_mappings"] >= 30
    export = demo_export_dir()
    traits_on_disk = sum(len(json.loads(p.read_text(encoding="utf-8"))["list"])
                         for p in export.glob("traits-page-*.json"))
    segments_on_disk = len(json.loads((export / "segments.json").read_text(encoding="utf-8")))
    assert (counts["traits"], counts["segments"]) == (traits_on_disk, segments_on_disk)


def test_demo_covers_the_features(demo) -> None:
    _report, conn = demo
    types = dict(conn.execute("SELECT trait_type, count(*) FROM traits GROUP BY trait_type"))
    assert types["ALGO_TRAIT"] == 3 and types["ON_BOARDED_TRAIT"] > 40
    assert types["RULE_BASED_TRAIT"] > 150
    rules = [r for (r,) in conn.execute("SELECT rule FROM traits WHERE rule IS NOT NULL")]
    for needle in ("contains", "startswith", "matchesregex", "AND NOT", " OR ", "c_", "d_",
                   "h_", ">="):
        assert any(needle in rule for rule in rules), needle
    names = [n for (n,) in conn.execute("SELECT name FROM traits")]
    assert any(re.search("[\u3040-\u30ff\u4e00-\u9fff]", n) for n in names)
    assert any(re.search("[äöüÄÖÜß]", n) for n in names)
    segment_rules = [r for (r,) in conn.execute("SELECT rule FROM segments")]
    assert sum("frequency(" in r for r in segment_rules) >= 10
    assert any(" NOT " in r for r in segment_rules)
    assert dict(conn.execute("SELECT status, count(*) FROM segments GROUP BY status")).keys() \
        == {"ACTIVE", "INACTIVE"}
    kinds = {t for (t,) in conn.execute("SELECT destination_type FROM destinations")}
    assert kinds == {"PUSH", "ADS", "S2S"}
    assert conn.execute("SELECT max(depth) FROM trait_folders").fetchone()[0] == 6
    assert conn.execute("SELECT count(*) FROM trait_folders WHERE depth = 5").fetchone()[0] >= 1


def test_demo_aep_pairs_follow_adobe_conventions(demo) -> None:
    _report, conn = demo
    pairs = conn.execute(
        """SELECT t.id, t.integration_code, t.rule, s.id, s.integration_code, s.merge_rule_id,
                  s.description, f.name
           FROM traits t
           JOIN data_sources d ON d.id = t.data_source_id
           JOIN segments s ON s.id = t.id + 1
           JOIN segment_folders f ON f.id = s.folder_id
           WHERE d.name = 'Adobe Experience Platform Audience Sharing'""").fetchall()
    assert len(pairs) == 12
    external = conn.execute(
        "SELECT id FROM merge_rules WHERE name = 'External Merge Policy'").fetchone()[0]
    aligned = [p for p in pairs
               if p[2] == f'segid == "{p[1]}"' and p[4] == p[1] and p[5] == external]
    assert len(aligned) >= 9
    assert all(p[6] == "This segment was created in Adobe Experience Platform" for p in pairs)
    assert all(p[7] == "Experience Platform Segments" for p in pairs)
    assert all(re.fullmatch(r"[0-9a-f-]{36}", p[1]) for p in pairs)


PitfallCheck = Callable[[sqlite3.Connection, list[int]], None]


def _assert_pitfall_in_data(key: str, conn: sqlite3.Connection, ids: list[int]) -> None:
    """Verify from the workspace rows (not from the findings engine) that a pitfall is there."""
    checks: dict[str, PitfallCheck] = {
        "folder-too-deep": lambda c, i: _expect(
            c, "SELECT id FROM trait_folders WHERE depth > 5", i),
        "trait-folder-missing": lambda c, i: _expect(
            c, "SELECT id FROM traits WHERE folder_id NOT IN (SELECT id FROM trait_folders)", i),
        "unused-traits": lambda c, i: _subset(
            c, "SELECT id FROM traits WHERE id NOT IN (SELECT trait_id FROM segment_traits)", i),
        "duplicate-integration-code": lambda c, i: _expect(
            c, "SELECT t.id FROM traits t JOIN data_sources d ON d.id = t.data_source_id "
               "WHERE d.unique_trait_ics = 1 AND t.integration_code IN (SELECT integration_code "
               "FROM traits WHERE integration_code <> '' GROUP BY data_source_id, "
               "integration_code HAVING count(*) > 1)", i),
        "aep-trait-wrong-expression": lambda c, i: _subset(
            c, "SELECT id FROM traits WHERE rule <> 'segid == \"' || integration_code || '\"'", i),
        "aep-segment-ic-mismatch": lambda c, i: _subset(
            c, "SELECT s.id FROM segments s JOIN traits t ON t.id = s.id - 1 "
               "WHERE s.integration_code <> t.integration_code", i),
        "aep-segment-normal-merge-rule": lambda c, i: _subset(
            c, "SELECT s.id FROM segments s JOIN merge_rules m ON m.id = s.merge_rule_id "
               "WHERE s.integration_code LIKE '%-%-%-%-%' AND m.external = 0", i),
        "aep-trait-outside-folder": lambda c, i: _subset(
            c, "SELECT t.id FROM traits t JOIN trait_folders f ON f.id = t.folder_id "
               "WHERE t.rule LIKE 'segid%' AND f.name <> 'Experience Platform Traits'", i),
        "aep-trait-unused": lambda c, i: _subset(
            c, "SELECT id FROM traits WHERE rule LIKE 'segid%' "
               "AND id NOT IN (SELECT trait_id FROM segment_traits)", i),
        "segment-missing-trait": lambda c, i: _expect(
            c, "SELECT DISTINCT segment_id FROM segment_traits "
               "WHERE trait_id NOT IN (SELECT id FROM traits)", i),
        "segment-missing-merge-rule": lambda c, i: _expect(
            c, "SELECT id FROM segments WHERE merge_rule_id NOT IN (SELECT id FROM merge_rules)",
            i),
        "paused-segment-mapped": lambda c, i: _expect(
            c, "SELECT DISTINCT s.id FROM segments s JOIN destination_mappings m "
               "ON m.segment_id = s.id WHERE s.status = 'INACTIVE'", i),
        "cookie-destination-for-target": lambda c, i: _expect(
            c, "SELECT id FROM destinations WHERE destination_type = 'ADS' "
               "AND name LIKE '%Target%'", i),
        "expired-mapping": lambda c, i: _expect(
            c, "SELECT id FROM destination_mappings WHERE end_date < '2026-10-31'", i),
    }
    checks[key](conn, ids)


def _expect(conn: sqlite3.Connection, sql: str, ids: list[int]) -> None:
    assert _ids(conn, sql) == set(ids), sql


def _subset(conn: sqlite3.Connection, sql: str, ids: list[int]) -> None:
    assert set(ids) <= _ids(conn, sql), sql


@pytest.mark.parametrize("pitfall", PITFALLS, ids=[p["key"] for p in PITFALLS])
def test_demo_pitfall_is_in_the_data_and_found(demo, pitfall: dict) -> None:
    _report, conn = demo
    _assert_pitfall_in_data(pitfall["key"], conn, pitfall["ids"])
    from explorer.analysis.findings import refresh_findings

    # Findings computed with the import's export date (the import row exists by now).
    refresh_findings(conn)
    found = _ids(conn, "SELECT object_id FROM findings WHERE check_id = ? AND object_kind = ?",
                 PITFALL_CHECKS[pitfall["key"]], pitfall["kind"])
    assert set(pitfall["ids"]) <= found


def test_demo_usage_history_shows_the_session_switch(demo) -> None:
    _report, conn = demo
    days = conn.execute("SELECT min(day), max(day), count(*) FROM usage_days "
                        "WHERE series = 'target'").fetchone()
    assert tuple(days) == ("2024-11-01", "2026-10-31", 730)

    def mean_target(first: str, last: str) -> float:
        return conn.execute("SELECT avg(value) FROM usage_days WHERE series = 'target' "
                            "AND day BETWEEN ? AND ?", (first, last)).fetchone()[0]

    before = mean_target("2025-08-11", "2025-10-05")  # 8 weeks before the switch
    after = mean_target("2025-10-06", "2025-11-30")
    assert 300_000 < before < 600_000
    assert 0.55 < after / before < 0.75
    events = conn.execute("SELECT date, lower(setting), value FROM setting_events "
                          "ORDER BY date, id").fetchall()
    assert [tuple(e) for e in events] == [
        ("2024-11-01", "data collection", "Real-Time"),
        ("2024-11-01", "shared audiences", "enabled"),
        ("2025-10-06", "data collection", "Once Per Session"),
        ("2025-11-24", "note", "Holiday campaign launch"),
    ]


def test_ensure_demo_workspace_builds_reuses_and_rebuilds() -> None:
    path = ensure_demo_workspace()
    assert path == demo_workspace_path()
    assert path.parent == data_dir()
    with Workspace.open(path) as workspace:
        assert workspace.counts()["traits"] > 200
        assert workspace.conn.execute("SELECT count(*) FROM usage_days").fetchone()[0] > 0
        workspace.conn.execute(
            "INSERT INTO annotations (kind, object_id, note, created, updated) "
            "VALUES ('trait', 1100001, 'keep me', 'now', 'now')")
    assert ensure_demo_workspace() == path
    with Workspace.open(path) as workspace:
        assert len(workspace.imports()) == 1
        assert workspace.conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 1
    ensure_demo_workspace(fresh=True)
    with Workspace.open(path) as workspace:
        assert len(workspace.imports()) == 1
        assert workspace.conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 0
        assert workspace.counts()["segments"] > 70


def test_ensure_demo_workspace_replaces_a_broken_file() -> None:
    demo_workspace_path().write_bytes(b"not a database")
    path = ensure_demo_workspace()
    with Workspace.open(path) as workspace:
        assert workspace.latest_import() is not None
