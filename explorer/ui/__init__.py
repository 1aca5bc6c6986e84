"""The PySide6 GUI: item models, widgets, dialogs and workers over the Qt-free core."""
