"""The overview page: every fact a link of the inspector's scheme, every value escaped."""

from __future__ import annotations

import re

from explorer.analysis.diff import Diff
from explorer.analysis.overview import KindCount, Overview, RecentChanges
from explorer.report.inspector_html import (
    DARK,
    LIGHT,
    page_url,
    parse_page_url,
    render_overview_html,
)


def _overview(**changes: object) -> Overview:
    values: dict = dict(
        counts=[KindCount("traits", "Traits", 12), KindCount("segments", "Segments", 3)],
        findings={"error": 2, "warning": 0, "info": 5}, accepted=1,
        not_checked=["Trait TTL — <no details>"], aep_traits=4, aep_segments=1,
        aep_findings={"error": 1, "warning": 0, "info": 0},
        target_sharing={"shared_audiences": "enabled", "shared_audiences_since": "2024-11-01"},
        target_headline="Target calls fell 35 %.", gaps=None, changes=None)
    values.update(changes)
    return Overview(**values)


def _links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="([^"]+)">([^<]*)</a>', html)


def test_each_fact_links_to_its_page() -> None:
    links = _links(render_overview_html(_overview()))
    # non-breaking spaces keep a count with its noun
    assert ("aam://group/traits", "12\u00a0traits") in links
    assert ("aam://group/segments", "3\u00a0segments") in links
    assert ("aam://findings/error", "2\u00a0errors") in links
    assert ("aam://findings/info", "5\u00a0info") in links
    assert ("aam://findings/warning", "0\u00a0warnings") in links  # every severity, zeros too
    assert ("aam://group/traits", "4 traits") in links  # AEP-shared traits
    assert ("aam://findings/error", "1\u00a0error") in links  # their findings
    assert ("aam://panel/trends", "Target calls fell 35 %.") in links
    assert ("aam://group/segments", "enabled since 2024-11-01") in links
    assert all(parse_page_url(url) is not None for url, _text in links)


def test_unknown_gaps_not_checked_and_escaping() -> None:
    html = render_overview_html(_overview(), DARK)
    assert "Gaps unknown (imported before gaps were recorded)." in html
    assert "Trait TTL — &lt;no details&gt;" in html and "<no details>" not in html
    assert f"color: {DARK.text}" in html  # themed like the other pages


def test_recent_changes_link_to_the_changes_panel() -> None:
    diff = Diff(added=[{}], removed=[{}, {}], from_label="2026-01-01")
    changes = RecentChanges(diff.from_label, diff.to_label, diff.counts())
    html = render_overview_html(_overview(changes=changes, gaps=[]), LIGHT)
    assert "Since 2026-01-01: " in html
    assert ("aam://panel/changes", "1 added") in _links(html)
    assert ("aam://panel/changes", "2 removed") in _links(html)
    assert "the export holds every part" in html
    none = render_overview_html(_overview(), LIGHT)
    assert "No previous import to compare with." in none


def test_page_urls_round_trip_and_reject_objects() -> None:
    assert parse_page_url(page_url("findings", "warning")) == ("findings", "warning")
    assert parse_page_url(page_url("overview")) == ("overview", "")
    assert parse_page_url("aam://trait/1000001") is None
    assert parse_page_url("aam://nowhere/x") is None
