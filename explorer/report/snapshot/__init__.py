"""The annotated snapshot: one self-contained HTML file a client can open with nothing installed.

``build_snapshot`` reads the workspace once into a ``Snapshot`` (plain data, every client value
already passed through the optional ``mask`` and cut when absurdly long); ``render_html`` turns
it into HTML with Jinja2 (autoescape on: every value from the export or from a user is escaped
by the template; the only markup inserted as-is is the inspector's, which escapes every value
itself). The page has no script and no external resource: the CSS is inline and the chart is a
``data:`` PNG.

The page is made for the reader: an executive summary first (export date and gaps, the top
findings by severity and count with what they risk and what to do, the Target-calls headline,
the estimated cost only when the user chose it, notes marked "to fix", a banner when masked);
then the findings grouped by check and by each finding's own severity; the notes inside their
objects' cards; one compact table per kind (names, statuses and folder counts as the window
shows them) with full cards only for objects with a finding or a note, or picked.

Qt-free: the Target chart PNG comes from the caller's ``chart_renderer`` (the CLI and the
window pass ``explorer.report.qt.chart_png.render_target_chart``); without one the report
has no chart. Writing the files is ``explorer.report.export.export_snapshot``.

The package: ``model`` (the dataclasses), ``build`` (``build_snapshot``) with one module
per part it reads (``objects``, ``names``, ``notes``, ``findings``, ``usage``,
``changes``, ``lineage``), ``text`` (long values cut), and ``render`` (``render_html``).
"""

from explorer.analysis.findings.documentation import EXPERIENCE_LEAGUE, doc_link
from explorer.report.snapshot.build import DEFAULT_MAX_OBJECTS, build_snapshot
from explorer.report.snapshot.model import (
    ChangesView,
    FindingGroup,
    FindingItem,
    FolderSection,
    ObjectEntry,
    ObjectGroup,
    Snapshot,
    UsageView,
    anchor,
)
from explorer.report.snapshot.render import Flavour, render_html, render_snapshot
from explorer.report.snapshot.usage import ChartRenderer

__all__ = [
    "DEFAULT_MAX_OBJECTS",
    "EXPERIENCE_LEAGUE",
    "ChangesView",
    "ChartRenderer",
    "FindingGroup",
    "FindingItem",
    "Flavour",
    "FolderSection",
    "ObjectEntry",
    "ObjectGroup",
    "Snapshot",
    "UsageView",
    "anchor",
    "build_snapshot",
    "doc_link",
    "render_html",
    "render_snapshot",
]
