"""`snapshot` and `export-csv`: masking outside the window, the chosen cost, the new scopes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from explorer.cli import main
from explorer.masking import MaskRules, save_rules
from explorer.store.usage_events import set_currency, set_price
from explorer.store.workspace import Workspace
from tests.helpers.snapshot_workspaces import SAMPLE_TENANT, import_workspace

BRAND = "Holidays"  # in trait and segment names of the sample tenant
PARTNER = "7315"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ws") / "s.aamws"
    import_workspace(SAMPLE_TENANT, path).close()
    return path


@pytest.fixture
def ws(pristine: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(pristine, tmp_path / "s.aamws"))


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")


def test_mask_term_and_class_mask_the_html_and_say_so(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = invoke("snapshot", ws, "--out", out, "--no-chart", "--mask-term", BRAND,
                    "--mask-class", "pid")
    assert result.exit_code == 0, result.output
    page = _text(out)
    assert BRAND.lower() not in page.lower()
    assert not re.search(rf"(?<!\d){PARTNER}(?!\d)", page)
    assert "This snapshot is masked" in page and "1 client term" in page
    assert "note: the output is masked" in result.stderr


def test_the_workspaces_masking_applies_unless_no_mask(ws: Path, tmp_path: Path) -> None:
    with Workspace.open(ws) as workspace:
        save_rules(workspace, MaskRules(True, (BRAND,), (), frozenset({"pid"})))
    masked = invoke("snapshot", ws, "--out", tmp_path / "m.html", "--no-chart")
    assert masked.exit_code == 0, masked.output
    assert "masking is on in this workspace" in masked.stderr
    assert BRAND.lower() not in _text(tmp_path / "m.html").lower()
    real = invoke("snapshot", ws, "--out", tmp_path / "r.html", "--no-chart", "--no-mask")
    assert real.exit_code == 0 and "masking" not in real.stderr
    assert BRAND in _text(tmp_path / "r.html")
    csv = invoke("export-csv", ws, "findings", "--out", tmp_path / "f.csv")
    assert csv.exit_code == 0 and "masking is on in this workspace" in csv.stderr
    assert BRAND.lower() not in _text(tmp_path / "f.csv").lower()


def test_mask_uses_the_saved_rules_even_when_switched_off(ws: Path, tmp_path: Path) -> None:
    assert invoke("snapshot", ws, "--out", tmp_path / "x.html", "--mask").exit_code == 1
    with Workspace.open(ws) as workspace:
        save_rules(workspace, MaskRules(False, (BRAND,)))
    plain = invoke("snapshot", ws, "--out", tmp_path / "p.html", "--no-chart")
    assert BRAND in _text(tmp_path / "p.html") and "masking" not in plain.stderr
    result = invoke("snapshot", ws, "--out", tmp_path / "m.html", "--no-chart", "--mask")
    assert result.exit_code == 0, result.output
    assert BRAND.lower() not in _text(tmp_path / "m.html").lower()


def test_export_csv_masks_every_list(ws: Path, tmp_path: Path) -> None:
    for what in (["findings"], ["search", "phone"], ["list", "trait"]):
        out = tmp_path / f"{what[0]}.csv"
        result = invoke("export-csv", ws, *what, "--out", out, "--mask-term", BRAND,
                        "--mask-class", "pid")
        assert result.exit_code == 0, result.output
        text = _text(out)
        assert BRAND.lower() not in text.lower(), what
        assert not re.search(rf"(?<!\d){PARTNER}(?!\d)", text), what
    unmasked = invoke("export-csv", ws, "list", "trait", "--out", tmp_path / "u.csv")
    assert unmasked.exit_code == 0 and BRAND in _text(tmp_path / "u.csv")


@pytest.mark.parametrize("args", [["--no-mask", "--mask-term", "x"], ["--no-mask", "--mask"]])
def test_no_mask_goes_with_no_other_masking_option(ws: Path, tmp_path: Path,
                                                   args: list[str]) -> None:
    result = invoke("snapshot", ws, "--out", tmp_path / "r.html", *args)
    assert result.exit_code == 2 and "--no-mask cannot go with" in result.output
    assert not (tmp_path / "r.html").exists()


def test_a_bundle_is_refused_with_masking(ws: Path, tmp_path: Path) -> None:
    result = invoke("snapshot", ws, "--out", tmp_path / "r.html", "--bundle",
                    tmp_path / "r.aamsnap", "--mask-term", BRAND)
    assert result.exit_code == 2 and "--bundle cannot go with masking" in result.output
    assert list(tmp_path.glob("r.*")) == []


def test_cost_only_with_price_and_in_its_currency(ws: Path, tmp_path: Path) -> None:
    with Workspace.open(ws) as workspace:
        set_price(workspace.conn, 0.05)
        set_currency(workspace.conn, "CHF")
        workspace.conn.execute(
            "INSERT INTO usage_days(day, series, value, source) VALUES "
            "('2026-01-01', 'target', 1000, 't'), ('2026-01-02', 'target', 2000, 't')")
    plain = invoke("snapshot", ws, "--out", tmp_path / "p.html", "--chart")
    assert plain.exit_code == 0, plain.output
    assert "Target calls" in _text(tmp_path / "p.html")
    assert "Estimated cost" not in _text(tmp_path / "p.html")
    saved = invoke("snapshot", ws, "--out", tmp_path / "s.html", "--chart", "--price")
    assert saved.exit_code == 0, saved.output
    assert "Estimated cost (CHF)" in _text(tmp_path / "s.html")
    typed = invoke("snapshot", ws, "--out", tmp_path / "t.html", "--chart", "--price", "0.1",
                   "--currency", "EUR")
    assert typed.exit_code == 0 and "0.10 EUR per 1,000 Target calls" in _text(
        tmp_path / "t.html")


def test_price_errors(ws: Path, tmp_path: Path) -> None:
    alone = invoke("snapshot", ws, "--out", tmp_path / "r.html", "--price")
    assert alone.exit_code == 2 and "no price is saved" in alone.output
    currency = invoke("snapshot", ws, "--out", tmp_path / "r.html", "--currency", "EUR")
    assert currency.exit_code == 2 and "--currency goes with --price" in currency.output
    bad = invoke("snapshot", ws, "--out", tmp_path / "r.html", "--price", "-1")
    assert bad.exit_code == 2


def test_scope_words(ws: Path, tmp_path: Path) -> None:
    invoke("annotate", ws, "trait", "3100002", "--note", "check")
    result = invoke("snapshot", ws, "--out", tmp_path / "a.html", "--scope", "annotated")
    assert result.exit_code == 0, result.output
    assert "(1 object)" in result.output
    page = _text(tmp_path / "a.html")
    assert "Annotated objects" in page and 'id="row-trait-3100002"' in page
    findings = invoke("snapshot", ws, "--out", tmp_path / "f.html", "--scope",
                      "with-findings")
    assert findings.exit_code == 0 and "Objects with open findings" in _text(
        tmp_path / "f.html")
    mixed = invoke("snapshot", ws, "--out", tmp_path / "x.html", "--scope", "annotated",
                   "--scope", "trait:3100001")
    assert mixed.exit_code == 1 and "stands alone" in mixed.output


def test_the_written_files_are_listed(ws: Path, tmp_path: Path) -> None:
    result = invoke("snapshot", ws, "--out", tmp_path / "r.html", "--bundle",
                    tmp_path / "r.aamsnap", "--no-chart")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"wrote {tmp_path / 'r.html'} ({_objects(result)} objects)",
        f"wrote {tmp_path / 'r.aamsnap'}"]


def _objects(result: Result) -> str:
    return re.search(r"\((\d[\d,]*) objects\)", result.stdout).group(1)
