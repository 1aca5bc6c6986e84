"""Plain-words readings of trait and segment rules, for consultants and their clients.

The readings keep the rule's own structure (AND/OR/NOT in capitals; a trait rule's
parentheses as written, a segment rule's groups one per line, indented as in AAM's segment
builder) and put words on what a reader has to look up: key prefixes, operators, trait ids,
recency and frequency. A rule that is not well formed is said to be unreadable, with why.
"""

from __future__ import annotations

from collections.abc import Mapping

from explorer.domain.rule_structure import RuleNode, rule_structure
from explorer.domain.segment_rule import RuleSyntaxError, referenced_trait_ids
from explorer.domain.trait_rule import (
    Token,
    check_trait_rule,
    significant,
    string_value,
    tokenize_trait_rule,
)

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
    ``Qualifies when: customer-defined key c_product equals "phone"``; a rule that is not
    well formed is never read as if it were: the text says it cannot be read, and why."""
    if not rule or not rule.strip():
        return "No trait rule."
    try:
        check_trait_rule(rule)
    except RuleSyntaxError as exc:
        return f"Could not read this rule: {exc}."
    words = _trait_phrases(significant(tokenize_trait_rule(rule)))
    return "Qualifies when: " + " ".join(words)


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
_GROUP_HEADERS = {"and": "meets all of these:", "or": "meets at least one of these:"}
_NOT_GROUP_HEADERS = {"and": "does NOT meet all of these:", "or": "meets NONE of these:"}
_JOINERS = {"and": "AND", "or": "OR"}
INDENT = "  "


def explain_segment_rule(rule: str | None, trait_names: Mapping[int, str | None]) -> str:
    """Read a segment rule in plain words, naming every trait: one line per group, each
    nested group indented by two spaces more (see ``segment_reading``).

    ``trait_names`` maps trait id -> name for the traits the export contains; any other id
    is called out as missing from the export.
    """
    return "\n".join(INDENT * depth + text for depth, text in segment_reading(rule, trait_names))


def segment_reading(rule: str | None, trait_names: Mapping[int, str | None]
                    ) -> list[tuple[int, str]]:
    """The plain-words reading as (depth, text) lines, following the rule's tree: a group of
    single traits or clauses is one line; a group holding groups gets a line per member, the
    members after the first led by the group's AND or OR. Never fails."""
    if not rule or not rule.strip():
        return [(0, "No segment rule.")]
    try:
        root = rule_structure(rule)
    except RuleSyntaxError as exc:
        names = ", ".join(_trait_label(i, trait_names) for i in referenced_trait_ids(rule))
        text = f"Could not read this rule: {exc}."
        return [(0, f"{text} It references {names}." if names else text)]
    lead = "Qualifies when: the visitor"
    if root.is_leaf:
        return [(0, f"{lead} {_leaf_words(root, trait_names)}")]
    if root.is_flat_group:
        return [(0, f"{lead} {_flat_words(root, trait_names)}")]
    if root.kind == "not":
        return [(0, lead), *_lines(root, trait_names, 1, "")]
    return [(0, lead), *_member_lines(root, trait_names, 1)]


def _lines(node: RuleNode, names: Mapping[int, str | None], depth: int, lead: str
           ) -> list[tuple[int, str]]:
    if node.is_leaf:
        return [(depth, lead + _leaf_words(node, names))]
    if node.is_flat_group:
        return [(depth, f"{lead}({_flat_words(node, names)})")]
    if node.kind == "not":
        group = node.children[0]
        if group.is_flat_group:
            return [(depth, f"{lead}NOT ({_flat_words(group, names)})")]
        header = _NOT_GROUP_HEADERS[group.kind]
        return [(depth, lead + header), *_member_lines(group, names, depth + 1)]
    return [(depth, lead + _GROUP_HEADERS[node.kind]), *_member_lines(node, names, depth + 1)]


def _member_lines(group: RuleNode, names: Mapping[int, str | None], depth: int
                  ) -> list[tuple[int, str]]:
    joiner = _JOINERS[group.kind] + " "
    lines: list[tuple[int, str]] = []
    for index, child in enumerate(group.children):
        lines += _lines(child, names, depth, joiner if index else "")
    return lines


def _flat_words(group: RuleNode, names: Mapping[int, str | None]) -> str:
    joiner = f" {_JOINERS[group.kind]} "
    return joiner.join(_leaf_words(child, names) for child in group.children)


def _leaf_words(node: RuleNode, names: Mapping[int, str | None]) -> str:
    if node.kind == "not":
        inner = node.children[0]
        if inner.kind == "trait":
            return f"does NOT have trait {_trait_label(inner.trait_ids[0], names, bare=True)}"
        return f"does NOT have {_frequency_words(inner, names)}"
    if node.kind == "trait":
        return f"has trait {_trait_label(node.trait_ids[0], names, bare=True)}"
    return f"has {_frequency_words(node, names)}"


def _frequency_words(node: RuleNode, names: Mapping[int, str | None]) -> str:
    clause = node.frequency
    assert clause is not None
    count_word = "qualification" if clause.count == 1 else "qualifications"
    labels = [_trait_label(i, names) for i in clause.trait_ids]
    if len(labels) == 1:
        traits = f"of {labels[0]}"
    else:
        # AAM counts the qualifications of the listed traits together, not each on its own.
        traits = f"in total across {', '.join(labels[:-1])} or {labels[-1]}"
    quantity = _FREQ_WORDS.get(clause.freq_op, clause.freq_op)
    text = f"{quantity} {clause.count:,} {count_word} {traits}"
    if clause.recency_days is not None:
        text += " " + _recency_words(clause.recency_op, clause.recency_days)
    return text


def _recency_words(op: str | None, days: int) -> str:
    day_word = "day" if days == 1 else "days"
    if op == ">=":
        return f"at least {days:,} {day_word} ago"
    return f"within the last {days:,} {day_word}"


def _trait_label(trait_id: int, names: Mapping[int, str | None], *,
                 bare: bool = False) -> str:
    """"'Name' (id)", or "trait id (missing from the export)" (without "trait " when ``bare``,
    for phrases that already say "trait")."""
    name = names.get(trait_id)
    if name is None:
        word = "" if bare else "trait "
        return f"{word}{trait_id} (missing from the export)"
    return f"'{name}' ({trait_id})"
