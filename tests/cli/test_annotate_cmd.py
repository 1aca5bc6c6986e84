"""`aam-explorer annotate | annotations`: an ID the workspace lacks is refused unless --force."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main
from explorer.importers import import_export
from tests.helpers.paths import SAMPLE_TENANT


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    path = tmp_path / "a.aamws"
    import_export(SAMPLE_TENANT, path)
    return path


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_a_mistyped_id_is_refused_and_nothing_is_saved(ws: Path) -> None:
    code, out, err = invoke("annotate", ws, "trait", "1000009", "--note", "TTL?")
    assert code == 1 and out == ""
    assert err.splitlines() == [f"Error: trait 1000009 is not in {ws}; check the ID, or add "
                                "--force to annotate it anyway"]
    assert json.loads(invoke("annotations", ws, "--json")[1]) == []


def test_force_annotates_an_absent_id_as_orphaned(ws: Path) -> None:
    code, out, _ = invoke("annotate", ws, "trait", "1000009", "--note", "TTL?", "--force")
    assert code == 0
    assert out.splitlines() == ["trait 1000009 (not in the current export: orphaned) — open: TTL?"]
    code, out, _ = invoke("annotations", ws, "--orphaned")
    assert out.splitlines() == ["trait 1000009 (not in the current export: orphaned) — open: TTL?"]


def test_an_existing_id_is_annotated_and_a_kind_typo_gets_did_you_mean(ws: Path) -> None:
    code, out, _ = invoke("annotate", ws, "trait", "3100001", "--note", "ok", "--tag", "audit")
    assert code == 0
    assert out.splitlines() == ["trait 3100001 Viewed Beach Holidays — open [audit]: ok"]
    code, _, err = invoke("annotate", ws, "tratt", "3100001", "--note", "x")
    assert code == 2
    assert err.splitlines()[-1] == ("Error: Invalid value for 'KIND': unknown kind 'tratt'; "
                                    "did you mean 'trait'?")
