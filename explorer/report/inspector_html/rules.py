"""Rules as the inspector shows them: a trait expression highlighted, a segment rule
with every ``NNNT`` reference named and linked, and the table of referenced traits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from explorer.domain.segment_rule import tokenize_segment_rule
from explorer.domain.trait_rule import tokenize_trait_rule
from explorer.report.inspector_html.markup import (
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
        if token.type == "trait":
            trait_id = int(token.text[:-1])
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
    if len(references) <= limit:
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
        body += para(f'{muted("In plain words:")} {esc(explained)}', "plain")
    missing = [r for r in references if r.get("missing")]
    if missing:
        ids = ", ".join(f"{r['id']}T" for r in missing[:limit])
        more = f" and {len(missing) - limit:,} more" if len(missing) > limit else ""
        body += para(missing_mark(
            f"{len(missing)} referenced trait(s) missing from export: {ids}{more}"))
    if references:
        body += _references_table(references, limit)
    return section("Segment rule", body)


def usage_words(reference: Mapping[str, Any]) -> str:
    words = []
    if reference.get("in_frequency"):
        words.append("recency/frequency")
    if reference.get("negated"):
        words.append("excluded (NOT)")
    return ", ".join(words)
