"""Checks on the AAM → Target integration: cookie destinations and real-time Target calls."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from explorer.analysis.findings.base import (
    DOC_TARGET,
    DOC_USAGE,
    TENANT_KIND,
    CheckSpec,
    Context,
    FindingRow,
    check,
    label,
)
from explorer.domain.gaps import ExportPart

# "target" as a word of letters (so target_segs and at_target count, targeting does not),
# any "mbox" (mboxSession, mbox3rdPartyId), or Target's edge host.
_TARGET_HINT = re.compile(r"(?<![a-z])target(?![a-z])|mbox|tt\.omtrdc\.net", re.IGNORECASE)

WINDOW_DAYS = 30
ONCE_PER_SESSION = "once per session"
REAL_TIME = "real-time"

TARGET_COOKIE_DESTINATION = CheckSpec(
    id="target-cookie-destination",
    severity="warning",
    title="Cookie destination aimed at Target",
    doc=DOC_TARGET,
    explanation=(
        "AAM shares segments with Target server-side through Core Services (Profiles and "
        "Audiences): every segment shows in Target with source 'Experience Cloud', and no "
        "destination is needed. A cookie destination for Target is the old integration; it no "
        "longer works, and its calls count as 'Other' rather than 'Target' in the usage report."
    ),
    fix=(
        "Check that the Target activities use the Experience Cloud audiences, then remove the "
        "cookie destination's mappings and the destination."
    ),
    reads=((ExportPart.DESTINATIONS, ()),),
)

TARGET_CALLS_REAL_TIME = CheckSpec(
    id="target-calls-real-time",
    severity="warning",
    title="Target calls AAM in real time",
    doc=DOC_USAGE,
    explanation=(
        "The usage report counts server-side calls from Target to AAM under 'Target'. With the "
        "data-collection setting Real-Time, Target asks AAM on every request; Once Per Session "
        "asks once per visit, which usually cuts these billable server calls sharply while "
        "segments still refresh each session."
    ),
    fix="Ask Adobe Target Support to switch the AAM data collection to Once Per Session.",
    # whether Target still calls in real time is read from the dated settings events
    reads=((ExportPart.SETTINGS_EVENTS, ()),),
)


@check(TARGET_COOKIE_DESTINATION)
def target_cookie_destination(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    rows = conn.execute(
        """
        SELECT id, name, description, cookie_name,
               json_extract(raw, '$.urlFormatString'), json_extract(raw, '$.secureUrlFormatString'),
               json_extract(raw, '$.url')
        FROM destinations
        WHERE upper(trim(coalesce(destination_type, ''))) = 'ADS'
        ORDER BY id
        """
    )
    for dest_id, name, *texts in rows:
        hits = [t for t in (name, *texts) if t and _TARGET_HINT.search(str(t))]
        if not hits:
            continue
        yield TARGET_COOKIE_DESTINATION.finding(
            "destination", dest_id,
            f"Cookie destination {label(name, dest_id)} looks aimed at Target: the Target "
            "integration is server-side and a cookie destination no longer works",
            matched=[_TARGET_HINT.search(str(t)).group(0) for t in hits],  # type: ignore[union-attr]
        )


@dataclass(frozen=True)
class ObservedChange:
    """Daily Target calls around an earlier switch to Once Per Session."""

    date: str
    before: float
    after: float

    @property
    def reduction(self) -> float:
        return (self.before - self.after) / self.before


def _mean_target(conn: sqlite3.Connection, start_sql: str, end_sql: str,
                 params: tuple[str, ...]) -> float | None:
    row = conn.execute(
        f"SELECT avg(value), count(*) FROM usage_days WHERE lower(series) = 'target' "
        f"AND day >= {start_sql} AND day < {end_sql}",
        params,
    ).fetchone()
    return float(row[0]) if row[1] else None


def observed_change(conn: sqlite3.Connection) -> ObservedChange | None:
    """The latest Once Per Session event with Target usage on both sides of it."""
    events = conn.execute(
        "SELECT DISTINCT substr(date, 1, 10) FROM setting_events "
        "WHERE lower(trim(setting)) = 'data collection' AND lower(trim(value)) = ? "
        "ORDER BY 1 DESC",
        (ONCE_PER_SESSION,),
    ).fetchall()
    for (date,) in events:
        before = _mean_target(conn, f"date(?, '-{WINDOW_DAYS} days')", "?", (date, date))
        after = _mean_target(conn, "?", f"date(?, '+{WINDOW_DAYS} days')", (date, date))
        if before and after is not None:
            return ObservedChange(date, before, after)
    return None


@check(TARGET_CALLS_REAL_TIME)
def target_calls_real_time(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    usage = conn.execute(
        "SELECT sum(value), max(day) FROM usage_days WHERE lower(series) = 'target'"
    ).fetchone()
    if not usage[0] or usage[0] <= 0:
        return
    last = conn.execute(
        "SELECT substr(date, 1, 10), value FROM setting_events "
        "WHERE lower(trim(setting)) = 'data collection' ORDER BY date DESC, id DESC LIMIT 1"
    ).fetchone()
    if last and (last[1] or "").strip().lower() == ONCE_PER_SESSION:
        return
    recent = _mean_target(conn, f"date(?, '-{WINDOW_DAYS - 1} days')", "date(?, '+1 day')",
                          (usage[1], usage[1])) or 0.0
    setting = (f"the last data-collection event ({last[0]}) says {last[1]}" if last
               else "no data-collection event is recorded")
    numbers: dict[str, Any] = {"mean_daily_target_calls": round(recent, 1),
                                  "last_usage_day": usage[1]}
    change = observed_change(conn)
    if change:
        projected = recent * (1 - change.reduction)
        projection = (
            f" After the switch to Once Per Session on {change.date}, daily Target calls went "
            f"from {change.before:,.0f} to {change.after:,.0f} ({change.reduction:.0%} fewer); "
            f"the same change now would bring about {recent:,.0f} down to {projected:,.0f} "
            "calls a day."
        )
        numbers.update(observed_change_date=change.date, before_daily=round(change.before, 1),
                       after_daily=round(change.after, 1),
                       observed_reduction_pct=round(change.reduction * 100, 1),
                       projected_daily_target_calls=round(projected, 1))
    else:
        projection = (" No earlier switch to Once Per Session is recorded, so no reduction "
                      "can be projected from this tenant's history.")
    yield TARGET_CALLS_REAL_TIME.finding(
        TENANT_KIND, 0,
        f"Target calls AAM ({recent:,.0f} calls a day over the last {WINDOW_DAYS} days) while "
        f"{setting}",
        fix=TARGET_CALLS_REAL_TIME.fix + projection,
        **numbers,
    )
