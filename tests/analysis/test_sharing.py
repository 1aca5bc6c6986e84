"""Target sharing facts per object, from the tenant's Shared Audiences events."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.analysis.sharing import target_sharing_for, tenant_target_sharing
from explorer.store import usage_events as history
from explorer.store.db import transaction
from explorer.store.queries import object_details
from explorer.store.workspace import Workspace


@pytest.fixture
def workspace(sample_workspace: Path) -> Workspace:
    ws = Workspace.open(sample_workspace)
    yield ws
    ws.close()


def _details(ws: Workspace, kind: str, object_id: int) -> dict:
    details = object_details(ws.conn, kind, object_id)
    assert details is not None
    return details


def test_unknown_without_events(workspace: Workspace) -> None:
    assert tenant_target_sharing(workspace.conn)["shared_audiences"] == "unknown"
    sharing = target_sharing_for(workspace.conn, _details(workspace, "segment", 3200001))
    assert sharing["target"] == "unknown"
    assert "no settings event" in sharing["summary"]


def test_enabled_then_disabled_follows_the_latest_event(workspace: Workspace) -> None:
    with transaction(workspace.conn) as conn:
        history.add_event(conn, "2024-01-01", "shared audiences", "enabled")
    sharing = target_sharing_for(workspace.conn, _details(workspace, "segment", 3200001))
    assert sharing["target"] == "enabled" and "since 2024-01-01" in sharing["summary"]
    with transaction(workspace.conn) as conn:
        history.add_event(conn, "2025-06-01", "shared audiences", "disabled")
    sharing = target_sharing_for(workspace.conn, _details(workspace, "segment", 3200001))
    assert sharing["target"] == "disabled" and "since 2025-06-01" in sharing["summary"]


def test_paused_segment_and_cookie_mapping_get_their_warnings(workspace: Workspace) -> None:
    with transaction(workspace.conn) as conn:
        history.add_event(conn, "2024-01-01", "shared audiences", "enabled")
    paused = target_sharing_for(workspace.conn, _details(workspace, "segment", 3200004))
    assert paused["notes"][0].startswith("This segment is paused")
    # 3200001 is mapped to the cookie destination 8102 (ADS)
    mapped = target_sharing_for(workspace.conn, _details(workspace, "segment", 3200001))
    assert any("cookie destination" in n for n in mapped["notes"])
    cookie = target_sharing_for(workspace.conn, _details(workspace, "destination", 8102))
    assert cookie["target"] == "not-via-destination"
    assert target_sharing_for(workspace.conn, _details(workspace, "destination", 8101)) is None
    assert target_sharing_for(workspace.conn, _details(workspace, "trait", 3100001)) is None
