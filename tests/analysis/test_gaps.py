"""Gaps as import --json and info --json give them, with the checks each keeps from running."""

from __future__ import annotations

from pathlib import Path

from explorer.analysis.findings import CHECKS
from explorer.analysis.gaps import gap_json, workspace_gaps
from explorer.domain.gaps import ExportPart, Gap
from explorer.importers import import_export
from explorer.store.workspace import Workspace
from tests.helpers.export_forms import tenant, write_json


def test_every_check_states_its_needs_as_export_parts() -> None:
    for spec in CHECKS.values():
        assert isinstance(spec.needs, frozenset)
        assert all(isinstance(part, ExportPart) for part in spec.needs)


def test_gap_json_carries_what_and_checks() -> None:
    gap = Gap(ExportPart.DETAILS, "traits.json: 4 of 4 traits have no rule", ("trait",),
              ("traits.json",))
    assert gap_json(gap) == {"part": "details", "what": "traits.json: 4 of 4 traits have no rule",
                             "kinds": ["trait"], "files": ["traits.json"],
                             "checks": [cid for cid, spec in CHECKS.items()
                                        if ExportPart.DETAILS in spec.needs]}
    assert "aep-trait-expression-mismatch" in gap_json(gap)["checks"]
    assert "duplicate-integration-code" in gap_json(gap)["checks"]


def test_workspace_gaps_unknown_then_known(tmp_path: Path) -> None:
    data = tenant()
    for trait in data["trait"]:
        del trait["traitRule"], trait["integrationCode"]
    ws = tmp_path / "ws.aamws"
    import_export(write_json(tmp_path / "export", data), ws)
    with Workspace.open(ws) as workspace:
        assert [g["part"] for g in workspace_gaps(workspace.conn) or []] == ["details"]
        workspace.conn.execute("UPDATE imports SET gaps = NULL")
        assert workspace_gaps(workspace.conn) is None
