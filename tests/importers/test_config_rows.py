"""Segment rules the import cannot fully index: numbers too large, any text at all."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import main
from explorer.importers import import_export

HUGE_RULES = [
    f"({2**63}T) OR (3100001T)",
    "(" + "1" * 5000 + "T) OR (3100001T)",
    "frequency([3100001T]) >= " + "1" * 5000,
    "frequency([3100001T] <= " + "1" * 5000 + "D) >= 2",
]


def _with_rule(export: Path, rule: str) -> int:
    segments = json.loads((export / "segments.json").read_text(encoding="utf-8"))
    segments[0]["segmentRule"] = rule
    (export / "segments.json").write_text(json.dumps(segments), encoding="utf-8")
    return int(segments[0]["sid"])


def test_trait_id_beyond_range_skips_the_reference_with_a_warning(
        sample_tenant: Path, tmp_path: Path) -> None:
    sid = _with_rule(sample_tenant, f"({2**63}T) OR (3100001T)")
    workspace = tmp_path / "huge.aamws"
    report = import_export(sample_tenant, workspace)
    warnings = [str(p) for p in report.warnings]
    assert any(f"sid {sid}" in w and "segmentRule" in w
               and "trait id 9223372036854775808 in the rule is beyond AAM's id range; that "
                   "reference is not indexed" in w for w in warnings), warnings
    with sqlite3.connect(workspace) as conn:
        rows = conn.execute("SELECT trait_id FROM segment_traits WHERE segment_id = ?",
                            (sid,)).fetchall()
    assert rows == [(3100001,)]


@pytest.mark.parametrize("rule", HUGE_RULES)
def test_any_stored_rule_text_shows_and_goes_into_a_snapshot(
        sample_tenant: Path, tmp_path: Path, rule: str) -> None:
    sid = _with_rule(sample_tenant, rule)
    workspace = tmp_path / "huge.aamws"
    import_export(sample_tenant, workspace)
    runner = CliRunner()
    shown = runner.invoke(main, ["show", str(workspace), "segment", str(sid)])
    assert shown.exit_code == 0, shown.output
    assert "Could not read this rule: number out of range" in shown.output
    html = tmp_path / "review.html"
    snapshot = runner.invoke(main, ["snapshot", str(workspace), "--out", str(html)])
    assert snapshot.exit_code == 0, snapshot.output
    assert f'id="row-segment-{sid}"' in html.read_text(encoding="utf-8")  # the whole tenant
    # the object's card (a picked object has one) says what is wrong with its rule
    picked = runner.invoke(main, ["snapshot", str(workspace), "--out", str(html), "--scope",
                                  f"segment:{sid}"])
    assert picked.exit_code == 0, picked.output
    assert "number out of range" in html.read_text(encoding="utf-8")
