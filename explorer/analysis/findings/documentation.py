"""Where a finding's documentation lives: its Experience League page's title and URL.

Checks cite their page as "Experience League: Audience Manager › … (file-name.md)"; readers
that link (the report, the findings CSV) turn the citation into the page's URL here.
"""

from __future__ import annotations

import re

EXPERIENCE_LEAGUE = "https://experienceleague.adobe.com/docs/audience-manager/user-guide/"
# The findings cite Experience League pages by file name; these are their paths.
_DOC_PATHS: dict[str, str] = {
    "aam-aep-audience-sharing.md": "integration/integration-aep/aam-aep-audience-sharing",
    "aam-target-integration.md":
        "integration/integration-other-solutions/aam-target-integration",
    "activity-usage-reporting.md": "features/administration/activity-usage-reporting",
    "usage-limits.md": "features/administration/usage-limits",
    "segment-code-syntax.md": "features/segments/segment-code-syntax",
    "merge-rule-definitions.md": "features/profile-merge-rules/merge-rule-definitions",
    "datasources-list-and-settings.md": "features/datasources-list-and-settings",
    "bulk-delete.md": "reference/bulk-management-tools/bulk-delete",
    "paused-deleted-segments.md": "features/segments/paused-deleted-segments",
    "aam-api-map-segments.md": "api/rest-api-main/aam-api-destinations/aam-api-map-segments",
    "destinations-home.md": "features/destinations/destinations-home",
}
_DOC_FILE_RE = re.compile(r"\(([\w.-]+\.md)\)\s*$")


def doc_link(doc: str) -> tuple[str, str | None]:
    """A finding's doc citation as (title, Experience League URL or None)."""
    match = _DOC_FILE_RE.search(doc or "")
    title = _DOC_FILE_RE.sub("", doc or "").strip()
    title = title.removeprefix("Experience League:").strip()
    if match is None or match.group(1) not in _DOC_PATHS:
        return title or doc, None
    return title, f"{EXPERIENCE_LEAGUE}{_DOC_PATHS[match.group(1)]}.html"
