"""Icons: one badge shape and colour per severity level, a neutral AEP mark, destinations
not drawn in red."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage

from explorer.ui.icons import BADGE_COLOURS, SIZE, badge_level, icon_for


def _image(**marks: object) -> QImage:
    return icon_for("segment", **marks).pixmap(SIZE, SIZE).toImage()  # type: ignore[arg-type]


def _covered(image: QImage, plain: QImage, x: int, y: int) -> bool:
    """Whether the badge paints this pixel (it differs from the icon without a badge)."""
    return image.pixelColor(x, y) != plain.pixelColor(x, y)


@pytest.mark.parametrize(("findings", "level"), [
    ("error", "error"), ("ERROR", "error"), ("high", "error"), ("warning", "warning"),
    ("medium", "warning"), ("info", "info"), ("low", "info"), ("unknown-word", "info"),
    (True, "warning"), (False, None), (None, None), ("", None)])
def test_badge_level_of_a_worst_severity(findings: object, level: str | None) -> None:
    assert badge_level(findings) == level  # type: ignore[arg-type]


def test_each_severity_has_its_own_shape_and_colour(qapp) -> None:
    plain = _image()
    error, warning, info = (_image(findings=level) for level in ("error", "warning", "info"))
    # Probe points: a square's corner, a triangle's apex and its lower-left, the disc's centre.
    corner, apex, lower_left = (19, 19), (25, 17), (19, 30)
    assert [_covered(error, plain, *p) for p in (corner, apex, lower_left)] == [
        False, False, False]  # a disc reaches none of them
    assert [_covered(warning, plain, *p) for p in (corner, apex, lower_left)] == [
        False, True, True]  # a triangle
    assert [_covered(info, plain, *p) for p in (corner, apex, lower_left)] == [
        True, False, True]  # a square
    centre = {level: image.pixelColor(22, 28) for level, image in
              (("error", error), ("warning", warning), ("info", info))}
    for level, colour in centre.items():
        assert colour == QColor(BADGE_COLOURS[level]), level
    assert len({c.name() for c in centre.values()}) == 3


def test_aep_mark_is_neutral_not_a_red_warning(qapp) -> None:
    marked = _image(aep=True)
    colour = marked.pixelColor(2, 10)  # inside the mark, clear of its letter
    assert colour != _image().pixelColor(2, 10)
    assert colour.hslSaturation() < 60  # grey, not a signal colour
    assert not (colour.red() > 150 and colour.green() < 100)


def test_destination_icon_is_not_red(qapp) -> None:
    colour = icon_for("destination").pixmap(SIZE, SIZE).toImage().pixelColor(6, 16)
    assert colour.alpha() == 255
    assert colour.red() < colour.green() and colour.red() < colour.blue()
