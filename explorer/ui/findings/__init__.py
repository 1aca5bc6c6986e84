"""The findings panel (``FindingsPanel``) and its lazy item model (``FindingsModel``)."""

from explorer.ui.findings.model import (
    ACCEPTED_GROUP,
    FINDING_ROLE,
    GROUP_KEY_ROLE,
    PAGE_SIZE,
    SEVERITY_COLOURS,
    FindingsModel,
    severity_icon,
)
from explorer.ui.findings.panel import FindingsPanel

__all__ = [
    "ACCEPTED_GROUP",
    "FINDING_ROLE",
    "GROUP_KEY_ROLE",
    "PAGE_SIZE",
    "SEVERITY_COLOURS",
    "FindingsModel",
    "FindingsPanel",
    "severity_icon",
]
