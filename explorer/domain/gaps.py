"""What an export can lack, in one vocabulary shared by the importer, the findings and the window.

An AAM "export" is whatever a client's tool saved from the REST API, so parts of a tenant are
often simply not in it. The importer records each missing part as a ``Gap`` with the import;
every findings check names the ``ExportPart`` values it needs, and a check whose part is missing
is listed as "not checked" instead of reporting what the export cannot support.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ExportPart(StrEnum):
    """A part of a tenant that an export may or may not hold."""

    # Trait rules, integration codes, TTL: only listed with ``includeDetails=true``.
    DETAILS = "details"
    # uniques / population counts of traits and segments.
    METRICS = "metrics"
    FOLDERS = "folders"
    MERGE_RULES = "merge-rules"
    DESTINATIONS = "destinations"
    MAPPINGS = "mappings"
    DATA_SOURCES = "data-sources"
    # Pages of a paged kind that are not in the export (``total`` larger than the rows held).
    PAGES = "pages"
    # Objects of another partner id than the tenant's (kept; the gap says how many).
    OTHER_PARTNERS = "other-partners"
    # The export date taken from object times is earlier than other evidence of the date.
    EXPORT_DATE = "export-date"
    # Shared Audiences settings events: without them Target sharing cannot be judged.
    SETTINGS_EVENTS = "settings-events"


@dataclass(frozen=True)
class Gap:
    """One thing the export lacks, recorded with the import that found it.

    ``what`` is one sentence for people (``traits_page_0.json: 9 of 18 traits; the other pages
    are not in the export``); ``kinds`` the object kinds it concerns (empty: the whole export);
    ``files`` the export files it was seen in.
    """

    part: ExportPart
    what: str
    kinds: tuple[str, ...] = ()
    files: tuple[str, ...] = field(default=())
