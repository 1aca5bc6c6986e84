"""Object names by id, read from the kind's table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.store.db import transaction
from explorer.store.names import all_names, lookup_name, names_by_id, object_name
from explorer.store.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "names.aamws", create=True)
    with transaction(workspace.conn):
        for trait_id, name in ((1000001, "Viewed Phones"), (1000002, None), (1000003, "東京")):
            workspace.conn.execute("INSERT INTO traits (id, name) VALUES (?, ?)",
                                   (trait_id, name))
    yield workspace
    workspace.close()


def test_one_name_and_whether_the_object_exists(ws: Workspace) -> None:
    assert lookup_name(ws.conn, "trait", 1000001) == (True, "Viewed Phones")
    assert lookup_name(ws.conn, "trait", 1000002) == (True, None)
    assert lookup_name(ws.conn, "trait", 9) == (False, None)
    assert lookup_name(ws.conn, "not-a-kind", 1000001) == (False, None)
    assert object_name(ws.conn, "trait", 1000003) == "東京"
    assert object_name(ws.conn, "segment", 1000001) is None


def test_many_names_in_one_query(ws: Workspace) -> None:
    many = [1000001, 1000003, 5, 1000001, *range(10, 40_000)]  # past SQLite's variable limit
    assert names_by_id(ws.conn, "trait", many) == {1000001: "Viewed Phones", 1000003: "東京"}
    assert names_by_id(ws.conn, "trait", []) == {}
    assert all_names(ws.conn, "trait") == {1000001: "Viewed Phones", 1000002: None,
                                           1000003: "東京"}
    assert all_names(ws.conn, "segment") == {}
