"""Lossless trait rule tokenizer (aam-formats.md §9)."""

from __future__ import annotations

import json

import pytest

from explorer.domain.segment_rule import RuleSyntaxError
from explorer.domain.trait_rule import (
    TOKEN_TYPES,
    check_trait_rule,
    significant,
    string_value,
    tokenize_trait_rule,
)
from tests.helpers.paths import DATA_DIR, DEMO_DIR


def kinds(rule: str) -> list[tuple[str, str]]:
    return [(t.type, t.text) for t in significant(tokenize_trait_rule(rule))]


DOC_RULES = [
    'c_product == "phone"',
    "price > 100",
    '(c_make=="A") AND (c_model=="B") AND (c_search=="1")',
    '(a== "1" OR b=="1") AND (c=="new")',
    "(price >= 1.00 AND price <= 100.00)",
    'h_referer contains "www.omniture.com/en/"',
    'c_contextdata.catname matchesregex "^sony -.+"',
    'ic == "123"',
    "ic==1000004",
    'segid == "9b3f6c1e-2d4a-4e8b-a1c7-5f0e2b7d9a33"',
    'd_country == "DE" AND NOT d_city == "Berlin"',
    "x => 5 OR y = 3 OR z != 4 OR w < 2",
    'c_q matcheswords "red shoes" or c_u startswith "http" Or c_u endswith ".pdf"',
]


@pytest.mark.parametrize("rule", [*DOC_RULES, 'a == "unterminated', "a ! b", "", "  \t"])
def test_tokenization_is_lossless(rule: str) -> None:
    tokens = tokenize_trait_rule(rule)
    assert "".join(t.text for t in tokens) == rule
    assert all(rule[t.start:t.end] == t.text for t in tokens)
    assert all(t.type in TOKEN_TYPES for t in tokens)
    # Contiguous: each token starts where the previous one ended.
    assert [t.start for t in tokens[1:]] == [t.end for t in tokens[:-1]]


@pytest.mark.parametrize("rule", DOC_RULES)
def test_documented_rules_have_no_error_tokens(rule: str) -> None:
    assert all(t.type != "error" for t in tokenize_trait_rule(rule))


def test_groups_and_numbers() -> None:
    assert kinds("(c_category == \"electronics\") AND (c_price >= 500)") == [
        ("lparen", "("), ("key", "c_category"), ("operator", "=="),
        ("string", '"electronics"'), ("rparen", ")"), ("bool_op", "AND"), ("lparen", "("),
        ("key", "c_price"), ("operator", ">="), ("number", "500"), ("rparen", ")"),
    ]


def test_every_symbol_operator() -> None:
    for op in ("==", "!=", ">", "<", ">=", "<=", "=>", "="):
        assert kinds(f"k{op}1") == [("key", "k"), ("operator", op), ("number", "1")]


def test_named_operators_and_bool_words_are_case_insensitive() -> None:
    assert kinds('h_referer CONTAINS "a" or x MatchesRegex "b" And NOT y StartsWith "c"') == [
        ("key", "h_referer"), ("operator", "CONTAINS"), ("string", '"a"'), ("bool_op", "or"),
        ("key", "x"), ("operator", "MatchesRegex"), ("string", '"b"'), ("bool_op", "And"),
        ("bool_op", "NOT"), ("key", "y"), ("operator", "StartsWith"), ("string", '"c"'),
    ]


def test_key_with_dots_and_regex_value() -> None:
    assert kinds('c_contextdata.catname matchesregex "^sony -.+"') == [
        ("key", "c_contextdata.catname"), ("operator", "matchesregex"),
        ("string", '"^sony -.+"'),
    ]


def test_escaped_quotes_stay_inside_the_string() -> None:
    rule = r'c_title contains "say \"hi\" now" AND c_x == "a\\"'
    tokens = significant(tokenize_trait_rule(rule))
    assert [t.type for t in tokens] == [
        "key", "operator", "string", "bool_op", "key", "operator", "string",
    ]
    assert string_value(tokens[2]) == 'say "hi" now'
    assert string_value(tokens[6]) == "a\\"


def test_decimal_and_negative_numbers() -> None:
    assert kinds("price >= 1.00 AND t > -2.5") == [
        ("key", "price"), ("operator", ">="), ("number", "1.00"), ("bool_op", "AND"),
        ("key", "t"), ("operator", ">"), ("number", "-2.5"),
    ]


def test_bare_word_after_operator_is_a_value() -> None:
    assert kinds("ic == abc") == [("key", "ic"), ("operator", "=="), ("string", "abc")]
    assert string_value(significant(tokenize_trait_rule("ic == abc"))[2]) == "abc"


def test_unterminated_string_and_stray_characters_are_errors() -> None:
    assert kinds('a == "open') == [("key", "a"), ("operator", "=="), ("error", '"open')]
    assert kinds("a ! b") == [("key", "a"), ("error", "!"), ("key", "b")]


def test_whitespace_tokens_are_kept() -> None:
    tokens = tokenize_trait_rule("a  ==\t1")
    assert [(t.type, t.text) for t in tokens] == [
        ("key", "a"), ("whitespace", "  "), ("operator", "=="), ("whitespace", "\t"),
        ("number", "1"),
    ]


# -- Which texts are trait rules: the forms of Adobe's documentation (own keys and values) -----

WELL_FORMED = [
    '(c_brand=="X") AND (c_line=="Y") AND (c_fromsearch=="1")',  # groups, no spaces
    '(k1== "2" OR k2=="2") AND (k3=="old")',  # uneven spacing
    "(cost >= 2.50 AND cost <= 80.00)",  # decimals in a range
    "shade == green",  # an unquoted value
    'shade == "green"',
    "d_postal_code=80202",  # single =
    "d_region=co",
    "d_country=FR OR d_country=MC OR d_country=AD",
    "d_long=104.99",
    "d_event == view AND d_placement == 77",
    "d_event == view OR d_event=buy",  # == and = mixed
    "h_referer = 'promo=55'",  # single-quoted value holding =
    'pageType == "Spring Sale"',  # a value with a space
    "SIZE == LARGE",
    'segid == "0a1b2c3d-0000-4000-8000-123456789abc"',
    'h_referer contains "shop.example/en/"',
    'c_area.section matchesregex "^acme -.+"',  # a dotted key
    'c_topic => 3',  # the docs' => operator
    'tag=="<label>"',  # angle brackets inside quotes are a value
    'NOT c_x == "1" AND NOT (c_y == "2" OR c_z == "3")',
]


@pytest.mark.parametrize("rule", WELL_FORMED)
def test_well_formed_rules_pass_the_check(rule: str) -> None:
    check_trait_rule(rule)


MALFORMED = [
    # The docs' "<trait name> = <rule>" prose form.
    ("Adults = p_years >= 18",
     "expected AND, OR or the end of the rule, found '>='; it reads as a trait name written in "
     "front of its rule (Adults = …); the rule itself would be 'p_years >= 18'", 17),
    # Templates: a placeholder value, or an unquoted value of two words.
    ("item == <item-id>", "'<item-id>' is a template placeholder, not part of a real rule", 8),
    ("postId==<postId>", "'<postId>' is a template placeholder, not part of a real rule", 8),
    ("liked==1 AND postId==<postId>",
     "'<postId>' is a template placeholder, not part of a real rule", 21),
    ("d_order = order number", "two words in a row (order number): a value with spaces needs "
     "quotes", 16),
    # A value in doubled quotes, as an XDM example writes a regex.
    ('c_area.section matchesregex ""^acme -.+""',
     'the value starts with doubled quotes "": write it in one pair of quotes', 28),
    ('c_x == "open', "this string has no closing quote", 7),
    ("c_x == 1 c_y == 2", "expected AND, OR or the end of the rule, found 'c_y'", 9),
    ("c_x ==", "expected a value after '==' but the rule ended", 6),
    ("c_x", "expected an operator (==, !=, <, >, <=, >=, contains, startswith, endswith, "
     "matcheswords or matchesregex) after 'c_x' but the rule ended", 3),
    ('(c_x == "1"', "expected ')' but the rule ended", 11),
    ('c_x == "1" AND', 'expected a comparison like key == "value" but the rule ended', 14),
    ("a ! b", "unexpected '!'", 2),
    ("   ", "the rule is empty", 0),
]


@pytest.mark.parametrize(("rule", "message", "position"), MALFORMED)
def test_malformed_rules_are_refused_saying_why(rule: str, message: str, position: int) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        check_trait_rule(rule)
    assert info.value.message == message
    assert info.value.position == position


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    with pytest.raises(RuleSyntaxError, match="deeper than 100 levels"):
        check_trait_rule("(" * 101 + 'a == "1"' + ")" * 101)
    check_trait_rule("(" * 100 + 'a == "1"' + ")" * 100)


def _trait_rules_in(value: object) -> list[str]:
    if isinstance(value, dict):
        return [rule for key, item in value.items()
                for rule in ([item] if key == "traitRule" and isinstance(item, str)
                             else _trait_rules_in(item))]
    if isinstance(value, list):
        return [rule for item in value for rule in _trait_rules_in(item)]
    return []


def test_every_trait_rule_of_the_fixtures_passes_the_check() -> None:
    rules = []
    for root in (DATA_DIR, DEMO_DIR):
        for path in sorted(root.rglob("*.json")):
            try:
                rules += _trait_rules_in(json.loads(path.read_text(encoding="utf-8")))
            except (ValueError, UnicodeDecodeError):
                continue  # the bad-input fixtures hold files that are not JSON on purpose
    rules = [rule for rule in rules if rule.strip()]
    assert len(rules) >= 250
    for rule in rules:
        check_trait_rule(rule)
