"""Workshop mode in the main window: zoom, presentation, themes, masking, keyboard panes, help.

Kept apart from ``main_window.py``: the window creates one ``WorkshopIntegration``; it
follows the session (``opened``) and the navigator (``currentObjectChanged``) and the window's
actions. Masking is published on the session (``set_masker``): every view masks itself from
the ``Change(masking=True)`` that follows.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QModelIndex, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QStatusBar, QWidget

from explorer.kinds import ObjectRef
from explorer.masking import (
    NO_MASKING,
    Masker,
    MaskRules,
    describe_rules,
    load_rules,
    masker_for,
    save_rules,
    suggest_terms,
)
from explorer.ui.settings import app_settings
from explorer.ui.workshop import themes as theme_module
from explorer.ui.workshop import zoom as zoom_module
from explorer.ui.workshop.help_overlay import HelpOverlay
from explorer.ui.workshop.presentation import (
    PRESENTATION_FACTOR,
    Breadcrumb,
    SpotlightDelegate,
    path_labels,
)
from explorer.ui.workshop.themes import ThemeManager
from explorer.ui.workshop.zoom import ZoomController

if TYPE_CHECKING:
    from explorer.ui.window.services import WindowServices

log = logging.getLogger(__name__)

_BADGE_STYLE = ("QLabel { background-color: #D55E00; color: white; font-weight: bold; "
                "padding: 1px 8px; border-radius: 3px; }")
_BASE_ICON = 16

_THEME_MANAGERS: dict[int, ThemeManager] = {}


def theme_manager(app: QApplication) -> ThemeManager:
    """One theme manager per application (it remembers the platform's own look once)."""
    key = id(app)
    if key not in _THEME_MANAGERS:
        _THEME_MANAGERS[key] = ThemeManager(app)
    return _THEME_MANAGERS[key]


class WorkshopIntegration(QObject):
    def __init__(self, window: WindowServices) -> None:
        super().__init__(window.main_window())
        self.window = window
        self.session = window.session
        main_window = window.main_window()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.zoom = ZoomController(app, self)
        self.themes = theme_manager(app)
        self.masker: Masker = NO_MASKING
        self.rules = MaskRules()
        self._session_rules: MaskRules | None = None  # command-line rules: not saved
        self.presenting = False
        self._saved_layout: dict[str, Any] = {}
        self._spotlight: SpotlightDelegate | None = None
        self.breadcrumb = Breadcrumb()
        self.breadcrumb.hide()
        window.frame.inspector_slot.add_header(self.breadcrumb)
        self.help_overlay = HelpOverlay(main_window)
        self.badge = QLabel("MASKED")
        self.badge.setObjectName("maskingBadge")
        self.badge.setStyleSheet(_BADGE_STYLE)
        self.badge.setToolTip("Client values are masked (Ctrl+M turns masking off)")
        self.badge.hide()
        main_window.statusBar().addPermanentWidget(self.badge)
        self._connect(window)
        if window.persist:
            self._restore_settings()

    # --- wiring -------------------------------------------------------------------------------
    def _connect(self, window: WindowServices) -> None:
        a = window.actions_
        a.zoom_in.triggered.connect(self.zoom.zoom_in)
        a.zoom_out.triggered.connect(self.zoom.zoom_out)
        a.zoom_reset.triggered.connect(self.zoom.reset)
        a.presentation.toggled.connect(self.set_presentation)
        a.leave_presentation.triggered.connect(lambda: self.set_presentation(False))
        for name, action in a.theme_actions.items():
            action.triggered.connect(lambda _=False, n=name: self.set_theme(n))
        a.cycle_theme.triggered.connect(lambda: self.set_theme(self._next_theme()))
        a.masking.triggered.connect(self._masking_toggled)
        a.masking_rules.triggered.connect(self.edit_masking_rules)
        a.focus_tree.triggered.connect(lambda: self.focus_pane("tree"))
        a.focus_list.triggered.connect(lambda: self.focus_pane("list"))
        a.focus_inspector.triggered.connect(lambda: self.focus_pane("inspector"))
        a.focus_findings.triggered.connect(lambda: self.focus_pane("findings"))
        a.next_pane.triggered.connect(lambda: self.cycle_panes(1))
        a.previous_pane.triggered.connect(lambda: self.cycle_panes(-1))
        a.shortcuts_help.triggered.connect(self.toggle_help)
        self.zoom.zoomChanged.connect(self._zoom_changed)
        self.themes.themeChanged.connect(self._theme_changed)
        self.session.opened.connect(self._workspace_opened)
        window.navigator.currentObjectChanged.connect(self._current_changed)

    def _restore_settings(self) -> None:
        settings = app_settings()
        zoom = settings.value(zoom_module.SETTING_KEY, 100)
        try:
            percent = int(zoom)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            percent = 100
        if percent != 100 or self.zoom.percent != 100:
            self.zoom.set_zoom(percent)
        theme = str(settings.value(theme_module.SETTING_KEY, "system") or "system")
        if theme not in theme_module.THEMES:
            theme = "system"
        if theme != self.themes.chosen or theme_module.system_scheme() == "dark":
            self.themes.apply(theme)
        self._check_theme_action(self.themes.chosen)

    def _save(self, key: str, value: object) -> None:
        if self.window.persist:
            settings = app_settings()
            settings.setValue(key, value)
            settings.sync()

    # --- zoom ---------------------------------------------------------------------------------
    def set_zoom(self, percent: int) -> int:
        return self.zoom.set_zoom(percent)

    def _zoom_changed(self, percent: int) -> None:
        self._save(zoom_module.SETTING_KEY, percent)
        self.breadcrumb.update_font()
        # The status bar keeps the height it had at start-up: size it (and the badge, whose
        # style sheet keeps it off the font propagation) for the new font.
        font = QFont(QApplication.font())
        font.setBold(True)
        self.badge.setFont(font)
        unzoomed = abs(self.zoom.factor - 1.0) < 1e-6
        self._status_bar().setMinimumHeight(
            0 if unzoomed else QFontMetrics(font).height() + 10)
        size = round(_BASE_ICON * self.zoom.factor)
        for view in (self.window.frame.tree, self.window.search_pane.view):
            view.setIconSize(QSize(size, size))
        self._status_bar().showMessage(f"Zoom {percent} %", 2000)

    # --- themes -------------------------------------------------------------------------------
    def set_theme(self, theme: str) -> str:
        return self.themes.apply(theme)

    def _next_theme(self) -> str:
        names = theme_module.THEME_NAMES
        index = names.index(self.themes.chosen) if self.themes.chosen in names else 0
        return names[(index + 1) % len(names)]

    def _theme_changed(self, chosen: str, resolved: str) -> None:
        self._save(theme_module.SETTING_KEY, chosen)
        self._check_theme_action(chosen)
        inspector = self.window.panels.inspector
        if inspector is not None:
            inspector.refresh()  # high contrast has its own page colours
        self._status_bar().showMessage(f"Theme: {resolved}", 2000)

    def _check_theme_action(self, chosen: str) -> None:
        action = self.window.actions_.theme_actions.get(chosen)
        if action is not None:
            action.setChecked(True)

    # --- masking ------------------------------------------------------------------------------
    def set_session_rules(self, rules: MaskRules | None) -> None:
        """Rules for this session only (command line): used instead of the workspace's."""
        self._session_rules = rules
        self._load_masking()

    def set_rules(self, rules: MaskRules) -> None:
        """Use ``rules`` and keep them with the workspace (unless session rules are set)."""
        workspace = self.session.workspace
        not_saved = None
        if self._session_rules is not None:
            self._session_rules = rules
        elif workspace is not None:
            try:
                save_rules(workspace, rules)
            except Exception as exc:  # a read-only workspace: use them, say why not kept
                log.warning("masking rules not saved: %s", exc)
                not_saved = f"Masking rules not saved: {exc}"
                self._session_rules = rules
        self._load_masking(rules)
        if rules.enabled and not self.masker.active:
            self._status_bar().showMessage(
                "Masking is off: there is nothing to mask (Tools → Masking rules…)", 10000)
        if not_saved is not None:
            self._status_bar().showMessage(not_saved, 8000)

    def set_masking_enabled(self, enabled: bool) -> None:
        self.set_rules(self.rules.with_enabled(enabled))

    def _masking_toggled(self, checked: bool) -> None:
        rules = self.rules.with_enabled(checked)
        if checked and not rules.active and self.window.messenger.interactive:
            self.window.actions_.masking.setChecked(False)
            self.edit_masking_rules(enable=True)  # nothing to mask yet: ask what
            return
        self.set_rules(rules)

    def edit_masking_rules(self, enable: bool = False) -> None:
        from explorer.ui.workshop.masking_dialog import MaskingRulesDialog  # on first use

        workspace = self.session.workspace
        suggestions = suggest_terms(workspace.conn, self.rules) if workspace is not None else []
        dialog = MaskingRulesDialog(self.rules, self.window.main_window(), enable=enable,
                                    suggestions=suggestions)
        self.last_dialog = dialog
        dialog.accepted.connect(lambda: self.set_rules(dialog.rules()))
        self.window.messenger.open_dialog(dialog)

    def _load_masking(self, rules: MaskRules | None = None) -> None:
        workspace = self.session.workspace
        if rules is None:
            rules = self._session_rules
        if rules is None:
            rules = load_rules(workspace) if workspace is not None else MaskRules()
        self.rules = rules
        self.masker = masker_for(workspace, rules) if workspace is not None else Masker(rules)
        self.apply_masking()

    def mask(self, text: str) -> str:
        return self.masker.mask_text(text)

    def apply_masking(self) -> None:
        """Publish the current masker (None when masking is off) on the session: every view
        masks itself from the ``Change(masking=True)``; the badge and breadcrumb follow."""
        active = self.masker.active
        self.window.actions_.masking.setChecked(active)
        self.badge.setVisible(active)
        self.badge.setText("MASKED" if self.rules.terms or self.rules.valid_regexes()
                           else "MASKED (no names)")
        # The badge says what is masked: "MASKED" with ready classes only must not read as
        # "the client's brand is hidden" (names need terms).
        summary = describe_rules(self.rules)
        self.badge.setToolTip(f"{summary}\nCtrl+M turns masking off.")
        if active:
            self._status_bar().showMessage(summary, 10000)
        self.breadcrumb.text_mask = self.mask
        self.breadcrumb.refresh()
        self.session.set_masker(self.masker)

    def _status_bar(self) -> QStatusBar:
        return self.window.main_window().statusBar()

    def _workspace_opened(self, _path: str) -> None:
        self._load_masking()
        if self.presenting:
            self._widen_tree()

    # --- presentation -------------------------------------------------------------------------
    def set_presentation(self, on: bool) -> None:
        """Enter or leave presentation mode; leaving restores the layout exactly."""
        on = bool(on)
        if on == self.presenting:
            return
        self.presenting = on
        if on:
            self._enter_presentation()
        else:
            self._leave_presentation()
        self.window.actions_.presentation.setChecked(on)
        self.window.actions_.leave_presentation.setEnabled(on)

    def _enter_presentation(self) -> None:
        frame, main_window = self.window.frame, self.window.main_window()
        hidden: list[QWidget] = []
        splitter = frame.content_splitter
        self._saved_layout = {
            "state": QByteArray(main_window.saveState()),
            "splitters": {s.objectName(): QByteArray(s.saveState())
                          for s in (frame.main_splitter, splitter)},
        }
        # isHidden, not isVisible: docks of a window not shown yet (--presentation at start)
        # and tabs behind another are not visible, but they are not hidden either.
        for dock in frame.docks():
            if not dock.isHidden():
                hidden.append(dock)
        for n in range(splitter.count()):
            widget = splitter.widget(n)
            if (widget is not None and widget is not frame.inspector_slot
                    and not widget.isHidden()):
                hidden.append(widget)
        for widget in hidden:
            widget.hide()
        self._saved_layout["hidden"] = hidden
        self.zoom.set_extra_factor(PRESENTATION_FACTOR)
        self._widen_tree()
        if not main_window.isVisible():  # --presentation at start: size it again once laid out
            QTimer.singleShot(0, self._widen_tree)
        inner = frame.tree.itemDelegate()
        self._spotlight = SpotlightDelegate(inner, frame.tree)
        frame.tree.setItemDelegate(self._spotlight)
        self.breadcrumb.show()
        self._current_changed(self.window.navigator.current_ref())

    def _widen_tree(self) -> None:
        """Larger type needs a wider tree: about a third of the width, the inspector the
        rest."""
        frame = self.window.frame
        if not self.presenting and not self._saved_layout:
            return
        # Before a workspace is shown the splitter is hidden in the stack, its width stale.
        total = (frame.main_splitter.width() if frame.main_splitter.isVisible()
                 else self.window.main_window().width())
        tree_width = max(frame.tree.minimumWidth(), total * 35 // 100)
        frame.main_splitter.setSizes([tree_width, max(1, total - tree_width)])

    def _leave_presentation(self) -> None:
        tree = self.window.frame.tree
        if self._spotlight is not None:
            if tree.itemDelegate() is self._spotlight:
                tree.setItemDelegate(self._spotlight.inner)
            self._spotlight.deleteLater()
            self._spotlight = None
        self.breadcrumb.hide()
        self.zoom.set_extra_factor(1.0)
        saved, self._saved_layout = self._saved_layout, {}
        for widget in saved.get("hidden", []):
            widget.show()
        self._restore_layout(saved)
        # The smaller font reaches the widgets through posted events and changes the bars'
        # heights: restore once more when it has arrived, so sizes come back exactly.
        QTimer.singleShot(0, lambda: self._restore_layout(saved))
        tree.viewport().update()

    def _restore_layout(self, saved: dict[str, Any]) -> None:
        frame = self.window.frame
        if self.presenting:
            return  # entered again meanwhile
        if "state" in saved:
            self.window.main_window().restoreState(saved["state"])
        for splitter in (frame.main_splitter, frame.content_splitter):
            state = saved.get("splitters", {}).get(splitter.objectName())
            if state is not None:
                splitter.restoreState(state)

    def _current_changed(self, ref: ObjectRef | None) -> None:
        if not self.presenting:
            return
        index = self._tree_index(ref)
        self.breadcrumb.set_path(path_labels(index) if index.isValid() else [])
        if self._spotlight is not None:
            self._spotlight.set_focus(index)
            self.window.frame.tree.viewport().update()

    def _tree_index(self, ref: ObjectRef | None) -> QModelIndex:
        current = self.window.frame.tree.currentIndex()
        model = self.window.panels.tree_model
        if ref is None or model is None:
            return current
        if current.isValid() and model.ref_for(current) == ref:
            return current
        return model.index_for(ref)

    # --- keyboard: panes and help -------------------------------------------------------------
    def panes(self) -> dict[str, QWidget | None]:
        """The focusable panes, in F6 order (None where a pane does not exist)."""
        panels = self.window.panels
        object_list, inspector, findings = (panels.object_list, panels.inspector,
                                            panels.findings_panel)
        return {
            "tree": self.window.frame.tree,
            "list": object_list.table if object_list is not None else None,
            "inspector": inspector.browser if inspector is not None else None,
            "findings": findings.tree if findings is not None else None,
            "search": self.window.search_pane.box,
        }

    def focus_pane(self, name: str) -> bool:
        widget = self.panes().get(name)
        if widget is None:
            return False
        if name == "findings":
            self.window.frame.findings_dock.show()
            self.window.frame.findings_dock.raise_()
        if not widget.isVisible():
            return False
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def cycle_panes(self, step: int) -> str | None:
        visible = [(n, w) for n, w in self.panes().items() if w is not None and w.isVisible()]
        if not visible:
            return None
        focus = QApplication.focusWidget()
        current = next((i for i, (_n, w) in enumerate(visible)
                        if focus is not None and (focus is w or w.isAncestorOf(focus))), -1)
        name, widget = visible[(current + step) % len(visible)]
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        return name

    def toggle_help(self) -> None:
        if self.help_overlay.isVisible():
            self.help_overlay.close_overlay()
        else:
            self.help_overlay.open()

    # --- teardown -----------------------------------------------------------------------------
    def window_closing(self) -> None:
        """Leave presentation (its larger type is not the user's zoom) before state is saved."""
        if self.presenting:
            self.set_presentation(False)

    def window_closed(self) -> None:
        """Give the application its own font and look back (tests open many windows)."""
        self.zoom.restore_base()
        if self.themes.chosen != "system" or self.themes.resolved != "light":
            self.themes.reset()
