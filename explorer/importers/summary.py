"""The import report's summary lines: what the window's import report and `aam-explorer
import` both say about an import that went through (tenant, export date, what was loaded,
files left aside, notes). Problems are listed apart, by each reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.kinds import KINDS

if TYPE_CHECKING:
    from explorer.importers import ImportReport

# History the import added besides configuration, in the order it is listed.
_HISTORY_WORDS = {"usage_days": ("usage day", "usage days"),
                  "setting_events": ("settings event", "settings events")}


def summary_lines(report: ImportReport) -> list[str]:
    """Plain-text lines, most important first; every value from the export left as it is
    (a terminal reader passes each line through its control-character filter)."""
    configuration = loaded_configuration(report)
    if configuration:
        date = report.export_date or "unknown date"
        given = " (date given)" if report.export_date_overridden else ""
        lines = [f"Partner {report.partner_id}, export of {date}{given}"]
    else:
        lines = ["Usage history only; the configuration is unchanged"]
    loaded = [_counted(report.counts.get(k.table, 0), k.label.lower(), k.plural_label.lower())
              for k in KINDS.values() if configuration or report.counts.get(k.table)]
    for key, (one, many) in _HISTORY_WORDS.items():
        count = report.counts.get(key, 0)
        if count:
            series = report.counts.get("usage_series", 0) if key == "usage_days" else 0
            loaded.append(_counted(count, one, many) + (f" ({series} series)" if series else ""))
    if loaded:
        lines.append("Imported " + ", ".join(loaded) + ".")
    ignored = [f.name for f in report.files if f.kind == "ignored"]
    if ignored:
        lines.append("Ignored files: " + ", ".join(ignored))
    lines.extend(report.notes)
    return lines


def loaded_configuration(report: ImportReport) -> bool:
    """Did this import load configuration (a tenant), not only usage days or events?"""
    return report.partner_id is not None or any(
        report.counts.get(kind.table) for kind in KINDS.values())


def _counted(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"
