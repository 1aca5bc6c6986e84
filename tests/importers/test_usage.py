"""Activity Usage CSVs and settings timelines: sniffing, parsing, merging into the history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.importers import usage
from explorer.importers.report import FileSummary, ImportRefused, ImportReport
from explorer.store import usage_events as history
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from tests.helpers.paths import DATA_DIR

DATA = DATA_DIR / "usage"


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "t.aamws", create=True)
    yield workspace
    workspace.close()


def load(ws: Workspace, name: str, text: str, kind: str | None = None) -> ImportReport:
    report = ImportReport()
    with transaction(ws.conn):
        usage.load(kind or usage.sniff(name, text), name, text, ws.conn, report)
    return report


def stored(ws: Workspace, series: str) -> dict[str, float]:
    return dict(history.usage_series(ws.conn, [series])[series])


# --- sniff ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("usage-us-dates.csv", "usage"), ("usage-de.csv", "usage"),
    ("usage-month-names.csv", "usage"), ("usage-bad.csv", "usage"),
    ("usage-no-date.csv", "usage"), ("events.csv", "setting-events"),
    ("events-noheader.txt", "setting-events"), ("events.json", "setting-events"),
])
def test_sniff_recognises_the_sample_files(name: str, expected: str) -> None:
    assert usage.sniff(name, read(name)) == expected


@pytest.mark.parametrize("text", [
    "",
    '[{"sid": 1, "name": "a trait"}]',
    '{"total": 1, "list": []}',
    "Date,Action,Trait Expression,Version,By User\n2026-01-01,Edit,a==1,3,me\n",
    "Name,Description,Integration Code\nfoo,bar,baz\n",
    "not json {",
])
def test_sniff_leaves_other_files_alone(text: str) -> None:
    assert usage.sniff("x.csv", text) is None


def test_sniff_accepts_a_bom_before_json_events() -> None:
    assert usage.sniff("e.json", "\ufeff" + read("events.json")) == "setting-events"


# --- cell parsing ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2026-03-01", "2026-03-01"), ("2026-3-1", "2026-03-01"),
    ("2026-03-01T00:00:00Z", "2026-03-01"), ("03/01/2026", "2026-03-01"),
    ("01.03.2026", "2026-03-01"), ("Mar 01, 2026", "2026-03-01"),
    ("March 1, 2026", "2026-03-01"), ("Sept 9, 2025", "2025-09-09"),
    ("1 Mar 2026", "2026-03-01"), ("02/30/2026", None), ("13/01/2026", None),
    ("Foo 01, 2026", None), ("yesterday", None), ("", None),
])
def test_parse_date(text: str, expected: str | None) -> None:
    assert usage.parse_date(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("1234", 1234.0), ("1,234,567", 1234567.0), ("1.234.567", 1234567.0),
    ("1 234", 1234.0), ("1\u00a0234", 1234.0), ("12.5", 12.5), ("2,5", 2.5),
    ("1.234,5", 1234.5), ("-7", -7.0), ("1e3", 1000.0), ("abc", None), ("1,23,4", None),
    ("nan", None), ("inf", None),
])
def test_parse_count(text: str, expected: float | None) -> None:
    assert usage.parse_count(text) == expected


@pytest.mark.parametrize("header, series", [
    ("Target", "target"), ("TARGET CALLS", "target"), ("Adobe Target", "target"),
    ("Analytics", "analytics"), ("other", "other"), ("Total", "total"),
    ("Total Server Calls", "total"), ("Server Calls", "total"),
    ("Pixel Calls", "pixel-calls"), ("On-Boarded Records", "on-boarded-records"),
])
def test_canonical_series(header: str, series: str) -> None:
    assert usage.canonical_series(header) == series


# --- usage files ----------------------------------------------------------------------------

def test_us_file_with_bom_title_lines_and_separators(ws: Workspace) -> None:
    report = load(ws, "usage-us-dates.csv", read("usage-us-dates.csv"))
    assert stored(ws, "target") == {"2026-01-30": 12500, "2026-01-31": 12000,
                                    "2026-02-01": 11500}
    assert stored(ws, "total") == {"2026-01-30": 13750, "2026-01-31": 13400,
                                   "2026-02-01": 12700}
    assert stored(ws, "other") == {"2026-01-30": 250, "2026-01-31": 300}  # '-' = no value
    assert stored(ws, "pixel-calls")["2026-02-01"] == 9
    assert history.series_names(ws.conn) == ["analytics", "other", "pixel-calls", "target",
                                             "total"]
    assert report.errors == []
    assert [str(w) for w in report.warnings] == [
        "usage-us-dates.csv: line 8: field 'Date': a totals row, not a day; skipped"]
    # Distinct days (not day x series rows), and how many series they hold.
    assert report.counts["usage_days"] == 3
    assert report.counts["usage_series"] == 5


def test_semicolon_file_with_european_numbers(ws: Workspace) -> None:
    load(ws, "usage-de.csv", read("usage-de.csv"))
    assert stored(ws, "target") == {"2026-02-01": 1_000_000, "2026-02-02": 2_000_000}
    assert stored(ws, "analytics") == {"2026-02-01": 2.5, "2026-02-02": 3.5}


def test_month_name_dates(ws: Workspace) -> None:
    load(ws, "usage-month-names.csv", read("usage-month-names.csv"))
    assert stored(ws, "target") == {"2026-02-01": 100, "2026-02-02": 200, "2026-03-03": 300}


def test_every_bad_cell_is_named_by_file_line_and_column(ws: Workspace) -> None:
    report = load(ws, "usage-bad.csv", read("usage-bad.csv"))
    messages = [str(e) for e in report.errors]
    assert messages == [
        "usage-bad.csv: line 3: field 'target': cannot read the number 'abc'",
        "usage-bad.csv: line 4: field 'date': cannot read the date '2026-13-01' "
        "(expected YYYY-MM-DD, MM/DD/YYYY, DD.MM.YYYY or Mon DD, YYYY)",
        "usage-bad.csv: line 5: field 'target': negative count '-5'; "
        "a call count cannot be negative",
        "usage-bad.csv: line 6: field 'date': duplicate date 2026-01-01 (already on line 2); "
        "this line is skipped",
    ]
    # the good cells of the bad lines are kept; the duplicate line is not
    assert stored(ws, "target") == {"2026-01-01": 100, "2026-01-04": 100}
    assert stored(ws, "total") == {"2026-01-01": 150, "2026-01-02": 150, "2026-01-03": 150}


def test_a_file_without_a_date_column_is_refused_naming_its_columns(ws: Workspace) -> None:
    report = ImportReport()
    with pytest.raises(ImportRefused) as caught:
        usage.load("usage", "usage-no-date.csv", read("usage-no-date.csv"), ws.conn, report)
    assert "no date column" in str(caught.value)
    assert "Month, Target, Analytics" in str(caught.value)
    assert caught.value.report is report and report.errors


def test_a_non_numeric_unknown_column_is_ignored_with_a_warning(ws: Workspace) -> None:
    text = "Date,Target,Comment\n2026-01-01,5,quiet day\n"
    report = load(ws, "c.csv", text)
    assert history.series_names(ws.conn) == ["target"]
    assert "column 'Comment' is not numeric; ignored" in str(report.warnings[0])


def _csv(days: dict[str, float]) -> str:
    return "Date,Target\n" + "".join(f"{d},{v:g}\n" for d, v in days.items())


def test_overlapping_files_the_more_recent_file_wins_in_either_order(tmp_path: Path) -> None:
    older = _csv({"2026-01-01": 1, "2026-01-02": 1, "2026-01-03": 1})
    newer = _csv({"2026-01-02": 2, "2026-01-03": 2, "2026-01-04": 2})
    for order in (("a-older.csv", older, "b-newer.csv", newer),
                  ("b-newer.csv", newer, "a-older.csv", older)):
        with Workspace.open(tmp_path / f"{order[0]}.aamws", create=True) as ws:
            load(ws, order[0], order[1])
            report = load(ws, order[2], order[3])
            assert stored(ws, "target") == {"2026-01-01": 1, "2026-01-02": 2,
                                            "2026-01-03": 2, "2026-01-04": 2}
            (warning,) = report.warnings
            text = str(warning)
            assert "a-older.csv" in text and "b-newer.csv" in text
            assert "2026-01-02..2026-01-03 (2 days)" in text
            assert "kept the values of b-newer.csv" in text


def test_overlap_whose_values_agree_is_one_note_not_a_warning(ws: Workspace) -> None:
    report = ImportReport()
    files = [("u1.csv", {"2026-01-01": 1, "2026-01-02": 2, "2026-01-03": 3}),
             ("u2.csv", {"2026-01-02": 2, "2026-01-03": 3, "2026-01-04": 4}),
             ("u3.csv", {"2026-01-03": 3, "2026-01-04": 4, "2026-01-05": 5, "2026-01-06": 6}),
             ("u4.csv", {"2026-01-04": 4, "2026-01-05": 5, "2026-01-06": 6, "2026-01-07": 7})]
    with transaction(ws.conn):
        for name, days in files:
            report.files.append(FileSummary(name, "usage"))  # as the importer does
            usage.load("usage", name, _csv(days), ws.conn, report)
    assert report.warnings == [] and report.errors == []
    assert report.notes == ["3 usage file overlaps (2–3 days each); the values agree"]
    assert report.to_json()["notes"] == report.notes
    assert report.counts["usage_days"] == 7 and report.counts["usage_series"] == 1


def test_overlap_with_different_values_stays_a_warning_naming_files_and_days(
        ws: Workspace) -> None:
    load(ws, "u1.csv", _csv({"2026-01-01": 1, "2026-01-02": 2, "2026-01-03": 3}))
    report = load(ws, "u2.csv", _csv({"2026-01-02": 2, "2026-01-03": 30, "2026-01-04": 4}))
    assert report.notes == []
    (warning,) = report.warnings
    assert str(warning) == (
        "u2.csv: u2.csv and u1.csv both have days 2026-01-02..2026-01-03 (2 days) and the "
        "values differ on 1 of them (2026-01-03..2026-01-03); kept the values of u2.csv, "
        "whose data is more recent (up to 2026-01-04)")


def test_same_last_day_ties_are_broken_by_name(ws: Workspace) -> None:
    load(ws, "usage-2.csv", _csv({"2026-01-01": 2}))
    report = load(ws, "usage-1.csv", _csv({"2026-01-01": 1}))
    assert stored(ws, "target") == {"2026-01-01": 2}
    assert "kept the values of usage-2.csv" in str(report.warnings[0])


def test_each_usage_file_adds_to_the_history(ws: Workspace) -> None:
    load(ws, "jan.csv", _csv({"2026-01-31": 10}))
    load(ws, "feb.csv", _csv({"2026-02-01": 20}))
    report = load(ws, "jan.csv", _csv({"2026-01-31": 11}))  # a corrected re-export
    assert stored(ws, "target") == {"2026-01-31": 11, "2026-02-01": 20}
    assert report.warnings == []


# --- settings events ------------------------------------------------------------------------

def events(ws: Workspace) -> list[tuple[str, str, str, str]]:
    return [(e.date, e.setting, e.value, e.note) for e in history.list_events(ws.conn)]


def test_csv_events_with_header_are_normalised(ws: Workspace) -> None:
    report = load(ws, "events.csv", read("events.csv"))
    assert report.errors == [] and report.counts["setting_events"] == 3
    assert events(ws) == [
        ("2025-11-01", "shared audiences", "enabled", ""),
        ("2026-01-15", "data collection", "Once Per Session", "changed by Target Support"),
        ("2026-02-01", "note", "Campaign launch", ""),
    ]
    assert {e.source for e in history.list_events(ws.conn)} == {"events.csv"}


def test_csv_events_without_header_and_free_text(ws: Workspace) -> None:
    load(ws, "events-noheader.txt", read("events-noheader.txt"))
    assert events(ws) == [
        ("2026-01-15", "data collection", "Once Per Session", ""),
        ("2026-02-10", "shared audiences", "disabled", ""),
        ("2026-02-20", "note", "New homepage live", ""),
    ]


def test_json_events(ws: Workspace) -> None:
    load(ws, "events.json", read("events.json"))
    assert events(ws) == [
        ("2026-01-15", "data collection", "Once Per Session", ""),
        ("2026-03-01", "shared audiences", "disabled", "ticket 42"),
    ]


def test_reimporting_events_does_not_duplicate_them(ws: Workspace) -> None:
    load(ws, "events.csv", read("events.csv"))
    report = load(ws, "events.json", read("events.json"))  # shares the 2026-01-15 event
    load(ws, "events.csv", read("events.csv"))
    assert len(events(ws)) == 4
    assert report.counts["setting_events"] == 1


def test_bad_events_are_reported_and_skipped(ws: Workspace) -> None:
    text = ("date,setting,value\n2026-01-01,data collection,hourly\nsoon,note,x\n"
            "2026-01-02,shared audiences,on\n2026-01-02,Shared Audiences,enabled\n")
    report = load(ws, "e.csv", text)
    assert [str(e) for e in report.errors] == [
        "e.csv: line 2: field 'value': data collection must be 'Real-Time' or "
        "'Once Per Session', not 'hourly'",
        "e.csv: line 3: field 'date': cannot read the date 'soon' "
        "(expected YYYY-MM-DD, MM/DD/YYYY, DD.MM.YYYY or Mon DD, YYYY)",
    ]
    assert "repeated; kept once" in str(report.warnings[0])
    assert events(ws) == [("2026-01-02", "shared audiences", "enabled", "")]



# --- through the importer -------------------------------------------------------------------

def test_import_export_routes_usage_and_event_files_and_keeps_history(
        tmp_path: Path, sample_tenant: Path) -> None:
    from explorer.importers import import_export

    ws_path = tmp_path / "w.aamws"
    import_export([DATA / "usage-us-dates.csv", DATA / "events.json"], ws_path)
    import_export(sample_tenant, ws_path)  # a configuration re-import keeps the history
    import_export(DATA / "events.json", ws_path)  # and re-importing events adds nothing
    with Workspace.open(ws_path) as ws:
        assert stored(ws, "target")["2026-01-31"] == 12000
        assert len(events(ws)) == 2
        assert ws.counts()["traits"] > 0


def test_import_export_refuses_a_usage_file_without_a_date_column(tmp_path: Path) -> None:
    from explorer.importers import import_export

    with pytest.raises(ImportRefused) as caught:
        import_export(DATA / "usage-no-date.csv", tmp_path / "w.aamws")
    assert "Month, Target, Analytics" in str(caught.value)


# --- one bad cell does not hide a whole file (QA fix) --------------------------------------

ONE_BAD_CELL = "Date,Target\n2022-07-01,100\n2022-07-02,100\n2022-07-03,n/a\n"


@pytest.mark.parametrize("text", [
    ONE_BAD_CELL,
    "Date,Target\n2022-07-01,100\n2022-07-02,100\n2022-07-03,oops\n",
    "date,SERVER CALLS\n2022-07-01,100\n2022-07-02,x\n2022-07-03,100\n",
    "Day,Calls A,Calls B\n2022-07-01,1,2\n2022-07-02,1,?\n2022-07-03,1,2\n",
])
def test_a_mostly_numeric_usage_file_is_still_recognised(text: str) -> None:
    assert usage.sniff("usage.csv", text) == "usage"


def test_one_bad_cell_is_reported_and_the_other_rows_kept(ws: Workspace) -> None:
    report = load(ws, "usage.csv", ONE_BAD_CELL)
    assert [str(e) for e in report.errors] == [
        "usage.csv: line 4: field 'Target': cannot read the number 'n/a'"]
    assert stored(ws, "target") == {"2022-07-01": 100, "2022-07-02": 100}


def test_a_usage_file_with_one_bad_cell_goes_through_the_importer(
        tmp_path: Path, sample_tenant: Path) -> None:
    from explorer.importers import import_export

    (sample_tenant / "f1").mkdir()
    (sample_tenant / "f1" / "usage.csv").write_text(ONE_BAD_CELL, encoding="utf-8")
    report = import_export(sample_tenant, tmp_path / "w.aamws")
    assert not any("not a recognised" in str(w) for w in report.warnings)
    assert "f1/usage.csv: line 4: field 'Target': cannot read the number 'n/a'" in [
        str(p) for p in report.errors + report.warnings]
    alone = import_export(sample_tenant / "f1" / "usage.csv", tmp_path / "u.aamws")
    assert alone.counts["usage_days"] == 2


def test_json_event_errors_count_records_from_one(ws: Workspace) -> None:
    text = ('[{"date": "2026-01-01", "setting": "data collection", "value": "Real-Time"},'
            ' {"date": "soon", "setting": "data collection", "value": "Real-Time"}]')
    report = load(ws, "e.json", text)
    assert [str(e) for e in report.errors] == [
        "e.json: record 2: field 'date': cannot read the date 'soon' "
        "(expected YYYY-MM-DD, MM/DD/YYYY, DD.MM.YYYY or Mon DD, YYYY)"]
