"""Shared by the diff tests: a workspace holding two versions of one tenant (tests/data/diff).

Version 1 is the sample tenant plus an unused trait; version 2 renames a trait, changes a trait
and a segment rule, moves objects between folders and between data sources, moves a folder,
renames a folder, deletes traits, segments and an AEP trait+segment pair, and adds plain and
AEP objects. A usage-only import sits between the two.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from explorer.importers import import_export

DIFF_DATA = Path(__file__).resolve().parent / "data" / "diff"
V1, V2, USAGE = DIFF_DATA / "v1", DIFF_DATA / "v2", DIFF_DATA / "usage"


def build_two_version_workspace(path: Path, *, usage_between: bool = True) -> Path:
    """Imports: 1 = v1 (2022-07-01), [2 = usage only], then v2 (2022-07-15)."""
    import_export(V1, path, export_date="2022-07-01")
    if usage_between:
        import_export(USAGE, path)
    import_export(V2, path, export_date="2022-07-15")
    return path


def copy_workspace(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def test_the_two_versions_differ() -> None:
    assert (V1 / "traits.json").read_bytes() != (V2 / "traits.json").read_bytes()
