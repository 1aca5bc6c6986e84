"""The search index without a copy of the text: rowids that name objects, the text read from
the typed tables, and the same search results as the older index that kept a copy."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from explorer.importers import import_export
from explorer.kinds import KINDS
from explorer.store.db import connect, transaction
from explorer.store.queries import search
from explorer.store.search_index import (
    MAX_INDEXED_ID,
    SEARCH_KIND_NUMBERS,
    build_search_index,
    has_text_copy,
    index_objects,
    indexed_text,
    matching_objects,
    object_of_rowid,
    search_rowid,
    unindexed_count,
)
from explorer.store.workspace import Workspace
from tests.helpers.paths import SAMPLE_TENANT
from tests.helpers.search_index import indexed_objects, with_text_copy


def test_rowids_name_the_kind_and_id_and_keep_kinds_in_order() -> None:
    assert set(SEARCH_KIND_NUMBERS) == set(KINDS)
    assert len(set(SEARCH_KIND_NUMBERS.values())) == len(KINDS)
    for kind in KINDS:
        for object_id in (0, 1, 163001, 2**31, MAX_INDEXED_ID):
            rowid = search_rowid(kind, object_id)
            assert rowid is not None and 0 <= rowid < 2**63
            assert object_of_rowid(rowid) == (kind, object_id)
    # every trait comes before every segment, and ids ascend within a kind
    trait_rowid, segment_rowid = search_rowid("trait", MAX_INDEXED_ID), search_rowid("segment", 0)
    assert trait_rowid is not None and segment_rowid is not None
    assert trait_rowid < segment_rowid
    assert search_rowid("trait", 5) < search_rowid("trait", 6)  # type: ignore[operator]
    assert search_rowid("trait", MAX_INDEXED_ID + 1) is None
    assert search_rowid("trait", 2**63 - 1) is None and search_rowid("trait", -1) is None


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.open(tmp_path / "w.aamws", create=True) as ws:
        yield ws


def _trait(conn: sqlite3.Connection, object_id: int, name: str, **values: Any) -> None:
    columns = {"id": object_id, "name": name, **values}
    conn.execute(f"INSERT INTO traits ({', '.join(columns)}) "
                 f"VALUES ({', '.join('?' * len(columns))})", tuple(columns.values()))


def test_an_id_beyond_the_rowid_range_is_found_by_its_id_only(workspace: Workspace) -> None:
    huge = MAX_INDEXED_ID + 1
    with transaction(workspace.conn):
        _trait(workspace.conn, 7, "Ordinary gadget")
        _trait(workspace.conn, huge, "Enormous gadget")
        build_search_index(workspace.conn)
    assert unindexed_count(workspace.conn) == 1
    assert indexed_objects(workspace.conn) == [("trait", 7)]
    assert [hit["id"] for hit in search(workspace.conn, "gadget")] == [7]
    assert [hit["id"] for hit in search(workspace.conn, str(huge))] == [huge]


def test_building_again_replaces_the_rows(workspace: Workspace) -> None:
    with transaction(workspace.conn):
        _trait(workspace.conn, 7, "Gadget")
        _trait(workspace.conn, 8, "Widget")
        index_objects(workspace.conn, "trait", [7])
    assert indexed_objects(workspace.conn) == [("trait", 7)]
    with transaction(workspace.conn):
        workspace.conn.execute("UPDATE traits SET name = 'Gizmo' WHERE id = 7")
        build_search_index(workspace.conn)
        build_search_index(workspace.conn)
    assert indexed_objects(workspace.conn) == [("trait", 7), ("trait", 8)]
    assert [hit["id"] for hit in search(workspace.conn, "gizmo")] == [7]
    assert search(workspace.conn, "gadget") == []


def test_text_is_read_from_the_tables(workspace: Workspace) -> None:
    with transaction(workspace.conn):
        _trait(workspace.conn, 7, "Gadget", description="shiny", integration_code="gd7",
               rule='c_x == "1"')
        workspace.conn.execute("INSERT INTO trait_folders (id, name, path) "
                               "VALUES (3, 'Gear', 'Shop / Gear')")
        build_search_index(workspace.conn)
    assert matching_objects(workspace.conn, '"gear"*', 10) == [("trait-folder", 3)]
    assert matching_objects(workspace.conn, '"shop"*', 10, ["trait"]) == []
    assert matching_objects(workspace.conn, '"gd7"*', 10, []) == []
    texts = indexed_text(workspace.conn, [("trait", 7), ("trait-folder", 3), ("trait", 8)])
    assert texts == {
        ("trait", 7): {"ident": "7", "name": "Gadget", "description": "shiny",
                       "integration_code": "gd7", "rule": 'c_x == "1"'},
        ("trait-folder", 3): {"ident": "3", "name": "Gear", "description": "Shop / Gear",
                              "integration_code": "", "rule": ""},
    }


# -- the same results as the index that kept a copy of the text -------------------------------

# (query, kinds, the hits expected in order): prefixes, several words, ids, integration codes,
# rule text, CJK, diacritics, kind filters, and FTS syntax the search escapes.
QUERIES: list[tuple[str, list[str] | None, list[tuple[str, int]]]] = [
    ("luxury", None, [("trait", 3100002)]),
    ("view beach", None, [("trait", 3100001), ("segment", 3200001),
                          ("destination-mapping", 820002)]),
    ("beach plat", None, [("segment", 3200001), ("destination-mapping", 820002)]),
    ("3100007", None, [("segment", 3100007)]),
    ("3200", None, [("segment", 3200001), ("segment", 3200002), ("segment", 3200003),
                    ("segment", 3200004), ("segment", 3200101)]),
    ("bluefin_crm", None, [("data-source", 471202)]),
    ("d41e7a90", None, [("trait", 3100006), ("segment", 3100007)]),
    ("d41e7a90", ["trait"], [("trait", 3100006)]),
    ("frequency", None, [("segment", 3200002)]),
    ("c_trip_type", None, [("trait", 3100001)]),
    ("platinum", ["segment", "data-source"], [("segment", 3200001), ("segment", 3200003)]),
    ('"platinum"', ["trait"], [("trait", 3100004), ("trait", 3100005)]),
    ("a OR", None, [("trait", 3100002), ("trait", 3100003)]),
    ("NOT", None, [("segment", 3200003), ("destination-mapping", 820003)]),
    ("NEAR(a b)", None, []),
    ("x:y", None, []),
    ("ユーザー", None, [("trait", 3100102), ("segment", 3200101)]),
    ("ユーザー", ["segment"], [("segment", 3200101)]),
    ("日本", None, [("segment", 3200101)]),
    ("cafe", None, [("trait", 3100101)]),
]


@pytest.fixture(scope="module")
def two_layouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample tenant (plus CJK and accented names) twice: as this version indexes it,
    and with the index of schema v6 (a copy of the text), both to be opened read-only."""
    folder = tmp_path_factory.mktemp("layouts")
    current = folder / "current.aamws"
    import_export(SAMPLE_TENANT, current)
    with Workspace.open(current) as ws, transaction(ws.conn):
        _trait(ws.conn, 3100101, "Café Visitors", data_source_id=471201)
        _trait(ws.conn, 3100102, "モバイルユーザー", data_source_id=471201)
        ws.conn.execute("INSERT INTO segments (id, name, rule) "
                        "VALUES (3200101, '日本のユーザー', '3100102T')")
        index_objects(ws.conn, "trait", [3100101, 3100102])
        index_objects(ws.conn, "segment", [3200101])
    older = folder / "older.aamws"
    shutil.copy(current, older)
    conn = connect(older)
    with transaction(conn):
        with_text_copy(conn)
    conn.close()
    return {"current": current, "older": older}


def _ids(hits: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(hit["kind"], hit["id"]) for hit in hits]


@pytest.mark.parametrize(("query", "kinds", "expected"), QUERIES)
def test_both_layouts_give_the_same_results(two_layouts: dict[str, Path], query: str,
                                            kinds: list[str] | None,
                                            expected: list[tuple[str, int]]) -> None:
    results = {}
    for layout, path in two_layouts.items():
        with Workspace.open(path, readonly=True) as ws:
            assert has_text_copy(ws.conn) == (layout == "older")
            results[layout] = [search(ws.conn, query, limit, kinds=kinds, matches=True,
                                      trait_types=True) for limit in (1, 50)]
    assert _ids(results["current"][1]) == expected
    assert results["current"] == results["older"]  # names, fields, spans and order


def test_both_layouts_cut_long_lists_alike(two_layouts: dict[str, Path]) -> None:
    found = {}
    for layout, path in two_layouts.items():
        with Workspace.open(path, readonly=True) as ws:
            found[layout] = [_ids(search(ws.conn, "3", limit)) for limit in (3, 10, 500)]
    assert [len(hits) for hits in found["current"][:2]] == [3, 10]
    assert found["current"] == found["older"]
