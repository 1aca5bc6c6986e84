"""What a feature integration (annotations, changes, snapshot, workshop) may use of the
window: its parts by name, and the window itself as a ``QMainWindow`` for menus, the status
bar, titles and dialog parents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    # annotations only: importing the protocol must not load the window's parts
    from PySide6.QtWidgets import QMainWindow

    from explorer.ui.actions import WindowActions
    from explorer.ui.search import SearchController
    from explorer.ui.window.frame import WindowFrame
    from explorer.ui.window.messages import Messenger
    from explorer.ui.window.navigator import Navigator
    from explorer.ui.window.opener import Opener
    from explorer.ui.window.panels import Panels
    from explorer.ui.window.search_pane import SearchPane
    from explorer.ui.window.session import WorkspaceSession

class WindowServices(Protocol):
    """The explorer window as its integrations see it (``MainWindow`` provides it)."""

    session: WorkspaceSession
    frame: WindowFrame
    panels: Panels
    navigator: Navigator
    opener: Opener
    messenger: Messenger
    search_pane: SearchPane
    actions_: WindowActions

    @property
    def persist(self) -> bool:
        """Whether settings are saved (False in screenshot mode and some tests)."""
        ...

    @property
    def search(self) -> SearchController: ...

    def main_window(self) -> QMainWindow: ...
