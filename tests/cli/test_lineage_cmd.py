"""`aam-explorer lineage | impact`: JSON, text, SVG, KIND resolution and exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main
from explorer.store.resolve import resolve_object
from explorer.store.workspace import Workspace
from tests.helpers.lineage_tenant import build_lineage_tenant


@pytest.fixture
def ws_path(tmp_path: Path) -> Iterator[Path]:
    tenant = build_lineage_tenant(tmp_path / "cli.aamws", bulk=False)
    # Id 42 is a destination; make it a trait too (ambiguous), with a control character.
    tenant.trait(42, "Line\nbreak")
    tenant.conn.commit()
    tenant.close()
    yield tmp_path / "cli.aamws"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_lineage_json_has_nodes_and_edges_pointing_the_way_data_flows(ws_path: Path) -> None:
    code, out, _err = run("lineage", str(ws_path), "segment", "30", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["root"] == "segment:30"
    assert all({"kind", "id", "name"} <= set(n) for n in data["nodes"])
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert edges[("trait:10", "segment:30")]["state"] == "paused"
    assert edges[("segment:30", "destination:40")] == {
        "from": "segment:30", "to": "destination:40", "state": "ended", "mapping_id": 501}
    assert edges[("segment:30", "target:adobe-target")]["state"] == "active"


def test_kind_is_found_when_the_id_is_unambiguous(ws_path: Path) -> None:
    code, out, _err = run("lineage", str(ws_path), "30", "--json")
    assert code == 0
    assert json.loads(out)["root"] == "segment:30"


def test_an_ambiguous_id_lists_the_candidates_and_exits_2(ws_path: Path) -> None:
    code, out, err = run("impact", str(ws_path), "42")
    assert code == 2
    assert out == ""
    assert "destination:42 Social" in err
    assert "trait:42 Line⏎break" in err


def test_an_unknown_id_or_kind_is_one_line(ws_path: Path) -> None:
    code, _out, err = run("lineage", str(ws_path), "999999")
    assert code == 1
    assert err.strip() == f"error: object 999999 not found in {ws_path}"
    code, _out, err = run("lineage", str(ws_path), "segmnt", "30")
    assert code == 2
    assert "KIND" in err and "Traceback" not in err


def test_lineage_text_shows_both_directions_with_states(ws_path: Path) -> None:
    code, out, _err = run("lineage", str(ws_path), "trait", "42")
    assert code == 0
    assert out.splitlines()[0] == "Lineage of trait:42 Line⏎break"
    code, out, _err = run("lineage", str(ws_path), "segment", "22")
    assert "<- trait:12 Employees [active, in NOT]" in out
    assert "-> target:adobe-target Adobe Target [active]" in out


def test_depth_limits_the_graph(ws_path: Path) -> None:
    code, out, _err = run("lineage", str(ws_path), "trait", "10", "--depth", "1", "--json")
    kinds = {n["kind"] for n in json.loads(out)["nodes"]}
    assert code == 0 and kinds == {"trait", "segment", "data-source"}


def test_svg_is_written_escaped_without_script(ws_path: Path, tmp_path: Path) -> None:
    svg = tmp_path / "out.svg"
    code, _out, _err = run("lineage", str(ws_path), "segment", "30", "--svg", str(svg))
    assert code == 0
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<svg ") and "Paused campaign" in text
    assert "<script" not in text and "href" not in text
    code, _out, err = run("lineage", str(ws_path), "segment", "30", "--svg",
                          str(tmp_path / "no" / "such" / "dir.svg"))
    assert code == 1 and err.startswith("error: ") and "Traceback" not in err


def test_impact_json_and_text(ws_path: Path) -> None:
    code, out, _err = run("impact", str(ws_path), "trait", "10", "--json")
    assert code == 0
    scenario = json.loads(out)["scenarios"][0]
    assert {s["id"]: s["effect"] for s in scenario["segments"]} == {
        20: "removes", 21: "narrows", 30: "removes"}
    code, out, _err = run("impact", str(ws_path), "segment", "20")
    assert code == 0
    assert "stops receiving segment:20 Cart and checkout (mapping 504)" in out
    assert "If deleted:" in out and "If paused:" in out


def test_resolve_object(ws_path: Path) -> None:
    with Workspace.open(ws_path, readonly=True) as ws:
        assert [str(c) for c in resolve_object(ws.conn, 42)] == [
            "trait:42 Line\nbreak", "destination:42 Social"]
        assert [c.kind for c in resolve_object(ws.conn, 42, "destination")] == ["destination"]
        assert resolve_object(ws.conn, 7) == []
