"""Gaps and the findings checks they block: what the command line and the window show.

A gap (``explorer.domain.gaps``) is a part the export lacks; every findings check names the
parts it needs (``CheckSpec.needs``); ``explorer.analysis.findings.checks_blocked_by`` is the one
answer to "which checks cannot be judged on this export because of that gap".
"""

from __future__ import annotations

import sqlite3
from typing import Any

from explorer.analysis.findings import checks_blocked_by
from explorer.domain.gaps import Gap
from explorer.store.gaps import read_gaps

UNKNOWN_GAPS_TEXT = "gaps unknown (imported before gaps were recorded)"


def gap_json(gap: Gap) -> dict[str, Any]:
    """One gap as ``import --json`` and ``info --json`` give it."""
    return {"part": gap.part.value, "what": gap.what, "kinds": list(gap.kinds),
            "files": list(gap.files), "checks": checks_blocked_by(gap)}


def gaps_json(gaps: list[Gap] | None) -> list[dict[str, Any]] | None:
    """None stays None: the workspace was imported before gaps were recorded."""
    return None if gaps is None else [gap_json(g) for g in gaps]


def workspace_gaps(conn: sqlite3.Connection) -> list[dict[str, Any]] | None:
    """The latest configuration import's gaps with their blocked checks; None when unknown."""
    return gaps_json(read_gaps(conn))
