"""The report's writers that need Qt's painters: the chart as PNG and the PDF.

The only package outside ``explorer.ui`` allowed to import Qt (an import-linter contract in
``pyproject.toml``); the rest of the report hands them plain data and never imports them.
"""
