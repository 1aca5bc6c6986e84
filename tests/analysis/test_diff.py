"""The diff core: two imports of one tenant compared exactly, defaults, workspaces, rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.analysis.diff import (
    DiffError,
    compare,
    default_import_pair,
    diff_imports,
    diff_workspaces,
    loads_configuration,
    rule_diff,
    rule_diff_parts,
    side_from_current,
    side_from_import,
)
from explorer.importers import import_export
from explorer.store.workspace import Workspace
from tests.helpers.diff_workspaces import (
    EXPECTED_OBJECTS,
    ONLY_TARGET_NEW,
    TRAIT_RULE_NEW,
    TRAIT_RULE_OLD,
    UNUSED_LONG_HAUL,
    UNUSED_OLD,
    USAGE,
    V1,
    V2,
    build_two_version_workspace,
)


def test_the_two_versions_differ() -> None:
    assert (V1 / "traits.json").read_bytes() != (V2 / "traits.json").read_bytes()


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Imports 1 = v1, 2 = v2 (no usage import between)."""
    return build_two_version_workspace(
        tmp_path_factory.mktemp("diff") / "two.aamws", usage_between=False)


@pytest.fixture(scope="module")
def with_usage_between(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Imports 1 = v1, 2 = usage only, 3 = v2."""
    return build_two_version_workspace(tmp_path_factory.mktemp("diff") / "usage.aamws")


def test_exact_diff_of_two_versions(two_versions: Path) -> None:
    with Workspace.open(two_versions, readonly=True) as ws:
        result = diff_imports(ws)
    assert result.to_json() == {
        "from": "import 1 (export 2023-08-05)", "to": "import 2 (export 2023-08-19)",
        **EXPECTED_OBJECTS,
        "findings": {"new": [*ONLY_TARGET_NEW, UNUSED_LONG_HAUL], "resolved": [UNUSED_OLD]},
    }
    json.dumps(result.to_json())  # the document is plain JSON


def test_usage_only_import_is_not_the_default_from(with_usage_between: Path) -> None:
    with Workspace.open(with_usage_between, readonly=True) as ws:
        imports = ws.imports()
        assert [loads_configuration(r) for r in imports] == [True, False, True]
        assert default_import_pair(imports) == (1, 3)
        result = diff_imports(ws)
        # --to the usage import: it still shows v1's configuration, so there is nothing before.
        with pytest.raises(DiffError, match="no earlier configuration"):
            diff_imports(ws, to_id=2)
        explicit = diff_imports(ws, from_id=2, to_id=3)
    assert result.from_label == "import 1 (export 2023-08-05)"
    assert {k: result.to_json()[k] for k in EXPECTED_OBJECTS} == EXPECTED_OBJECTS
    # The usage import's snapshot holds v1's configuration: same object changes from there.
    assert {k: explicit.to_json()[k] for k in EXPECTED_OBJECTS} == EXPECTED_OBJECTS
    assert UNUSED_LONG_HAUL in result.new_findings and UNUSED_OLD in result.resolved_findings


def test_default_pair_rules() -> None:
    from explorer.store.workspace import ImportRecord

    def record(i: int, kinds: list[str]) -> ImportRecord:
        return ImportRecord(i, "", "", "", 1, None, False, {},
                            {"files": [{"kind": k} for k in kinds]})

    imports = [record(1, ["trait"]), record(2, ["usage"]), record(3, ["segment-folder"]),
               record(4, ["setting-events"])]
    # A trailing events-only import changes no configuration: "to" is the last one that did.
    assert default_import_pair(imports) == (1, 3)
    assert default_import_pair(imports, to_id=4) == (1, 4)
    assert default_import_pair(imports, from_id=2) == (2, 3)
    with pytest.raises(DiffError, match="no import 9"):
        default_import_pair(imports, from_id=9)
    with pytest.raises(DiffError, match="nothing imported"):
        default_import_pair([])
    with pytest.raises(DiffError, match="no earlier configuration"):
        default_import_pair(imports[:2])


def test_identical_imports_give_an_empty_diff(tmp_path: Path) -> None:
    ws_path = tmp_path / "same.aamws"
    import_export(V1, ws_path)
    import_export(V1, ws_path)
    with Workspace.open(ws_path, readonly=True) as ws:
        result = diff_imports(ws)
    assert result.is_empty()
    assert result.counts() == dict.fromkeys(
        ("added", "removed", "changed", "moved", "new_findings", "resolved_findings"), 0)


def test_stored_snapshot_equals_the_configuration_it_replaced(two_versions: Path,
                                                              tmp_path: Path) -> None:
    only_v1 = tmp_path / "v1.aamws"
    import_export(V1, only_v1, export_date="2023-08-05")
    with Workspace.open(two_versions, readonly=True) as ws, \
            Workspace.open(only_v1, readonly=True) as fresh:
        stored = side_from_import(ws.conn, 1)  # written when import 2 replaced it
        live = side_from_current(fresh.conn, "v1 live")
        assert compare(stored, live).is_empty()
        assert stored.partner_id == live.partner_id == 7315
        with pytest.raises(DiffError, match="no stored snapshot"):
            side_from_import(ws.conn, 99)


def test_replaced_import_without_snapshot_is_refused(tmp_path: Path) -> None:
    ws_path = build_two_version_workspace(tmp_path / "old.aamws", usage_between=False)
    with Workspace.open(ws_path) as ws:  # as if import 1 was replaced before snapshots
        ws.conn.execute("DELETE FROM import_snapshots WHERE import_id = 1")
        with pytest.raises(DiffError, match="import 1 has no stored snapshot"):
            diff_imports(ws)


def test_two_workspaces_of_one_tenant(tmp_path: Path) -> None:
    old, new = tmp_path / "old.aamws", tmp_path / "new.aamws"
    import_export(V1, old)
    import_export(V2, new)
    import_export(USAGE, new)  # the latest import being usage-only changes nothing
    with Workspace.open(old, readonly=True) as a, Workspace.open(new, readonly=True) as b:
        result = diff_workspaces(a, b)
    assert (result.from_label, result.to_label) == ("old.aamws", "new.aamws")
    assert {k: result.to_json()[k] for k in EXPECTED_OBJECTS} == EXPECTED_OBJECTS


def test_two_workspaces_of_different_tenants_need_force(tmp_path: Path) -> None:
    other_export = tmp_path / "other"
    other_export.mkdir()
    for source in V1.iterdir():
        (other_export / source.name).write_text(
            source.read_text(encoding="utf-8").replace('"pid": 7315', '"pid": 5555'),
            encoding="utf-8")
    mine, theirs = tmp_path / "mine.aamws", tmp_path / "theirs.aamws"
    import_export(V1, mine)
    import_export(other_export, theirs)
    with Workspace.open(mine, readonly=True) as a, Workspace.open(theirs, readonly=True) as b:
        with pytest.raises(DiffError, match=r"partner 7315.*partner 5555.*different tenants"):
            diff_workspaces(a, b)
        forced = diff_workspaces(a, b, force=True)
    assert forced.changed and {f for e in forced.changed for f in e["fields"]} == {"pid"}
    assert not (forced.added or forced.removed or forced.moved)


def test_object_changes_and_changed_refs(two_versions: Path) -> None:
    with Workspace.open(two_versions, readonly=True) as ws:
        result = diff_imports(ws)
    changes = result.object_changes()
    both = changes[("trait", 3100002)]
    assert both.status == "changed"
    assert both.fields == {"rule": [TRAIT_RULE_OLD, TRAIT_RULE_NEW]}
    assert both.moved_to == {"folder_id": 540133, "folder_path": "/Site Browsing/Traffic Sources"}
    assert changes[("segment", 3200004)].status == "removed"
    assert changes[("trait", 3100008)].status == "added"
    assert changes[("trait", 3100004)].fields == {}
    assert result.trait_types[3100006] == "ON_BOARDED_TRAIT"  # removed: from the old side
    assert result.trait_types[3100002] == "RULE_BASED_TRAIT"
    assert "trait_types" not in result.to_json()
    assert result.changed_refs() == {
        ("trait", 3100008), ("trait", 3100012), ("segment", 3100013), ("segment", 3200005),
        ("segment-folder", 640112), ("trait", 3100001), ("trait", 3100002),
        ("segment", 3200001), ("trait-folder", 540142), ("trait", 3100004),
        ("segment", 3200003)}


def test_findings_match_by_check_and_object_not_message() -> None:
    from explorer.analysis.diff import Side

    def side(findings: list[dict]) -> Side:
        from explorer.kinds import KINDS
        from explorer.store.import_copies import KindCopy

        return Side("s", {k: KindCopy([], {}) for k in KINDS}, findings)

    def finding(object_id: int, message: str) -> dict:
        return {"check": "c", "severity": "info", "object_kind": "trait",
                "object_id": object_id, "message": message}

    old = [finding(1, "Trait 'A' is unused"), finding(2, "x"), finding(2, "y")]
    new = [finding(1, "Trait 'A renamed' is unused"), finding(2, "y"), finding(3, "z")]
    result = compare(side(old), side(new))
    assert result.new_findings == [finding(3, "z")]
    assert result.resolved_findings == [finding(2, "x")]


def test_rule_diff_is_word_level() -> None:
    assert rule_diff(TRAIT_RULE_OLD, TRAIT_RULE_NEW) == (
        '(c_region == "caribbean") AND (c_budget >= [-3000-]{+4500+})')
    assert rule_diff("(1T) AND (2T)", "(1T) OR (3T)") == "(1T) [-AND-]{+OR+} ([-2T-]{+3T+})"
    assert rule_diff(None, "a == 1") == "{+a == 1+}"
    assert rule_diff_parts("x", "x") == [("=", "x")]
    assert rule_diff_parts("a b", "a c") == [("=", "a "), ("-", "b"), ("+", "c")]
