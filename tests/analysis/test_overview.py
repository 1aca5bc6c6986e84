"""The tenant overview's facts, read from a small tenant imported by the real importer."""

from __future__ import annotations

from pathlib import Path

from explorer.analysis.diff import Diff
from explorer.analysis.findings import finding_counts
from explorer.analysis.overview import tenant_overview
from explorer.importers import import_export
from explorer.store.workspace import Workspace
from tests.helpers.export_forms import tenant, write_json


def _workspace(tmp_path: Path) -> Path:
    target = tmp_path / "ws.aamws"
    import_export(write_json(tmp_path / "export", tenant()), target)
    return target


def test_counts_findings_and_gaps_of_a_small_tenant(tmp_path: Path) -> None:
    data = tenant()
    with Workspace.open(_workspace(tmp_path)) as workspace:
        overview = tenant_overview(workspace.conn)
        counts = {item.group: item.count for item in overview.counts}
        assert counts["traits"] == len(data["trait"]) == 4
        assert counts["segments"] == len(data["segment"]) == 2
        assert counts["data-sources"] == 2 and counts["destinations"] == 1
        assert counts["merge-rules"] == 1 and counts["derived-signals"] == 1
        assert counts["algo-models"] == 0
        expected = finding_counts(workspace.conn).by_severity()
        assert overview.findings == expected
        assert overview.open_findings == sum(expected.values()) > 0
        assert overview.aep_traits == overview.aep_segments == 0
        assert overview.gaps == []  # the export holds every part
        assert overview.target_sharing["shared_audiences"] == "unknown"
        assert overview.target_headline.endswith("Shared Audiences: not recorded.")
        assert overview.changes is None
        workspace.conn.execute("UPDATE imports SET gaps = NULL")
        assert tenant_overview(workspace.conn).gaps is None


def test_recent_changes_come_from_the_given_diff(tmp_path: Path) -> None:
    diff = Diff(added=[{"kind": "trait", "id": 1}], changed=[{}, {}], from_label="import 1",
                to_label="import 2")
    with Workspace.open(_workspace(tmp_path)) as workspace:
        changes = tenant_overview(workspace.conn, diff).changes
    assert changes is not None
    assert (changes.since, changes.until) == ("import 1", "import 2")
    assert changes.counts["added"] == 1 and changes.counts["changed"] == 2
    assert changes.counts["removed"] == 0
