"""AAM Config Explorer: an offline explorer for Adobe Audience Manager tenant exports."""

__version__ = "0.1.0"
