"""Find an object by its AAM id when the user did not say its kind.

AAM ids are unique per kind, not across kinds: a trait and a segment can share an id. The CLI
commands that take ``[KIND] ID`` ask ``resolve_object`` and, when more than one kind holds the
id, list the candidates instead of guessing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from explorer.kinds import KINDS
from explorer.store.names import lookup_name


@dataclass(frozen=True)
class Candidate:
    kind: str
    id: int
    name: str | None

    def __str__(self) -> str:
        return f"{self.kind}:{self.id} {self.name or ''}".rstrip()


def resolve_object(conn: sqlite3.Connection, object_id: int,
                   kind: str | None = None) -> list[Candidate]:
    """The objects with ``object_id``: of ``kind`` only when given, else of every kind.

    An empty list: no such object. One: the object. More: the id is ambiguous; the caller
    lists them (``KIND:ID name``) and asks for a KIND. Raises KeyError for an unknown kind.
    """
    kinds = [KINDS[kind]] if kind is not None else list(KINDS.values())
    found: list[Candidate] = []
    if not -2**63 <= object_id < 2**63:  # beyond SQLite's integers: no object has it
        return found
    for k in kinds:
        exists, name = lookup_name(conn, k.name, object_id)
        if exists:
            found.append(Candidate(k.name, object_id, name))
    return found
