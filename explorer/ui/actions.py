"""The main window's actions, menus and toolbar (wiring to slots happens in the window)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QStyle, QToolBar, QWidget


class WindowActions(QObject):
    """Every QAction of the main window, created once, with its shortcut and tip."""

    def __init__(self, window: QWidget, themes: dict[str, str]) -> None:
        """``themes``: the workshop's theme names and their menu labels, one action each."""
        super().__init__(window)
        style = window.style()

        def action(text: str,
                   shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
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
        self.overview = action("Tenant &overview", "Ctrl+Home",
                               "The open tenant at a glance: counts, findings, AEP and Target "
                               "sharing, gaps and recent changes")
        self.overview.setEnabled(False)
        self.search = action("&Search…", None, "Search every object (Ctrl+F, Ctrl+K)")
        self.search.setShortcuts([QKeySequence(QKeySequence.StandardKey.Find),
                                  QKeySequence("Ctrl+K")])
        self.group_by_data_source = action("Group by &data source", None,
                                           "Group the tree by data source instead of storage")
        self.group_by_data_source.setCheckable(True)

        self.about = action("&About AAM Config Explorer")
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self._workshop_actions(action, themes)

    def _workshop_actions(self, action: Any, themes: dict[str, str]) -> None:
        """Zoom, presentation, themes, masking, pane focus and the shortcut help (issue 7)."""
        self.zoom_in = action("Zoom &in", QKeySequence.StandardKey.ZoomIn,
                              "Larger type in every panel (Ctrl++)")
        # Ctrl+= too: on most keyboards "+" needs Shift, and Ctrl+Shift+= is awkward.
        zoom_keys = [*QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomIn),
                     QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")]
        self.zoom_in.setShortcuts(list({k.toString(): k for k in zoom_keys}.values()))
        self.zoom_out = action("Zoom &out", QKeySequence.StandardKey.ZoomOut,
                               "Smaller type in every panel (Ctrl+-)")
        self.zoom_reset = action("&Actual size", "Ctrl+0", "Back to 100 % (Ctrl+0)")
        self.presentation = action("&Presentation mode", "F5",
                                   "Large type, the current object's path, a spotlight on "
                                   "the selected subtree; Esc leaves it")
        self.presentation.setCheckable(True)
        self.leave_presentation = action("&Leave presentation mode", "Esc",
                                         "Back to the normal layout")
        self.leave_presentation.setEnabled(False)
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for name, label in themes.items():
            act = action(label, None, f"Use the {label.replace('&', '').lower()} theme")
            act.setCheckable(True)
            act.setData(name)
            self.theme_group.addAction(act)
            self.theme_actions[name] = act
        self.theme_actions["system"].setChecked(True)
        self.cycle_theme = action("&Next theme", "Ctrl+Shift+T",
                                  "Cycle system, light, dark and high-contrast themes")
        self.masking = action("&Mask client values", "Ctrl+M",
                              "Replace client values (terms, ids, e-mails, hosts) by "
                              "placeholders on screen and in exports")
        self.masking.setCheckable(True)
        self.presentation.setIconText("Present")
        self.masking.setIconText("Mask")
        self.masking_rules = action("Masking &rules…", None,
                                    "Choose which terms, patterns and classes are masked")
        self.focus_tree = action("Focus the &tree", "Ctrl+1")
        self.focus_list = action("Focus the &list", "Ctrl+2")
        self.focus_inspector = action("Focus the &inspector", "Ctrl+3")
        self.focus_findings = action("Focus the &findings", "Ctrl+4")
        self.next_pane = action("&Next pane", "F6", "Move the keyboard focus to the next pane")
        self.previous_pane = action("&Previous pane", "Shift+F6")
        self.shortcuts_help = action("&Keyboard shortcuts", "F1",
                                     "Every shortcut of the window (F1 or ?)")
        self.shortcuts_help.setShortcuts([QKeySequence("F1"), QKeySequence("?")])


# In a list of menu or toolbar entries, None stands for a separator.
_SEPARATOR = None


def _add_entries(target: QMenu | QToolBar, entries: list[QAction | QWidget | None]) -> None:
    for entry in entries:
        if entry is None:
            target.addSeparator()
        elif isinstance(entry, QAction):
            target.addAction(entry)
        elif isinstance(target, QToolBar):
            target.addWidget(entry)
        else:
            raise TypeError("a menu holds actions, not widgets")


def build_menus(menu_bar: QMenuBar, actions: WindowActions, dock_toggles: list[QAction]
                ) -> QMenu:
    """File / View / Help; returns the (initially empty) Recent submenu for the window to fill."""
    file_menu = menu_bar.addMenu("&File")
    _add_entries(file_menu, [actions.open_workspace, actions.open_export_folder,
                             actions.open_export_zip])
    recent_menu = file_menu.addMenu("Open &recent")
    recent_menu.setObjectName("recentMenu")
    _add_entries(file_menu, [_SEPARATOR, actions.quit])

    view_menu = menu_bar.addMenu("&View")
    _add_entries(view_menu, [
        actions.back, actions.forward, _SEPARATOR,
        actions.search, actions.group_by_data_source, _SEPARATOR,
        actions.zoom_in, actions.zoom_out, actions.zoom_reset, _SEPARATOR,
        actions.presentation, actions.leave_presentation])
    theme_menu = view_menu.addMenu("T&heme")
    theme_menu.setObjectName("themeMenu")
    _add_entries(theme_menu, [*actions.theme_actions.values(), _SEPARATOR, actions.cycle_theme])
    _add_entries(view_menu, [_SEPARATOR, *dock_toggles])

    go_menu = menu_bar.addMenu("&Go")
    go_menu.setObjectName("goMenu")
    _add_entries(go_menu, [actions.overview, _SEPARATOR,
                           actions.focus_tree, actions.focus_list, actions.focus_inspector,
                           actions.focus_findings, _SEPARATOR,
                           actions.next_pane, actions.previous_pane])

    tools_menu = menu_bar.addMenu("&Tools")
    tools_menu.setObjectName("toolsMenu")
    _add_entries(tools_menu, [actions.masking, actions.masking_rules])

    help_menu = menu_bar.addMenu("&Help")
    _add_entries(help_menu, [actions.shortcuts_help, _SEPARATOR, actions.about])
    return recent_menu


def build_toolbar(toolbar: QToolBar, actions: WindowActions, search_box: QWidget) -> None:
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    _add_entries(toolbar, [actions.back, actions.forward, _SEPARATOR,
                           actions.open_workspace, actions.open_export_folder, _SEPARATOR,
                           search_box, _SEPARATOR,
                           actions.presentation, actions.masking])
