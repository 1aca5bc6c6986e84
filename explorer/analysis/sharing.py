"""How an object reaches Adobe Target and AEP: the "Sharing" facts the inspector and the
snapshot show beside an object's details.

Target receives *every* Audience Manager segment through Core Services ("Shared Audiences",
server-side) as soon as the segment exists, so a segment's Target status is the tenant's
Shared Audiences setting (from the dated settings events), not a property of the segment.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from explorer.analysis.usage import SHARING_FACTS, sharing_status
from explorer.store import usage_events as history

_SEGMENT_STATUS_TEXT = {
    "enabled": "Shared with Adobe Target (Core Services Shared Audiences enabled since {since}).",
    "disabled": "Not shared with Adobe Target (Core Services Shared Audiences disabled since "
                "{since}).",
    "unknown": "Target sharing unknown: no settings event says whether Core Services Shared "
               "Audiences is enabled. When it is, every segment reaches Target.",
}


def tenant_target_sharing(conn: sqlite3.Connection) -> dict[str, Any]:
    """Shared Audiences enabled / disabled / unknown for the tenant, from its latest event."""
    return sharing_status(history.list_events(conn))


def target_sharing_for(conn: sqlite3.Connection, details: dict[str, Any],
                       tenant: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The Target part of an object's "Sharing" section, or None where Target does not apply.

    ``tenant`` lets a caller that shows many objects (the snapshot) read the events once.
    """
    kind = details.get("kind")
    if kind not in ("segment", "destination"):
        return None
    tenant = tenant or tenant_target_sharing(conn)
    if kind == "destination":
        return _destination_sharing(details)
    status = tenant["shared_audiences"]
    notes = list(SHARING_FACTS[:2])
    if status == "enabled" and str(details.get("status") or "").upper() == "INACTIVE":
        notes.insert(0, "This segment is paused, but pausing does not remove it from Target: "
                        "delete it in Audience Manager to remove it there.")
    if any(str(d.get("destination_type") or "").upper() == "ADS"
           for d in details.get("destinations") or []):
        notes.append(SHARING_FACTS[2])
    return {
        "target": status,
        "since": tenant["shared_audiences_since"],
        "summary": _SEGMENT_STATUS_TEXT[status].format(
            since=tenant["shared_audiences_since"] or "an unknown date"),
        "notes": notes,
    }


def _destination_sharing(details: dict[str, Any]) -> dict[str, Any] | None:
    if str(details.get("destination_type") or "").upper() != "ADS":
        return None
    return {
        "target": "not-via-destination",
        "since": None,
        "summary": "Cookie destinations do not deliver segments to Adobe Target.",
        "notes": [SHARING_FACTS[2]],
    }
