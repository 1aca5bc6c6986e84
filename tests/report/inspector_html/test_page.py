"""The inspector's HTML, without Qt: escaping, highlighting, links, and each kind's sections."""

from __future__ import annotations

from typing import Any

from explorer.report.inspector_html import (
    COLLAPSED_LIST_ROWS,
    DARK,
    EXPAND_LISTS_URL,
    LIGHT,
    LIST_LIMIT,
    TOGGLE_ALL_FIELDS_URL,
    highlight_trait_rule,
    object_url,
    parse_object_url,
    population_metrics,
    render_details_html,
    render_message_html,
)


def _trait(**overrides: Any) -> dict[str, Any]:
    details: dict[str, Any] = {
        "kind": "trait", "id": 1000001, "name": "Viewed Phones", "status": "ACTIVE",
        "trait_type": "RULE_BASED_TRAIT", "integration_code": "web_phone_view",
        "integration_code_label": "Integration code", "from_aep": False,
        "rule": 'c_product == "phone"', "trait_rule": 'c_product == "phone"',
        "trait_rule_explained": 'Qualifies when: customer-defined key c_product equals "phone"',
        "data_source": {"id": 163001, "name": "Acme Web"},
        "folder_path": [{"id": 200100, "name": "Web Behavior"}, {"id": 200132, "name": "Phones"}],
        "segments_using": [{"id": 2000001, "name": "Gold", "status": "ACTIVE",
                            "in_frequency": False, "negated": True}],
        "create_time_iso": "2022-04-25T06:00:00Z", "update_time_iso": None,
        "raw": {"sid": 1000001, "name": "Viewed Phones", "ttl": 120, "createTime": 1650864000000,
                "updateTime": 1651728000000},
        "findings": [], "annotation": None,
    }
    details.update(overrides)
    return details


def _segment(**overrides: Any) -> dict[str, Any]:
    details: dict[str, Any] = {
        "kind": "segment", "id": 2000003, "name": "Look-alikes", "status": "ACTIVE",
        "segment_rule": "(1000005T) AND NOT (1999999T)",
        "rule_references": [
            {"id": 1000005, "name": "Look-alike", "missing": False, "in_frequency": False,
             "negated": False},
            {"id": 1999999, "name": None, "missing": True, "in_frequency": False,
             "negated": True},
        ],
        "segment_rule_explained": "Qualifies when: ...",
        "merge_rule": {"id": 999, "name": None, "missing": True,
                       "label": "unknown merge rule (ID: 999)"},
        "destinations": [], "raw": {}, "findings": [], "annotation": None,
    }
    details.update(overrides)
    return details


def test_object_urls_round_trip_and_reject_anything_else() -> None:
    assert object_url("trait", 1000001) == "aam://trait/1000001"
    assert parse_object_url("aam://segment-folder/42") == ("segment-folder", 42)
    assert parse_object_url("aam://nonsense/42") is None
    assert parse_object_url("https://example.com/") is None
    assert parse_object_url(TOGGLE_ALL_FIELDS_URL) is None


def test_trait_page_shows_identity_rule_and_links() -> None:
    html = render_details_html(_trait())
    assert "<h1>Viewed Phones</h1>" in html
    assert '<a href="aam://data-source/163001">Acme Web</a>' in html
    assert '<a href="aam://trait-folder/200100">Web Behavior</a>' in html
    assert '<a href="aam://trait-folder/200132">Phones</a>' in html
    assert '<a href="aam://segment/2000001">Gold</a>' in html
    assert "excluded (NOT)" in html
    assert "In plain words:" in html
    assert "2022-04-25" in html and "2022-05-05" in html  # ISO, then computed from raw ms
    assert "120 days" in html


def test_trait_rule_highlighting_uses_okabe_ito_hues_readable_on_white() -> None:
    html = highlight_trait_rule('(c_price >= 500) AND h_ref contains "a<b"')
    assert '<span style="color:#0072B2;">c_price</span>' in html
    assert '<span style="color:#B34700;">&gt;=</span>' in html
    assert '<span style="color:#A8407F;">500</span>' in html
    assert '<span style="color:#007A59;">&quot;a&lt;b&quot;</span>' in html
    assert "<b>AND</b>" in html
    assert '<span style="color:#B34700;">contains</span>' in html


def test_everything_is_escaped() -> None:
    evil = "<script>alert(1)</script>"
    details = _trait(name=evil, description=evil, trait_rule_explained=evil,
                     data_source={"id": 1, "name": evil},
                     folder_path=[{"id": 2, "name": evil}],
                     segments_using=[{"id": 3, "name": evil, "status": evil}],
                     findings=[{"check_id": evil, "severity": evil, "message": evil}],
                     annotation={"note": evil, "tags": [evil], "status": "open",
                                 "updated": ""},
                     raw={evil: evil, "nested": {"x": evil}})
    html = render_details_html(details, all_fields_expanded=True)
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 10


def test_segment_rule_links_each_reference_and_flags_missing_traits() -> None:
    html = render_details_html(_segment())
    assert '<a href="aam://trait/1000005">Look-alike</a>' in html
    assert "1999999T (missing from export)" in html
    assert 'class="missing"' in html
    assert "<b>AND</b> <b>NOT</b>" in html
    assert "unknown merge rule (ID: 999)" in html
    assert "aam://merge-rule/999" not in html  # nothing to navigate to


def test_known_merge_rule_shows_its_options_and_links() -> None:
    merge_rule = {"id": 163010, "name": "Last Auth + Device", "is_default": True,
                  "cross_device_option": "Last Authenticated Profiles",
                  "device_option": "Device Profile", "cross_device_data_source_ids": [163002],
                  "data_export_controls": ["PII"], "external": False}
    html = render_details_html(_segment(merge_rule=merge_rule))
    assert '<a href="aam://merge-rule/163010">Last Auth + Device (ID: 163010)</a>' in html
    assert "Last Authenticated Profiles" in html and "Device Profile" in html
    assert 'href="aam://data-source/163002"' in html
    assert "PII" in html


def test_cross_device_data_sources_are_named_and_escaped() -> None:
    merge_rule = {"id": 5, "name": "Cross", "cross_device_option": "Profile Link",
                  "cross_device_data_source_ids": [171003, 171009],
                  "cross_device_data_sources": [{"id": 171003, "name": "Northwind <CRM>"},
                                                {"id": 171009, "name": None}]}
    html = render_details_html(_segment(merge_rule=merge_rule))
    assert '<a href="aam://data-source/171003">Northwind &lt;CRM&gt; (171003)</a>' in html
    assert '<a href="aam://data-source/171009">Data source 171009</a>' in html  # not exported
    assert "<CRM>" not in html


def test_aep_objects_get_the_badge_label_and_sharing_facts() -> None:
    details = _trait(from_aep=True, integration_code="9b3f-uuid",
                     integration_code_label="AEP segment ID")
    html = render_details_html(details)
    assert "From Adobe Experience Platform" in html
    assert ">AEP segment ID</td>" in html
    assert "Sharing" in html and "9b3f-uuid" in html
    assert "Sharing" not in render_details_html(_trait())


def test_all_fields_toggle_link_and_table() -> None:
    collapsed = render_details_html(_trait())
    assert f'href="{TOGGLE_ALL_FIELDS_URL}">Show</a>' in collapsed
    assert "createTime" not in collapsed
    expanded = render_details_html(_trait(), all_fields_expanded=True)
    assert f'href="{TOGGLE_ALL_FIELDS_URL}">Hide</a>' in expanded
    assert "createTime" in expanded and "1650864000000" in expanded
    static = render_details_html(_trait(), interactive=False)  # the report: no toggle
    assert TOGGLE_ALL_FIELDS_URL not in static and "createTime" in static


def test_population_metrics_table() -> None:
    raw = {"instantUniques7Day": 9120, "instantUniques1Day": 1840, "totalUniques1Day": 61200,
           "uniquesLifetime": 5, "name": "x", "totalUniquesFlag": True}
    assert population_metrics(raw) == {
        "Real-time population": {"7Day": 9120, "1Day": 1840},
        "Total population": {"1Day": 61200},
        "Uniques": {"Lifetime": 5},
    }
    html = render_details_html(_segment(raw=raw))
    assert "Population" in html and "61,200" in html and "9,120" in html
    assert html.index("1 day") < html.index("7 days") < html.index("Lifetime")


def test_findings_are_coloured_by_severity() -> None:
    findings = [{"check_id": "missing-trait", "severity": "error", "message": "Gone"},
                {"check_id": "x", "severity": "warning", "message": "Hmm", "accepted": True}]
    html = render_details_html(_segment(findings=findings))
    assert "Findings (2)" in html
    assert 'color:#B3261E; font-weight:600;">\u25cf ERROR</span> Gone' in html
    assert 'color:#8A5300; font-weight:600;">\u25b2 WARNING</span> Hmm' in html
    assert "(accepted)" in html


def test_data_source_page_settings_and_counts() -> None:
    details = {"kind": "data-source", "id": 163001, "name": "Acme Web", "type": "GENERAL",
               "trait_count": 4, "segment_count": 3,
               "settings": {"id_type": "COOKIE", "data_export_controls": ["PII"],
                            "unique_trait_integration_codes": True,
                            "unique_segment_integration_codes": False,
                            "inbound_s2s": False, "outbound_s2s": True},
               "raw": {}, "findings": [], "annotation": None}
    html = render_details_html(details)
    for text in ("ID type</td><td>Cookie", "Data export controls</td><td>PII",
                 "Unique trait integration codes</td><td>yes",
                 "Unique segment integration codes</td><td>no", "Inbound S2S</td><td>no",
                 "Outbound S2S</td><td>yes", "Traits in this data source</td><td><a href=\"aam://data-source/163001\">4</a>",
                 "Segments in this data source</td><td><a href=\"aam://data-source/163001\">3</a>"):
        assert text in html


def test_destination_page_lists_mappings_with_segment_names() -> None:
    details = {"kind": "destination", "id": 5003, "name": "DSP", "destination_type": "S2S",
               "mappings": [{"segment_id": 2000003, "segment_name": "Look-alikes",
                             "segment_missing": False, "start_date": "2022-06-02",
                             "end_date": None, "element_status": "active"},
                            {"segment_id": 42, "segment_name": None, "segment_missing": True}],
               "raw": {}, "findings": [], "annotation": None}
    html = render_details_html(details)
    assert "Server-to-server" in html
    assert '<a href="aam://segment/2000003">Look-alikes</a>' in html
    assert "2022-06-02" in html and "never" in html
    assert "42 <span class=\"missing\">missing from export</span>" in html


def test_folder_page_counts_with_and_without_subfolders() -> None:
    details = {"kind": "segment-folder", "id": 7, "name": "Marketing",
               "folder_path": [{"id": 7, "name": "Marketing"}], "subfolder_count": 2,
               "object_count": 1, "object_count_with_subfolders": 5, "raw": {},
               "findings": [], "annotation": None}
    html = render_details_html(details)
    assert "Segments directly in this folder</td><td>1" in html
    assert "Segments including subfolders</td><td>5" in html
    assert "Subfolders</td><td>2" in html


def test_long_lists_collapse_then_show_all_up_to_the_limit() -> None:
    segments = [{"id": 3_000_000 + i, "name": f"S{i}", "status": "ACTIVE"}
                for i in range(LIST_LIMIT + 7)]
    collapsed = render_details_html(_trait(segments_using=segments))
    assert f"Segments using this trait ({LIST_LIMIT + 7:,})" in collapsed
    assert f"… and {LIST_LIMIT + 7 - COLLAPSED_LIST_ROWS:,} more" in collapsed
    assert f'<a href="{EXPAND_LISTS_URL}">show all</a>' in collapsed
    assert f"aam://segment/{3_000_000 + COLLAPSED_LIST_ROWS - 1}" in collapsed
    assert f"aam://segment/{3_000_000 + COLLAPSED_LIST_ROWS}" not in collapsed
    expanded = render_details_html(_trait(segments_using=segments), lists_expanded=True)
    assert "… and 7 more" in expanded and EXPAND_LISTS_URL not in expanded
    assert f"aam://segment/{3_000_000 + LIST_LIMIT - 1}" in expanded
    assert f"aam://segment/{3_000_000 + LIST_LIMIT}" not in expanded


def test_a_capped_details_list_counts_the_full_total() -> None:
    merge_rule = {"kind": "merge-rule", "id": 1, "name": "M", "segment_count": 1234,
                  "segments_using": [{"id": i, "name": f"S{i}"} for i in range(200)],
                  "raw": {}, "findings": [], "annotation": None}
    html = render_details_html(merge_rule, lists_expanded=True)
    assert "Segments using this merge rule (1,234)" in html
    assert "… and 1,034 more" in html


def test_themes_and_message_page() -> None:
    assert DARK.text in render_details_html(_trait(), theme=DARK)
    html = render_message_html("Nothing <selected>", theme=LIGHT)
    assert "Nothing &lt;selected&gt;" in html


def test_a_huge_segment_rule_names_its_traits_in_the_table_only() -> None:
    references = [{"id": 5_000_000 + i, "name": f"T{i}", "missing": False} for i in range(300)]
    rule = " OR ".join(f"{r['id']}T" for r in references)
    details = _segment(segment_rule=rule, rule_references=references)
    collapsed = render_details_html(details)
    assert "This rule references 300 traits; the table below names them." in collapsed
    assert f"<pre>{rule}</pre>" in collapsed
    assert collapsed.count('href="aam://trait/') == 2 * COLLAPSED_LIST_ROWS
    expanded = render_details_html(details, lists_expanded=True)
    assert '<a href="aam://trait/5000299">T299</a> <span class="muted">5000299T</span>' in expanded
