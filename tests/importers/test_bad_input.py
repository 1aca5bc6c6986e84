"""The bad-input corpus (tests/data/bad/): every case names file, record and field, and ends
as it should: the record skipped, the file ignored, or the whole import refused."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.importers import ImportRefused, import_export
from tests.helpers.paths import DATA_DIR

BAD = DATA_DIR / "bad"


@dataclass(frozen=True)
class Case:
    outcome: str  # "skipped" (record), "ignored" (file), "refused" (whole import)
    text: str  # the exact one-line problem, or its start for messages with library detail
    traits: int | None = None  # rows left in the traits table when the import goes on


CASES: dict[str, Case] = {
    "truncated-json": Case("refused", "traits.json: not valid JSON: Expecting ',' delimiter"),
    "not-json": Case("refused", "traits.json: not valid JSON: Expecting value (line 1"),
    "wrong-top-level": Case(
        "refused",
        "traits.json: wrong top-level shape: expected an array or an object, got a string"),
    "paged-list-not-array": Case("refused",
                                 "traits.json: paged wrapper whose 'list' is not an array"),
    "not-utf8": Case("refused", "traits.json: not UTF-8 text (byte 0xe9 at offset"),
    "binary": Case("refused", "traits.json: not an AAM export file: binary data (NUL bytes)"),
    "zip-slip": Case("refused",
                     "export.zip/../../evil.json: unsafe zip entry: its path escapes"),
    "zip-absolute": Case("refused",
                         "export.zip//etc/traits.json: unsafe zip entry: its path escapes"),
    "zip-bomb": Case("refused", "export.zip/huge.json: zip entry does not match its checksum: "
                     "a damaged archive, or one hiding more data than it declares (a zip "
                     "bomb)"),
    "zip-truncated": Case("refused", "export.zip: not a readable zip archive"),
    "empty-export": Case("refused", "nothing recognised in the export (1 file(s), 1 ignored)"),
    "no-records": Case("refused", "nothing recognised in the export"),
    "bad-field": Case(
        "skipped",
        "traits.json: record 3 (sid 3100003): field 'folderId': Input should be a valid "
        "integer", traits=2),
    "missing-field": Case(
        "skipped", "segments.json: record 2 (sid 3200002): field 'name': required field is "
        "missing"),
    "not-an-object": Case(
        "skipped", "traits.json: record 2: expected a JSON object, got a number; skipped",
        traits=2),
    "duplicate-ids": Case(
        "skipped", "traits.json: record 4 (sid 3100001): field 'sid': trait 3100001 also in "
        "this file, differing in name; the first copy is kept, this one skipped", traits=3),
    "bad-csv-cell": Case(
        "skipped", "Request - traits.csv: line 3 (sid 3100002): field 'folderId': Input "
        "should be a valid integer", traits=1),
    "bad-nested-mapping": Case(
        "skipped", "destinations.json: record 3 (destinationId 8103): mapping 2 "
        "(destinationMappingId 820004): field 'sid': Input should be a valid integer"),
    "folder-cycle": Case(
        "skipped", "trait-folders.json: record 2 (folderId 700002): field 'parentFolderId': "
        "trait-folders form a cycle "
        "(700002 → 700003 → 700002); those folders are skipped"),
    "unknown-shape": Case("ignored",
                          "notes.json: not a recognised AAM export file; ignored", traits=3),
    "other-file": Case("ignored", "README.txt: not a JSON or CSV file; ignored", traits=3),
    "undecidable-folders": Case(
        "ignored", "folders.json: folders, but neither the file name nor the traits and "
        "segments tell whether they are trait or segment folders; ignored", traits=3),
}


def test_every_corpus_case_is_covered() -> None:
    assert sorted(p.name for p in BAD.iterdir() if p.is_dir()) == sorted(CASES)


def _count(ws: Path, table: str) -> int:
    conn = sqlite3.connect(ws)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    ws = tmp_path / "ws.aamws"
    if case.outcome == "refused":
        with pytest.raises(ImportRefused) as refused:
            import_export(BAD / name, ws)
        messages = [str(p) for p in refused.value.report.errors]
        assert any(m.startswith(case.text) for m in messages), messages
        assert all("\n" not in m for m in messages)
        assert not ws.exists()  # nothing written, not even an empty workspace
        assert list(tmp_path.iterdir()) == []  # and no temporary file left behind
        return
    report = import_export(BAD / name, ws)
    messages = [str(p) for p in report.warnings]
    assert any(m.startswith(case.text) for m in messages), messages
    if case.traits is not None:
        assert _count(ws, "traits") == case.traits
    if case.outcome == "ignored":
        assert "ignored" in {f.kind for f in report.files}
    else:
        assert sum(f.skipped for f in report.files) >= 1 or name == "folder-cycle"


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.outcome != "refused"))
def test_strict_mode_refuses_what_it_would_skip(name: str, tmp_path: Path) -> None:
    ws = tmp_path / "ws.aamws"
    with pytest.raises(ImportRefused) as refused:
        import_export(BAD / name, ws, strict=True)
    assert any(str(p).startswith(CASES[name].text) for p in refused.value.report.errors)
    assert not ws.exists()


def test_duplicate_keeps_the_first_record(tmp_path: Path) -> None:
    ws = tmp_path / "ws.aamws"
    import_export(BAD / "duplicate-ids", ws)
    conn = sqlite3.connect(ws)
    name = conn.execute("SELECT name FROM traits WHERE id = 3100001").fetchone()[0]
    conn.close()
    assert name == "Viewed Beach Holidays"


def test_folder_cycle_keeps_the_other_folders(tmp_path: Path) -> None:
    ws = tmp_path / "ws.aamws"
    import_export(BAD / "folder-cycle", ws)
    conn = sqlite3.connect(ws)
    folders = conn.execute("SELECT id, parent_id, depth FROM trait_folders ORDER BY id").fetchall()
    conn.close()
    assert folders == [(700001, None, 1), (700004, 700001, 2)]


def test_refused_import_leaves_an_existing_workspace_alone(sample_tenant: Path,
                                                           tmp_path: Path) -> None:
    ws = tmp_path / "ws.aamws"
    import_export(sample_tenant, ws)
    before = _dump(ws)
    with pytest.raises(ImportRefused):
        import_export([sample_tenant, BAD / "truncated-json"], ws)
    assert _count(ws, "traits") == 7 and _count(ws, "imports") == 1
    assert _dump(ws) == before


def _dump(ws: Path) -> list[str]:
    conn = sqlite3.connect(ws)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
