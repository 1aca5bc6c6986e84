"""`aam-explorer info | show | search` over the imported sample tenant."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main
from explorer.importers import import_export
from explorer.kinds import KINDS
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
    assert data["partner_id"] == 7315
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
    assert "Partner ID:   7315" in out
    lines = {line.split("  ")[1].strip(): line.split()[-1] for line in out.splitlines()
             if line.startswith("  ")}
    assert lines["Traits"] == "7"
    assert lines["Destination mappings"] == "4"


def test_info_missing_workspace(tmp_path: Path) -> None:
    code, out = run("info", tmp_path / "nope.aamws")
    assert code != 0
    assert "no such workspace" in out


def test_show_segment_json(ws: Path) -> None:
    code, out = run("show", ws, "segment", "3100007", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "segment" and data["id"] == 3100007
    assert data["from_aep"] is True
    assert data["integration_code_label"] == "AEP segment ID"
    assert data["merge_rule"]["name"] == "External Merge Policy"
    assert data["raw"]["sid"] == 3100007


def test_show_trait_text(ws: Path) -> None:
    code, out = run("show", ws, "trait", "3100001")
    assert code == 0
    assert out.splitlines() == [
        "Trait 3100001: Viewed Beach Holidays",
        "",
        "  ID:               3100001",
        "  Type:             Rule-based",
        "  Status:           ACTIVE",
        "  Data source:      Bluefin Web (471201)",
        "  Folder:           Site Browsing / Holiday Types / Beach",
        "  Integration code: web_beach_view",
        "  Expires after:    120 days",
        "  Event type:       2",
        "  Rule version:     1",
        "  Description:      Visitors who opened a beach holiday page",
        "  Created:          2023-05-30",
        "  Updated:          2023-06-09",
        "",
        "Trait expression",
        '  c_trip_type == "beach"',
        '  In plain words: Qualifies when: customer-defined key c_trip_type equals "beach"',
        "",
        "Segments using this trait (2)",
        "  ID       Name                              Status  Used as",
        "  3200001  Beach Viewers - Platinum Members  ACTIVE",
        "  3200002  Repeat Beach Browsers             ACTIVE  recency/frequency",
    ]


def test_show_segment_text_has_destinations_population_and_sharing(ws: Path) -> None:
    code, out = run("show", ws, "segment", "3200001")
    assert code == 0
    text = out.split("\n\n")
    assert "Destinations (1)\n"
    assert ("Destinations (1)\n"
            "  Destination                  Type    Start       End    State\n"
            "  Homepage Hero Cookie (8102)  Cookie  2023-07-06  never  active") in text
    assert ("Population (from the export)\n"
            "                         1 day  7 days  30 days\n"
            "  Real-time population   2,375  11,840   30,915\n"
            "  Total population      72,480  72,910   74,205") in text
    sharing = next(block for block in text if block.startswith("Sharing\n")).splitlines()
    assert sharing[1] == ("  Adobe Target: unknown. Target sharing unknown: no settings event "
                          "says whether Core Services Shared Audiences is enabled. When it is, "
                          "every segment reaches Target.")


def test_show_text_has_no_epoch_milliseconds_raw_fields_or_reprs(ws: Path) -> None:
    conn = sqlite3.connect(ws)
    objects = [(kind.name, row[0], row[1:]) for kind in KINDS.values()
               for row in conn.execute(f"SELECT * FROM {kind.table}")]
    conn.close()
    assert len(objects) > 40
    for kind, object_id, values in objects:
        code, out = run("show", ws, kind, str(object_id))
        assert code == 0, out
        millis = [v for v in values if isinstance(v, int) and v > 10**11]
        assert not any(str(v) in out for v in millis), (kind, object_id)
        assert not re.search(r"\b1[0-9]{12}\b", out), (kind, object_id)
        assert "{'" not in out and "[{" not in out and "=None" not in out, (kind, object_id)
        assert "raw" not in out.lower().split(), (kind, object_id)


def test_show_json_carries_the_target_sharing_facts(ws: Path) -> None:
    code, out = run("show", ws, "segment", "3200001", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["target_sharing"]["target"] == "unknown"
    assert data["target_sharing"]["notes"][0] == (
        "Every Audience Manager segment is shared with Target as soon as it is created.")
    assert data["destinations"][0]["state"] == "active"
    assert data["create_time"] > 10**11 and data["create_time_iso"].startswith("2023-06-14")


def test_show_finds_the_kind_of_an_unambiguous_id(ws: Path) -> None:
    assert run("show", ws, "3100001") == run("show", ws, "trait", "3100001")
    assert run("show", ws, "trait:3100001") == run("show", ws, "trait", "3100001")
    code, out = run("show", ws, "5")
    assert (code, out.strip()) == (1, f"error: object 5 not found in {ws}")


def test_show_lists_the_candidates_of_an_ambiguous_id_and_exits_2(
        ws: Path, tmp_path: Path) -> None:
    clash = tmp_path / "clash.aamws"
    shutil.copy(ws, clash)
    conn = sqlite3.connect(clash)
    conn.execute("INSERT INTO data_sources (id, name, raw) VALUES (3100001, ?, '{}')",
                 ("Clash\x07",))
    conn.commit()
    conn.close()
    result = CliRunner().invoke(main, ["show", str(clash), "3100001"], input="1\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: ID 3100001 belongs to 2 objects in {clash}; give one as KIND ID:",
        "  data-source:3100001 Clash\\x07",
        "  trait:3100001 Viewed Beach Holidays",
    ]


def test_a_mistyped_kind_gets_did_you_mean(ws: Path) -> None:
    result = CliRunner().invoke(main, ["show", str(ws), "segmnt", "3200001"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for KIND: unknown kind 'segmnt'; did you mean 'segment'?")
    result = CliRunner().invoke(main, ["show", str(ws), "gadget", "5"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for KIND: unknown kind 'gadget'; kinds: data-source, trait-folder, "
        "segment-folder, trait, segment, merge-rule, destination, destination-mapping, "
        "algo-model, derived-signal")
    result = CliRunner().invoke(main, ["show", str(ws), "trait", "phone"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: Invalid value for ID: 'phone' is not an AAM id"


def test_show_not_found(ws: Path) -> None:
    code, out = run("show", ws, "trait", "5")
    assert code == 1
    assert out.strip().splitlines() == [f"error: trait 5 not found in {ws}"]


def test_search_json_and_limit(ws: Path) -> None:
    code, out = run("search", ws, "view", "--json")
    assert code == 0
    hits = json.loads(out)
    assert {"kind": "trait", "id": 3100001, "name": "Viewed Beach Holidays"} in hits
    assert all(set(h) == {"kind", "id", "name"} for h in hits)
    code, out = run("search", ws, "view", "--json", "--limit", "1")
    assert len(json.loads(out)) == 1


def test_search_text_has_a_header_and_the_matched_field(ws: Path) -> None:
    code, out = run("search", ws, "3100001")
    assert code == 0
    assert out.splitlines() == [
        "KIND          ID  NAME                              MATCHED IN",
        "trait    3100001  Viewed Beach Holidays             ID",
        "segment  3200001  Beach Viewers - Platinum Members  Rule: (3100001T) AND (3100004T)",
        "segment  3200002  Repeat Beach Browsers             "
        "Rule: (frequency([3100001T, 3100002T] <= 14D) >= 4)",
    ]
    code, out = run("search", ws, "view")
    assert code == 0
    assert out.splitlines() == [
        "KIND                      ID  NAME                              MATCHED IN",
        "trait                3100001  Viewed Beach Holidays             Name",
        "segment              3200001  Beach Viewers - Platinum Members  Name",
        "destination-mapping   820002  Beach Viewers - Platinum Members  Name",
    ]
    code, out = run("search", ws, "web_beach")
    assert out.splitlines()[1:] == [
        "trait  3100001  Viewed Beach Holidays  Integration code: web_beach_view"]
    code, out = run("search", ws, "view", "--limit", "1")
    assert out.splitlines()[-1] == "(the first 1; --limit shows more)"


def test_search_exit_codes_are_grep_s(ws: Path, tmp_path: Path) -> None:
    code, out = run("search", ws, '"(zzz*')
    assert (code, out.strip()) == (1, "no matches")
    code, out = run("search", ws, "zzz", "--json")
    assert (code, out.strip()) == (1, "[]")
    code, out = run("search", tmp_path / "missing.aamws", "phone")
    assert code == 2
    assert out.strip() == f"Error: {tmp_path / 'missing.aamws'}: no such workspace"
    code, _ = run("search", ws, "phone", "--limit", "0")
    assert code == 2


def test_info_shows_imports_and_a_findings_summary(ws: Path) -> None:
    code, out = run("info", ws)
    assert code == 0
    lines = out.splitlines()
    assert lines[4] == "Imports:      1"
    conn = sqlite3.connect(ws)
    counts = dict(conn.execute("SELECT severity, count(*) FROM findings GROUP BY severity"))
    conn.close()
    assert lines[5] == "Findings:     " + ", ".join(
        f"{counts.get(s, 0)} {s if counts.get(s, 0) == 1 or s == 'info' else s + 's'}"
        for s in ("error", "warning", "info"))
    assert re.fullmatch(r"Imported at:  \d{4}-\d\d-\d\d \d\d:\d\d UTC", lines[3])
    data = json.loads(run("info", ws, "--json")[1])
    assert data["imports"] == 1
    assert data["findings"] == {s: counts.get(s, 0) for s in ("error", "warning", "info")}


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
                 "VALUES ('trait', 3100001, 'keep me', 'x', 'x')")
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
