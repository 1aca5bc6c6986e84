"""The page the window shows while no workspace is open: buttons for the demo, an import,
opening a workspace, and the recent workspaces and exports."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.recent import RecentFiles

RECENT_SHOWN = 6  # the welcome page lists the newest few; File > Open recent has them all


class WelcomePage(QWidget):
    """``demoRequested``, ``importRequested``, ``openRequested`` and ``recentChosen(path)``
    tell the window what the consultant clicked; the page opens nothing itself."""

    demoRequested = Signal()
    importRequested = Signal()
    openRequested = Signal()
    recentChosen = Signal(object)  # Path

    def __init__(self, recent: RecentFiles, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self._recent = recent
        title = QLabel("<h2>AAM Config Explorer</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel("Open the demo tenant, import an AAM export folder or .zip, open a "
                      "workspace, or drop an export onto this window.")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_button = self._button("Open the demo", "welcomeDemo", self.demoRequested,
                                        "The bundled demo tenant (a fictional retailer)")
        self.import_button = self._button("Import an export…", "welcomeImport",
                                          self.importRequested,
                                          "Import an AAM export folder into a workspace")
        self.open_button = self._button("Open a workspace…", "welcomeOpen",
                                        self.openRequested,
                                        "Open an AAM Config Explorer workspace (.aamws)")
        actions = QHBoxLayout()
        actions.addStretch(1)
        for button in (self.demo_button, self.import_button, self.open_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self._recent_title = QLabel("<b>Recent</b>")
        self._recent_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._recent_box = QVBoxLayout()
        self._recent_box.setSpacing(4)
        self._recent_box.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.recent_buttons: list[QPushButton] = []
        column = QVBoxLayout()
        column.addStretch(2)
        column.addWidget(title)
        column.addWidget(hint)
        column.addSpacing(12)
        column.addLayout(actions)
        column.addSpacing(18)
        column.addWidget(self._recent_title)
        column.addLayout(self._recent_box)
        column.addStretch(3)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 4)
        outer.addStretch(1)
        self.refresh()

    def _button(self, text: str, name: str, signal: SignalInstance, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setMinimumHeight(button.sizeHint().height() + 8)
        button.clicked.connect(signal.emit)
        return button

    def refresh(self) -> None:
        """One button per recent path that still exists (newest first)."""
        for button in self.recent_buttons:
            self._recent_box.removeWidget(button)
            button.deleteLater()
        self.recent_buttons = []
        for path in [p for p in self._recent.paths() if p.exists()][:RECENT_SHOWN]:
            button = QPushButton(f"{path.name}  —  {path.parent}", self)
            button.setToolTip(str(path))
            button.setMaximumWidth(640)
            button.clicked.connect(lambda _checked=False, p=path: self._choose(p))
            self._recent_box.addWidget(button)
            self.recent_buttons.append(button)
        self._recent_title.setVisible(bool(self.recent_buttons))

    def _choose(self, path: Path) -> None:
        self.recentChosen.emit(path)

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()  # a workspace opened and closed since: it is recent now
        super().showEvent(event)
