"""What every client text and value of the report goes through: the mask (when asked), then a
cut with a visible marker when a text is absurdly long, so any export gives a report in
linear time."""

from __future__ import annotations

from typing import Any

from explorer.masking import NO_MASKING, Masker

# A text longer than this is cut: a report is read, and a 300,000-character name would cost
# the PDF's line breaker minutes while telling the reader nothing more.
MAX_TEXT = 2000


def clip_text(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut to ``limit`` characters with a marker saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [cut: {len(text) - limit:,} more characters]"


class ReportMask:
    """The report's masking: called on a client text (a ``TextMask``) it masks and cuts it;
    ``data`` masks and cuts an object's data the way the inspector masks it
    (``Masker.mask_data``)."""

    def __init__(self, masker: Masker | None) -> None:
        self.masker = masker if masker is not None else NO_MASKING

    def __call__(self, text: str) -> str:
        return clip_text(self.masker.mask_text(text))

    def data(self, value: Any, key: str = "") -> Any:
        return self.masker.mask_data(value, key, after=clip_text)

