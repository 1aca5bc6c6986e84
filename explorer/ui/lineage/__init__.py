"""The lineage view: where the current object's data comes from and where it goes."""

from explorer.ui.lineage.view import LineageView

__all__ = ["LineageView"]
