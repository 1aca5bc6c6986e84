"""The tenant overview page (``explorer.analysis.overview.Overview``) as escaped HTML.

Qt-free. Every fact is a link: a group's count opens the group's page, a severity opens the
findings panel filtered to it, the Target headline the trends panel, recent changes the
Changes panel (``markup.page_url``); a static report may drop the links.
"""

from __future__ import annotations

from explorer.analysis.findings.base import SEVERITIES
from explorer.analysis.gaps import UNKNOWN_GAPS_TEXT
from explorer.analysis.overview import Overview
from explorer.report.inspector_html.markup import (
    esc,
    muted,
    number_text,
    page_link,
    para,
    rows_table,
    section,
)
from explorer.report.inspector_html.review import SEVERITY_MARKS
from explorer.report.inspector_html.themes import SEVERITY_LEVELS, Theme

OVERVIEW_TITLE = "Tenant overview"
_SHARING_WORDS = {"enabled": "enabled", "disabled": "disabled", "unknown": "not recorded"}
_CHANGE_LABELS = (("added", "Added"), ("removed", "Removed"), ("changed", "Changed"),
                  ("moved", "Moved"), ("new_findings", "New findings"),
                  ("resolved_findings", "Resolved findings"))


def overview_sections(overview: Overview, theme: Theme, title: str = OVERVIEW_TITLE) -> str:
    """The page body: title, contents, findings, AEP, Target, gaps and recent changes. Counts
    sit on one line each: the page should fit the inspector of a laptop without scrolling."""
    contents = " · ".join(page_link("group", item.group, "\u00a0".join(
                                    (number_text(item.count), *item.label.lower().split())))
                          for item in overview.counts)
    return "".join((
        f'<p class="meta" style="font-size:large;">{esc(title)}</p>',
        section("Contents", para(contents)),
        section("Findings", _findings(overview, theme)),
        section("AEP audience sharing", _aep(overview, theme)),
        section("Adobe Target", _target(overview)),
        section("What the export lacks", _gaps(overview)),
        section("Recent changes", _changes(overview)),
    ))


def _severity_text(counts: dict[str, int], theme: Theme, *, zeros: bool = False) -> str:
    """ "● 4 errors · ▲ 8 warnings · ■ 7 info", each count a link to the filtered findings."""
    parts = []
    for severity in SEVERITIES:
        n = counts.get(severity, 0)
        if n or zeros:
            noun = severity if severity == "info" or n == 1 else f"{severity}s"
            mark = SEVERITY_MARKS[SEVERITY_LEVELS.get(severity, "info")]
            parts.append(f'<span style="color:{theme.severity_colour(severity)};">{mark}</span> '
                         + page_link("findings", severity, f"{number_text(n)}\u00a0{noun}"))
    return " · ".join(parts)


def _findings(overview: Overview, theme: Theme) -> str:
    line = _severity_text(overview.findings, theme, zeros=True)
    extra = [f"{number_text(overview.accepted)} accepted"] if overview.accepted else []
    extra.append(f"{number_text(len(overview.not_checked))} not checked")
    body = para(line + " · " + esc(" · ".join(extra)))
    if overview.not_checked:
        items = "".join(f"<li>{esc(line)}</li>" for line in overview.not_checked)
        body += f"<ul>{items}</ul>"
    return body


def _aep(overview: Overview, theme: Theme) -> str:
    if not (overview.aep_traits or overview.aep_segments):
        return para(muted("Nothing here comes from AEP audience sharing."))
    shared = (page_link("group", "traits", f"{number_text(overview.aep_traits)} traits")
              + " · " + page_link("group", "segments",
                                  f"{number_text(overview.aep_segments)} segments"))
    found = sum(overview.aep_findings.values())
    health = (_severity_text(overview.aep_findings, theme) if found
              else esc("no findings about AEP sharing"))
    return rows_table([("Shared from AEP", shared), ("Their findings", health)])


def _target(overview: Overview) -> str:
    sharing = overview.target_sharing
    state = str(sharing.get("shared_audiences") or "unknown")
    since = sharing.get("shared_audiences_since")
    shared = _SHARING_WORDS.get(state, state) + (f" since {since}" if since else "")
    rows = [("Shared Audiences", page_link("group", "segments", shared))]
    collection = sharing.get("data_collection")
    if collection:
        collection_since = sharing.get("data_collection_since")
        rows.append(("Data collection", esc(collection + (
            f" since {collection_since}" if collection_since else ""))))
    return rows_table(rows) + para(page_link("panel", "trends", overview.target_headline))


def _gaps(overview: Overview) -> str:
    if overview.gaps is None:
        return para(muted(UNKNOWN_GAPS_TEXT.capitalize() + "."))
    if not overview.gaps:
        return para(esc("Nothing: the export holds every part the checks need."))
    items = []
    for gap in overview.gaps:
        checks = len(gap.get("checks") or [])
        blocked = f" ({checks} check{'s' if checks != 1 else ''} not run)" if checks else ""
        items.append(f"<li>{esc(gap.get('what'))}{esc(blocked)}</li>")
    return f"<ul>{''.join(items)}</ul>"


def _changes(overview: Overview) -> str:
    changes = overview.changes
    if changes is None:
        return para(muted("No previous import to compare with."))
    if not any(changes.counts.values()):
        return para(page_link("panel", "changes", f"No changes since {changes.since}."))
    counted = " · ".join(
        page_link("panel", "changes", f"{number_text(changes.counts[key])} {label.lower()}")
        for key, label in _CHANGE_LABELS if changes.counts.get(key))
    return para(esc(f"Since {changes.since}: ") + counted)
