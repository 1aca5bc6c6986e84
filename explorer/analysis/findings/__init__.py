"""Findings: the known pitfalls of AAM → Target and AAM ↔ AEP sharing, checked automatically.

``refresh_findings(conn)`` runs every check the export supports and rewrites the stored
findings (``finding_rows``, read through the ``findings`` view); it opens no transaction (the
importer calls it inside its import transaction; other callers wrap it in
``explorer.store.db.transaction``). ``not_checked(conn)`` lists the checks the export's gaps
kept from running. Acceptances (``finding_acceptances``) are user data: they are keyed by
(check, object kind, object id), survive re-imports and re-apply to the same finding when it
is found again.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from explorer.analysis.findings import (  # noqa: F401
    aep,
    integrity,
    limits,
    mappings,
    references,
    rules,
    target,
)
from explorer.analysis.findings.base import (
    CHECKS as _REGISTERED,
)
from explorer.analysis.findings.base import (
    RUNNERS,
    SEVERITIES,
    SEVERITY_RANK,
    TENANT_KIND,
    CheckSpec,
    FindingFacts,
    FindingRow,
    ObjectSet,
    build_context,
)
from explorer.analysis.findings.gating import (
    NotChecked,
    blocking_gaps,
    is_blocked,
    not_checked_of,
)
from explorer.domain.gaps import Gap
from explorer.kinds import KINDS, ObjectRef
from explorer.store.gaps import read_gaps

__all__ = [
    "CHECKS",
    "SEVERITIES",
    "TENANT_KIND",
    "CheckSpec",
    "Finding",
    "FindingCounts",
    "NotChecked",
    "accept_finding",
    "checks_blocked_by",
    "count_by_check",
    "count_findings",
    "finding_counts",
    "findings_for",
    "list_findings",
    "not_checked",
    "page_findings",
    "refresh_findings",
    "run_checks",
    "unaccept_finding",
]

log = logging.getLogger(__name__)

# The order lists show checks in (the table order).
CHECK_ORDER: tuple[str, ...] = (
    "segment-missing-trait", "segment-missing-merge-rule", "mapping-missing-object",
    "object-missing-folder", "object-missing-data-source", "aep-trait-not-onboarded",
    "aep-trait-expression-mismatch", "aep-trait-without-segment",
    "aep-segment-integration-code-mismatch", "aep-segment-merge-rule", "aep-segment-rule",
    "aep-object-outside-folder", "target-cookie-destination", "target-calls-real-time",
    "duplicate-integration-code", "paused-segment-mapped", "mapping-expired",
    "destination-no-active-mapping", "segment-only-target", "trait-unused",
    "rule-window-beyond-ttl", "folder-too-deep", "limit-near",
)
CHECKS: dict[str, CheckSpec] = {cid: _REGISTERED[cid] for cid in CHECK_ORDER}
_CHECK_RANK = {cid: rank for rank, cid in enumerate(CHECK_ORDER)}


@dataclass(frozen=True)
class Finding(FindingFacts):
    """A stored finding, with whether the user accepted it."""

    check: str
    accepted: bool = False
    accepted_reason: str = ""
    numbers: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef(self.object_kind, self.object_id)

    @property
    def title(self) -> str:
        spec = CHECKS.get(self.check)
        return spec.title if spec else self.check

    def to_json(self) -> dict[str, Any]:
        return {"check": self.check, "severity": self.severity,
                "object_kind": self.object_kind, "object_id": self.object_id,
                "message": self.message}


_RECORDED = object()  # refresh_findings' default: the gaps recorded with the latest import


def run_checks(conn: sqlite3.Connection, *, export_date: str | None = None,
               gaps: Iterable[Gap] | object | None = _RECORDED
               ) -> Iterator[tuple[CheckSpec, list[FindingRow | ObjectSet]]]:
    """Each check the export supports with its findings, in check order, without storing them.

    Findings about object kinds a gap blocks are left out (``gating``); a failing check is
    logged and skipped. ``gaps`` defaults to the latest import's (None: unknown, run all).
    """
    ctx = build_context(conn, export_date)
    known = read_gaps(conn) if gaps is _RECORDED else gaps
    gap_list = list(known) if isinstance(known, Iterable) else None
    for check_id in CHECK_ORDER:
        spec = CHECKS[check_id]
        blocked = blocking_gaps(spec, gap_list) if gap_list is not None else {}
        try:
            found = [item for item in RUNNERS[check_id](conn, ctx)
                     if not is_blocked(blocked, _kind_of(item))]
        except Exception:  # one broken check must not make an import fail
            log.exception("finding check %s failed", check_id)
            continue
        yield spec, found


def _kind_of(item: FindingRow | ObjectSet) -> str:
    return item.kind if isinstance(item, ObjectSet) else item.object_kind


def refresh_findings(conn: sqlite3.Connection, *, export_date: str | None = None,
                     gaps: Iterable[Gap] | object | None = _RECORDED) -> int:
    """Delete and re-insert all findings; return how many. Opens NO transaction.

    ``export_date`` ('YYYY-MM-DD') overrides the latest import's export date and ``gaps`` its
    recorded gaps (None: unknown), for the importer, which calls this before its ``imports``
    row exists.
    """
    conn.execute("DELETE FROM finding_rows")
    _write_templates(conn)
    total = 0
    for spec, found in run_checks(conn, export_date=export_date, gaps=gaps):
        rows = [item for item in found if isinstance(item, FindingRow)]
        if rows:
            conn.executemany(
                "INSERT INTO finding_rows (check_id, severity, object_kind, object_id, message, "
                "detail) VALUES (?, ?, ?, ?, ?, ?)", map(_row_values, rows))
            total += len(rows)
        for item in found:
            if isinstance(item, ObjectSet):
                # item.select is one of the checks' constant queries, never built from input
                total += conn.execute(
                    "INSERT INTO finding_rows (check_id, severity, object_kind, object_id) "
                    f"SELECT ?, ?, ?, id FROM ({item.select}) ORDER BY id",
                    (spec.id, spec.severity, item.kind, *item.params)).rowcount
    return total


def _write_templates(conn: sqlite3.Connection) -> None:
    """The message templates and default details the compact rows are read with."""
    conn.execute("DELETE FROM finding_templates")
    conn.executemany(
        "INSERT INTO finding_templates (check_id, template, detail) VALUES (?, ?, ?)",
        [(spec.id, spec.template, _detail_prefix(spec.explanation, spec.fix, spec.doc) + "}")
         for spec in CHECKS.values() if spec.template is not None])


def not_checked(conn: sqlite3.Connection) -> list[NotChecked]:
    """The checks the latest import's gaps kept from running (all or some object kinds), in
    check order; empty when the gaps are unknown. The CLI, the panel and the snapshot list
    each as ``not checked: <title> — <reason>``."""
    return not_checked_of(CHECKS.values(), read_gaps(conn))


def checks_blocked_by(gap: Gap) -> list[str]:
    """The ids of the checks that cannot be judged (for some objects at least) because of
    ``gap``: the ``checks`` of a gap in ``import --json`` and ``info --json``."""
    return [cid for cid, spec in CHECKS.items() if gap.part in spec.needs]


def _row_values(row: FindingRow) -> tuple[Any, ...]:
    detail = _detail_prefix(row.explanation, row.fix, row.doc)
    if row.numbers:
        detail += ", " + json.dumps(row.numbers, ensure_ascii=False, default=str)[1:]
    else:
        detail += "}"
    return (row.check_id, row.severity, row.object_kind, row.object_id, row.message, detail)


@lru_cache(maxsize=256)
def _detail_prefix(explanation: str, fix: str, doc: str) -> str:
    """The detail JSON's text part without its closing brace: serialised once per check, not
    once per finding (100k unused traits would otherwise spend half a second here)."""
    text = json.dumps({"explanation": explanation, "fix": fix, "doc": doc}, ensure_ascii=False)
    return text[:-1]


def _as_set(value: str | Collection[str] | None) -> set[str] | None:
    if value is None:
        return None
    return {value} if isinstance(value, str) else set(value)


def list_findings(conn: sqlite3.Connection, *, severity: str | Collection[str] | None = None,
                  check: str | Collection[str] | None = None,
                  include_accepted: bool = True) -> list[Finding]:
    """Stored findings, most severe first, then in check order and by object.

    ``severity`` and ``check`` take one value or several.
    """
    return _select(conn, "", (), _as_set(severity), _as_set(check), include_accepted)


def findings_for(conn: sqlite3.Connection, kind: str, object_id: int) -> list[Finding]:
    """Every finding about one object (accepted ones included, marked)."""
    return _select(conn, "WHERE f.object_kind = ? AND f.object_id = ?",
                   (kind, int(object_id)), None, None, True)


def count_findings(conn: sqlite3.Connection, *, include_accepted: bool = False
                   ) -> dict[str, int]:
    """Findings per severity (every severity present, 0 when none)."""
    counts = dict.fromkeys(SEVERITIES, 0)
    accepted_filter = "" if include_accepted else "WHERE a.check_id IS NULL"
    rows = conn.execute(
        f"SELECT f.severity, count(*) FROM findings f {_ACCEPTANCE_JOIN} {accepted_filter} "
        "GROUP BY f.severity"
    )
    for severity, n in rows:
        counts[severity] = counts.get(severity, 0) + n
    return counts


_ACCEPTANCE_JOIN = (
    "LEFT JOIN finding_acceptances a ON a.check_id = f.check_id "
    "AND a.object_kind = f.object_kind AND a.object_id = coalesce(f.object_id, 0)"
)


_SELECT_COLUMNS = (
    "SELECT f.check_id, f.severity, f.object_kind, f.object_id, f.message, f.detail, "
    "a.check_id IS NOT NULL, coalesce(a.reason, '') "
)


def _select(conn: sqlite3.Connection, where: str, params: tuple[Any, ...],
            severities: set[str] | None, checks: set[str] | None,
            include_accepted: bool) -> list[Finding]:
    rows = conn.execute(f"{_SELECT_COLUMNS} FROM findings f {_ACCEPTANCE_JOIN} {where}", params)
    found = [f for f in _to_findings(rows)
             if (severities is None or f.severity in severities)
             and (checks is None or f.check in checks)
             and (include_accepted or not f.accepted)]
    found.sort(key=_sort_key)
    return found


def _sort_key(f: Finding) -> tuple[int, tuple[int, str], str, int]:
    return (SEVERITY_RANK.get(f.severity, 99), check_sort_key(f.check), f.object_kind,
            f.object_id)


def _to_findings(rows: Iterable[tuple[Any, ...]]) -> Iterator[Finding]:
    """Findings of ``_SELECT_COLUMNS`` rows (each distinct detail text is parsed once)."""
    parsed: dict[str, tuple[str, str, str, dict[str, Any]]] = {}  # many findings share a detail
    for check_id, severity, kind, obj_id, message, detail_text, accepted, reason in rows:
        key = f"{check_id}\n{detail_text}"
        detail = parsed.get(key)
        if detail is None:
            detail = parsed[key] = _parse_detail(check_id, detail_text)
        explanation, fix, doc, numbers = detail
        yield Finding(
            check=check_id, severity=severity, object_kind=kind, object_id=int(obj_id or 0),
            message=message, explanation=explanation, fix=fix, doc=doc,
            accepted=bool(accepted), accepted_reason=reason, numbers=numbers,
        )


# --- counts and pages (the findings panel: nothing that grows with the tenant) -------------
@dataclass(frozen=True)
class FindingCounts:
    """Stored findings per (check, severity), accepted ones apart."""

    open: dict[tuple[str, str], int]
    accepted: dict[tuple[str, str], int]

    def by_severity(self, *, accepted: bool = False) -> dict[str, int]:
        """Findings per severity (every severity present, 0 when none)."""
        counts = dict.fromkeys(SEVERITIES, 0)
        for (_check, severity), n in (self.accepted if accepted else self.open).items():
            counts[severity] = counts.get(severity, 0) + n
        return counts

    def checks(self) -> list[str]:
        """The checks with open findings, in check order (unknown checks last, by id)."""
        return sorted({check for check, _severity in self.open}, key=check_sort_key)


def check_sort_key(check: str) -> tuple[int, str]:
    """Where a check goes in lists: the check order, then unknown checks by id."""
    return (_CHECK_RANK.get(check, len(_CHECK_RANK)), check)


def finding_counts(conn: sqlite3.Connection) -> FindingCounts:
    """Open and accepted findings per (check, severity), in two GROUP BY queries.

    All findings are counted without the acceptance join (one pass over the findings), the
    accepted ones from the acceptances side (as many index look-ups as acceptances), and the
    open ones are the difference.
    """
    totals = {(check, severity): n for check, severity, n in conn.execute(
        "SELECT check_id, severity, count(*) FROM findings GROUP BY check_id, severity")}
    accepted: dict[tuple[str, str], int] = {}
    # CROSS JOIN keeps acceptances as the outer loop; the two arms are the two ways a stored
    # object id matches an acceptance's (NULL findings are accepted under id 0).
    for check, severity, n in conn.execute(
        "SELECT f.check_id, f.severity, count(*) FROM finding_acceptances a CROSS JOIN findings f "
        "ON f.object_kind = a.object_kind AND f.object_id = a.object_id "
        "AND f.check_id = a.check_id GROUP BY f.check_id, f.severity "
        "UNION ALL "
        "SELECT f.check_id, f.severity, count(*) FROM finding_acceptances a CROSS JOIN findings f "
        "ON f.object_kind = a.object_kind AND f.object_id IS NULL AND a.object_id = 0 "
        "AND f.check_id = a.check_id GROUP BY f.check_id, f.severity"
    ):
        accepted[(check, severity)] = accepted.get((check, severity), 0) + n
    open_counts = {key: n - accepted.get(key, 0) for key, n in totals.items()}
    return FindingCounts(open={k: n for k, n in open_counts.items() if n > 0},
                         accepted=accepted)


def count_by_check(conn: sqlite3.Connection, *,
                   severity: str | Collection[str] | None = None,
                   include_accepted: bool = False) -> dict[str, dict[str, int]]:
    """``{check: {severity: n}}`` of stored findings (accepted ones left out unless asked),
    checks in check order; ``severity`` keeps one severity or several."""
    counts = finding_counts(conn)
    wanted = _as_set(severity)
    merged = dict(counts.open)
    if include_accepted:
        for key, n in counts.accepted.items():
            merged[key] = merged.get(key, 0) + n
    result: dict[str, dict[str, int]] = {}
    for (check, sev), n in sorted(merged.items(), key=lambda item: (
            check_sort_key(item[0][0]), SEVERITY_RANK.get(item[0][1], 99))):
        if n > 0 and (wanted is None or sev in wanted):
            result.setdefault(check, {})[sev] = n
    return result


def page_findings(conn: sqlite3.Connection, check: str | Collection[str] | None, *,
                  accepted: bool, offset: int, limit: int,
                  severity: str | Collection[str] | None = None) -> list[Finding]:
    """One page of ``list_findings``' order among the open (or the accepted) findings.

    ``check`` and ``severity`` take one value, several, or None for all. With one check and
    one severity the page is read in (object kind, object id) order straight from SQL, so an
    index on ``findings(check_id, severity, object_kind, object_id)`` serves it without a sort;
    otherwise SQL sorts by the severity and check ranks first.
    """
    checks, severities = _as_set(check), _as_set(severity)
    where = ["a.check_id IS NOT NULL" if accepted else "a.check_id IS NULL"]
    params: list[Any] = []
    for column, values in (("f.check_id", checks), ("f.severity", severities)):
        if values is not None:
            where.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params += sorted(values)
    order: list[str] = []
    if severities is None or len(severities) > 1:
        order.append(_rank_case("f.severity", SEVERITIES, params))
    if checks is None or len(checks) > 1:
        order += [_rank_case("f.check_id", CHECK_ORDER, params), "f.check_id"]
    # rowid last: findings of one object keep their stored order (list_findings' stable sort)
    order += ["f.object_kind", "f.object_id", "f.rowid"]
    rows = conn.execute(
        f"{_SELECT_COLUMNS} FROM findings f {_ACCEPTANCE_JOIN} WHERE {' AND '.join(where)} "
        f"ORDER BY {', '.join(order)} LIMIT ? OFFSET ?",
        (*params, int(limit), int(offset)),
    )
    return list(_to_findings(rows))


def _rank_case(column: str, ranked: tuple[str, ...], params: list[Any]) -> str:
    """``CASE column WHEN ? THEN 0 ... ELSE n END`` (values appended to ``params``)."""
    params += ranked
    whens = " ".join(f"WHEN ? THEN {rank}" for rank in range(len(ranked)))
    return f"CASE {column} {whens} ELSE {len(ranked)} END"


def _parse_detail(check_id: str, detail_text: str) -> tuple[str, str, str, dict[str, Any]]:
    """(explanation, fix, doc, numbers) of a stored detail; the check's texts fill gaps."""
    try:
        detail = json.loads(detail_text or "{}")
    except ValueError:
        detail = {}
    spec = CHECKS.get(check_id)
    return (detail.pop("explanation", spec.explanation if spec else ""),
            detail.pop("fix", spec.fix if spec else ""),
            detail.pop("doc", spec.doc if spec else ""),
            detail)


def _validate_key(check: str, object_kind: str) -> None:
    if check not in CHECKS:
        raise ValueError(f"unknown check {check!r}; expected one of: {', '.join(CHECKS)}")
    if object_kind != TENANT_KIND and object_kind not in KINDS:
        raise ValueError(f"unknown object kind {object_kind!r}")


def _write(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> int:
    """Run one write inside the caller's transaction, or in a transaction of its own."""
    if conn.in_transaction:
        return conn.execute(sql, params).rowcount
    from explorer.store.db import transaction

    with transaction(conn):
        return conn.execute(sql, params).rowcount


def accept_finding(conn: sqlite3.Connection, check: str, object_kind: str, object_id: int,
                   reason: str) -> None:
    """Mark a finding as accepted (known and fine); replaces an earlier reason."""
    _validate_key(check, object_kind)
    _write(
        conn,
        "INSERT INTO finding_acceptances (check_id, object_kind, object_id, reason, accepted_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (check_id, object_kind, object_id) DO UPDATE SET "
        "reason = excluded.reason, accepted_at = excluded.accepted_at",
        (check, object_kind, int(object_id), reason.strip(),
         datetime.now(UTC).isoformat(timespec="seconds")),
    )


def unaccept_finding(conn: sqlite3.Connection, check: str, object_kind: str,
                     object_id: int) -> bool:
    """Withdraw an acceptance; False when there was none."""
    _validate_key(check, object_kind)
    removed = _write(
        conn,
        "DELETE FROM finding_acceptances WHERE check_id = ? AND object_kind = ? "
        "AND object_id = ?",
        (check, object_kind, int(object_id)),
    )
    return removed > 0
