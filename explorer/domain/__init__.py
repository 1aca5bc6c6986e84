"""Pydantic records of AAM objects and the rule parsers (Qt-free)."""
