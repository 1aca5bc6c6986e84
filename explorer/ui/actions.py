"""The main window's actions, menus and toolbar (wiring to slots happens in the window)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QStyle, QToolBar, QWidget


class WindowActions(QObject):
    """Every QAction of the main window, created once, with its shortcut and tip."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        style = window.style()

        def action(text: str, shortcut: QKeySequence | str | None = None,
                   tip: str = "", icon: QStyle.StandardPixmap | None = None) -> QAction:
            act = QAction(text, window)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            if tip:
                act.setStatusTip(tip)
                act.setToolTip(tip)
            if icon is not None:
                act.setIcon(style.standardIcon(icon))
            window.addAction(act)  # shortcuts work even when menus are hidden
            return act

        sp = QStyle.StandardPixmap
        self.open_workspace = action("Open &workspace…", QKeySequence.StandardKey.Open,
                                     "Open an AAM Config Explorer workspace (.aamws)",
                                     sp.SP_DialogOpenButton)
        self.open_export_folder = action("Import export &folder…", "Ctrl+Shift+O",
                                         "Import an AAM export folder into a workspace",
                                         sp.SP_DirIcon)
        self.open_export_zip = action("Import export &archive (.zip)…", None,
                                      "Import a zipped AAM export into a workspace")
        self.clear_recent = action("&Clear recent")
        self.quit = action("&Quit", QKeySequence.StandardKey.Quit, "Quit AAM Config Explorer")
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)

        self.back = action("&Back", QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left),
                           "Back to the previously inspected object", sp.SP_ArrowBack)
        self.forward = action("&Forward", QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Right),
                              "Forward to the next inspected object", sp.SP_ArrowForward)
        for act, short in ((self.open_workspace, "Open"), (self.open_export_folder, "Import"),
                           (self.back, "Back"), (self.forward, "Forward")):
            act.setIconText(short)
        self.back.setEnabled(False)
        self.forward.setEnabled(False)
        self.search = action("&Search…", None, "Search every object (Ctrl+F, Ctrl+K)")
        self.search.setShortcuts([QKeySequence.StandardKey.Find, QKeySequence("Ctrl+K")])
        self.group_by_data_source = action("Group by &data source", None,
                                           "Group the tree by data source instead of storage")
        self.group_by_data_source.setCheckable(True)

        self.about = action("&About AAM Config Explorer")
        self.about.setMenuRole(QAction.MenuRole.AboutRole)


def build_menus(menu_bar: QMenuBar, actions: WindowActions, dock_toggles: list[QAction]
                ) -> QMenu:
    """File / View / Help; returns the (initially empty) Recent submenu for the window to fill."""
    file_menu = menu_bar.addMenu("&File")
    file_menu.addAction(actions.open_workspace)
    file_menu.addAction(actions.open_export_folder)
    file_menu.addAction(actions.open_export_zip)
    recent_menu = file_menu.addMenu("Open &recent")
    recent_menu.setObjectName("recentMenu")
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)

    view_menu = menu_bar.addMenu("&View")
    view_menu.addAction(actions.back)
    view_menu.addAction(actions.forward)
    view_menu.addSeparator()
    view_menu.addAction(actions.search)
    view_menu.addAction(actions.group_by_data_source)
    view_menu.addSeparator()
    for toggle in dock_toggles:
        view_menu.addAction(toggle)

    help_menu = menu_bar.addMenu("&Help")
    help_menu.addAction(actions.about)
    return recent_menu


def build_toolbar(toolbar: QToolBar, actions: WindowActions, search_box: QWidget) -> None:
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.addAction(actions.back)
    toolbar.addAction(actions.forward)
    toolbar.addSeparator()
    toolbar.addAction(actions.open_workspace)
    toolbar.addAction(actions.open_export_folder)
    toolbar.addSeparator()
    toolbar.addWidget(search_box)
