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
