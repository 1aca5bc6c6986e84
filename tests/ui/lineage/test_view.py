"""The lineage view: drawing, navigation by click, expanding a counted node, zoom, export,
theme, and its dock in the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QGraphicsRectItem

from explorer.analysis.lineage import FANOUT_LIMIT
from explorer.kinds import ObjectRef
from explorer.report.lineage_drawing import PALETTES
from explorer.store.workspace import Workspace
from explorer.ui.lineage.view import KEY_ROLE, LineageView
from tests.helpers.lineage_tenant import build_lineage_tenant


@pytest.fixture
def workspace(tmp_path: Path):
    tenant = build_lineage_tenant(tmp_path / "t.aamws", bulk=False)
    for n in range(FANOUT_LIMIT + 3):
        tenant.segment(1000 + n, "13T", f"Fan {n:02d}")
    tenant.conn.commit()
    tenant.close()
    ws = Workspace.open(tmp_path / "t.aamws")
    yield ws
    ws.close()


@pytest.fixture
def view(workspace, qtbot) -> LineageView:
    widget = LineageView(workspace)
    qtbot.addWidget(widget)
    widget.resize(1280, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _boxes(view: LineageView) -> dict[str, QGraphicsRectItem]:
    return {str(item.data(KEY_ROLE)): item for item in view.scene.items()
            if isinstance(item, QGraphicsRectItem) and item.data(KEY_ROLE)}


def _click(qtbot, view: LineageView, key: str) -> None:
    box = _boxes(view)[key]
    view.canvas.centerOn(box)
    point = view.canvas.mapFromScene(box.sceneBoundingRect().center())
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_it_draws_one_box_per_node_and_every_edge(view: LineageView) -> None:
    view.set_object(ObjectRef("segment", 30))
    assert view.lineage is not None
    assert set(_boxes(view)) == set(view.lineage.nodes)
    assert {"segment:30", "trait:10", "destination:40", "destination:41", "destination:42",
            "target:adobe-target"} <= set(_boxes(view))
    assert view.objectName() == "lineagePanel"


def test_clicking_a_node_asks_to_open_it(view: LineageView, qtbot) -> None:
    view.set_object(ObjectRef("segment", 30))
    with qtbot.waitSignal(view.objectActivated, timeout=2000) as signal:
        _click(qtbot, view, "destination:41")
    assert signal.args == ["destination", 41]


def test_clicking_the_counted_node_shows_its_objects(view: LineageView, qtbot) -> None:
    view.set_object(ObjectRef("trait", 13))
    assert not any(k.startswith("segment:") for k in _boxes(view))
    more = [k for k in _boxes(view) if k.startswith("more:")]
    assert more == ["more:segment@trait:13"]
    _click(qtbot, view, more[0])
    segments = [k for k in _boxes(view) if k.startswith("segment:")]
    assert len(segments) == FANOUT_LIMIT + 3 + 2
    view.set_object(ObjectRef("trait", 10))  # another object starts collapsed again
    view.set_object(ObjectRef("trait", 13))
    assert "more:segment@trait:13" in _boxes(view)


def test_zoom_fit_and_actual_size(view: LineageView) -> None:
    view.set_object(ObjectRef("trait", 10))
    before = view.zoom_level()
    view.zoom(1.25)
    assert view.zoom_level() == pytest.approx(before * 1.25)
    view.fit()
    rect = view.canvas.mapFromScene(view.scene.sceneRect()).boundingRect()
    assert rect.width() <= view.canvas.viewport().width() + 2
    assert rect.height() <= view.canvas.viewport().height() + 2
    view.actual_size()
    assert view.zoom_level() == pytest.approx(view.font_factor())


def test_export_svg_and_png(view: LineageView, tmp_path: Path) -> None:
    view.set_object(ObjectRef("segment", 30))
    assert view.export_svg(tmp_path / "l.svg")
    text = (tmp_path / "l.svg").read_text(encoding="utf-8")
    assert "Paused campaign" in text and "<script" not in text
    assert view.export_png(tmp_path / "l.png")
    image = QImage(str(tmp_path / "l.png"))
    assert image.width() == round(view.scene.sceneRect().width() * 2)


def test_it_follows_the_theme(view: LineageView) -> None:
    app = QApplication.instance()
    view.set_object(ObjectRef("segment", 30))
    assert view.scene.backgroundBrush().color() == QColor(PALETTES["light"].background)
    app.setProperty("explorerTheme", "dark")
    try:
        # What a theme change sends every widget: a palette change.
        QApplication.sendEvent(view, QEvent(QEvent.Type.PaletteChange))
        assert view.scene.backgroundBrush().color() == QColor(PALETTES["dark"].background)
    finally:
        app.setProperty("explorerTheme", None)


def test_masking_hides_names_in_the_drawing_and_the_export(view: LineageView) -> None:
    view.set_object(ObjectRef("segment", 30))
    view.set_text_mask(lambda text: "•" * len(text))
    assert "Paused campaign" not in (view.svg_text() or "")
    texts = [item.text() for item in view.scene.items() if hasattr(item, "text")]
    assert not any("Paused campaign" in t for t in texts)


def test_an_object_not_in_the_workspace_says_so(view: LineageView) -> None:
    view.set_object(ObjectRef("trait", 424242))
    assert view.lineage is None
    assert "not in the workspace" in view.message.text()


def test_the_window_has_a_lineage_dock_following_the_current_object(
        tmp_path: Path, qtbot) -> None:
    from explorer.ui.main_window import MainWindow

    tenant = build_lineage_tenant(tmp_path / "w.aamws", bulk=False)
    tenant.close()
    window = MainWindow(restore_settings=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.ready, timeout=5000):
        assert window.open_workspace(tmp_path / "w.aamws")
    panel = window.findChild(LineageView, "lineagePanel")
    assert panel is window.lineage.panel
    window.lineage.dock.show()
    window.lineage.dock.raise_()
    assert window.reveal(ObjectRef("segment", 20))
    qtbot.waitUntil(lambda: panel.lineage is not None and panel.lineage.root == "segment:20",
                    timeout=3000)
    with qtbot.waitSignal(window.currentObjectChanged, timeout=3000) as changed:
        panel.activate("trait:11")
    assert changed.args == [ObjectRef("trait", 11)]
