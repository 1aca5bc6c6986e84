"""The segment rule in the inspector: the builder's tree, its code, the reading by groups."""

from __future__ import annotations

from typing import Any

from explorer.domain.rule_structure import rule_structure
from explorer.report.inspector_html import render_details_html
from explorer.report.inspector_html.rules import reading_html, rule_structure_html

REFS: dict[int, dict[str, Any]] = {
    11: {"id": 11, "name": "Home Store: Denver", "missing": False, "status": "ACTIVE",
         "trait_type": "ON_BOARDED_TRAIT", "ttl": 120, "uniques_30_day": 721047},
    12: {"id": 12, "name": "Newsletter Clickers", "missing": False, "status": "INACTIVE",
         "trait_type": "RULE_BASED_TRAIT", "ttl": 0, "uniques_30_day": None},
    13: {"id": 13, "name": None, "missing": True},
}
NOWRAP = '<span style="white-space:nowrap;">'


def row(depth: int, html: str) -> str:
    return f'<tr><td style="padding-left:{depth * 22}px;">{html}</td></tr>'


def trait_row(depth: int, lead: str, trait_id: int, name: str, facts: str) -> str:
    return row(depth, f'{lead}{NOWRAP}<a href="aam://trait/{trait_id}">{name}</a> '
                      f'<span class="muted">{trait_id}T</span></span> '
                      f'<span class="muted">· {facts}</span>')


def test_nested_frequency_rule_as_the_builder_draws_it() -> None:
    rule = "(frequency([11T, 12T] <= 7D) >= 3) AND NOT (13T OR 11T)"
    html = rule_structure_html(rule_structure(rule), REFS)
    denver = "ACTIVE · Onboarded · TTL 120 days · 30-day uniques 721,047"
    clickers = "INACTIVE · Rule-based · TTL 0 (never expires) · 30-day uniques not in this export"
    assert html == (
        '<table class="ruletree" cellspacing="0" cellpadding="2">'
        + row(0, "<b>ALL</b> of")
        + row(1, "<b>frequency</b> at least 3 times within the last 7 days in total across:")
        + trait_row(2, "", 11, "Home Store: Denver", denver)
        + trait_row(2, "<b>OR</b> ", 12, "Newsletter Clickers", clickers)
        + row(1, "<b>AND</b> <b>NONE</b> of")
        + row(2, f'{NOWRAP}<span class="missing">13T (missing from export)</span></span>')
        + trait_row(2, "<b>OR</b> ", 11, "Home Store: Denver", denver)
        + "</table>")


def test_single_trait_and_negated_clause() -> None:
    assert rule_structure_html(rule_structure("NOT frequency([12T] >= 30D) == 1"), REFS) == (
        '<table class="ruletree" cellspacing="0" cellpadding="2">'
        + row(0, "<b>NOT</b> <b>frequency</b> exactly 1 time at least 30 days ago:")
        + trait_row(1, "", 12, "Newsletter Clickers", "INACTIVE · Rule-based · TTL 0 (never "
                    "expires) · 30-day uniques not in this export")
        + "</table>")


def test_facts_the_export_lacks_are_said() -> None:
    refs = {5: {"id": 5, "name": "A <b>", "missing": False}}
    html = rule_structure_html(rule_structure("5T"), refs)
    assert html.endswith(
        f'{NOWRAP}<a href="aam://trait/5">A &lt;b&gt;</a> <span class="muted">5T</span></span> '
        '<span class="muted">· TTL not in this export · 30-day uniques not in this export'
        "</span></td></tr></table>")


def test_reading_is_one_row_per_line_indented_and_names_unbroken() -> None:
    html = reading_html("Qualifies when: the visitor\n  has trait 'A b' (1)\n"
                        "  AND (has trait 'C' (2) OR has trait 999 (missing from the export))")
    assert html == (
        '<p class="plain"><span class="muted">In plain words:</span></p>'
        '<table class="reading" cellspacing="0" cellpadding="1">'
        + row(0, "Qualifies when: the visitor")
        + row(1, f"has trait {NOWRAP}&#x27;A b&#x27; (1)</span>")
        + row(1, f"AND (has trait {NOWRAP}&#x27;C&#x27; (2)</span> OR has trait 999 (missing "
                 "from the export))")
        + "</table>")


def _segment(rule: str, references: list[dict[str, Any]]) -> dict[str, Any]:
    return {"kind": "segment", "id": 7, "name": "S", "status": "ACTIVE", "segment_rule": rule,
            "rule_references": references,
            "segment_rule_explained": "Qualifies when: the visitor has trait 'Home Store: "
                                      "Denver' (11)",
            "destinations": [], "raw": {}, "findings": [], "annotation": None}


def test_segment_page_shows_tree_code_and_reading_without_the_table() -> None:
    html = render_details_html(_segment("(11T)", [REFS[11]]))
    tree = html.index('<table class="ruletree"')
    code = html.index("<pre>(11T)</pre>")
    reading = html.index('<table class="reading"')
    assert tree < code < reading
    assert "Code view:" in html
    assert "Used as" not in html  # the tree says what the table said


def test_unreadable_rule_keeps_the_linked_code_and_the_table() -> None:
    rule = "11T AND ?"
    html = render_details_html(_segment(rule, [REFS[11]]))
    assert 'class="ruletree"' not in html
    assert '<a href="aam://trait/11">Home Store: Denver</a> <span class="muted">11T</span>' in html
    assert "<th>Trait ID</th>" in html


def test_a_number_too_long_for_an_id_stays_text_in_the_code() -> None:
    rule = "(" + "1" * 5000 + "T) OR (11T)"
    html = render_details_html(_segment(rule, [REFS[11]]))
    assert "1" * 5000 + "T" in html
    assert '<a href="aam://trait/11">' in html


def test_any_stored_rule_text_renders() -> None:
    import random

    from explorer.domain.explain import explain_segment_rule
    from explorer.domain.segment_rule import referenced_traits

    rng = random.Random(13)
    pieces = ["11T", "9" * 5000 + "T", f"{2**63}T", "frequency([", "])", " >= 2", "<= 7D",
              "(", ")", " AND ", " OR ", "NOT ", "<x>", "\ud800", "\x00", "٣", "\n"]
    for _ in range(200):
        rule = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
        references = [{**REFS.get(r.trait_id, {"name": None, "missing": True}), "id": r.trait_id}
                      for r in referenced_traits(rule)]
        details = _segment(rule, references)
        details["segment_rule_explained"] = explain_segment_rule(rule, {11: "Home Store"})
        assert "Segment rule" in render_details_html(details)


def test_indentation_stops_growing_past_twelve_levels() -> None:
    rule = "(1T OR NOT " * 30 + "2T" + ")" * 30
    html = rule_structure_html(rule_structure(rule), {})
    assert 'padding-left:264px;' in html  # 12 levels
    assert 'padding-left:286px;' not in html
