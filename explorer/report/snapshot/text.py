"""What every client text of the report goes through: the mask (when asked), then a cut with
a visible marker when it is absurdly long, so any export gives a report in linear time."""

from __future__ import annotations

from explorer.masking import TextMask

# A text longer than this is cut: a report is read, and a 300,000-character name would cost
# the PDF's line breaker minutes while telling the reader nothing more.
MAX_TEXT = 2000


def clip_text(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut to ``limit`` characters with a marker saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [cut: {len(text) - limit:,} more characters]"


def report_text(mask: TextMask | None) -> TextMask:
    """The function every client string of the report goes through: masked, then cut."""
    if mask is None:
        return clip_text
    return lambda text: clip_text(mask(text))
