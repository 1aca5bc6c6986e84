"""The snapshot's findings section: checks the export did not let run are listed apart."""

from __future__ import annotations

from pathlib import Path

from explorer.domain.gaps import ExportPart, Gap
from explorer.masking import Masker, MaskRules
from explorer.report.snapshot import build_snapshot, render_snapshot
from tests.helpers.findings_tenant import Tenant


def test_not_checked_lines_are_listed_never_as_errors(tmp_path: Path) -> None:
    tenant = Tenant(tmp_path / "s.aamws").base()
    try:
        tenant.trait(5, "Lonely")
        tenant.gaps(Gap(ExportPart.FOLDERS, "the export has no folders",
                        kinds=("trait-folder", "segment-folder")))
        tenant.findings()
        snapshot = build_snapshot(tenant.conn)
        assert snapshot.not_checked == [
            "not checked: Trait or segment in a folder the export lacks — the export has no "
            "folders",
            "not checked: AEP object outside its Experience Platform folder — the export has "
            "no folders",
            "not checked: Trait folder deeper than 5 levels — the export has no folders",
        ]
        assert {g.check for g in snapshot.findings} == {"trait-unused"}
        html = render_snapshot(tenant.conn)
        section = html[html.index('<h3 id="not-checked">'):]
        assert "<li>not checked: Trait folder deeper than 5 levels — the export has no " \
               "folders</li>" in section
        masked = build_snapshot(tenant.conn, mask=Masker(MaskRules(True, ("folders",))))
        assert masked.not_checked[0].endswith("the export has no Term 1")
    finally:
        tenant.close()


def test_no_not_checked_section_when_the_gaps_are_unknown(tmp_path: Path) -> None:
    tenant = Tenant(tmp_path / "u.aamws").base()
    try:
        tenant.findings()
        assert build_snapshot(tenant.conn).not_checked == []
        assert 'id="not-checked"' not in render_snapshot(tenant.conn)
    finally:
        tenant.close()
