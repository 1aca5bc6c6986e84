"""The lossless tokenizer both rule tokenizers are built on."""

from __future__ import annotations

import re

from explorer.domain.rule_tokens import RuleToken, tokenize

_PATTERN = re.compile(r"(?P<whitespace>\s+)|(?P<word>[a-z]+)|(?P<op>=)")


def _typed(match: re.Match[str], previous: str | None) -> str:
    # a word right after an operator is a value: the type of the last significant token counts
    if match.lastgroup == "word" and previous == "op":
        return "value"
    return match.lastgroup or "error"


def test_tokens_give_the_rule_back_and_unmatched_characters_become_error_tokens() -> None:
    rule = "key = v?al"
    tokens = tokenize(rule, _PATTERN, _typed)
    assert "".join(t.text for t in tokens) == rule
    assert tokens == [
        RuleToken("word", "key", 0, 3), RuleToken("whitespace", " ", 3, 4),
        RuleToken("op", "=", 4, 5), RuleToken("whitespace", " ", 5, 6),
        RuleToken("value", "v", 6, 7), RuleToken("error", "?", 7, 8),
        RuleToken("word", "al", 8, 10),
    ]
    assert all(rule[t.start:t.end] == t.text for t in tokens)


def test_an_empty_rule_has_no_tokens() -> None:
    assert tokenize("", _PATTERN, _typed) == []
