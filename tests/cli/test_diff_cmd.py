"""`aam-explorer diff`: JSON and human output, --from/--to, two workspaces, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main
from explorer.importers import import_export
from tests.helpers.diff_workspaces import (
    EXPECTED_OBJECTS,
    UNUSED_LONG_HAUL,
    UNUSED_OLD,
    V1,
    V2,
    build_two_version_workspace,
)


@pytest.fixture(scope="module")
def ws_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_two_version_workspace(tmp_path_factory.mktemp("cli") / "t.aamws")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["diff", *args])
    return result.exit_code, result.output


def test_json_defaults_skip_the_usage_import(ws_path: Path) -> None:
    code, out = run(str(ws_path), "--json")
    assert code == 0, out
    data = json.loads(out)
    assert (data["from"], data["to"]) == ("import 1 (export 2023-08-05)",
                                           "import 3 (export 2023-08-19)")
    assert {k: data[k] for k in EXPECTED_OBJECTS} == EXPECTED_OBJECTS
    assert UNUSED_LONG_HAUL in data["findings"]["new"]
    assert data["findings"]["resolved"] == [UNUSED_OLD]


def test_from_and_to(ws_path: Path) -> None:
    code, out = run(str(ws_path), "--from", "2", "--to", "3", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["from"] == "import 2"
    assert {k: data[k] for k in EXPECTED_OBJECTS} == EXPECTED_OBJECTS
    code, out = run(str(ws_path), "--from", "1", "--to", "2", "--json")
    assert code == 0, out
    assert not any(json.loads(out)[k] for k in EXPECTED_OBJECTS)  # usage import: same config
    code, out = run(str(ws_path), "--from", "7")
    assert code == 1 and "no import 7" in out


def test_human_output_reads_at_a_glance(ws_path: Path) -> None:
    code, out = run(str(ws_path))
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == ("Changes from import 1 (export 2023-08-05) to import 3 (export "
                        "2023-08-19): 4 added, 6 removed, 4 changed, 4 moved; findings "
                        f"{lines[0].split('findings ')[1]}")
    assert "Added (4):" in lines and "Removed (6):" in lines and "Changed (4):" in lines
    assert "  trait 3100012 AEP: App Check-in Users  [AEP-shared]" in lines
    assert ("  segment 3100007 AEP: Abandoned Booking (3d)  "
            "[AEP-shared; also disappears from Target]") in lines
    assert "  segment 3200004 Review-Site Long-Haul Flyers  [also disappears from Target]" \
        in lines
    assert ('      rule: (c_region == "caribbean") AND (c_budget >= [-3000-]{+4500+})'
            in lines)
    assert "      name: 'Viewed Beach Holidays' → 'Viewed Beach Holidays (all resorts)'" in lines
    assert ("  trait 3100004 Platinum Tier: Bluefin Loyalty CRM (471202) → Bluefin Audiences "
            "(471203)") in lines
    assert ("  segment 3200003 Modeled Prospects Not Yet Platinum: /Campaigns/Display and Social → "
            "/Campaigns/Onsite Tests") in lines
    assert "Findings resolved (1):" in lines


def test_two_workspaces(tmp_path: Path) -> None:
    old, new = tmp_path / "a.aamws", tmp_path / "b.aamws"
    import_export(V1, old)
    import_export(V2, new)
    code, out = run(str(old), str(new), "--json")
    assert code == 0, out
    data = json.loads(out)
    assert (data["from"], data["to"]) == ("a.aamws", "b.aamws")
    assert {k: data[k] for k in EXPECTED_OBJECTS} == EXPECTED_OBJECTS
    code, out = run(str(old), str(new), "--from", "1")
    assert code == 2 and "--from/--to compare imports of one workspace" in out


def test_refusals(tmp_path: Path) -> None:
    single = tmp_path / "one.aamws"
    import_export(V1, single)
    code, out = run(str(single))
    assert code == 1 and "no earlier configuration" in out
    code, out = run(str(tmp_path / "missing.aamws"))
    assert code == 1 and "no such workspace" in out
    other = tmp_path / "other"
    other.mkdir()
    for source in V2.iterdir():
        (other / source.name).write_text(
            source.read_text(encoding="utf-8").replace('"pid": 7315', '"pid": 777'),
            encoding="utf-8")
    theirs = tmp_path / "theirs.aamws"
    import_export(other, theirs)
    code, out = run(str(single), str(theirs))
    assert code == 1 and "different tenants (use --force" in out
    code, out = run(str(single), str(theirs), "--force", "--json")
    assert code == 0 and json.loads(out)["removed"]


def test_names_with_terminal_controls_come_out_visible(sample_tenant: Path,
                                                        tmp_path: Path) -> None:
    ws = tmp_path / "evil.aamws"
    import_export(sample_tenant, ws)
    traits_file = sample_tenant / "traits.json"
    traits = json.loads(traits_file.read_text(encoding="utf-8"))
    traits[0]["name"] = "Bell\x07 Title\x1b]0;x\x07 Clear\x1b[2J"
    traits_file.write_text(json.dumps(traits), encoding="utf-8")
    import_export(sample_tenant, ws)
    code, out = run(str(ws))
    assert code == 0, out
    assert "\x1b" not in out and "\x07" not in out
    lines = out.splitlines()
    assert "  trait 3100001 Bell\\x07 Title\\x1b]0;x\\x07 Clear\\x1b[2J" in lines
    assert ("      name: 'Viewed Beach Holidays' → 'Bell\\x07 Title\\x1b]0;x\\x07 Clear\\x1b[2J'"
            in lines)
