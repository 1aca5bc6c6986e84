"""Which findings the export can support: each check's ``needs`` against the export's gaps.

A gap (``explorer.domain.gaps.Gap``) of a part a check needs blocks the check's findings about
the object kinds the gap names, or all of them when it names none; for a part the check reads
of other kinds for every finding (``CheckSpec.reads``) a gap of those kinds blocks all of them.
Tenant-wide findings rest on the whole export: any gap of a needed part blocks them. A blocked
check is listed as "not checked", never as an error, and adds no finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from explorer.analysis.findings.base import TENANT_KIND, CheckSpec
from explorer.domain.gaps import Gap

EVERY_KIND = "*"


@dataclass(frozen=True)
class NotChecked:
    """A check the export does not let run (for ``kinds``, or for everything when empty)."""

    check_id: str
    title: str
    reason: str
    kinds: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """``not checked: <title> — <reason>`` (the reason, the gap's sentence, names what
        the export lacks and for which kinds)."""
        return f"not checked: {self.title} — {self.reason}"

    def to_json(self) -> dict[str, object]:
        return {"check": self.check_id, "title": self.title, "reason": self.reason,
                "kinds": list(self.kinds)}


def blocking_gaps(spec: CheckSpec, gaps: Iterable[Gap]) -> dict[str, list[Gap]]:
    """``{finding kind or EVERY_KIND: the gaps that block the check's findings about it}``."""
    reads = dict(spec.reads)
    blocked: dict[str, list[Gap]] = {}
    for gap in gaps:
        if gap.part not in spec.needs:
            continue
        if gap.part in reads:
            kinds = reads[gap.part]
            if not kinds or not gap.kinds or set(gap.kinds) & set(kinds):
                blocked.setdefault(EVERY_KIND, []).append(gap)
        elif not gap.kinds:
            blocked.setdefault(EVERY_KIND, []).append(gap)
        else:
            for kind in gap.kinds:
                blocked.setdefault(kind, []).append(gap)
    return blocked


def is_blocked(blocked: dict[str, list[Gap]], object_kind: str) -> bool:
    """Whether a finding about ``object_kind`` is blocked (see ``blocking_gaps``)."""
    if not blocked:
        return False
    return EVERY_KIND in blocked or object_kind in blocked or object_kind == TENANT_KIND


def not_checked_of(specs: Iterable[CheckSpec], gaps: Iterable[Gap] | None) -> list[NotChecked]:
    """The checks of ``specs`` (in their order) that ``gaps`` block; none when gaps are unknown."""
    if gaps is None:
        return []
    gaps = list(gaps)
    result = []
    for spec in specs:
        blocked = blocking_gaps(spec, gaps)
        if not blocked:
            continue
        reasons = list(dict.fromkeys(g.what for found in blocked.values() for g in found))
        kinds = () if EVERY_KIND in blocked else tuple(sorted(blocked))
        result.append(NotChecked(spec.id, spec.title, "; ".join(reasons), kinds))
    return result
