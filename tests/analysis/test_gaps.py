"""checks_blocked_by: the findings checks that a gap keeps from being judged."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from explorer.analysis import gaps as analysis_gaps
from explorer.analysis.findings import CHECKS
from explorer.analysis.gaps import checks_blocked_by, gap_json, workspace_gaps
from explorer.domain.gaps import ExportPart, Gap
from explorer.importers import import_export
from explorer.store.workspace import Workspace
from tests.helpers.export_forms import tenant, write_json


@pytest.fixture
def detail_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Two checks that need trait details (as the findings registry will say)."""
    ids = ["aep-trait-expression-mismatch", "duplicate-integration-code"]
    patched = dict(CHECKS)
    for check_id in ids:
        patched[check_id] = dataclasses.replace(
            CHECKS[check_id], needs=frozenset({ExportPart.DETAILS}))
    monkeypatch.setattr(analysis_gaps, "CHECKS", patched)
    return ids


def test_checks_blocked_by_reads_each_checks_needs(detail_checks: list[str]) -> None:
    assert checks_blocked_by(ExportPart.DETAILS) == sorted(
        detail_checks, key=list(CHECKS).index)
    assert checks_blocked_by(ExportPart.PAGES) == []


def test_every_check_states_its_needs_as_export_parts() -> None:
    for spec in CHECKS.values():
        assert isinstance(spec.needs, frozenset)
        assert all(isinstance(part, ExportPart) for part in spec.needs)


def test_gap_json_carries_what_and_checks(detail_checks: list[str]) -> None:
    gap = Gap(ExportPart.DETAILS, "traits.json: 4 of 4 traits have no rule", ("trait",),
              ("traits.json",))
    assert gap_json(gap) == {"part": "details", "what": "traits.json: 4 of 4 traits have no rule",
                             "kinds": ["trait"], "files": ["traits.json"],
                             "checks": detail_checks}


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
