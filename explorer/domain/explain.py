"""Plain-words readings of trait and segment rules, for consultants and their clients.

The readings keep the rule's own structure (AND/OR/NOT in capitals, parentheses where the
rule groups) and put words on what a reader has to look up: key prefixes, operators, trait
ids, recency and frequency.
"""

from __future__ import annotations

from collections.abc import Mapping

from explorer.domain.segment_rule import (
    And,
    Frequency,
    Node,
    Not,
    Or,
    RuleSyntaxError,
    TraitRef,
    parse_segment_rule,
    referenced_trait_ids,
)
from explorer.domain.trait_rule import Token, significant, string_value, tokenize_trait_rule

# ---------------------------------------------------------------------------------------------
# Trait rules

_KEY_PREFIXES = (
    ("c_", "customer-defined key"),
    ("d_", "platform key"),
    ("h_", "HTTP header"),
    ("p_", "private key"),
)
_OPERATOR_WORDS = {
    "==": "equals",
    "=": "equals",
    "!=": "does not equal",
    ">": "is greater than",
    "<": "is less than",
    ">=": "is at least",
    "=>": "is at least",
    "<=": "is at most",
    "contains": "contains",
    "matcheswords": "matches the words",
    "startswith": "starts with",
    "endswith": "ends with",
    "matchesregex": "matches the regular expression",
}
_EQUALS = ("==", "=")


def describe_key(key: str) -> str:
    """``c_product`` -> "customer-defined key c_product"; ``ic`` -> "integration code (ic)"."""
    lowered = key.lower()
    if lowered == "ic":
        return "inbound integration code (ic)"
    if lowered == "segid":
        return f"AEP segment ID ({key})"
    for prefix, words in _KEY_PREFIXES:
        if lowered.startswith(prefix):
            # p_ keys are used for the rule, then dropped: say so where the key is named.
            return f"{words} {key} (not stored)" if prefix == "p_" else f"{words} {key}"
    return f"key {key}"


def explain_trait_rule(rule: str | None) -> str:
    """Read a trait rule in plain words, e.g.
    ``Qualifies when: customer-defined key c_product equals "phone"``."""
    if not rule or not rule.strip():
        return "No trait rule."
    tokens = tokenize_trait_rule(rule)
    words = _trait_phrases(significant(tokens))
    text = "Qualifies when: " + " ".join(words)
    errors = [t for t in tokens if t.type == "error"]
    if errors:
        text += (f" (the rule has a syntax problem at character {errors[0].start + 1}: "
                 f"{errors[0].text!r})")
    return text


def _trait_phrases(tokens: list[Token]) -> list[str]:
    phrases: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        comparison = tokens[index:index + 3]
        if _is_comparison(comparison):
            phrases.append(_comparison_phrase(*comparison))
            index += 3
            continue
        phrases.append(_single_token_phrase(token))
        index += 1
    return _glue_parentheses(phrases)


def _is_comparison(tokens: list[Token]) -> bool:
    return (len(tokens) == 3 and tokens[0].type == "key" and tokens[1].type == "operator"
            and tokens[2].type in ("string", "number"))


def _comparison_phrase(key: Token, operator: Token, value: Token) -> str:
    op = operator.text.lower()
    shown = value.text if value.type == "number" else f'"{string_value(value)}"'
    raw = f"{key.text} {operator.text} {value.text}"
    if key.text.lower() == "ic" and op in _EQUALS:
        return f"onboarded via inbound file integration code {shown} ({raw})"
    if key.text.lower() == "segid" and op in _EQUALS:
        return f"the visitor is in AEP segment {shown} (AEP segment ID, AEP audience sharing)"
    return f"{describe_key(key.text)} {_OPERATOR_WORDS.get(op, op)} {shown}"


def _single_token_phrase(token: Token) -> str:
    if token.type == "bool_op":
        return token.text.upper()
    if token.type == "key":
        return describe_key(token.text)
    if token.type == "operator":
        return _OPERATOR_WORDS.get(token.text.lower(), token.text)
    return token.text


def _glue_parentheses(phrases: list[str]) -> list[str]:
    """Join "(" to the phrase after it and ")" to the phrase before it, as people write."""
    glued: list[str] = []
    pending_open = ""
    for phrase in phrases:
        if phrase == "(":
            pending_open += "("
        elif phrase == ")" and glued and not pending_open:
            glued[-1] += ")"
        else:
            glued.append(pending_open + phrase)
            pending_open = ""
    if pending_open:
        glued.append(pending_open)
    return glued


# ---------------------------------------------------------------------------------------------
# Segment rules

_FREQ_WORDS = {">=": "at least", "<=": "at most", "==": "exactly"}


def explain_segment_rule(rule: str | None, trait_names: Mapping[int, str | None]) -> str:
    """Read a segment rule in plain words, naming every trait.

    ``trait_names`` maps trait id -> name for the traits the export contains; any other id
    is called out as missing from the export.
    """
    if not rule or not rule.strip():
        return "No segment rule."
    try:
        root = parse_segment_rule(rule)
    except RuleSyntaxError as exc:
        names = ", ".join(_trait_label(i, trait_names) for i in referenced_trait_ids(rule))
        text = f"Could not read this rule: {exc}."
        return f"{text} It references {names}." if names else text
    return "Qualifies when: the visitor " + _node_words(root, trait_names, parent=None)


def _node_words(node: Node, names: Mapping[int, str | None], parent: type | None) -> str:
    if isinstance(node, TraitRef):
        return f"has trait {_trait_label(node.trait_id, names, bare=True)}"
    if isinstance(node, Frequency):
        return f"has {_frequency_words(node, names)}"
    if isinstance(node, Not):
        if isinstance(node.operand, TraitRef):
            return f"does NOT have trait {_trait_label(node.operand.trait_id, names, bare=True)}"
        return "NOT " + _grouped(_node_words(node.operand, names, Not), node.operand)
    joiner = " AND " if isinstance(node, And) else " OR "
    text = joiner.join(_node_words(child, names, type(node)) for child in node.operands)
    # The reader needs brackets where an OR sits inside an AND or a NOT, as the rule had them.
    return f"({text})" if parent is not None and parent is not type(node) else text


def _grouped(text: str, node: Node) -> str:
    if isinstance(node, And | Or) and not text.startswith("("):
        return f"({text})"
    return text


def _frequency_words(node: Frequency, names: Mapping[int, str | None]) -> str:
    count_word = "qualification" if node.count == 1 else "qualifications"
    traits = ", ".join(_trait_label(i, names) for i in node.trait_ids)
    of = "of" if len(node.trait_ids) == 1 else "of any of"
    text = f"{_FREQ_WORDS.get(node.freq_op, node.freq_op)} {node.count} {count_word} {of} {traits}"
    if node.recency_days is not None:
        text += " " + _recency_words(node.recency_op, node.recency_days)
    return text


def _recency_words(op: str | None, days: int) -> str:
    day_word = "day" if days == 1 else "days"
    if op == ">=":
        return f"at least {days} {day_word} ago"
    return f"within the last {days} {day_word}"


def _trait_label(trait_id: int, names: Mapping[int, str | None], *,
                 bare: bool = False) -> str:
    """"'Name' (id)", or "trait id (missing from the export)" (without "trait " when ``bare``,
    for phrases that already say "trait")."""
    name = names.get(trait_id)
    if name is None:
        word = "" if bare else "trait "
        return f"{word}{trait_id} (missing from the export)"
    return f"'{name}' ({trait_id})"
