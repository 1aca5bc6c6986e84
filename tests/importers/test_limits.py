"""QA fix round (core): deep segment rules, out-of-range ids, unreadable JSON files, what a
snapshot bundle gives away, and report writers on paths that cannot be written."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from explorer.domain.explain import explain_segment_rule
from explorer.domain.records import Trait
from explorer.domain.segment_rule import (
    MAX_RULE_DEPTH,
    RuleSyntaxError,
    parse_segment_rule,
    referenced_trait_ids,
    referenced_traits,
)
from explorer.importers import ImportRefused, import_export

DEEP_RULE = "(" * 300 + "3100001T" + ")" * 300


# -- 1. deeply nested segment rules -------------------------------------------------------------


CHAIN_RULE = "(1T AND " * 300 + "2T" + ")" * 300


@pytest.mark.parametrize("rule", [DEEP_RULE, "NOT " * 300 + "5T", CHAIN_RULE])
def test_deep_rule_is_a_syntax_error_not_a_recursion_error(rule: str) -> None:
    with pytest.raises(RuleSyntaxError, match=f"deeper than {MAX_RULE_DEPTH} levels"):
        parse_segment_rule(rule)
    assert referenced_trait_ids(rule)  # the plain scan still finds the references
    text = explain_segment_rule(rule, {})
    assert text.startswith("Could not read this rule: the rule nests deeper than 100 levels")


def test_depth_limit_is_exact_and_deepest_allowed_rule_is_explained() -> None:
    at_limit = "(" * MAX_RULE_DEPTH + "7T" + ")" * MAX_RULE_DEPTH
    assert referenced_trait_ids(at_limit) == [7]
    with pytest.raises(RuleSyntaxError):
        parse_segment_rule("(" + at_limit + ")")
    # An AND/OR/NOT chain at the limit, explained with a small stack to spare.
    nested = "(1T OR NOT " * (MAX_RULE_DEPTH // 2) + "2T" + ")" * (MAX_RULE_DEPTH // 2)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(700)
    try:
        text = explain_segment_rule(nested, {1: "One", 2: "Two"})
        refs = referenced_traits(nested)
    finally:
        sys.setrecursionlimit(limit)
    assert text.startswith("Qualifies when: the visitor\n  has trait 'One' (1)\n"
                           "  OR meets NONE of these:\n    has trait 'One' (1)\n")
    assert text.endswith("OR NOT (has trait 'One' (1) OR does NOT have trait 'Two' (2))")
    assert [r.trait_id for r in refs] == [1, 2]


def test_deep_rule_imports_and_shows(sample_tenant: Path, tmp_path: Path) -> None:
    segments = json.loads((sample_tenant / "segments.json").read_text())
    segments[0]["segmentRule"] = DEEP_RULE
    (sample_tenant / "segments.json").write_text(json.dumps(segments))
    report = import_export(sample_tenant, tmp_path / "deep.aamws")
    assert report.counts["segments"] == len(segments)
    from click.testing import CliRunner

    from explorer.cli import main

    result = CliRunner().invoke(
        main, ["show", str(tmp_path / "deep.aamws"), "segment", str(segments[0]["sid"])]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert "Could not read this rule" in result.output


# -- 2. ids out of range, negative, boolean -----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [(2**70, "out of range"), (-5, "out of range"), (0, "out of range"),
     (True, "not true/false")],
)
def test_bad_sid_skips_the_record_with_a_located_message(
    sample_tenant: Path, tmp_path: Path, value: object, message: str
) -> None:
    traits = json.loads((sample_tenant / "traits.json").read_text())
    traits[0]["sid"] = value
    (sample_tenant / "traits.json").write_text(json.dumps(traits))
    report = import_export(sample_tenant, tmp_path / "ids.aamws")
    assert report.counts["traits"] == len(traits) - 1
    texts = [str(p) for p in report.warnings + report.errors]
    assert any(t.startswith("traits.json: record 1") and "field 'sid': " in t
               and message in t for t in texts), texts


def test_other_id_fields_refuse_bools_and_huge_values() -> None:
    base = {"sid": 5, "name": "t", "dataSourceId": 1, "folderId": 0}
    assert Trait.model_validate({**base, "sid": "12", "folderId": " 3 "}).id == 12
    assert Trait.model_validate({**base, "sid": 2**63 - 1}).id == 2**63 - 1
    for field_name, value in [("dataSourceId", True), ("folderId", -1), ("ttl", 2**64),
                              ("createTime", 2**70), ("algoModelId", 0), ("pid", False)]:
        with pytest.raises(ValueError, match=field_name):
            Trait.model_validate({**base, field_name: value})


# -- 3. a file of the export that cannot be read: refused, with a clear one-line message -------

ADVICE = "remove it from the export or fix it, then import again"


def _refusal(export: Path, tmp_path: Path) -> str:
    ws = tmp_path / "refused.aamws"
    with pytest.raises(ImportRefused) as caught:
        import_export(export, ws)
    assert not ws.exists()  # nothing imported
    return str(caught.value)


def test_deeply_nested_json_is_refused_with_advice(sample_tenant: Path, tmp_path: Path) -> None:
    (sample_tenant / "deep.json").write_text("[" * 100000 + "]" * 100000)
    message = _refusal(sample_tenant, tmp_path)
    assert message == ("deep.json: not readable as an AAM export file: its JSON nests too "
                       f"deeply (AAM files nest a few levels); {ADVICE}")


def test_nul_file_is_refused_with_advice(sample_tenant: Path, tmp_path: Path) -> None:
    (sample_tenant / "nul.json").write_bytes(b"\x00" * 64)
    message = _refusal(sample_tenant, tmp_path)
    assert message == ("nul.json: not an AAM export file: binary data (NUL bytes), not JSON "
                       f"or CSV text; {ADVICE}")


def test_truncated_json_is_refused_as_truncated(sample_tenant: Path, tmp_path: Path) -> None:
    data = (sample_tenant / "traits.json").read_bytes()
    (sample_tenant / "traits.json").write_bytes(data[: len(data) // 2])
    message = _refusal(sample_tenant, tmp_path)
    assert message.startswith("traits.json: not valid JSON: ")
    assert message.endswith(f", where the file ends: truncated?); {ADVICE}")
    assert "\n" not in message


def test_cli_prints_the_refusal_without_a_traceback(sample_tenant: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from explorer.cli import main

    (sample_tenant / "deep.json").write_text("[" * 100000 + "]" * 100000)
    result = CliRunner().invoke(
        main, ["import", str(sample_tenant), "-w", str(tmp_path / "cli.aamws")]
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "deep.json: not readable as an AAM export file" in result.output
    assert ADVICE in result.output


def test_a_missing_export_gets_no_file_advice(tmp_path: Path) -> None:
    message = _refusal(tmp_path / "nowhere", tmp_path)
    assert message.endswith("nowhere: no such file or folder")


# -- 4. what a snapshot bundle gives away ------------------------------------------------------


def test_bundle_imports_rows_name_the_export_only_and_count_the_bundle(
        sample_tenant: Path, tmp_path: Path) -> None:
    import sqlite3
    import zipfile

    from explorer.kinds import ObjectRef
    from explorer.report.bundle import WORKSPACE_ENTRY, write_bundle
    from explorer.report.scope import resolve_scope
    from explorer.store.workspace import Workspace

    export = tmp_path / "private-consultant-folder" / "acme-export"
    export.parent.mkdir()
    sample_tenant.rename(export)
    import_export(export, tmp_path / "full.aamws")
    with Workspace.open(tmp_path / "full.aamws") as ws:
        scope = resolve_scope(ws.conn, [ObjectRef("segment", 3200004)])
        bundle = write_bundle(ws.conn, scope, "<html></html>", tmp_path / "c.aamsnap",
                              manifest={"title": "Bluefin", "partner_id": "7315"})
    with zipfile.ZipFile(bundle) as archive:
        raw = archive.read(WORKSPACE_ENTRY)
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["partner_id"] == 7315
    assert str(export).encode() not in raw and b"private-consultant-folder" not in raw
    opened = tmp_path / "opened.aamws"
    opened.write_bytes(raw)
    conn = sqlite3.connect(opened)
    try:
        source, counts, report = conn.execute(
            "SELECT source, counts, report FROM imports").fetchone()
        assert source == "acme-export" and report == "{}"
        counts = json.loads(counts)
        assert counts["segments"] == 1 and counts["traits"] == 2
        assert counts["segment_traits"] == conn.execute(
            "SELECT count(*) FROM segment_traits").fetchone()[0]
    finally:
        conn.close()


# -- 5. report writers on paths that cannot be written ------------------------------------------


def test_csv_writer_names_the_path_it_cannot_write(tmp_path: Path) -> None:
    from explorer.report.csv_export import annotations_csv
    from explorer.report.errors import ReportWriteError
    from explorer.store.workspace import Workspace

    with Workspace.open(tmp_path / "w.aamws", create=True) as ws:
        target = tmp_path / "nodir" / "x.csv"
        with pytest.raises(ReportWriteError) as caught:
            annotations_csv(ws.conn, target)
    assert str(caught.value) == f"{target}: cannot write: No such file or directory"
    assert isinstance(caught.value, OSError)


def test_bundle_writer_names_the_path_it_cannot_write(tmp_path: Path) -> None:
    from explorer.report.bundle import write_bundle
    from explorer.report.errors import ReportWriteError
    from explorer.report.scope import resolve_scope
    from explorer.store.workspace import Workspace

    with Workspace.open(tmp_path / "w.aamws", create=True) as ws:
        for target in (tmp_path / "nodir" / "x.aamsnap", Path("/proc/x.aamsnap")):
            with pytest.raises(ReportWriteError, match=r"^.*x\.aamsnap: cannot write: ") as caught:
                write_bundle(ws.conn, resolve_scope(ws.conn), "<html></html>", target)
            assert str(caught.value).startswith(f"{target}: cannot write: ")
            assert "\n" not in str(caught.value)
    assert not (tmp_path / "nodir").exists()


def test_pdf_writer_names_the_path_it_cannot_write(tmp_path: Path) -> None:
    from explorer.report.errors import ReportWriteError
    from explorer.report.qt.pdf import write_pdf
    from explorer.report.snapshot import build_snapshot
    from explorer.store.workspace import Workspace

    with Workspace.open(tmp_path / "w.aamws", create=True) as ws:
        report = build_snapshot(ws.conn, title="Empty", scope=None)
    target = Path("/nonexistent/x.pdf")
    with pytest.raises(ReportWriteError) as caught:
        write_pdf(report, target)
    assert str(caught.value) == f"{target}: cannot write: no such folder /nonexistent"
    with pytest.raises(ReportWriteError, match="it is a folder"):
        write_pdf(report, tmp_path)
    assert write_pdf(report, tmp_path / "ok.pdf").read_bytes().startswith(b"%PDF-")
