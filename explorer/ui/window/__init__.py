"""The explorer window's parts, each an object with one job; ``explorer.ui.main_window``
constructs them and wires them together in one place.

``session`` (the open workspace, read-only state, the change channel), ``frame`` (fixed
widgets), ``panels`` (per-workspace components), ``navigator`` (reveal, back/forward, list and
inspector sync), ``opener`` (open, import, recent, drops), ``search_pane``, ``readiness``,
``messages``, ``saved_layout``; ``services`` is the window as feature integrations see it.
"""
