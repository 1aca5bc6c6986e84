"""How far an audience reaches: population figures from the export, and how it is
shared (created by AEP audience sharing; reaching Adobe Target).
"""

from __future__ import annotations

from explorer.analysis.object_view import period_label, population_metrics, population_periods
from explorer.kinds import KINDS
from explorer.report.inspector_html.markup import (
    Details,
    esc,
    first_value,
    grid,
    number_text,
    para,
    section,
)


def population_section(details: Details) -> str:
    metrics = population_metrics(details.get("raw") or {})
    if not metrics:
        return ""
    periods = population_periods(metrics)
    headers = ["", *(period_label(p) for p in periods)]
    rows = [[f'<span class="muted">{esc(family)}</span>',
             *(number_text(values.get(p, "")) for p in periods)]
            for family, values in metrics.items()]
    return section("Population (from the export)", grid(headers, rows))


def sharing_section(details: Details) -> str:
    parts = [_aep_sharing(details), _target_sharing(details)]
    body = "".join(p for p in parts if p)
    return section("Sharing", body) if body else ""


def _aep_sharing(details: Details) -> str:
    if not details.get("from_aep"):
        return ""
    kind_label = KINDS[details["kind"]].label.lower() if details.get("kind") in KINDS else "object"
    code = first_value(details, "integration_code", "integrationCode")
    facts = [f"This {esc(kind_label)} was created by Adobe Experience Platform audience sharing."]
    if code:
        facts.append(f"Its integration code is the AEP segment ID <code>{esc(code)}</code>.")
    if details.get("kind") == "trait":
        facts.append("It qualifies on the signal <code>segid</code> that AEP sends.")
    elif details.get("kind") == "segment":
        facts.append("AEP merge policies, not AAM merge rules, decide its population.")
    facts.append("Change it in AEP, not in Audience Manager.")
    return para(" ".join(facts))


_TARGET_BADGE = {"enabled": "Adobe Target: shared", "disabled": "Adobe Target: not shared",
                 "unknown": "Adobe Target: unknown", "not-via-destination": "Adobe Target"}


def _target_sharing(details: Details) -> str:
    """From explorer.analysis.sharing.target_sharing_for, part of the object view."""
    sharing = details.get("target_sharing")
    if not sharing:
        return ""
    label = _TARGET_BADGE.get(sharing.get("target"), "Adobe Target")
    notes = "".join(f"<li>{esc(n)}</li>" for n in sharing.get("notes") or [])
    return (para(f"<b>{esc(label)}.</b> {esc(sharing.get('summary') or '')}")
            + (f"<ul>{notes}</ul>" if notes else ""))
