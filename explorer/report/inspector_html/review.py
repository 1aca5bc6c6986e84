"""The sections every kind can have at the bottom: what changed since an earlier
import, findings about the object, the user's annotation, and all raw export fields.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from explorer.analysis.diff import describe_placement, field_label, rule_diff_parts
from explorer.report.inspector_html.markup import (
    TOGGLE_ALL_FIELDS_URL,
    Details,
    date_text,
    esc,
    grid,
    heading,
    muted,
    para,
    rows_table,
    section,
)
from explorer.report.inspector_html.themes import SEVERITY_LEVELS, Theme


def changes_section(details: Details, theme: Theme) -> str:
    """"Changed since import N": each changed field's previous value beside its current one
    (rules as a word diff), and a move's old and new place. ``details["changes"]`` is
    ``{"since", "status", "fields": {FIELD: [OLD, NEW]}, "moved_from", "moved_to"}``."""
    changes = details.get("changes")
    if not isinstance(changes, Mapping):
        return ""
    since = str(changes.get("since") or "the previous import")
    if changes.get("status") == "added":
        return section(f"New since {since}", para(muted("Not in the earlier import.")))
    rows = []
    for column, (old, new) in (changes.get("fields") or {}).items():
        if column == "rule":
            old_html, new_html = _rule_change_html(old, new, theme)
        else:
            old_html, new_html = _change_value(old), _change_value(new)
        rows.append((esc(field_label(column)), old_html, new_html))
    moved_from, moved_to = changes.get("moved_from"), changes.get("moved_to")
    if isinstance(moved_from, Mapping) and isinstance(moved_to, Mapping):
        rows.append(("Place", esc(describe_placement(dict(moved_from))),
                     esc(describe_placement(dict(moved_to)))))
    if not rows:
        return ""
    return section(f"Changed since {since}", grid(("Field", "Previous", "Current"), rows))


def _change_value(value: object) -> str:
    return muted("(empty)") if value is None or value == "" else esc(value)


def _rule_change_html(old: object, new: object, theme: Theme) -> tuple[str, str]:
    """The old rule with removed words struck through, the new one with added words marked."""
    removed = f"color:{theme.error}; text-decoration:line-through; font-weight:600;"
    added = f"color:{theme.string}; font-weight:600;"
    old_parts, new_parts = [], []
    for op, text in rule_diff_parts(None if old is None else str(old),
                                    None if new is None else str(new)):
        if op in "=-":
            old_parts.append(esc(text) if op == "=" else _styled(removed, text))
        if op in "=+":
            new_parts.append(esc(text) if op == "=" else _styled(added, text))
    return (f"<code>{''.join(old_parts)}</code>" if old else _change_value(old),
            f"<code>{''.join(new_parts)}</code>" if new else _change_value(new))


def _styled(style: str, text: str) -> str:
    return f'<span style="{style}">{esc(text)}</span>'


# One shape per severity level, the same as the badges of the tree and list icons.
SEVERITY_MARKS = {"error": "\u25cf", "warning": "\u25b2", "info": "\u25a0"}


def severity_mark(severity: str, theme: Theme) -> str:
    """The severity's shape and word in its colour: "▲ WARNING"."""
    level = SEVERITY_LEVELS.get(severity.lower(), "info")
    return (f'<span style="color:{theme.severity_colour(level)}; font-weight:600;">'
            f"{SEVERITY_MARKS[level]} {esc(severity.upper())}</span>")


def findings_section(details: Details, theme: Theme) -> str:
    findings = details.get("findings") or []
    if not findings:
        return ""
    items = []
    for finding in findings:
        severity = str(finding.get("severity") or "info")
        check = finding.get("check_id") or ""
        accepted = " " + muted("(accepted)") if finding.get("accepted") else ""
        items.append(f"<li>{severity_mark(severity, theme)} {esc(finding.get('message'))} "
                     f"{muted(f'[{check}]') if check else ''}{accepted}</li>")
    return section(f"Findings ({len(findings)})", f"<ul>{''.join(items)}</ul>")


def field_findings(details: Details, field: str, theme: Theme) -> str:
    """The findings whose detail names ``field`` (``folder_id``, ``integration_code``...), as
    short marks to show beside that field; "" when there are none."""
    marks = []
    for finding in details.get("findings") or []:
        detail = finding.get("detail")
        if isinstance(detail, Mapping) and field in detail and not finding.get("accepted"):
            marks.append(f"{severity_mark(str(finding.get('severity') or 'info'), theme)} "
                         f"{muted(finding.get('message'))}")
        if len(marks) >= 2:
            break
    return "<br>".join(marks)


def annotation_section(details: Details) -> str:
    annotation = details.get("annotation")
    if not annotation:
        return ""
    tags = annotation.get("tags") or []
    if isinstance(tags, str):
        try:
            tags = json.loads(tags)
        except ValueError:
            tags = [tags]
    note = esc(annotation.get("note") or "").replace("\n", "<br>")
    rows = [("Review status", esc(annotation.get("status") or "")),
            ("Tags", esc(", ".join(map(str, tags)))),
            ("Note", note),
            ("Updated", date_text(annotation.get("updated")))]
    return section("Annotation", rows_table(rows))


def all_fields_section(raw: Mapping[str, Any], expanded: bool, toggle: bool) -> str:
    title = f"All fields ({len(raw)})"
    toggle_link = ""
    if toggle:
        word = "Hide" if expanded else "Show"
        toggle_link = (f'&nbsp;&nbsp;<a class="toggle" href="{esc(TOGGLE_ALL_FIELDS_URL)}">'
                       f"{word}</a>")
    title_html = heading(f"{esc(title)}{toggle_link}")
    if not expanded:
        return title_html
    rows = [(str(key), f'<span class="raw">{esc(_raw_value(value))}</span>')
            for key, value in raw.items()]
    cells = "".join(f'<tr><td class="label">{esc(k)}</td><td>{v}</td></tr>' for k, v in rows)
    return title_html + f'<table class="fields" cellspacing="0" cellpadding="3">{cells}</table>'


def _raw_value(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
