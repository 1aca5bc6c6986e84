"""`aam-explorer info | show | search` over the imported sample tenant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main
from explorer.importers import import_export
from tests.helpers.paths import DATA_DIR

SAMPLE_TENANT = DATA_DIR / "sample-tenant"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "sample.aamws"
    import_export(SAMPLE_TENANT, path)
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def test_info_json(ws: Path) -> None:
    code, out = run("info", ws, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["partner_id"] == 4321
    assert data["export_date"]
    assert data["imported_at"]
    assert data["counts"] == {
        "data_sources": 5, "trait_folders": 11, "segment_folders": 4, "traits": 7,
        "segments": 5, "merge_rules": 4, "destinations": 3, "destination_mappings": 4,
        "algo_models": 0, "derived_signals": 0,
    }


def test_info_table(ws: Path) -> None:
    code, out = run("info", ws)
    assert code == 0
    assert "Partner ID:   4321" in out
    lines = {line.split("  ")[1].strip(): line.split()[-1] for line in out.splitlines()
             if line.startswith("  ")}
    assert lines["Traits"] == "7"
    assert lines["Destination mappings"] == "4"


def test_info_missing_workspace(tmp_path: Path) -> None:
    code, out = run("info", tmp_path / "nope.aamws")
    assert code != 0
    assert "no such workspace" in out


def test_show_segment_json(ws: Path) -> None:
    code, out = run("show", ws, "segment", "1000007", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "segment" and data["id"] == 1000007
    assert data["from_aep"] is True
    assert data["integration_code_label"] == "AEP segment ID"
    assert data["merge_rule"]["name"] == "External Merge Policy"
    assert data["raw"]["sid"] == 1000007


def test_show_trait_text(ws: Path) -> None:
    code, out = run("show", ws, "trait", "1000001")
    assert code == 0
    assert out.splitlines()[0] == "Trait 1000001: Viewed Phones"
    assert 'trait_rule_explained: Qualifies when: customer-defined key c_product equals "phone"' \
        in out
    assert "id=2000001" in out and "id=2000002" in out


def test_show_not_found(ws: Path) -> None:
    code, out = run("show", ws, "trait", "5")
    assert code == 1
    assert out.strip().splitlines() == [f"error: trait 5 not found in {ws}"]


def test_show_rejects_unknown_kind(ws: Path) -> None:
    code, _ = run("show", ws, "gadget", "5")
    assert code == 2


def test_search_json_and_limit(ws: Path) -> None:
    code, out = run("search", ws, "phone", "--json")
    assert code == 0
    hits = json.loads(out)
    assert {"kind": "trait", "id": 1000001, "name": "Viewed Phones"} in hits
    assert all(set(h) == {"kind", "id", "name"} for h in hits)
    code, out = run("search", ws, "phone", "--json", "--limit", "1")
    assert len(json.loads(out)) == 1


def test_search_text_and_no_matches(ws: Path) -> None:
    code, out = run("search", ws, "1000001")
    assert code == 0
    assert out.splitlines()[0].split() == ["trait", "1000001", "Viewed", "Phones"]
    code, out = run("search", ws, '"(zzz*')
    assert (code, out.strip()) == (0, "no matches")


def test_info_gaps_unknown_until_the_next_import_annotations_kept(tmp_path: Path) -> None:
    import sqlite3

    from tests.helpers.export_forms import tenant, write_json

    data = tenant()
    del data["merge-rule"]
    export = write_json(tmp_path / "export", data)
    ws = tmp_path / "old.aamws"
    import_export(export, ws)
    conn = sqlite3.connect(ws)  # as a workspace imported before gaps were recorded
    conn.execute("UPDATE imports SET gaps = NULL")
    conn.execute("INSERT INTO annotations (kind, object_id, note, created, updated) "
                 "VALUES ('trait', 1000001, 'keep me', 'x', 'x')")
    conn.commit()
    conn.close()
    result = CliRunner().invoke(main, ["info", str(ws)])
    assert result.stdout.rstrip().endswith("gaps unknown (imported before gaps were recorded)")
    assert json.loads(CliRunner().invoke(main, ["info", str(ws), "--json"]).stdout)[
        "gaps"] is None
    import_export(export, ws)
    info = json.loads(CliRunner().invoke(main, ["info", str(ws), "--json"]).stdout)
    assert [(g["part"], g["what"]) for g in info["gaps"]] == [
        ("merge-rules", "no merge rules: segments name their merge rule by id only")]
    assert "checks" in info["gaps"][0]
    text = CliRunner().invoke(main, ["info", str(ws)]).stdout
    assert text.rstrip().endswith("Not in this export (1):\n  no merge rules: segments name "
                                  "their merge rule by id only")
    conn = sqlite3.connect(ws)
    assert conn.execute("SELECT note FROM annotations").fetchall() == [("keep me",)]
    conn.close()
