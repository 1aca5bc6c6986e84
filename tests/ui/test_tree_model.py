"""The lazy explorer tree: structure, counts, paging, reveal, marks and groupings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTreeView

from explorer.kinds import ObjectRef
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from explorer.ui.item_roles import NODE_TYPE_ROLE, OBJECT_REF_ROLE
from explorer.ui.tree_model import (
    GROUP_KEY_ROLE,
    MARKS_ROLE,
    WorkspaceTreeModel,
    connect_load_more,
)
from tests.helpers.workspace_factory import (
    accept_findings,
    add_marks,
    build_synthetic_workspace,
    open_sample_workspace,
)

WIDE_FOLDER = ObjectRef("trait-folder", 199_999)


@pytest.fixture
def sample_ws(qapp, sample_tenant: Path, tmp_path: Path):
    ws = open_sample_workspace(sample_tenant, tmp_path / "sample.aamws")
    yield ws
    ws.close()


@pytest.fixture
def synthetic_ws(qapp, tmp_path: Path):
    ws = build_synthetic_workspace(tmp_path / "synthetic.aamws", depth=4, breadth=3,
                                   wide_folder=2_500)
    yield ws
    ws.close()


def top_labels(model: WorkspaceTreeModel) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def child_labels(model: WorkspaceTreeModel, parent: QModelIndex) -> list[str]:
    model.fetchMore(parent)
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def group_index(model: WorkspaceTreeModel, prefix: str) -> QModelIndex:
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data().startswith(prefix):
            return index
    raise AssertionError(f"no group {prefix!r} in {top_labels(model)}")


def ancestors(index: QModelIndex) -> list[str]:
    names = []
    while index.isValid():
        names.append(index.data())
        index = index.parent()
    return list(reversed(names))


def test_sample_tenant_passes_model_tester(qtmodeltester, sample_ws: Workspace) -> None:
    qtmodeltester.check(WorkspaceTreeModel(sample_ws))
    qtmodeltester.check(WorkspaceTreeModel(sample_ws, grouping="data-source"))


def walk(model: WorkspaceTreeModel, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    model.fetchMore(parent)
    rows = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        rows.append(f"{ancestors(index)}")
        rows += walk(model, index)
    return rows


def test_reload_rebuilds_the_same_tree_as_a_fresh_model(qtbot, sample_ws: Workspace) -> None:
    # No model tester attached here: Qt's testers walk the model from inside modelReset
    # before clearing their "reset in flight" flag, so any lazy model that inserts rows in
    # fetchMore trips them across a reset. Fresh models are checked above.
    model = WorkspaceTreeModel(sample_ws)
    walk(model)
    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset]):
        model.set_grouping("data-source")
    assert walk(model) == walk(WorkspaceTreeModel(sample_ws, grouping="data-source"))
    model.reload()
    assert walk(model) == walk(WorkspaceTreeModel(sample_ws, grouping="data-source"))


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "py-tester"])
def test_synthetic_tenant_passes_model_tester(qtmodeltester, qapp, tmp_path: Path,
                                              force_py: bool) -> None:
    ws = build_synthetic_workspace(tmp_path / "big.aamws", depth=5, breadth=3,
                                   wide_folder=1_000)
    model = WorkspaceTreeModel(ws, page_size=700)
    qtmodeltester.check(model, force_py=force_py)
    assert model.built_rows() > 3_000  # the tester walked (and so loaded) a few thousand nodes
    ws.close()


def test_sample_tree_top_level_and_counts(sample_ws: Workspace) -> None:
    model = WorkspaceTreeModel(sample_ws)
    assert top_labels(model) == ["Data sources (5)", "Trait storage (7)",
                                 "Segment storage (5) · Target: unknown", "Merge rules (4)",
                                 "Destinations (3)"]
    traits = group_index(model, "Trait storage")
    assert traits.data(NODE_TYPE_ROLE) == "group"
    assert traits.data(OBJECT_REF_ROLE) is None
    assert traits.data(GROUP_KEY_ROLE) == "traits"
    assert child_labels(model, traits) == [
        "3rd-Party Data (1)", "Audience Traits (0)", "Experience Platform Traits (1)",
        "Loyalty Program (2)", "Site Browsing (3)"]
    beach = model.index_for(ObjectRef("trait-folder", 540132))
    assert beach.data() == "Beach (2)"
    assert beach.data(NODE_TYPE_ROLE) == "folder"
    assert ancestors(beach) == ["Trait storage (7)", "Site Browsing (3)",
                                      "Holiday Types (2)", "Beach (2)"]
    assert child_labels(model, beach) == ["Luxury Caribbean Searchers", "Viewed Beach Holidays"]
    holidays = model.index(1, 0, beach)
    assert holidays.data(OBJECT_REF_ROLE) == ObjectRef("trait", 3100001)
    assert holidays.data(NODE_TYPE_ROLE) == "object"
    assert "Trait 3100001" in holidays.data(Qt.ItemDataRole.ToolTipRole)
    assert "Rule-based" in holidays.data(Qt.ItemDataRole.ToolTipRole)
    assert not holidays.data(Qt.ItemDataRole.DecorationRole).isNull()


def test_folder_counts_match_recursive_sql(synthetic_ws: Workspace) -> None:
    model = WorkspaceTreeModel(synthetic_ws)
    conn = synthetic_ws.conn
    for folder_id in (100_001, 100_004, 100_020):
        expected = conn.execute(
            "WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT f.id FROM trait_folders f "
            "JOIN sub ON f.parent_id = sub.id) "
            "SELECT count(*) FROM traits WHERE folder_id IN (SELECT id FROM sub)",
            (folder_id,)).fetchone()[0]
        index = model.index_for(ObjectRef("trait-folder", folder_id))
        assert index.data().endswith(f"({expected:,})"), index.data()
    total = conn.execute("SELECT count(*) FROM traits").fetchone()[0]
    assert group_index(model, "Trait storage").data() == f"Trait storage ({total:,})"


def test_missing_folder_node_keeps_orphans_visible(synthetic_ws: Workspace) -> None:
    model = WorkspaceTreeModel(synthetic_ws)
    labels = child_labels(model, group_index(model, "Trait storage"))
    assert labels[-1] == "(folder missing: 777777) (2)"
    orphan_id = synthetic_ws.conn.execute(
        "SELECT id FROM traits WHERE name = 'Orphan 1'").fetchone()[0]
    index = model.index_for(ObjectRef("trait", orphan_id))
    assert index.data() == "Orphan 1"
    assert index.parent().data(OBJECT_REF_ROLE) == ObjectRef("trait-folder", 777_777)


def test_children_are_not_queried_before_expand(synthetic_ws: Workspace) -> None:
    statements: list[str] = []
    synthetic_ws.conn.set_trace_callback(statements.append)
    try:
        model = WorkspaceTreeModel(synthetic_ws)
        assert not any("LIMIT" in s for s in statements)  # only aggregates so far
        traits = group_index(model, "Trait storage")
        assert model.hasChildren(traits)
        assert model.rowCount(traits) == 0
        assert model.canFetchMore(traits)
        model.fetchMore(traits)
        folder = model.index(0, 0, traits)
        assert model.rowCount(folder) == 0 and model.canFetchMore(folder)
        assert not any("FROM traits" in s and "LIMIT" in s for s in statements)
        model.fetchMore(folder)
        assert any("FROM traits" in s and "LIMIT" in s for s in statements)
        assert model.rowCount(folder) == 3 + 5  # 3 subfolders, 4 traits + the AEP one
        assert not model.canFetchMore(folder)
    finally:
        synthetic_ws.conn.set_trace_callback(None)


def test_load_more_row_pages_a_wide_folder(synthetic_ws: Workspace) -> None:
    model = WorkspaceTreeModel(synthetic_ws, page_size=1_000)
    wide = model.index_for(WIDE_FOLDER)
    assert wide.data() == "Wide (2,500)"
    model.fetchMore(wide)
    assert model.rowCount(wide) == 1_001
    more = model.index(1_000, 0, wide)
    assert more.data(NODE_TYPE_ROLE) == "more"
    assert more.data(OBJECT_REF_ROLE) is None
    assert more.data() == "Load more… (1,000 of 2,500 shown)"
    assert model.load_more(more) == 1_000
    assert model.rowCount(wide) == 2_001
    assert model.load_more(model.index(2_000, 0, wide)) == 500
    assert model.rowCount(wide) == 2_500
    names = [model.index(r, 0, wide).data() for r in range(model.rowCount(wide))]
    assert names == [f"Wide {i:05d}" for i in range(2_500)]  # ordered, no gap, no "more" row


def test_load_more_from_a_view_activation(qtbot, synthetic_ws: Workspace) -> None:
    model = WorkspaceTreeModel(synthetic_ws, page_size=1_000)
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    connect_load_more(view, model)
    view.show()
    qtbot.waitExposed(view)
    traits = group_index(model, "Trait storage")
    assert model.rowCount(traits) == 0
    view.expand(traits)  # the view asks the model to fetch the group's children
    qtbot.waitUntil(lambda: model.rowCount(traits) > 0)
    wide = model.index_for(WIDE_FOLDER)
    view.expand(wide)
    qtbot.waitUntil(lambda: model.rowCount(wide) == 1_001)
    more = model.index(1_000, 0, wide)
    view.setCurrentIndex(more)
    qtbot.keyClick(view, Qt.Key.Key_Return)  # Enter activates the "Load more…" row
    assert model.rowCount(wide) == 2_001


def test_index_for_deep_object_and_beyond_first_page(synthetic_ws: Workspace) -> None:
    model = WorkspaceTreeModel(synthetic_ws, page_size=1_000)
    deep_id, folder_id = synthetic_ws.conn.execute(
        "SELECT t.id, t.folder_id FROM traits t JOIN trait_folders f ON f.id = t.folder_id "
        "WHERE f.depth = 4 ORDER BY t.id DESC LIMIT 1").fetchone()
    index = model.index_for(ObjectRef("trait", deep_id))
    assert index.isValid()
    assert index.data(OBJECT_REF_ROLE) == ObjectRef("trait", deep_id)
    assert index.parent().data(OBJECT_REF_ROLE) == ObjectRef("trait-folder", folder_id)
    assert len(ancestors(index)) == 6  # group + 4 folder levels + the trait

    far_id = synthetic_ws.conn.execute(
        "SELECT id FROM traits WHERE name = 'Wide 02300'").fetchone()[0]
    far = model.index_for(ObjectRef("trait", far_id))
    assert far.data() == "Wide 02300"
    assert far.row() == 2_300
    assert model.index_for(ObjectRef("trait", 42)).isValid() is False


def test_index_for_other_kinds(sample_ws: Workspace) -> None:
    model = WorkspaceTreeModel(sample_ws)
    assert model.index_for(ObjectRef("data-source", 471202)).data() == "Bluefin Loyalty CRM"
    assert model.index_for(ObjectRef("merge-rule", 471212)).data() == "External Merge Policy"
    mapping = model.index_for(ObjectRef("destination-mapping", 820003))
    assert mapping.data() == "Modeled Prospects Not Yet Platinum"
    assert mapping.parent().data(OBJECT_REF_ROLE) == ObjectRef("destination", 8103)
    segment = model.index_for(ObjectRef("segment", 3200001))
    assert ancestors(segment) == ["Segment storage (5) · Target: unknown", "Campaigns (4)",
                                  "Onsite Tests (1)", "Beach Viewers - Platinum Members"]


def test_marks_for_aep_findings_and_annotations(qtbot, sample_ws: Workspace) -> None:
    model = WorkspaceTreeModel(sample_ws)
    aep_trait = model.index_for(ObjectRef("trait", 3100006))
    assert aep_trait.data(MARKS_ROLE) == frozenset({"aep"})
    assert "Adobe Experience Platform" in aep_trait.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index_for(ObjectRef("trait-folder", 540110)).data(MARKS_ROLE) == {"aep"}
    holidays = model.index_for(ObjectRef("trait", 3100001))
    assert holidays.data(MARKS_ROLE) == frozenset()
    plain_icon = holidays.data(Qt.ItemDataRole.DecorationRole).cacheKey()

    with transaction(sample_ws.conn) as conn:
        conn.execute("INSERT INTO findings(check_id, severity, object_kind, object_id, message)"
                     " VALUES ('x', 'warning', 'trait', 3100001, 'm'),"
                     " ('y', 'warning', 'segment', 3200001, 'accepted one')")
        conn.execute("INSERT INTO finding_acceptances(check_id, object_kind, object_id, "
                     "accepted_at) VALUES ('y', 'segment', 3200001, 'now')")
        conn.execute("INSERT INTO annotations(kind, object_id, note, created, updated) "
                     "VALUES ('trait', 3100001, 'n', 'now', 'now'),"
                     " ('segment-folder', 640110, 'n', 'now', 'now')")
    with qtbot.waitSignal(model.dataChanged):
        model.refresh_marks()
    assert holidays.data(MARKS_ROLE) == frozenset({"findings", "annotation"})
    assert holidays.data(Qt.ItemDataRole.DecorationRole).cacheKey() != plain_icon
    assert "Has findings" in holidays.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index_for(ObjectRef("segment", 3200001)).data(MARKS_ROLE) == frozenset()
    marketing = model.index_for(ObjectRef("segment-folder", 640110))
    assert marketing.data(MARKS_ROLE) == frozenset({"annotation"})


def test_info_findings_do_not_mark_the_tree(qtbot, sample_ws: Workspace) -> None:
    model = WorkspaceTreeModel(sample_ws)
    holidays = model.index_for(ObjectRef("trait", 3100001))
    with transaction(sample_ws.conn) as conn:
        conn.execute("INSERT INTO findings(check_id, severity, object_kind, object_id, message)"
                     " VALUES ('trait-unused', 'info', 'trait', 3100001, 'unused')")
    model.refresh_marks()
    assert holidays.data(MARKS_ROLE) == frozenset()
    with transaction(sample_ws.conn) as conn:
        conn.execute("UPDATE finding_rows SET severity = 'warning' WHERE object_id = 3100001")
    with qtbot.waitSignal(model.dataChanged):
        model.refresh_marks()
    assert holidays.data(MARKS_ROLE) == frozenset({"findings"})


def trait_id(ws: Workspace, name: str) -> int:
    return int(ws.conn.execute("SELECT id FROM traits WHERE name = ?", (name,)).fetchone()[0])


def test_marks_come_with_their_page_not_tenant_wide(synthetic_ws: Workspace) -> None:
    wide = {n: trait_id(synthetic_ws, f"Wide {n:05d}") for n in (5, 1500, 2300, 2400)}
    add_marks(synthetic_ws, findings=(("trait", wide[2300]), ("trait-folder", 100_001)),
              accepted=(("trait", wide[2400]),),
              annotations=(("trait", wide[1500]), ("trait-folder", 777_777)))
    statements: list[str] = []
    synthetic_ws.conn.set_trace_callback(statements.append)
    try:
        model = WorkspaceTreeModel(synthetic_ws, page_size=1_000)
        assert not any("findings" in s or "annotations" in s for s in statements)
    finally:
        synthetic_ws.conn.set_trace_callback(None)
    later = model.index_for(ObjectRef("trait", wide[2300]))  # on the third page
    assert later.row() == 2_300
    assert later.data(MARKS_ROLE) == frozenset({"findings"})
    assert "Has findings" in later.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index_for(ObjectRef("trait", wide[1500])).data(MARKS_ROLE) == \
        frozenset({"annotation"})
    assert model.index_for(ObjectRef("trait", wide[2400])).data(MARKS_ROLE) == frozenset()
    assert model.index_for(ObjectRef("trait", wide[5])).data(MARKS_ROLE) == frozenset()
    # Folders get theirs when they are built, missing folders too.
    assert model.index_for(ObjectRef("trait-folder", 100_001)).data(MARKS_ROLE) == \
        frozenset({"findings"})
    orphan = model.index_for(ObjectRef("trait", trait_id(synthetic_ws, "Orphan 0")))
    assert orphan.parent().data(MARKS_ROLE) == frozenset({"annotation"})


def test_refresh_marks_rereads_loaded_rows_only(qtbot, synthetic_ws: Workspace) -> None:
    model = WorkspaceTreeModel(synthetic_ws, page_size=1_000)
    wide = model.index_for(WIDE_FOLDER)
    model.fetchMore(wide)
    ids = {n: trait_id(synthetic_ws, f"Wide {n:05d}") for n in (10, 20, 30, 2_000)}
    rows = {n: model.index(n, 0, wide) for n in (10, 20, 30)}
    assert all(row.data(MARKS_ROLE) == frozenset() for row in rows.values())
    add_marks(synthetic_ws, findings=(("trait", ids[20]),), accepted=(("trait", ids[30]),),
              annotations=(("trait", ids[10]), ("trait", ids[2_000])))
    statements: list[str] = []
    synthetic_ws.conn.set_trace_callback(statements.append)
    try:
        with qtbot.waitSignal(model.dataChanged):
            model.refresh_marks()
    finally:
        synthetic_ws.conn.set_trace_callback(None)
    marks_reads = [s for s in statements if "findings" in s or "annotations" in s]
    assert marks_reads and all(" IN (" in s for s in marks_reads)  # loaded ids only
    assert rows[10].data(MARKS_ROLE) == frozenset({"annotation"})
    assert "Has an annotation" in rows[10].data(Qt.ItemDataRole.ToolTipRole)
    assert rows[20].data(MARKS_ROLE) == frozenset({"findings"})
    assert rows[30].data(MARKS_ROLE) == frozenset()  # its only finding is accepted
    # Not loaded at refresh time: its mark comes with its page.
    assert model.index_for(ObjectRef("trait", ids[2_000])).data(MARKS_ROLE) == \
        frozenset({"annotation"})
    accept_findings(synthetic_ws, (("trait", ids[20]),))
    model.refresh_marks()
    assert rows[20].data(MARKS_ROLE) == frozenset()


def test_nodes_stay_lean(synthetic_ws: Workspace) -> None:
    model = WorkspaceTreeModel(synthetic_ws, page_size=1_000)
    wide = model.index_for(WIDE_FOLDER)
    model.fetchMore(wide)
    leaf = model._node(model.index(0, 0, wide))
    assert not hasattr(leaf, "__dict__")  # slots: no per-node dict
    assert leaf.children is None and leaf.child_by_key is None
    assert leaf.ref == ObjectRef("trait", trait_id(synthetic_ws, "Wide 00000"))
    folder = model._node(wide)
    assert folder.child_by_key is not None and len(folder.child_by_key) == 1_001
    assert model._node(model.index(1, 0, wide)).subtype is leaf.subtype  # one shared string


def test_grouping_by_data_source(sample_ws: Workspace) -> None:
    model = WorkspaceTreeModel(sample_ws)
    model.index_for(ObjectRef("trait", 3100001))
    model.set_grouping("data-source")
    assert model.grouping == "data-source"
    assert top_labels(model) == ["Data sources (5)", "Merge rules (4)", "Destinations (3)"]
    web = model.index_for(ObjectRef("data-source", 471201))
    assert web.data() == "Bluefin Web (8)"
    assert child_labels(model, web) == ["Traits (4)", "Segments (4)"]
    holidays = model.index_for(ObjectRef("trait", 3100001))
    assert ancestors(holidays) == ["Data sources (5)", "Bluefin Web (8)", "Traits (4)",
                                 "Viewed Beach Holidays"]
    assert model.list_target(holidays.parent()) == ObjectRef("data-source", 471201)
    assert not model.index_for(ObjectRef("trait-folder", 540132)).isValid()
    model.set_grouping("storage")
    assert top_labels(model)[1] == "Trait storage (7)"


def test_missing_data_source_in_data_source_grouping(synthetic_ws: Workspace) -> None:
    with transaction(synthetic_ws.conn) as conn:
        conn.execute("UPDATE traits SET data_source_id = 999 WHERE name = 'Orphan 0'")
    model = WorkspaceTreeModel(synthetic_ws, grouping="data-source")
    orphan_id = synthetic_ws.conn.execute(
        "SELECT id FROM traits WHERE name = 'Orphan 0'").fetchone()[0]
    index = model.index_for(ObjectRef("trait", orphan_id))
    assert ancestors(index)[:2] == ["Data sources (3)", "(data source missing: 999) (1)"]


def test_reload_and_optional_groups(sample_ws: Workspace) -> None:
    model = WorkspaceTreeModel(sample_ws, show_ids=True)
    assert "Algorithmic models" not in " ".join(top_labels(model))
    with transaction(sample_ws.conn) as conn:
        conn.execute("INSERT INTO algo_models(id, name, raw) VALUES (77, 'Look-alike', '{}')")
    model.reload()
    algo = group_index(model, "Algorithmic models")
    assert algo.data() == "Algorithmic models (1)"
    assert child_labels(model, algo) == ["Look-alike (77)"]
    assert model.index_for(ObjectRef("algo-model", 77)).data(OBJECT_REF_ROLE) == \
        ObjectRef("algo-model", 77)


def test_imported_synthetic_export_passes_model_tester(qtmodeltester, qapp, tmp_path: Path
                                                       ) -> None:
    """The real path: a synthetic export with a wide folder, imported by the importer."""
    synthetic = pytest.importorskip("explorer.synthetic")
    importers = pytest.importorskip("explorer.importers")
    sizes = synthetic.write_synthetic_tenant(tmp_path / "export", scale=0.02, wide_folder=2_500)
    importers.import_export(tmp_path / "export", tmp_path / "synthetic.aamws")
    with Workspace.open(tmp_path / "synthetic.aamws") as ws:
        model = WorkspaceTreeModel(ws, page_size=1_000)
        assert group_index(model, "Trait storage").data() == \
            f"Trait storage ({sizes['traits']:,})"
        qtmodeltester.check(model)
        last_wide = ws.conn.execute(
            "SELECT id FROM traits WHERE folder_id = (SELECT folder_id FROM traits "
            "GROUP BY folder_id ORDER BY count(*) DESC LIMIT 1) "
            "ORDER BY name COLLATE NOCASE DESC, id DESC LIMIT 1").fetchone()[0]
        index = model.index_for(ObjectRef("trait", last_wide))
        assert index.data(OBJECT_REF_ROLE) == ObjectRef("trait", last_wide)
        assert index.row() == model.rowCount(index.parent()) - 1  # the very last, no "more"
        assert model.rowCount(index.parent()) >= 2_500


def test_folder_parent_cycle_and_orphan_parent_stay_visible(synthetic_ws: Workspace) -> None:
    with transaction(synthetic_ws.conn) as conn:
        conn.execute("INSERT INTO trait_folders(id, parent_id, name, raw) VALUES "
                     "(900001, 900002, 'Loop A', '{}'), (900002, 900001, 'Loop B', '{}'), "
                     "(900003, 123456, 'Lost parent', '{}')")
        conn.execute("UPDATE traits SET folder_id = 900002 WHERE name = 'Orphan 0'")
    model = WorkspaceTreeModel(synthetic_ws)
    labels = child_labels(model, group_index(model, "Trait storage"))
    assert "Lost parent (0)" in labels
    assert "Loop A (1)" in labels or "Loop B (1)" in labels
    orphan_id = synthetic_ws.conn.execute(
        "SELECT id FROM traits WHERE name = 'Orphan 0'").fetchone()[0]
    index = model.index_for(ObjectRef("trait", orphan_id))
    assert index.data() == "Orphan 0"
    assert index.parent().data(OBJECT_REF_ROLE) == ObjectRef("trait-folder", 900002)


def test_segment_storage_says_whether_segments_reach_target(sample_ws) -> None:
    from explorer.store import usage_events as history
    from explorer.store.db import transaction

    with transaction(sample_ws.conn) as conn:
        history.add_event(conn, "2024-03-01", "shared audiences", "enabled")
    model = WorkspaceTreeModel(sample_ws)
    storage = next(model.index(r, 0) for r in range(model.rowCount())
                   if str(model.index(r, 0).data()).startswith("Segment storage"))
    assert storage.data() == "Segment storage (5) · Target: shared"
    tooltip = storage.data(Qt.ItemDataRole.ToolTipRole)
    assert "Shared Audiences enabled since 2024-03-01" in tooltip
