"""Where the findings panel always lived; it is now the ``explorer.ui.findings`` package."""

from explorer.ui.findings import (
    ACCEPTED_GROUP,
    FINDING_ROLE,
    GROUP_KEY_ROLE,
    PAGE_SIZE,
    SEVERITY_COLOURS,
    FindingsModel,
    FindingsPanel,
    severity_icon,
)

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
