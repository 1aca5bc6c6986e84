"""The one description of what a write changed, carried by ``WorkspaceSession.changed``.

Every writer (the annotation editor, the findings panel, the trends panel's events and
price, the diff of the Changes feature, workshop masking, opening a workspace) emits one
``Change``; the tree, inspector, panels and breadcrumb decide for themselves what to
refresh from its flags.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Change:
    objects: bool = False  # configuration objects (an import into the open workspace)
    annotations: bool = False  # notes, tags, statuses
    findings: bool = False  # accepted or reopened findings
    events: bool = False  # settings events (Shared Audiences, notes on the chart)
    price: bool = False  # the price per 1,000 Target calls
    diff: bool = False  # the comparison with the previous import (``session.diff``)
    masking: bool = False  # workshop masking turned on, off or its rules (``session.masker``)
    workspace: bool = False  # another workspace was opened: everything is new

    def __or__(self, other: Change) -> Change:
        return Change(**{f.name: getattr(self, f.name) or getattr(other, f.name)
                         for f in fields(self)})
