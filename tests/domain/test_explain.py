"""Plain-words readings of trait and segment rules."""

from __future__ import annotations

import pytest

from explorer.domain.explain import describe_key, explain_segment_rule, explain_trait_rule

NAMES = {
    1000001: "Viewed Phones",
    1000002: "Viewed Tablets",
    1000004: "CRM Gold Tier",
    1: "A",
    2: "B",
}


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("c_product", "customer-defined key c_product"),
        ("d_country", "platform key d_country"),
        ("h_referer", "HTTP header h_referer"),
        ("p_email", "private key p_email (not stored)"),
        ("ic", "inbound integration code (ic)"),
        ("segID", "AEP segment ID (segID)"),
        ("price", "key price"),
    ],
)
def test_key_prefixes(key: str, words: str) -> None:
    assert describe_key(key) == words


def test_trait_rule_comparison_and_groups() -> None:
    assert explain_trait_rule('(c_category == "electronics") AND (c_price >= 500)') == (
        'Qualifies when: (customer-defined key c_category equals "electronics") AND '
        "(customer-defined key c_price is at least 500)"
    )


def test_trait_rule_named_operators_and_or() -> None:
    text = explain_trait_rule('h_referer contains "google." or d_city startswith "Ber"')
    assert text == ('Qualifies when: HTTP header h_referer contains "google." OR '
                    'platform key d_city starts with "Ber"')


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("a != 1", "does not equal"),
        ("a > 1", "is greater than"),
        ("a < 1", "is less than"),
        ("a => 1", "is at least"),
        ("a <= 1", "is at most"),
        ('a matcheswords "x"', "matches the words"),
        ('a endswith "x"', "ends with"),
        ('a MATCHESREGEX "x"', "matches the regular expression"),
    ],
)
def test_operators_in_words(rule: str, words: str) -> None:
    assert f"key a {words}" in explain_trait_rule(rule)


def test_onboarded_integration_code() -> None:
    assert explain_trait_rule('ic == "1000004"') == (
        'Qualifies when: onboarded via inbound file integration code "1000004" (ic == "1000004")'
    )


def test_aep_segment_id_either_case() -> None:
    for key in ("segid", "segID"):
        text = explain_trait_rule(f'{key} == "9b3f-uuid"')
        assert '"9b3f-uuid"' in text
        assert "AEP audience sharing" in text
        assert "AEP segment ID" in text


def test_not_and_escaped_strings() -> None:
    text = explain_trait_rule(r'NOT c_title contains "say \"hi\""')
    assert text == 'Qualifies when: NOT customer-defined key c_title contains "say "hi""'


def test_trait_rule_syntax_problem_is_named() -> None:
    text = explain_trait_rule('c_x == "open')
    assert text == "Could not read this rule: this string has no closing quote (at character 8)."


def test_empty_trait_rule() -> None:
    assert explain_trait_rule("") == "No trait rule."
    assert explain_trait_rule(None) == "No trait rule."


def test_segment_rule_and() -> None:
    assert explain_segment_rule("(1000001T) AND (1000004T)", NAMES) == (
        "Qualifies when: the visitor has trait 'Viewed Phones' (1000001) AND "
        "has trait 'CRM Gold Tier' (1000004)"
    )


def test_segment_rule_frequency_with_recency() -> None:
    assert explain_segment_rule("frequency([1T, 2T] <= 7D) >= 3", NAMES) == (
        "Qualifies when: the visitor has at least 3 qualifications in total across 'A' (1) "
        "or 'B' (2) within the last 7 days"
    )


def test_segment_rule_frequency_single_trait_and_bounds() -> None:
    text = explain_segment_rule("frequency([1T]) >= 1 AND frequency([1T]) <= 5", NAMES)
    assert text == ("Qualifies when: the visitor has at least 1 qualification of 'A' (1) AND "
                    "has at most 5 qualifications of 'A' (1)")
    text = explain_segment_rule("frequency([2T] >= 30D) == 2", NAMES)
    assert text.endswith("has exactly 2 qualifications of 'B' (2) at least 30 days ago")


def test_segment_rule_not_and_nested_groups() -> None:
    text = explain_segment_rule("1T AND NOT (2T OR 1000004T) OR (NOT 1000002T)", NAMES)
    assert text == (
        "Qualifies when: the visitor\n"
        "  meets all of these:\n"
        "    has trait 'A' (1)\n"
        "    AND NOT (has trait 'B' (2) OR has trait 'CRM Gold Tier' (1000004))\n"
        "  OR does NOT have trait 'Viewed Tablets' (1000002)"
    )


def test_segment_rule_missing_trait() -> None:
    text = explain_segment_rule("1T OR 999T", NAMES)
    assert text == ("Qualifies when: the visitor has trait 'A' (1) OR "
                    "has trait 999 (missing from the export)")
    freq = explain_segment_rule("frequency([999T] <= 1D) >= 2", NAMES)
    assert "of trait 999 (missing from the export) within the last 1 day" in freq


def test_unreadable_segment_rule_still_names_traits() -> None:
    text = explain_segment_rule("1T AND (2T", NAMES)
    assert text.startswith("Could not read this rule: expected ')'")
    assert text.endswith("It references 'A' (1), 'B' (2).")


def test_empty_segment_rule() -> None:
    assert explain_segment_rule("  ", NAMES) == "No segment rule."


# -- Trait rules that are not well formed are never read as if they were -----------------------


@pytest.mark.parametrize(("rule", "text"), [
    ("Adults = p_years >= 18",
     "Could not read this rule: expected AND, OR or the end of the rule, found '>='; it reads "
     "as a trait name written in front of its rule (Adults = …); the rule itself would be "
     "'p_years >= 18' (at character 18)."),
    ("item == <item-id>",
     "Could not read this rule: '<item-id>' is a template placeholder, not part of a real rule "
     "(at character 9)."),
    ("d_order = order number",
     "Could not read this rule: two words in a row (order number): a value with spaces needs "
     "quotes (at character 17)."),
])
def test_malformed_trait_rule_is_not_explained(rule: str, text: str) -> None:
    assert explain_trait_rule(rule) == text


def test_documented_trait_forms_read_in_words() -> None:
    assert explain_trait_rule("d_event == view OR d_event=buy") == (
        'Qualifies when: platform key d_event equals "view" OR platform key d_event equals "buy"')
    assert explain_trait_rule("h_referer = 'promo=55'") == (
        'Qualifies when: HTTP header h_referer equals "promo=55"')


# -- Segment readings: one line per group, indented --------------------------------------------

SHOP = {11: "Newsletter Clickers", 12: "Tier: Bronze", 13: "Home Store: Denver", 14: "Footwear"}


def test_frequency_and_a_group_read_one_line_each() -> None:
    text = explain_segment_rule("(frequency([11T] <= 7D) >= 4) AND (12T OR 13T OR 14T)", SHOP)
    assert text == (
        "Qualifies when: the visitor\n"
        "  has at least 4 qualifications of 'Newsletter Clickers' (11) within the last 7 days\n"
        "  AND (has trait 'Tier: Bronze' (12) OR has trait 'Home Store: Denver' (13) OR has "
        "trait 'Footwear' (14))")


def test_multi_trait_frequency_counts_in_total_across() -> None:
    text = explain_segment_rule("frequency([11T OR 12T, 13T] >= 30D) == 2", SHOP)
    assert text == (
        "Qualifies when: the visitor has exactly 2 qualifications in total across "
        "'Newsletter Clickers' (11), 'Tier: Bronze' (12) or 'Home Store: Denver' (13) at least "
        "30 days ago")


def test_nested_groups_are_indented_with_headers() -> None:
    text = explain_segment_rule(
        "(11T OR (12T AND NOT 13T)) AND NOT ((11T OR 12T) AND 14T) AND "
        "NOT frequency([14T] <= 2D) >= 3", SHOP)
    assert text == (
        "Qualifies when: the visitor\n"
        "  meets at least one of these:\n"
        "    has trait 'Newsletter Clickers' (11)\n"
        "    OR (has trait 'Tier: Bronze' (12) AND does NOT have trait 'Home Store: Denver' "
        "(13))\n"
        "  AND does NOT meet all of these:\n"
        "    (has trait 'Newsletter Clickers' (11) OR has trait 'Tier: Bronze' (12))\n"
        "    AND has trait 'Footwear' (14)\n"
        "  AND does NOT have at least 3 qualifications of 'Footwear' (14) within the last 2 days")


def test_a_negated_or_of_groups_reads_none_of_these() -> None:
    text = explain_segment_rule("NOT ((11T AND 12T) OR 13T)", SHOP)
    assert text == (
        "Qualifies when: the visitor\n"
        "  meets NONE of these:\n"
        "    (has trait 'Newsletter Clickers' (11) AND has trait 'Tier: Bronze' (12))\n"
        "    OR has trait 'Home Store: Denver' (13)")


def test_groups_of_one_kind_are_merged() -> None:
    assert explain_segment_rule("(11T AND 12T) AND (13T)", SHOP) == (
        "Qualifies when: the visitor has trait 'Newsletter Clickers' (11) AND has trait "
        "'Tier: Bronze' (12) AND has trait 'Home Store: Denver' (13)")


def test_upper_bound_with_another_trait_is_read() -> None:
    assert explain_segment_rule("frequency([11T]) <= 5 AND 12T", SHOP) == (
        "Qualifies when: the visitor has at most 5 qualifications of 'Newsletter Clickers' (11) "
        "AND has trait 'Tier: Bronze' (12)")


@pytest.mark.parametrize(("rule", "text"), [
    ("(" + "1" * 5000 + "T) OR (11T)",
     "Could not read this rule: number out of range: trait id 111111111111… (5,000 digits) is "
     "beyond AAM's id range (at most 9223372036854775807) (at character 2). It references "
     "'Newsletter Clickers' (11)."),
    ("frequency([11T]) >= " + "1" * 5000,
     "Could not read this rule: number out of range: count 111111111111… (5,000 digits) is "
     "beyond 999,999,999 (at character 21). It references 'Newsletter Clickers' (11)."),
    ("frequency([11T] <= " + "1" * 5000 + "D) >= 2",
     "Could not read this rule: number out of range: number of days 111111111111… (5,000 "
     "digits) is beyond 999,999,999 (at character 20). It references 'Newsletter Clickers' "
     "(11)."),
    (f"{2**63}T",
     "Could not read this rule: number out of range: trait id 9223372036854775808 is beyond "
     "AAM's id range (at most 9223372036854775807) (at character 1)."),
])
def test_rules_with_huge_numbers_are_explained_as_unreadable(rule: str, text: str) -> None:
    assert explain_segment_rule(rule, SHOP) == text


def test_template_segment_rule_is_unreadable() -> None:
    assert explain_segment_rule("<currentRule> OR <newTrait>T", SHOP) == (
        "Could not read this rule: '<currentRule>' is a template placeholder, not part of a "
        "real rule (at character 1).")


def test_readers_survive_any_stored_text() -> None:
    import random

    from explorer.domain.rule_references import references_for_index, scan_references
    from explorer.domain.segment_rule import referenced_traits

    rng = random.Random(13)
    pieces = ["1T", "9" * 5000 + "T", f"{2**63}T", "frequency([", "])", " >= ", "<= 7D",
              "(", ")", " AND ", " OR ", "NOT ", '"', "'", "\\", "==", "\ud800", "\x00",
              "٣", "<x>", "c_k", " contains ", "\n", "é", "1" * 5000]
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert explain_segment_rule(text, NAMES)
        assert explain_trait_rule(text)
        references = referenced_traits(text)
        assert all(0 <= ref.trait_id < 2**63 for ref in references)
        scanned = scan_references(text)
        assert scanned is None or scanned == references
        indexed, _messages = references_for_index(text)
        assert indexed == [(r.trait_id, r.in_frequency, r.negated) for r in references]
