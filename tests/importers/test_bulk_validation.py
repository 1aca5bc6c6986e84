"""Bulk validation (strict twins in pydantic-core) reports exactly what per-record validation
reports: the same problems, skips, counts and stored rows, on the bad-input corpus, the seeded
mutation corpus and a file in which every trait and segment field takes every odd value."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from itertools import repeat
from pathlib import Path
from typing import Any

import pytest

from explorer.domain.records import RECORD_TYPES
from explorer.importers import ImportRefused, config_rows, import_export
from explorer.importers.bulk_validation import STRICT_TYPES, bulk_models
from tests.helpers.export_forms import stored_rows, tenant, write_json
from tests.helpers.paths import DATA_DIR
from tests.importers.test_import_run_hardening import _WEIRD_VALUES, _case

_TABLES = ("traits", "segments", "segment_traits", "data_sources", "trait_folders",
           "segment_folders", "destinations", "destination_mappings", "merge_rules")


def _per_record_only(kind: str, records: list[Any]) -> Iterator[None]:
    return repeat(None, len(records))


def _outcome(source: Path, ws: Path) -> tuple[Any, ...]:
    """Everything an import tells and stores, in a comparable form."""
    try:
        report = import_export(source, ws)
    except ImportRefused as refused:
        return ("refused", [str(p) for p in refused.report.errors])
    files = [(f.name, f.kind, f.records, f.skipped, f.duplicates, f.reason)
             for f in report.files]
    rows = {table: stored_rows(ws, f"SELECT * FROM {table}") for table in _TABLES}
    findings = stored_rows(ws, "SELECT check_id, object_kind, object_id, message FROM findings")
    return ("imported", [str(p) for p in report.warnings], [str(p) for p in report.errors],
            report.notes, dict(report.counts), files, rows, findings)


def _both_ways(source: Path, work: Path, monkeypatch: pytest.MonkeyPatch
               ) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    bulk = _outcome(source, work / "bulk.aamws")
    with monkeypatch.context() as patch:
        patch.setattr(config_rows, "bulk_models", _per_record_only)
        per_record = _outcome(source, work / "per-record.aamws")
    return bulk, per_record


@pytest.mark.parametrize("case", sorted(p.name for p in (DATA_DIR / "bad").iterdir()))
def test_bad_input_corpus_same_problems(case: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    bulk, per_record = _both_ways(DATA_DIR / "bad" / case, tmp_path, monkeypatch)
    assert bulk == per_record


def test_mutation_corpus_same_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    differing, compared = [], 0
    for seed in range(300):
        root = tmp_path / f"case{seed}"
        root.mkdir()
        source, case = _case(seed, root)
        if "trait" not in case and "segment" not in case and "csv" not in case:
            continue  # only traits and segments are validated in bulk
        compared += 1
        bulk, per_record = _both_ways(source, root, monkeypatch)
        if bulk != per_record:
            differing.append(f"seed {seed}: {case}")
    assert compared > 100
    assert differing == []


def test_every_odd_value_in_every_field_same_problems(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    data = tenant()
    for kind in ("trait", "segment"):
        template = data[kind][0]
        keys = sorted({*template, *(f.alias or n for n, f in RECORD_TYPES[kind].model_fields
                                    .items())})
        next_id = 5_000_000 if kind == "trait" else 6_000_000
        for key in keys:
            for value in _WEIRD_VALUES:
                record = copy.deepcopy(template)
                record["sid"] = next_id
                next_id += 1
                record[key] = value
                data[kind].append(record)
    source = write_json(tmp_path / "export", data)
    bulk, per_record = _both_ways(source, tmp_path, monkeypatch)
    assert bulk[0] == "imported"
    assert len(bulk[1]) > 100  # the odd values did produce problems
    assert bulk == per_record


def test_a_clean_file_is_settled_in_bulk() -> None:
    records = tenant()["trait"]
    assert records and all(m is not None for m in bulk_models("trait", records))


def test_a_refused_record_is_left_to_the_per_record_path() -> None:
    records = tenant()["trait"]
    records[1] = {**records[1], "status": 1}  # a code the per-record path turns into a word
    records[2] = {**records[2], "createTime": "2012-09-04 20:33:45"}
    models = list(bulk_models("trait", records))
    assert [m is None for m in models] == [False, True, True, False]
    assert models[3].id == records[3]["sid"]


def test_strict_twins_have_the_full_models_fields() -> None:
    for kind, strict in STRICT_TYPES.items():
        full = RECORD_TYPES[kind].model_fields
        assert {n: f.alias for n, f in strict.model_fields.items()} == {
            n: f.alias for n, f in full.items()}
        assert {n: f.default for n, f in strict.model_fields.items()} == {
            n: f.default for n, f in full.items()}
