"""One masking path: the inspector and the snapshot show every kind of object with the same
masked values (the masker's ``mask_data``), and no page of the inspector shows a value the
rules mask: objects, group pages, the overview.

The client values are read from the workspace (its names, partner and user ids), so the test
follows whatever the sample tenant holds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from explorer.analysis.diff import ObjectChange
from explorer.importers import import_export
from explorer.kinds import GROUP_KEYS, KINDS, ObjectRef
from explorer.masking import (
    CLASSES,
    MIN_KNOWN_DIGITS,
    Masker,
    MaskRules,
    known_values,
    masker_for,
)
from explorer.report.inspector_html import EXPAND_LISTS_URL
from explorer.report.snapshot.objects import EntryRenderer
from explorer.report.snapshot.text import ReportMask
from explorer.store.annotations import set_annotation
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.ui.inspector import InspectorView
from tests.helpers.paths import DATA_DIR
from tests.helpers.snapshot_workspaces import scan

SAMPLE_TENANT = DATA_DIR / "sample-tenant"
EMAIL = "owner@client-brand.example"
# Not in the sample export: an algorithmic model and a derived signal, so every kind is shown.
ALGO_MODEL_ID = 880001
DERIVED_SIGNAL_ID = 880002


def _client_names(conn) -> list[str]:
    """The tenant's own names: every object's name but Adobe's data sources'."""
    names: list[str] = []
    for kind in KINDS.values():
        for (name,) in conn.execute(f"SELECT name FROM {kind.table} WHERE name IS NOT NULL"):
            text = str(name).strip()
            if text and not text.casefold().startswith(("adobe", "aam ")):
                names.append(text)
    return sorted(set(names), key=str.casefold)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    path = tmp_path / "masked.aamws"
    import_export(SAMPLE_TENANT, path)
    ws = Workspace.open(path)
    pid = int(min(known_values(ws.conn)["pid"]))
    brand = _client_names(ws.conn)[0]
    with transaction(ws.conn) as conn:
        conn.execute(
            "INSERT INTO algo_models(id, pid, name, description, status, raw) "
            "VALUES (?, ?, ?, ?, 'ACTIVE', ?)",
            (ALGO_MODEL_ID, pid, f"{brand} look-alikes", f"ask {EMAIL}",
             json.dumps({"algoModelId": ALGO_MODEL_ID, "pid": pid, "name": f"{brand} look-alikes",
                         "status": "ACTIVE", "crUID": 7001, "description": f"ask {EMAIL}"})))
        conn.execute(
            "INSERT INTO derived_signals(id, pid, name, source_key, source_value, target_key, "
            "target_value, integration_code, create_time, update_time, raw) "
            "VALUES (?, ?, ?, 'c_brand', ?, 'd_brand', ?, ?, 0, 0, ?)",
            (DERIVED_SIGNAL_ID, pid, f"{brand} signal", brand, brand, f"{brand}_signal",
             json.dumps({"signalId": DERIVED_SIGNAL_ID, "pid": pid, "sourceKey": "c_brand",
                         "sourceValue": brand, "targetKey": "d_brand", "targetValue": brand,
                         "crUID": 7001})))
    yield ws
    ws.close()


@pytest.fixture
def masker(workspace: Workspace) -> Masker:
    rules = MaskRules(True, tuple(_client_names(workspace.conn)), (), frozenset(CLASSES))
    masker = masker_for(workspace, rules)
    assert masker.active
    return masker


def _secrets(workspace: Workspace) -> list[str]:
    """What no masked page may show: the names, the e-mail, the tenant's ids."""
    known = known_values(workspace.conn)
    ids = [v for cls in ("pid", "uid") for v in known[cls]
           if len(v) >= MIN_KNOWN_DIGITS and int(v) != 0]
    assert ids, "the sample must have partner and user ids"
    return [*_client_names(workspace.conn), EMAIL, *ids]


def _leaks(text: str, secrets: list[str]) -> list[str]:
    """The secrets ``text`` shows as words: a name inside an AAM field name (a folder named
    "Marketing" in "marketingCloudVisitorIdVersion") is AAM's, not the client's."""
    found = []
    for value in secrets:
        pattern = (rf"(?<!\d){value}(?!\d)" if value.isdigit()
                   else rf"(?<![A-Za-z0-9_]){re.escape(value)}(?![A-Za-z0-9_])")
        if re.search(pattern, text, re.IGNORECASE):
            found.append(value)
    return found


def _aliases(text: str, masker: Masker, workspace: Workspace) -> set[str]:
    """The masker's aliases a text holds: terms' ("Term 3"), the tenant's ids' ("Partner A")
    and the e-mail's."""
    known = known_values(workspace.conn)
    candidates = set(masker.rules.term_aliases().values())
    candidates |= {masker.placeholder(cls, v) for cls in ("pid", "uid") for v in known[cls]}
    candidates.add(masker.placeholder("email", EMAIL))
    return {a for a in candidates if re.search(rf"\b{re.escape(a)}(?![\w@.-])", text)}


def _every_object(workspace: Workspace) -> list[ObjectRef]:
    refs = []
    for kind, info in KINDS.items():
        refs += [ObjectRef(kind, r[0]) for r in workspace.conn.execute(
            f"SELECT id FROM {info.table} ORDER BY id")]
    assert {r.kind for r in refs} == set(KINDS), "every kind needs an object"
    return refs


@pytest.fixture
def view(qtbot, workspace: Workspace, masker: Masker) -> InspectorView:
    widget = InspectorView(workspace, remember_choices=False)
    qtbot.addWidget(widget)
    widget.set_all_fields_expanded(True)  # the raw fields too: they hold the ids
    widget.set_text_mask(masker)
    return widget


def _screen(view: InspectorView, ref: ObjectRef) -> tuple[str, str]:
    """The inspector's page for ``ref`` (every list expanded): its HTML and its text."""
    view.show_object(ref)
    view.browser.anchorClicked.emit(QUrl(EXPAND_LISTS_URL))
    return view.browser.toHtml(), view.plain_text()


def test_inspector_and_snapshot_show_every_object_with_the_same_masked_values(
        view: InspectorView, workspace: Workspace, masker: Masker) -> None:
    conn = workspace.conn
    secrets = _secrets(workspace)
    refs = _every_object(workspace)
    renderer = EntryRenderer(conn, ReportMask(masker), set())
    aliased = 0
    for ref in refs:
        html, text = _screen(view, ref)
        card = renderer.body(ref.kind, ref.id)
        assert card is not None, ref
        card_text = " ".join(scan(str(card)).text)  # cells apart, as on screen
        assert _leaks(html, secrets) == [], f"the inspector shows {ref}'s real values"
        assert _leaks(str(card), secrets) == [], f"the snapshot writes {ref}'s real values"
        on_screen = _aliases(text, masker, workspace)
        assert on_screen == _aliases(card_text, masker, workspace), ref
        aliased += bool(on_screen)
    assert aliased == len(refs)  # every object shows masked values: a name, a partner id


def test_links_stay_real_while_their_text_is_masked(view: InspectorView,
                                                     workspace: Workspace,
                                                     masker: Masker) -> None:
    segment_id, trait_id = workspace.conn.execute(
        "SELECT segment_id, trait_id FROM segment_traits LIMIT 1").fetchone()
    html, _text = _screen(view, ObjectRef("segment", segment_id))
    assert f'href="aam://trait/{trait_id}"' in html
    trait_name = workspace.conn.execute("SELECT name FROM traits WHERE id = ?",
                                        (trait_id,)).fetchone()[0]
    assert masker.mask_text(trait_name) in view.plain_text()


def test_notes_group_pages_and_the_overview_are_masked(view: InspectorView,
                                                       workspace: Workspace,
                                                       masker: Masker) -> None:
    secrets = _secrets(workspace)
    trait_id, trait_name = workspace.conn.execute(
        "SELECT id, name FROM traits ORDER BY id LIMIT 1").fetchone()
    note = f"{trait_name}: ask {EMAIL}, partner {min(known_values(workspace.conn)['pid'])}"
    with transaction(workspace.conn) as conn:
        set_annotation(conn, "trait", trait_id, note=note, tags=[trait_name], status="to fix")
    html, text = _screen(view, ObjectRef("trait", trait_id))
    assert _leaks(html, secrets) == []
    assert masker.mask_text(note) in text
    for group in GROUP_KEYS:
        view.show_group(group)
        assert _leaks(view.browser.toHtml(), secrets) == [], group
    view.show_overview()
    assert _leaks(view.browser.toHtml(), secrets) == []
    view.set_text_mask(None)
    view.show_object(ObjectRef("trait", trait_id))
    assert trait_name in view.plain_text()  # the real values are back without the mask



def test_changes_and_a_removed_object_are_masked(view: InspectorView, workspace: Workspace,
                                                 masker: Masker) -> None:
    secrets = _secrets(workspace)
    trait_id, trait_name = workspace.conn.execute(
        "SELECT id, name FROM traits ORDER BY id LIMIT 1").fetchone()
    since = f"import 1 ({trait_name} export)"
    view.set_changes({
        ("trait", trait_id): ObjectChange("trait", trait_id, "changed",
                                          {"name": [f"Old {trait_name}", trait_name],
                                           "crUID": [7001, 7002]}),
        ("trait", 1): ObjectChange("trait", 1, "removed")}, since)
    html, text = _screen(view, ObjectRef("trait", trait_id))
    assert _leaks(html, secrets) == []
    assert masker.mask_text(f"Old {trait_name}") in text
    view.show_object(ObjectRef("trait", 1))
    assert _leaks(view.browser.toHtml(), secrets) == []
    assert f"removed since {masker.mask_text(since)}" in view.plain_text()
