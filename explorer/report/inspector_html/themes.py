"""The inspector's colours (light, dark, high contrast) and its stylesheet.

Syntax colours come from the Okabe-Ito palette, chosen to stay apart for colour-blind
readers; the stylesheet keeps to the Qt rich-text subset (no variables, no flexbox).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    """Colours of the rendered page. Syntax colours come from the Okabe-Ito palette."""

    text: str
    muted: str
    rule_line: str
    code_background: str
    link: str
    key: str = "#0072B2"
    operator: str = "#D55E00"
    string: str = "#009E73"
    number: str = "#CC79A7"
    error: str = "#D55E00"
    missing: str = "#C0392B"
    badge_text: str = "#FFFFFF"
LIGHT = Theme(text="#1F2328", muted="#656D76", rule_line="#D8DEE4",
              code_background="#F3F5F7", link="#0B5CAD")
DARK = Theme(text="#E6EDF3", muted="#9AA4AE", rule_line="#3A424B",
             code_background="#262C33", link="#6CB6FF",
             key="#56B4E9", operator="#F0A04B", string="#3CC8A0", number="#E19AC6",
             error="#FF7B72", missing="#FF7B72")
# Workshop projectors: white on black, Okabe-Ito colours chosen for contrast on black.
HIGH_CONTRAST = Theme(text="#FFFFFF", muted="#D8D8D8", rule_line="#FFFFFF",
                      code_background="#161616", link="#56B4E9", key="#56B4E9",
                      operator="#E69F00", string="#33D6A6", number="#F0A8D0",
                      error="#F0E442", missing="#F0E442", badge_text="#FFFFFF")

SEVERITY_COLOURS = {"error": "#D55E00", "high": "#D55E00", "warning": "#E69F00",
                    "medium": "#E69F00", "info": "#0072B2", "low": "#0072B2"}
STATUS_COLOURS = {"ACTIVE": "#009E73", "INACTIVE": "#6E7781", "DELETED": "#D55E00"}
AEP_BADGE_COLOUR = "#5A3E9B"


def stylesheet(theme: Theme = LIGHT) -> str:
    """CSS for the fragment (Qt rich-text subset: no variables, no flexbox)."""
    return f"""
body {{ color: {theme.text}; }}
h1 {{ font-size: x-large; font-weight: 600; margin-top: 0px; margin-bottom: 2px; }}
table.section {{ border-collapse: collapse; margin-top: 18px; margin-bottom: 5px; }}
table.section td {{ font-size: large; font-weight: 600; padding-bottom: 3px;
                    border-bottom: 1px solid {theme.rule_line}; }}
p {{ margin-top: 3px; margin-bottom: 3px; }}
p.meta {{ color: {theme.muted}; margin-bottom: 8px; }}
p.plain {{ margin-top: 6px; }}
a {{ color: {theme.link}; text-decoration: none; }}
a.toggle {{ font-size: small; font-weight: normal; }}
.muted {{ color: {theme.muted}; }}
.missing {{ color: {theme.missing}; font-weight: 600; }}
code {{ font-family: monospace; }}
pre {{ font-family: monospace; margin: 0px; white-space: pre-wrap; }}
table.code {{ background-color: {theme.code_background}; margin-top: 2px; }}
table.fields {{ margin-top: 6px; }}
table.fields td {{ vertical-align: top; }}
table.fields td.label {{ color: {theme.muted}; padding-right: 18px; white-space: nowrap; }}
table.grid {{ border-collapse: collapse; margin-top: 6px; }}
table.grid th {{ color: {theme.muted}; font-weight: 600; text-align: left;
                 padding-right: 14px; border-bottom: 1px solid {theme.rule_line}; }}
table.grid td {{ padding-right: 14px; vertical-align: top; }}
span.raw {{ font-family: monospace; }}
ul {{ margin-top: 2px; margin-bottom: 2px; -qt-list-indent: 1; }}
"""
