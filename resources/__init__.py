"""What the app carries besides code: the demo tenant, the icons, the report's templates.

The folder stays at the top of the project; an installed package holds it as
``explorer.resources`` (``pyproject.toml`` maps it), read through ``explorer.paths``.
"""
