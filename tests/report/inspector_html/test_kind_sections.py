"""The key facts of each kind's inspector page: destinations with each mapping's target and
true state, algorithmic models, derived signals, data sources, and where findings show."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest

from explorer.report.inspector_html import render_details_html
from explorer.store.queries import object_details, traits_testing_key
from explorer.store.schema import migrate

EXPORT_DATE = "2026-10-31"


def _mapping(mapping_id: int, segment_id: int, **fields: Any) -> dict[str, Any]:
    base = {"mapping_id": mapping_id, "segment_id": segment_id,
            "segment_name": f"Segment {segment_id}", "segment_status": "ACTIVE",
            "element_status": "active", "start_date": "2026-01-01", "end_date": None,
            "trait_alias": None, "url": None, "secure_url": None, "value_alias": None}
    return {**base, **fields}


def _destination(mappings: list[dict[str, Any]], dest_type: str = "PUSH") -> dict[str, Any]:
    return {"kind": "destination", "id": 6101, "name": "Retargeting pixel",
            "destination_type": dest_type, "status": "ACTIVE", "export_date": EXPORT_DATE,
            "mappings": mappings, "raw": {"destinationType": dest_type}}


def _mapping_rows(html: str) -> dict[str, str]:
    """Mapping id -> the text of its table row."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        match = re.search(r'href="aam://destination-mapping/(\d+)"', row)
        if match:
            rows[match.group(1)] = re.sub(r"<[^>]+>", " ", row)
    return rows


def _status_of(row_text: str) -> str:
    return row_text.split()[-1]


def test_destination_mapping_states_follow_the_one_core_rule() -> None:
    html = render_details_html(_destination([
        _mapping(1, 101, url="https://px.example/?seg=101"),
        _mapping(2, 102, segment_status="INACTIVE"),  # a paused segment
        _mapping(3, 103, end_date="2026-06-30"),  # ended before the export
        _mapping(4, 104, start_date="2027-01-01"),  # starts after it
        _mapping(5, 105, segment_name=None, segment_missing=True),
        _mapping(6, 106, element_status="inactive"),
    ]))
    rows = _mapping_rows(html)
    assert {key: _status_of(text) for key, text in rows.items()} == {
        "1": "active", "2": "paused", "3": "ended", "4": "scheduled", "5": "missing",
        "6": "paused"}
    assert "https://px.example/?seg=101" in rows["1"]
    assert "<th>Mapping ID</th>" in html and "<th>URL</th>" in html


def test_without_an_export_date_a_dated_mapping_is_not_called_active() -> None:
    details = _destination([_mapping(1, 101, end_date="2020-01-01")])
    details["export_date"] = None
    rows = _mapping_rows(render_details_html(details))
    assert rows["1"].split()[-2:] == ["not", "checked"]


def test_a_mapping_state_the_object_view_gives_is_the_one_shown() -> None:
    # object_view sets `state` from mapping_states; the page shows it rather than recompute
    html = render_details_html(_destination([
        _mapping(1, 101, state="ended"),
        _mapping(2, 102, segment_status="INACTIVE", state="scheduled"),
        _mapping(3, 103, state="not checked"),
    ]))
    rows = _mapping_rows(html)
    assert _status_of(rows["1"]) == "ended"
    assert _status_of(rows["2"]) == "scheduled"
    assert rows["3"].split()[-2:] == ["not", "checked"]


def test_cookie_destination_shows_each_mapping_key_and_value() -> None:
    html = render_details_html(_destination(
        [_mapping(7, 107, trait_alias="seg", value_alias="gold")], dest_type="ADS"))
    assert "<th>Key / value</th>" in html
    assert "<code>seg=gold</code>" in html
    assert "Cookie" in html and "ADS" not in re.sub(r"<style>.*?</style>", "", html,
                                                    flags=re.S).split("All fields")[0]


def test_segment_page_destinations_use_the_same_states() -> None:
    details = {"kind": "segment", "id": 102, "name": "Paused", "status": "INACTIVE",
               "export_date": EXPORT_DATE, "segment_rule": "1T",
               "destinations": [{"mapping_id": 2, "destination_id": 6101,
                                 "destination_name": "Pixel", "destination_type": "PUSH",
                                 "segment_status": "INACTIVE", "missing": False,
                                 "start_date": "2026-01-01", "end_date": None,
                                 "element_status": "active"}]}
    html = render_details_html(details)
    section = html.split("Destinations", 1)[1]
    assert ">paused<" in section and ">active<" not in section


def test_mapping_page_states_its_status_and_target() -> None:
    details = {"kind": "destination-mapping", "id": 3, "name": "m",
               "segment": {"id": 103, "name": "Ended"},
               "destination": {"id": 6101, "name": "Pixel"}, "segment_status": "ACTIVE",
               "element_status": "active", "start_date": "2026-01-01",
               "end_date": "2026-06-30", "export_date": EXPORT_DATE,
               "url": "https://px.example/?seg=103",
               "findings": [{"check_id": "mapping-expired", "severity": "info",
                             "message": "The mapping ended", "detail": {"end_date": "2026-06-30"}}]}
    html = render_details_html(details)
    assert re.search(r'Status</td><td><b title="end date before the export date">ended</b>', html)
    assert "https://px.example/?seg=103" in html
    end_cell = html.split('class="label">End</td><td>', 1)[1].split("</td>", 1)[0]
    assert "The mapping ended" in end_cell


def test_algorithmic_model_page_shows_its_inputs_and_last_run() -> None:
    details = {"kind": "algo-model", "id": 5201, "name": "Look-alike", "status": "ACTIVE",
               "baseline": {"kind": "trait", "id": 1100178, "name": "Platinum"},
               "model_data_sources": [{"id": 171001, "name": "Web"},
                                      {"id": 20914, "name": None},
                                      {"id": 171999, "name": None}],
               "raw": {"lookBackPeriod": 60, "intervalSeconds": 604800,
                       "lastRunStatus": "SUCCESS", "lastRunTimestamp": 1793059200000,
                       "lastSuccessfulRunTimestamp": 1793059200000,
                       "dataSources": [171001, 20914, 171999]},
               "traits_using": []}
    html = render_details_html(details)
    assert 'Baseline</td><td><a href="aam://trait/1100178">Platinum</a>' in html
    assert "Look-back</td><td>60 days" in html
    assert "Runs every</td><td>7 days" in html
    assert '<a href="aam://data-source/171001">Web</a>' in html
    assert "Adobe-owned, not in this export" in html  # 20914, GAID
    assert '171999 <span class="missing">not in this export</span>' in html
    assert "Last run</td><td>2026-10-27" in html
    assert "Last run status</td><td>SUCCESS" in html


def test_derived_signal_page_has_source_target_table_and_traits_testing_the_target() -> None:
    details = {"kind": "derived-signal", "id": 8001, "name": None, "source_key": "c_cat",
               "source_value": "tent", "target_key": "c_category", "target_value": "tents",
               "traits_testing_target": [{"id": 1000001, "name": "Tents", "status": "ACTIVE"}],
               "raw": {}}
    html = render_details_html(details)
    signal = html.split("Signal", 1)[1]
    assert re.search(r"Source.*<code>c_cat</code>.*<code>tent</code>", signal, re.S)
    assert re.search(r"Target.*<code>c_category</code>.*<code>tents</code>", signal, re.S)
    assert "Traits that test c_category (1)" in html
    assert '<a href="aam://trait/1000001">Tents</a>' in html


@pytest.fixture()
def conn() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.row_factory = sqlite3.Row
    migrate(connection)
    rows = [(1, "Tents", 'c_category == "tents"'), (2, "Other", 'c_categoryx == "tents"'),
            (3, "Nested", '(c_size > 3) AND (c_category contains "tent")'),
            (4, "In a value", 'c_note == "c_category == x"'), (5, "Dotted", 'a.c_category == 1')]
    connection.executemany(
        "INSERT INTO traits (id, name, rule, status, trait_type, raw) "
        "VALUES (?, ?, ?, 'ACTIVE', 'RULE_BASED_TRAIT', '{}')", rows)
    return connection


def test_traits_testing_a_key_match_the_key_as_a_tested_word(conn: sqlite3.Connection) -> None:
    found = [t["id"] for t in traits_testing_key(conn, "c_category")]
    # 4 mentions it only inside a quoted value, but "c_category ==" is there as text: the
    # match is by rule text, so it counts; 2 (a longer key) and 5 (a dotted key) do not.
    assert found == [1, 3, 4]
    assert traits_testing_key(conn, "") == []


def test_derived_signal_details_from_the_store(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO derived_signals (id, source_key, source_value, target_key, "
                 "target_value, raw) VALUES (8001, 'c_cat', 'tent', 'c_category', 'tents', '{}')")
    details = object_details(conn, "derived-signal", 8001)
    assert details is not None
    assert [t["id"] for t in details["traits_testing_target"]] == [1, 3, 4]


def test_adobe_owned_data_source_is_neutral_not_an_error() -> None:
    details = {"kind": "trait", "id": 1, "name": "GAID users", "trait_type": "ON_BOARDED_TRAIT",
               "data_source": {"id": 20914, "name": None, "missing": True}, "raw": {}}
    html = render_details_html(details)
    cell = html.split('class="label">Data source</td><td>', 1)[1].split("</td>", 1)[0]
    assert "Google Advertising ID (GAID)" in cell
    assert "Adobe-owned, not in this export" in cell
    assert 'class="missing"' not in cell
    other = render_details_html({**details, "data_source": {"id": 99, "name": None,
                                                            "missing": True}})
    assert '99 <span class="missing">not in this export</span>' in other


def test_data_source_where_used_counts_are_links() -> None:
    details = {"kind": "data-source", "id": 171001, "name": "Web", "trait_count": 12,
               "segment_count": 0, "raw": {}}
    html = render_details_html(details)
    assert ('Traits in this data source</td><td><a href="aam://data-source/171001">12</a>'
            in html)
    assert "Segments in this data source</td><td>0" in html  # nothing to open


def test_raw_api_fields_are_only_in_all_fields() -> None:
    details = {"kind": "trait", "id": 1, "name": "T", "trait_type": "RULE_BASED_TRAIT",
               "event_type": 2, "rule_version": 1, "ttl": 30,
               "raw": {"type": 2, "traitRuleVersion": 1, "ttl": 30}}
    html = render_details_html(details, all_fields_expanded=True)
    identity, all_fields = html.split("All fields", 1)
    assert "Event type" not in identity and "Rule version" not in identity
    assert "traitRuleVersion" in all_fields and "Expires after</td><td>30 days" in identity


def test_findings_come_before_the_details_and_beside_their_field() -> None:
    details = {"kind": "trait", "id": 1, "name": "T", "trait_type": "RULE_BASED_TRAIT",
               "integration_code": "crm_90d", "folder_path": [{"id": 219999, "name": None,
                                                               "missing": True}],
               "findings": [{"check_id": "object-missing-folder", "severity": "warning",
                             "message": "Its folder is not in the export",
                             "detail": {"folder_id": 219999}},
                            {"check_id": "duplicate-integration-code", "severity": "error",
                             "message": "Code shared", "detail": {"integration_code": "crm_90d"}}],
               "raw": {}}
    html = render_details_html(details)
    assert html.index("Findings (2)") < html.index('class="label">ID</td>')
    folder = html.split('class="label">Folder</td><td>', 1)[1].split("</td>", 1)[0]
    assert "\u25b2 WARNING" in folder and "Its folder is not in the export" in folder
    code = html.split('class="label">Integration code</td><td>', 1)[1].split("</td>", 1)[0]
    assert "\u25cf ERROR" in code and "Code shared" in code and "folder" not in code


def test_server_to_server_destination_data_source_is_adobe_owned() -> None:
    details = {"kind": "destination", "id": 6105, "name": "DSP", "destination_type": "S2S",
               "data_source": {"id": 505050, "name": None, "missing": True}, "raw": {}}
    cell = render_details_html(details).split(
        'class="label">Data source</td><td>', 1)[1].split("</td>", 1)[0]
    assert "Data source 505050" in cell and "Adobe-owned, not in this export" in cell
    assert 'class="missing"' not in cell
    url = render_details_html({**details, "destination_type": "PUSH"})
    assert '505050 <span class="missing">not in this export</span>' in url
