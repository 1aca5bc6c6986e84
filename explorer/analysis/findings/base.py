"""The pieces every check shares: check specs, the registry, the run context, doc citations.

A check is a function ``(conn, ctx) -> Iterable[FindingRow | ObjectSet]`` registered with
``@check(spec)``. Checks query the workspace with set-based SQL and only loop in Python over the
rows they flag (or over small tables such as destinations), so a 200k-trait tenant stays fast.
A check that may flag most of a tenant (unused traits) yields an ``ObjectSet`` instead: a
SELECT of object ids stored with one ``INSERT … SELECT`` as compact rows whose message is
rendered on read from the spec's ``template``.

Every spec states in ``needs`` what it needs from the export (``ExportPart``); a check whose
part the export lacks does not run for the object kinds the gap concerns (``gating``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from explorer.domain.gaps import ExportPart
from explorer.kinds import AEP_DATA_SOURCE_NAME
from explorer.store.queries import latest_export_date

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}
TENANT_KIND = "tenant"

_EL = "Experience League: Audience Manager › "
DOC_AEP = f"{_EL}Integration › AEP audience sharing (aam-aep-audience-sharing.md)"
DOC_TARGET = (f"{_EL}Integration › Audience Manager and Adobe Target integration "
              "(aam-target-integration.md)")
DOC_USAGE = f"{_EL}Administration › Activity usage reporting (activity-usage-reporting.md)"
DOC_LIMITS = f"{_EL}Administration › Usage limits (usage-limits.md)"
DOC_SEGMENT_CODE = f"{_EL}Segments › Segment code syntax (segment-code-syntax.md)"
DOC_MERGE_RULES = (f"{_EL}Profile merge rules › Merge rule definitions "
                   "(merge-rule-definitions.md)")
DOC_DATA_SOURCES = (f"{_EL}Data sources › Data source settings and menu options "
                    "(datasources-list-and-settings.md)")
DOC_BULK_DELETE = f"{_EL}Reference › Bulk management tools › Bulk delete (bulk-delete.md)"
DOC_PAUSED = f"{_EL}Segments › Paused and deleted segments (paused-deleted-segments.md)"
DOC_MAPPINGS = (f"{_EL}API › Destinations › Map segments to a destination "
                "(aam-api-map-segments.md)")
DOC_DESTINATIONS = f"{_EL}Destinations › Destinations home (destinations-home.md)"


@dataclass(frozen=True)
class CheckSpec:
    """What a check is: its id, default severity, a title for lists, and what it rests on.

    ``needs``: the parts of the export the check cannot be judged without. By default a gap
    of one of them blocks the check's findings about the kinds the gap names (all of them when
    it names none). ``reads`` says otherwise per part: ``(part, kinds)`` means the check reads
    that part of those kinds for every finding (an AEP segment's integration code is compared
    with its traits'), so a gap naming one of them, or none, blocks the whole check; ``(part,
    ())`` means any gap of the part does. A part in ``reads`` is needed: the spec gets it in
    ``needs`` without naming it there again.
    ``template``: for checks that yield ``ObjectSet``s, the message with ``{label}`` where the
    object's label (``'Name' (id)``) goes. ``summary``: the findings panel shows the check as
    one summary row whatever its count.
    """

    id: str
    severity: str
    title: str
    doc: str
    explanation: str
    fix: str
    needs: frozenset[ExportPart] = frozenset()
    reads: tuple[tuple[ExportPart, tuple[str, ...]], ...] = ()
    template: str | None = None
    summary: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "needs", self.needs | {part for part, _kinds in self.reads})

    @property
    def needs_text(self) -> str:
        """What the check needs, for help texts: 'needs: details, mappings' or ''."""
        return ("needs: " + ", ".join(sorted(p.value for p in self.needs))) if self.needs \
            else ""

    def finding(self, object_kind: str, object_id: int, message: str, *,
                severity: str | None = None, explanation: str | None = None,
                fix: str | None = None, **numbers: Any) -> FindingRow:
        """One finding of this check; explanation/fix default to the check's own text."""
        return FindingRow(
            check_id=self.id, severity=severity or self.severity, object_kind=object_kind,
            object_id=int(object_id), message=message,
            explanation=explanation or self.explanation, fix=fix or self.fix, doc=self.doc,
            numbers=numbers,
        )


@dataclass(frozen=True)
class FindingFacts:
    """What a finding says, produced or stored: how severe, about which object, the message,
    why it matters, how to fix it and where Adobe documents it."""

    severity: str
    object_kind: str
    object_id: int
    message: str
    explanation: str
    fix: str
    doc: str


@dataclass(frozen=True)
class FindingRow(FindingFacts):
    """A finding as a check produces it, before it is stored."""

    check_id: str
    numbers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ObjectSet:
    """Findings of one check as a set: ``select`` returns the ids of the flagged objects of
    ``kind`` (a constant query with ``params``); they are stored by ``INSERT … SELECT`` with no
    message of their own (the check's ``template`` renders it on read)."""

    kind: str
    select: str
    params: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Context:
    """Facts several checks need, computed once per refresh."""

    export_date: str | None
    aep_data_source_ids: tuple[int, ...]
    # what several checks read alike (every mapping with its state), read once per refresh
    shared: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def aep_ids_sql(self) -> str:
        """A literal SQL list of the AEP data source ids (ints only, so safe to inline).

        Empty when there is none: SQLite accepts ``IN ()`` (false), unlike ``IN (NULL)``.
        """
        return ",".join(str(int(i)) for i in self.aep_data_source_ids)


CheckFunction = Callable[[sqlite3.Connection, Context], Iterable[FindingRow | ObjectSet]]

CHECKS: dict[str, CheckSpec] = {}
RUNNERS: dict[str, CheckFunction] = {}


def check(spec: CheckSpec) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under its spec (ids are unique)."""
    if spec.severity not in SEVERITY_RANK:
        raise ValueError(f"{spec.id}: unknown severity {spec.severity!r}")
    if spec.template is not None and "{label}" not in spec.template:
        raise ValueError(f"{spec.id}: a template names the object as {{label}}")

    def register(func: CheckFunction) -> CheckFunction:
        if spec.id in CHECKS:
            raise ValueError(f"check {spec.id!r} registered twice")
        CHECKS[spec.id] = spec
        RUNNERS[spec.id] = func
        return func

    return register


def build_context(conn: sqlite3.Connection, export_date: str | None = None) -> Context:
    if export_date is None:
        export_date = latest_export_date(conn)
    aep_ids = tuple(
        r[0] for r in conn.execute(
            "SELECT id FROM data_sources WHERE lower(trim(name)) = lower(?) ORDER BY id",
            (AEP_DATA_SOURCE_NAME,),
        )
    )
    return Context(export_date=export_date[:10] if export_date else None,
                   aep_data_source_ids=aep_ids)


def label(name: str | None, object_id: int) -> str:
    """How a message names an object: 'Name' (id), or just the id when it has no name."""
    return f"'{name}' ({object_id})" if name else f"({object_id})"


def id_list(ids: Iterable[Any], limit: int = 5) -> str:
    """A short comma-separated list that says how many more there are."""
    items = [str(i) for i in ids]
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown} and {len(items) - limit} more"
