"""The inspector's colours (light, dark, high contrast) and its stylesheet.

Syntax colours come from the Okabe-Ito palette, chosen to stay apart for colour-blind
readers; the stylesheet keeps to the Qt rich-text subset (no variables, no flexbox).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    """Colours of the rendered page: every text colour reads at least 4.5:1 (WCAG AA) on
    ``background``, the page colour the inspector shows it on (tests measure it)."""

    text: str
    muted: str
    rule_line: str
    code_background: str
    link: str
    background: str = "#FFFFFF"
    key: str = "#0072B2"
    operator: str = "#B34700"
    string: str = "#007A59"
    number: str = "#A8407F"
    error: str = "#B3261E"
    missing: str = "#C0392B"
    badge_text: str = "#FFFFFF"
    severity_error: str = "#B3261E"
    severity_warning: str = "#8A5300"
    severity_info: str = "#005A9C"

    def text_colours(self) -> dict[str, str]:
        """Every colour this theme draws text in on its background, by name."""
        return {name: getattr(self, name) for name in (
            "text", "muted", "link", "key", "operator", "string", "number", "error",
            "missing", "severity_error", "severity_warning", "severity_info")}

    def severity_colour(self, severity: str) -> str:
        """The text colour of a finding's severity word (error, warning, info)."""
        level = SEVERITY_LEVELS.get(severity.lower(), "info")
        return str(getattr(self, f"severity_{level}"))


# Syntax colours: the Okabe-Ito hues, darkened on white until they read at 4.5:1.
LIGHT = Theme(text="#1F2328", muted="#656D76", rule_line="#D8DEE4",
              code_background="#F3F5F7", link="#0B5CAD")
DARK = Theme(text="#E6EDF3", muted="#9AA4AE", rule_line="#3A424B",
             code_background="#262C33", link="#6CB6FF", background="#17191C",
             key="#56B4E9", operator="#F0A04B", string="#3CC8A0", number="#E19AC6",
             error="#FF7B72", missing="#FF7B72", severity_error="#FF7B72",
             severity_warning="#F0B44B", severity_info="#6CB6FF")
# Workshop projectors: white on black, Okabe-Ito colours chosen for contrast on black.
HIGH_CONTRAST = Theme(text="#FFFFFF", muted="#D8D8D8", rule_line="#FFFFFF",
                      code_background="#161616", link="#56B4E9", background="#000000",
                      key="#56B4E9", operator="#E69F00", string="#33D6A6", number="#F0A8D0",
                      error="#F0E442", missing="#F0E442", badge_text="#FFFFFF",
                      severity_error="#FF8A80", severity_warning="#F0E442",
                      severity_info="#56B4E9")
THEMES_BY_NAME = {"light": LIGHT, "dark": DARK, "high-contrast": HIGH_CONTRAST}

# Severity words of the checks (and older synonyms) -> the three levels badges distinguish.
SEVERITY_LEVELS = {"error": "error", "high": "error", "warning": "warning",
                   "medium": "warning", "info": "info", "low": "info"}
# Fills behind white text (badges, icons): each reads at 4.5:1 or more with white on it.
SEVERITY_COLOURS = {"error": "#B3261E", "high": "#B3261E", "warning": "#8A5300",
                    "medium": "#8A5300", "info": "#005A9C", "low": "#005A9C"}
STATUS_COLOURS = {"ACTIVE": "#00704F", "INACTIVE": "#595959", "DELETED": "#A33A00"}
STATUS_OTHER_COLOUR = "#595959"
AEP_BADGE_COLOUR = "#5A3E9B"


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    code = colour.lstrip("#")
    channels = [int(code[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


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
