"""The import report's summary lines, shared by `aam-explorer import` and the window."""

from __future__ import annotations

from explorer.importers import FileSummary, ImportReport
from explorer.importers.summary import loaded_configuration, summary_lines


def test_a_configuration_import_names_tenant_date_every_kind_history_files_and_notes() -> None:
    report = ImportReport(
        partner_id=4321, export_date="2022-07-14", export_date_overridden=True,
        counts={"traits": 1, "segments": 2, "usage_days": 730, "usage_series": 4,
                "setting_events": 1, "segment_traits": 9},
        files=[FileSummary("Thumbs.db", "ignored"), FileSummary("traits.json", "trait", 1)],
        notes=["9 usage file overlaps (2–5 days each); the values agree"])
    assert summary_lines(report) == [
        "Partner 4321, export of 2022-07-14 (date given)",
        "Imported 0 data sources, 0 trait folders, 0 segment folders, 1 trait, 2 segments, "
        "0 merge rules, 0 destinations, 0 destination mappings, 0 algorithmic models, "
        "0 derived signals, 730 usage days (4 series), 1 settings event.",
        "Ignored files: Thumbs.db",
        "9 usage file overlaps (2–5 days each); the values agree",
    ]
    assert loaded_configuration(report)


def test_a_usage_only_import_says_the_configuration_is_unchanged() -> None:
    report = ImportReport(counts={"usage_days": 1, "usage_series": 1})
    assert not loaded_configuration(report)
    assert summary_lines(report) == ["Usage history only; the configuration is unchanged",
                                     "Imported 1 usage day (1 series)."]
