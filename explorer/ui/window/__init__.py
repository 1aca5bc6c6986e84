"""The explorer window's parts, one mixin (or helper) per concern.

``explorer.ui.main_window.MainWindow`` composes them: layout and docks (``layout``), saved
window state (``persistence``), the per-workspace components (``components``), opening
workspaces, imports, recent files and drops (``opening``), selection, reveal and history
(``navigation``), the search box and results (``searching``), the ``ready`` signal
(``readiness``) and what the window tells the user (``messages``). The mixins hold no state
of their own: ``MainWindow.__init__`` creates every attribute they use.
"""
