"""Gaps stored with each import: what the export lacked (``explorer.domain.gaps``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from explorer.domain.gaps import ExportPart, Gap


def gaps_to_json(gaps: Iterable[Gap]) -> str:
    return json.dumps([{"part": g.part.value, "what": g.what, "kinds": list(g.kinds),
                        "files": list(g.files)} for g in gaps], ensure_ascii=False)


def gaps_from_json(text: str | None) -> list[Gap] | None:
    """None for NULL (gaps unknown); unknown parts from a newer app are skipped."""
    if text is None:
        return None
    gaps: list[Gap] = []
    for item in json.loads(text):
        try:
            part = ExportPart(item["part"])
        except (KeyError, ValueError):
            continue
        gaps.append(Gap(part, str(item.get("what", "")), tuple(item.get("kinds") or ()),
                        tuple(item.get("files") or ())))
    return gaps


def write_gaps(conn: sqlite3.Connection, import_id: int, gaps: Iterable[Gap]) -> None:
    conn.execute("UPDATE imports SET gaps = ? WHERE id = ?", (gaps_to_json(gaps), import_id))


def read_gaps(conn: sqlite3.Connection) -> list[Gap] | None:
    """The gaps of the latest configuration import; None when unknown (made before gaps were
    recorded, or no configuration was ever imported).

    A configuration import stores its gaps (``[]`` when complete) even when its objects name
    no partner; a usage-only import stores none and names no partner, so it is passed over.
    A workspace opened read-only is not migrated: one from before schema v4 (a snapshot bundle
    made then) has no ``gaps`` column, and its gaps are unknown too.
    """
    try:
        row = conn.execute("SELECT gaps FROM imports WHERE partner_id IS NOT NULL "
                           "OR gaps IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else gaps_from_json(row[0])


def missing_parts(conn: sqlite3.Connection) -> frozenset[ExportPart] | None:
    """The parts the latest configuration import lacked; None when unknown."""
    gaps = read_gaps(conn)
    return None if gaps is None else frozenset(g.part for g in gaps)
