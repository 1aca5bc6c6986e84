"""What the inspector shows about one object: the one use case behind the window's inspector,
the report's object cards and `aam-explorer show`.

The view is the store's ``object_details`` dictionary (typed columns, the source record,
relations, findings, annotation) plus what the analyses add: the Target sharing facts and
each destination mapping's state. Every reader renders it in its own medium (HTML in the
window and the report, labelled text or JSON on the command line) but none assembles it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from typing import Any

from explorer.analysis.mapping_status import mapping_states
from explorer.analysis.sharing import target_sharing_for
from explorer.kinds import KINDS
from explorer.store.queries import Details, latest_export_date, object_details

ObjectView = Details


def object_view(conn: sqlite3.Connection, kind: str, object_id: int, *,
                tenant_sharing: dict[str, Any] | None = None) -> ObjectView | None:
    """Everything the inspector shows about one object, or None if the workspace lacks it.

    ``tenant_sharing`` (``tenant_target_sharing``) lets a caller that shows many objects (the
    report) read the tenant's settings events once.
    """
    if kind not in KINDS:
        return None
    view = object_details(conn, kind, object_id)
    if view is None:
        return None
    view["target_sharing"] = target_sharing_for(conn, view, tenant_sharing)
    _add_mapping_states(conn, view)
    for finding in view["findings"]:
        # `findings --json` names the check `check`; `check_id` stays for compatibility.
        finding.setdefault("check", finding["check_id"])
    return view


def _add_mapping_states(conn: sqlite3.Connection, view: ObjectView) -> None:
    """``state`` (``MappingState``'s value) on every mapping the view lists, and on a mapping."""
    if view["kind"] == "destination-mapping":
        rows: list[dict[str, Any]] = [view]
        ids = [view["id"]]
    else:
        rows = [*(view.get("destinations") or []), *(view.get("mappings") or [])]
        ids = [row["mapping_id"] for row in rows]
    if not ids:
        return
    states = mapping_states(conn, latest_export_date(conn), ids)
    for row, mapping_id in zip(rows, ids, strict=True):
        state = states.get(mapping_id)
        row["state"] = None if state is None else state.value


# -- population --------------------------------------------------------------------------------

_METRIC_RE = re.compile(
    r"^(?P<family>uniques|count|instantUniques|totalUniques)(?P<period>\d+Day|Lifetime)$")
_METRIC_FAMILIES = {"uniques": "Uniques", "count": "Realisations",
                    "instantUniques": "Real-time population", "totalUniques": "Total population"}


def population_metrics(raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Population figures in a raw record: {family label: {period: value}} (empty if none)."""
    table: dict[str, dict[str, Any]] = {}
    for key, value in raw.items():
        match = _METRIC_RE.match(key)
        if match and isinstance(value, int | float) and not isinstance(value, bool):
            family = _METRIC_FAMILIES[match.group("family")]
            table.setdefault(family, {})[match.group("period")] = value
    return table


def population_periods(metrics: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The periods present in ``metrics``, shortest first, Lifetime last."""
    return sorted({p for family in metrics.values() for p in family}, key=_period_order)


def period_label(period: str) -> str:
    """``7Day`` -> ``7 days``, ``1Day`` -> ``1 day``, ``Lifetime`` unchanged."""
    if period == "1Day":
        return "1 day"
    return period.replace("Day", " days")


def _period_order(period: str) -> tuple[int, int]:
    return (1, 0) if period == "Lifetime" else (0, int(period.removesuffix("Day")))
