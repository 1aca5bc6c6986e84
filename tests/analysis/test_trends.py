"""The trends wording and chart data the panel and the report's chart share (no Qt)."""

from __future__ import annotations

import pytest

from explorer.analysis.trends import (
    EventMark,
    chart_data,
    compact,
    compact_ticks,
    day_x,
    nice_ticks,
)


def test_compact_numbers() -> None:
    assert compact_ticks([550_000, 552_500], 2_500) == ["550k", "552.5k"]
    assert [compact(v) for v in (430_028.8, 277_993, 1_234_567, 999_700, 950)] == [
        "430k", "278k", "1.23M", "1M", "950"]
    assert compact(1_250_000) == "1.25M"
    assert compact(400_000) == "400k"
    assert compact(12) == "12"


@pytest.mark.parametrize(("top", "expected_last"), [(430_000, 500_000), (9.0, 10.0),
                                                    (0, 1.0)])
def test_nice_ticks_cover_the_data(top: float, expected_last: float) -> None:
    ticks = nice_ticks(top)
    assert ticks[0] == 0 and ticks[-1] == expected_last and ticks[-1] >= top


def test_a_marker_label_shortens_to_fit() -> None:
    mark = EventMark(1, "2026-02-15", day_x("2026-02-15"), "Once Per Session", "−35 %")
    assert mark.label_within(60) == "Once Per Session · −35 % Target calls (30-day avg)"
    assert mark.label_within(40) == "Once Per Session · −35 %"
    assert mark.label_within(16) == "Once Per Session"
    assert mark.label_within(8) == "Once Pe…"


def _summary() -> dict:
    days = [(f"2026-01-{d:02d}", 1000.0) for d in range(1, 32)]
    return {
        "series": {"target": days},
        "events": [{"id": 7, "date": "2026-01-10", "setting": "note", "value": "Acme launch",
                    "change_pct": None, "target_avg_before": None, "target_avg_after": None}],
        "sharing": {"data_collection": None, "shared_audiences": "unknown",
                    "shared_audiences_since": None},
        "estimate": {"projection": {"monthly_calls": None, "reduction_pct": None},
                     "current": {"daily_avg": 1000.0}},
    }


def test_chart_data_masks_the_client_words() -> None:
    data = chart_data(_summary(), ["target"], "day", mask=lambda text: text.replace("Acme", "▒"))
    assert [mark.name for mark in data.events] == ["▒ launch"]
    assert data.series["target"][0] == ("2026-01-01", 1000.0)
    assert data.y_label == "Target calls per day"
    unmasked = chart_data(_summary(), ["target"], "day")
    assert [mark.name for mark in unmasked.events] == ["Acme launch"]
    assert unmasked.headline == data.headline == (
        "Target calls: about 1k per day over the last 30 days. Data-collection setting not "
        "recorded: add an event when it changes. Shared Audiences: not recorded.")
