"""What an import tells its caller: problems, progress, the report, and why it stopped."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from explorer.domain.gaps import Gap


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows.

    ``record`` is a label such as ``record 3 (sid 1000003)`` or ``line 7``; ``field`` is the
    JSON key (or CSV column) at fault. Any of the three locators may be None.
    """

    file: str | None
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.file, self.record, f"field {self.field!r}" if self.field else None]
        located = ": ".join(p for p in parts if p)
        text = f"{located}: {self.message}" if located else self.message
        return " ".join(text.split())  # always one line, whatever the input contained

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "text": str(self)}


@dataclass(frozen=True)
class Progress:
    """A progress step: ``stage`` is one of STAGES; ``done``/``total`` count within it."""

    stage: str
    done: int
    total: int
    message: str = ""


# The stages an import goes through, in order (a progress callback sees each one).
STAGES = ("open", "read", "folders", "references", "search", "findings", "commit")


@dataclass
class FileSummary:
    """What the importer made of one input file."""

    name: str
    kind: str  # a KIND word, "usage", "setting-events", or "ignored"
    records: int = 0
    skipped: int = 0
    # Copies of objects already loaded from this or another file (one object, not skipped).
    duplicates: int = 0
    # Why an ignored file was ignored, when that is not a problem (litter, XDM form).
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ImportReport:
    """The outcome of an import (also stored as JSON in the ``imports`` table)."""

    source: str = ""
    strict: bool = False
    partner_id: int | None = None
    export_date: str | None = None
    export_date_overridden: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    files: list[FileSummary] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    # Informational lines: normal facts worth knowing, never a problem (strict ignores them).
    notes: list[str] = field(default_factory=list)
    # What the export lacks (explorer.domain.gaps), stored with the import.
    gaps: list[Gap] = field(default_factory=list)
    import_id: int | None = None
    new_workspace: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "strict": self.strict,
            "partner_id": self.partner_id,
            "export_date": self.export_date,
            "export_date_overridden": self.export_date_overridden,
            "counts": dict(self.counts),
            "files": [f.to_json() for f in self.files],
            "warnings": [p.to_json() for p in self.warnings],
            "errors": [p.to_json() for p in self.errors],
            "notes": list(self.notes),
            "gaps": [gap_to_json(g) for g in self.gaps],
            "import_id": self.import_id,
            "new_workspace": self.new_workspace,
        }


def gap_to_json(gap: Gap) -> dict[str, Any]:
    return {"part": gap.part.value, "what": gap.what, "kinds": list(gap.kinds),
            "files": list(gap.files)}


class ImportRefused(Exception):
    """The export cannot be imported; nothing was written. ``report.errors`` says why."""

    def __init__(self, message: str, report: ImportReport | None = None) -> None:
        super().__init__(" ".join(message.split()))
        self.report = report if report is not None else ImportReport()


class ImportCancelled(Exception):
    """The progress callback asked to stop; the workspace is as it was before."""

    def __init__(self, stage: str) -> None:
        super().__init__(f"import cancelled during {stage!r}; the workspace is unchanged")
        self.stage = stage
