"""Rules as the inspector shows them: a trait expression highlighted; a segment rule as an
indented AND/OR/NOT tree like AAM's segment builder (each trait named, linked and with its
status, type, TTL and 30-day uniques), its code and its plain-words reading, one line per group.
A rule the parser refuses, or one too long to draw, keeps its code with the traits named inline
and the table of referenced traits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from explorer.domain.rule_structure import RuleNode, rule_structure
from explorer.domain.segment_rule import RuleSyntaxError, tokenize_segment_rule
from explorer.domain.trait_rule import tokenize_trait_rule
from explorer.report.inspector_html.identity import TRAIT_TYPES
from explorer.report.inspector_html.markup import (
    COLLAPSED_LIST_ROWS,
    EXPAND_LISTS_URL,
    LIST_LIMIT,
    Details,
    code_block,
    esc,
    first_value,
    grid_dropping_empty_last,
    limited,
    link,
    missing_mark,
    muted,
    para,
    section,
)
from explorer.report.inspector_html.themes import LIGHT, Theme


def highlight_trait_rule(rule: str, theme: Theme = LIGHT) -> str:
    """A trait expression as coloured, escaped HTML (keys, operators, strings, numbers)."""
    colours = {"key": theme.key, "operator": theme.operator, "string": theme.string,
               "number": theme.number}
    parts: list[str] = []
    for token in tokenize_trait_rule(rule):
        text = esc(token.text)
        if token.type in colours:
            parts.append(f'<span style="color:{colours[token.type]};">{text}</span>')
        elif token.type == "bool_op":
            parts.append(f"<b>{text}</b>")
        elif token.type == "error":
            parts.append(f'<span style="color:{theme.error}; text-decoration:underline;">'
                         f"{text}</span>")
        else:
            parts.append(text)
    return "".join(parts)


def _linked_segment_rule(rule: str, references: Sequence[Mapping[str, Any]]) -> str:
    """The segment rule with every ``NNNT`` shown as the trait's name (a link) and its id."""
    by_id = {int(r["id"]): r for r in references if r.get("id") is not None}
    parts: list[str] = []
    for token in tokenize_segment_rule(rule):
        digits = token.text[:-1].lstrip("0") or "0"
        # A number too long to be a trait id stays text (int() of it could even raise).
        if token.type == "trait" and len(digits) <= 19:
            trait_id = int(digits)
            ref = by_id.get(trait_id, {})
            parts.append(_reference_inline(trait_id, ref))
        elif token.type in ("and", "or", "not", "frequency"):
            parts.append(f"<b>{esc(token.text)}</b>")
        else:
            parts.append(esc(token.text))
    return "".join(parts)


def _reference_inline(trait_id: int, ref: Mapping[str, Any]) -> str:
    if ref.get("missing") or not ref.get("name"):
        return (f'<span class="missing">{esc(trait_id)}T (missing from export)</span>')
    return f'{link("trait", trait_id, ref["name"])} {muted(f"{trait_id}T")}'


def _references_table(references: Sequence[Mapping[str, Any]], limit: int) -> str:
    shown, more = limited(references, limit)
    rows = []
    for ref in shown:
        if ref.get("missing"):
            name = missing_mark()
        else:
            name = link("trait", ref["id"], ref.get("name") or f"Trait {ref['id']}")
        rows.append([link("trait", ref["id"], ref["id"]), name, esc(usage_words(ref))])
    return grid_dropping_empty_last(("Trait ID", "Name", "Used as"), rows) + more


def trait_rule_section(details: Details, theme: Theme) -> str:
    rule = first_value(details, "rule", "traitRule")
    explained = details.get("trait_rule_explained")
    if not rule and not explained:
        return ""
    body = code_block(highlight_trait_rule(str(rule), theme)) if rule else ""
    if explained:
        body += para(f'{muted("In plain words:")} {esc(explained)}', "plain")
    return section("Trait expression", body)


def segment_rule_section(details: Details, limit: int) -> str:
    rule = first_value(details, "segment_rule", "rule", "segmentRule")
    if not rule:
        return ""
    references = details.get("rule_references") or []
    # A tree row costs Qt about as much as a list row: past a list's first rows, the code.
    drawable = len(references) <= min(limit, COLLAPSED_LIST_ROWS)
    tree = _tree_or_none(str(rule)) if drawable else None
    if tree is not None:
        by_id = {int(r["id"]): r for r in references if r.get("id") is not None}
        body = rule_structure_html(tree, by_id)
        body += para(muted("Code view:")) + code_block(esc(rule))
    elif len(references) <= limit:
        body = code_block(_linked_segment_rule(str(rule), references))
    else:
        # Names inline cost three text fragments per reference; a rule with hundreds of
        # traits would take Qt over 100 ms to lay out. The table below names them instead.
        body = code_block(esc(rule))
        note = muted(f"This rule references {len(references):,} traits; the table below "
                     "names them.")
        if limit < LIST_LIMIT:
            note += f' &nbsp;<a href="{esc(EXPAND_LISTS_URL)}">show all</a>'
        body += para(note)
    explained = details.get("segment_rule_explained")
    if explained:
        body += reading_html(str(explained))
    missing = [r for r in references if r.get("missing")]
    if missing:
        ids = ", ".join(f"{r['id']}T" for r in missing[:limit])
        more = f" and {len(missing) - limit:,} more" if len(missing) > limit else ""
        body += para(missing_mark(
            f"{len(missing)} referenced trait(s) missing from export: {ids}{more}"))
    if references and tree is None:
        body += _references_table(references, limit)
    return section("Segment rule", body)


def _tree_or_none(rule: str) -> RuleNode | None:
    try:
        return rule_structure(rule)
    except RuleSyntaxError:
        return None


# Pixels each level of the tree and of the reading is indented by, up to a depth past which
# a pathological rule (100 levels) would push its text off the page.
_INDENT_PX = 22
_MAX_INDENTED_DEPTH = 12


def _indented_row(depth: int, html: str) -> str:
    pixels = min(depth, _MAX_INDENTED_DEPTH) * _INDENT_PX
    return f'<tr><td style="padding-left:{pixels}px;">{html}</td></tr>'

_GROUP_WORDS = {"and": "<b>ALL</b> of", "or": "<b>ANY</b> of"}
_NOT_GROUP_WORDS = {"and": "<b>NOT ALL</b> of", "or": "<b>NONE</b> of"}
_JOINER_HTML = {"and": "<b>AND</b> ", "or": "<b>OR</b> "}
_FREQUENCY_OPS = {">=": "at least", "<=": "at most", "==": "exactly"}


def rule_structure_html(tree: RuleNode, references: Mapping[int, Mapping[str, Any]]) -> str:
    """The rule as the segment builder draws it: one row per group, trait and frequency
    clause, indented by depth; the members of a group after the first led by its AND or OR."""
    rows = _tree_rows(tree, references, 0, "")
    cells = "".join(_indented_row(depth, html) for depth, html in rows)
    return f'<table class="ruletree" cellspacing="0" cellpadding="2">{cells}</table>'


def _tree_rows(node: RuleNode, refs: Mapping[int, Mapping[str, Any]], depth: int, lead: str
               ) -> list[tuple[int, str]]:
    if node.kind == "trait":
        return [(depth, lead + _trait_html(node.trait_ids[0], refs))]
    if node.kind == "frequency":
        return _frequency_rows(node, refs, depth, lead)
    if node.kind == "not":
        inner = node.children[0]
        if inner.kind in ("trait", "frequency"):
            return _tree_rows(inner, refs, depth, lead + "<b>NOT</b> ")
        header = _NOT_GROUP_WORDS[inner.kind]
        return [(depth, lead + header), *_member_rows(inner, refs, depth + 1)]
    return [(depth, lead + _GROUP_WORDS[node.kind]), *_member_rows(node, refs, depth + 1)]


def _member_rows(group: RuleNode, refs: Mapping[int, Mapping[str, Any]], depth: int
                 ) -> list[tuple[int, str]]:
    rows: list[tuple[int, str]] = []
    for index, child in enumerate(group.children):
        rows += _tree_rows(child, refs, depth, _JOINER_HTML[group.kind] if index else "")
    return rows


def _frequency_rows(node: RuleNode, refs: Mapping[int, Mapping[str, Any]], depth: int,
                    lead: str) -> list[tuple[int, str]]:
    clause = node.frequency
    assert clause is not None
    times = "time" if clause.count == 1 else "times"
    words = f"{_FREQUENCY_OPS.get(clause.freq_op, clause.freq_op)} {clause.count:,} {times}"
    if clause.recency_days is not None:
        days = f"{clause.recency_days:,} day{'' if clause.recency_days == 1 else 's'}"
        words += (f" at least {days} ago" if clause.recency_op == ">="
                  else f" within the last {days}")
    if len(clause.trait_ids) == 1:
        header = f"<b>frequency</b> {esc(words)}:"
    else:
        header = f"<b>frequency</b> {esc(words)} in total across:"
    trait_rows = [(depth + 1, ("<b>OR</b> " if index else "") + _trait_html(trait_id, refs))
                  for index, trait_id in enumerate(clause.trait_ids)]
    return [(depth, lead + header), *trait_rows]


def _trait_html(trait_id: int, refs: Mapping[int, Mapping[str, Any]]) -> str:
    """A trait's name (a link) and id, kept on one line, then its facts."""
    ref = refs.get(trait_id, {})
    if ref.get("missing") or not ref.get("name"):
        return _unbroken(f'<span class="missing">{esc(trait_id)}T (missing from export)</span>')
    label = f'{link("trait", trait_id, ref["name"])} {muted(f"{trait_id}T")}'
    return _unbroken(label) + " " + muted("· " + _trait_facts(ref))


def _unbroken(html: str) -> str:
    # Qt's rich text and browsers both keep a nowrap span on one line (unless it alone is
    # wider than the view); the text itself keeps its spaces, so search and copy find it.
    return f'<span style="white-space:nowrap;">{html}</span>'


def _trait_facts(ref: Mapping[str, Any]) -> str:
    facts = []
    if ref.get("status"):
        facts.append(str(ref["status"]))
    trait_type = ref.get("trait_type")
    if trait_type:
        facts.append(TRAIT_TYPES.get(str(trait_type), str(trait_type)))
    ttl = ref.get("ttl")
    if not isinstance(ttl, int):
        facts.append("TTL not in this export")
    else:
        facts.append("TTL 0 (never expires)" if ttl == 0 else f"TTL {ttl:,} days")
    uniques = ref.get("uniques_30_day")
    if isinstance(uniques, int | float) and not isinstance(uniques, bool):
        facts.append(f"30-day uniques {uniques:,.0f}")
    else:
        facts.append("30-day uniques not in this export")
    return " · ".join(facts)


# A trait as the reading names it: 'Name' (id).
_NAMED_TRAIT_RE = re.compile(r"'[^'\n]*' \(\d+\)")


def _names_unbroken(text: str) -> str:
    """Escaped text in which no line breaks inside a named trait."""
    parts, last = [], 0
    for match in _NAMED_TRAIT_RE.finditer(text):
        parts.append(esc(text[last:match.start()]))
        parts.append(_unbroken(esc(match.group())))
        last = match.end()
    parts.append(esc(text[last:]))
    return "".join(parts)


def reading_html(explained: str) -> str:
    """The plain-words reading, one line per group, each indented as its leading spaces say
    (``explain_segment_rule`` indents by two spaces a level)."""
    rows = []
    for line in explained.split("\n"):
        text = line.lstrip(" ")
        depth = (len(line) - len(text)) // 2
        rows.append(_indented_row(depth, _names_unbroken(text)))
    return (para(muted("In plain words:"), "plain")
            + f'<table class="reading" cellspacing="0" cellpadding="1">{"".join(rows)}</table>')


def usage_words(reference: Mapping[str, Any]) -> str:
    words = []
    if reference.get("in_frequency"):
        words.append("recency/frequency")
    if reference.get("negated"):
        words.append("excluded (NOT)")
    return ", ".join(words)
