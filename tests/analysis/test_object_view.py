"""The one object view: what the inspector, the report's object cards and `show` all show."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.analysis.object_view import (
    object_view,
    period_label,
    population_metrics,
    population_periods,
)
from explorer.importers import import_export
from explorer.store import usage_events as history
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from tests.helpers.paths import SAMPLE_TENANT


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    path = tmp_path_factory.mktemp("view") / "s.aamws"
    import_export(SAMPLE_TENANT, path)
    with Workspace.open(path) as ws:
        with transaction(ws.conn) as conn:
            history.add_event(conn, "2024-01-01", "shared audiences", "enabled")
        yield ws


def test_a_segment_view_carries_target_sharing_mapping_states_and_check_names(
        workspace: Workspace) -> None:
    view = object_view(workspace.conn, "segment", 3200001)
    assert view is not None
    assert view["target_sharing"]["target"] == "enabled"
    assert view["target_sharing"]["since"] == "2024-01-01"
    assert [(d["mapping_id"], d["state"]) for d in view["destinations"]] == [(820002, "active")]
    assert all(f["check"] == f["check_id"] for f in view["findings"])


def test_a_mapping_ended_before_the_export_date_is_ended_everywhere(
        workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "ended.aamws"
    import_export(SAMPLE_TENANT, path)
    with Workspace.open(path) as ws:
        with transaction(ws.conn) as conn:
            conn.execute("UPDATE destination_mappings SET end_date = '2022-07-01' "
                         "WHERE id = 820002")
        segment = object_view(ws.conn, "segment", 3200001)
        destination = object_view(ws.conn, "destination", 8102)
        mapping = object_view(ws.conn, "destination-mapping", 820002)
    assert segment is not None and destination is not None and mapping is not None
    assert [d["state"] for d in segment["destinations"]] == ["ended"]
    assert [m["state"] for m in destination["mappings"]] == ["ended"]
    assert mapping["state"] == "ended"


def test_objects_without_target_facts_and_unknown_objects(workspace: Workspace) -> None:
    trait = object_view(workspace.conn, "trait", 3100001)
    assert trait is not None and trait["target_sharing"] is None
    assert object_view(workspace.conn, "trait", 5) is None
    assert object_view(workspace.conn, "gadget", 3100001) is None


def test_population_metrics_and_period_labels() -> None:
    raw = {"uniques7Day": 5, "uniques31Day": 9, "uniquesLifetime": 12, "count1Day": 2,
           "uniques7DayX": 1, "flag": True, "totalUniques30Day": True}
    metrics = population_metrics(raw)
    assert metrics == {"Uniques": {"7Day": 5, "31Day": 9, "Lifetime": 12},
                       "Realisations": {"1Day": 2}}
    assert population_periods(metrics) == ["1Day", "7Day", "31Day", "Lifetime"]
    assert [period_label(p) for p in population_periods(metrics)] == [
        "1 day", "7 days", "31 days", "Lifetime"]
