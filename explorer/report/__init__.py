"""The annotated snapshot report (HTML, Qt-free) and the pieces the GUI shares with it."""
