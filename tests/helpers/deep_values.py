"""Values nested deeper than any export nests them (masking and the report must survive)."""

from __future__ import annotations


def nested(depth: int) -> dict[str, object]:
    """``{"deeper": {"deeper": ... {"leaf": "Northwind"}}}``, ``depth`` levels of "deeper"."""
    value: dict[str, object] = {"leaf": "Northwind"}
    for _ in range(depth):
        value = {"deeper": value}
    return value
