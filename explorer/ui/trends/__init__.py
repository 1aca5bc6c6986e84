"""Target call trends: the panel, its chart (pyqtgraph, imported on first show), the settings
event dialog and the 'what if Shared Audiences were disabled' view."""

from explorer.ui.trends.panel import TrendsPanel

__all__ = ["TrendsPanel"]
