"""Back/forward through inspected objects, like a browser (no Qt, so it is tested directly)."""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class NavigationHistory(Generic[T]):
    """A list of visited places and a cursor into it.

    Visiting a new place drops everything ahead of the cursor (as a browser does after going
    back and following a link); visiting the current place again is a no-op, so re-selecting
    the same object does not fill the history with duplicates.
    """

    def __init__(self, max_length: int = 200) -> None:
        self._items: list[T] = []
        self._cursor = -1
        self._max_length = max_length

    @property
    def current(self) -> T | None:
        return self._items[self._cursor] if self._cursor >= 0 else None

    @property
    def can_go_back(self) -> bool:
        return self._cursor > 0

    @property
    def can_go_forward(self) -> bool:
        return self._cursor < len(self._items) - 1

    def visit(self, item: T) -> None:
        if item == self.current:
            return
        del self._items[self._cursor + 1:]
        self._items.append(item)
        overflow = len(self._items) - self._max_length
        if overflow > 0:
            del self._items[:overflow]
        self._cursor = len(self._items) - 1

    def back(self) -> T | None:
        """Move one step back and return the place there (None when already at the start)."""
        if not self.can_go_back:
            return None
        self._cursor -= 1
        return self._items[self._cursor]

    def forward(self) -> T | None:
        if not self.can_go_forward:
            return None
        self._cursor += 1
        return self._items[self._cursor]

    def clear(self) -> None:
        self._items.clear()
        self._cursor = -1

    def __len__(self) -> int:
        return len(self._items)
