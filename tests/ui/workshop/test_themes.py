"""Every theme's text reads at 4.5:1 or more (WCAG AA), measured on the colours the window
and the inspector use; disabled controls look disabled, in high contrast too."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QPushButton

from explorer.report.inspector_html.themes import (
    AEP_BADGE_COLOUR,
    SEVERITY_COLOURS,
    STATUS_COLOURS,
    STATUS_OTHER_COLOUR,
    THEMES_BY_NAME,
    contrast_ratio,
)
from explorer.ui.icons import BADGE_COLOURS
from explorer.ui.workshop.themes import TEXT_ROLE_PAIRS, HighContrastStyle, build_palette

_R, _G = QPalette.ColorRole, QPalette.ColorGroup
CONCRETE = ("light", "dark", "high-contrast")
AA = 4.5


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#E69F00", "#FFFFFF") == pytest.approx(2.25, abs=0.01)  # the old
    assert contrast_ratio("#0072B2", "#FFFFFF") == contrast_ratio("#FFFFFF", "#0072B2")


@pytest.mark.parametrize("theme", CONCRETE)
def test_window_text_roles_read_at_aa_on_their_backgrounds(qapp, theme: str) -> None:
    palette = build_palette(theme)
    for text_role, background_role in TEXT_ROLE_PAIRS:
        ratio = contrast_ratio(palette.color(text_role).name(),
                               palette.color(background_role).name())
        assert ratio >= AA, (theme, text_role, background_role, round(ratio, 2))


@pytest.mark.parametrize("theme", CONCRETE)
def test_inspector_text_colours_read_at_aa_on_the_page(qapp, theme: str) -> None:
    page = THEMES_BY_NAME[theme]
    # The inspector draws its page on the palette's Base colour.
    assert page.background.upper() == build_palette(theme).color(_R.Base).name().upper()
    for name, colour in page.text_colours().items():
        ratio = contrast_ratio(colour, page.background)
        assert ratio >= AA, (theme, name, colour, round(ratio, 2))


def test_badge_text_reads_at_aa_on_every_badge_fill() -> None:
    fills = {**STATUS_COLOURS, "other": STATUS_OTHER_COLOUR, "aep": AEP_BADGE_COLOUR,
             **{f"severity-{k}": v for k, v in SEVERITY_COLOURS.items()}}
    for theme in THEMES_BY_NAME.values():
        for name, fill in fills.items():
            assert contrast_ratio(theme.badge_text, fill) >= AA, (name, fill)
    # The icons' error and info badges carry a white glyph, the warning one a black glyph.
    assert contrast_ratio("#FFFFFF", BADGE_COLOURS["error"]) >= AA
    assert contrast_ratio("#FFFFFF", BADGE_COLOURS["info"]) >= AA
    assert contrast_ratio("#000000", BADGE_COLOURS["warning"]) >= AA


@pytest.mark.parametrize("theme", CONCRETE)
def test_disabled_text_is_dimmer_but_legible(qapp, theme: str) -> None:
    palette = build_palette(theme)
    window = palette.color(_R.Window).name()
    for role in (_R.WindowText, _R.ButtonText, _R.Text):
        enabled = contrast_ratio(palette.color(_G.Active, role).name(), window)
        disabled = contrast_ratio(palette.color(_G.Disabled, role).name(), window)
        assert disabled >= 3.0, (theme, role, disabled)
        assert disabled <= enabled / 2, (theme, role, enabled, disabled)


def _lightness(button: QPushButton) -> list[list[int]]:
    image = button.grab().toImage()
    return [[image.pixelColor(x, y).lightness() for x in range(image.width())]
            for y in range(image.height())]


def test_high_contrast_disabled_button_looks_disabled(qtbot) -> None:
    style = HighContrastStyle()
    grids = []
    for enabled in (True, False):
        button = QPushButton("Save")
        qtbot.addWidget(button)
        button.setStyle(style)
        button.setPalette(build_palette("high-contrast"))
        button.setEnabled(enabled)
        button.resize(120, 32)
        grids.append(_lightness(button))
    enabled_grid, disabled_grid = grids
    middle = len(enabled_grid) // 2
    # Enabled: a white outline (the left edge) and white text.
    assert max(row[0] for row in enabled_grid[middle - 2:middle + 3]) > 200
    assert sum(1 for row in enabled_grid for value in row if value > 200) > 100
    # Disabled: outline and text mid grey at most, nothing near white.
    assert max(value for row in disabled_grid for value in row) <= 130
    assert max(row[0] for row in disabled_grid[middle - 2:middle + 3]) > 60  # still outlined
