"""The tenant's long-lived history: daily usage series, Target-call setting events, the price.

These rows accumulate across imports; a configuration re-import never deletes them. Functions
here never open a transaction themselves: importers call them inside the import's transaction,
and the CLI and the GUI wrap their calls in ``explorer.store.db.transaction``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

DATA_COLLECTION = "data collection"
SHARED_AUDIENCES = "shared audiences"
NOTE = "note"
REAL_TIME = "Real-Time"
ONCE_PER_SESSION = "Once Per Session"
ENABLED = "enabled"
DISABLED = "disabled"

PRICE_KEY = "usage.price_per_1000_target_calls"
CURRENCY_KEY = "usage.currency"  # the price's currency (e.g. "EUR"); unset: "cost units"

# Setting names people write for the two settings the explorer understands.
_SETTING_ALIASES: dict[str, str] = {
    "data collection": DATA_COLLECTION,
    "target data collection": DATA_COLLECTION,
    "aam data collection": DATA_COLLECTION,
    "target call setting": DATA_COLLECTION,
    "target call settings": DATA_COLLECTION,
    "server call setting": DATA_COLLECTION,
    "server call settings": DATA_COLLECTION,
    "shared audiences": SHARED_AUDIENCES,
    "shared audience": SHARED_AUDIENCES,
    "audience sharing": SHARED_AUDIENCES,
    "core services shared audiences": SHARED_AUDIENCES,
}
_DATA_COLLECTION_VALUES: dict[str, str] = {
    "realtime": REAL_TIME, "real time": REAL_TIME, "every call": REAL_TIME,
    "every request": REAL_TIME, "always": REAL_TIME,
    "once per session": ONCE_PER_SESSION, "per session": ONCE_PER_SESSION,
    "session": ONCE_PER_SESSION, "once a session": ONCE_PER_SESSION,
}
_SWITCH_VALUES: dict[str, str] = {
    "enabled": ENABLED, "enable": ENABLED, "on": ENABLED, "true": ENABLED, "yes": ENABLED,
    "1": ENABLED, "disabled": DISABLED, "disable": DISABLED, "off": DISABLED,
    "false": DISABLED, "no": DISABLED, "0": DISABLED,
}
# Each known setting: the words people write for its values, and the two values it takes.
_SETTING_VALUES: dict[str, tuple[dict[str, str], tuple[str, str]]] = {
    DATA_COLLECTION: (_DATA_COLLECTION_VALUES, (REAL_TIME, ONCE_PER_SESSION)),
    SHARED_AUDIENCES: (_SWITCH_VALUES, (ENABLED, DISABLED)),
}


@dataclass(frozen=True)
class SettingEvent:
    id: int
    date: str  # YYYY-MM-DD
    setting: str
    value: str
    note: str = ""
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def normalise_setting(setting: str, value: str) -> tuple[str, str]:
    """Canonical (setting, value); ValueError for a value a known setting cannot take.

    'data collection' takes 'Real-Time' / 'Once Per Session', 'shared audiences' takes
    'enabled' / 'disabled'; any other setting is a free-text event ('note' when unnamed).
    """
    setting_text, value_text = setting.strip(), value.strip()
    canonical = _SETTING_ALIASES.get(_words(setting_text))
    if canonical is not None:
        words, (first, second) = _SETTING_VALUES[canonical]
        normalised = words.get(_words(value_text))
        if normalised is None:
            raise ValueError(f"{canonical} must be '{first}' or '{second}', "
                             f"not {value_text!r}")
        return canonical, normalised
    if not value_text and not setting_text:
        raise ValueError("an event needs a setting or a text")
    return (setting_text or NOTE), value_text


def check_day(day: str) -> str:
    """The day as YYYY-MM-DD; ValueError otherwise."""
    try:
        return date.fromisoformat(day.strip()).isoformat()
    except (ValueError, AttributeError):
        raise ValueError(f"not a date (YYYY-MM-DD): {day!r}") from None


# --- setting events -------------------------------------------------------------------------

def _event(row: sqlite3.Row | tuple) -> SettingEvent:
    return SettingEvent(*tuple(row))


_EVENT_COLUMNS = "id, date, setting, value, note, source"


def list_events(conn: sqlite3.Connection) -> list[SettingEvent]:
    rows = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM setting_events ORDER BY date, id")
    return [_event(r) for r in rows]


def get_event(conn: sqlite3.Connection, event_id: int) -> SettingEvent | None:
    row = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM setting_events WHERE id = ?",
                       (event_id,)).fetchone()
    return None if row is None else _event(row)


def find_event(conn: sqlite3.Connection, day: str, setting: str, value: str) -> int | None:
    row = conn.execute(
        "SELECT id FROM setting_events WHERE date = ? AND setting = ? AND value = ? "
        "ORDER BY id LIMIT 1", (day, setting, value)).fetchone()
    return None if row is None else int(row[0])


def add_event(conn: sqlite3.Connection, day: str, setting: str, value: str, *,
              note: str = "", source: str = "") -> tuple[int, bool]:
    """Normalise and store an event; (id, created). An identical event is not duplicated."""
    day = check_day(day)
    setting, value = normalise_setting(setting, value)
    existing = find_event(conn, day, setting, value)
    if existing is not None:
        return existing, False
    cursor = conn.execute(
        "INSERT INTO setting_events(date, setting, value, note, source) VALUES (?, ?, ?, ?, ?)",
        (day, setting, value, note, source))
    return int(cursor.lastrowid or 0), True


def update_event(conn: sqlite3.Connection, event_id: int, *, day: str | None = None,
                 setting: str | None = None, value: str | None = None,
                 note: str | None = None) -> SettingEvent:
    """Change an event's fields (normalised like add_event); KeyError for an unknown id."""
    current = get_event(conn, event_id)
    if current is None:
        raise KeyError(f"no setting event with id {event_id}")
    new_day = check_day(day) if day is not None else current.date
    new_setting, new_value = normalise_setting(
        current.setting if setting is None else setting,
        current.value if value is None else value)
    new_note = current.note if note is None else note
    conn.execute("UPDATE setting_events SET date = ?, setting = ?, value = ?, note = ? "
                 "WHERE id = ?", (new_day, new_setting, new_value, new_note, event_id))
    return SettingEvent(event_id, new_day, new_setting, new_value, new_note, current.source)


def delete_event(conn: sqlite3.Connection, event_id: int) -> bool:
    return conn.execute("DELETE FROM setting_events WHERE id = ?", (event_id,)).rowcount > 0


# --- usage days -----------------------------------------------------------------------------

def series_names(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT DISTINCT series FROM usage_days ORDER BY series")
    return [r[0] for r in rows]


def usage_series(conn: sqlite3.Connection, names: Iterable[str] | None = None, *,
                 start: str | None = None, end: str | None = None
                 ) -> dict[str, list[tuple[str, float]]]:
    """{series: [(day, value), ...]} sorted by day; start/end inclusive YYYY-MM-DD bounds."""
    wanted = series_names(conn) if names is None else list(names)
    result: dict[str, list[tuple[str, float]]] = {}
    for name in wanted:
        rows = conn.execute(
            "SELECT day, value FROM usage_days WHERE series = ? AND day >= ? AND day <= ? "
            "ORDER BY day", (name, start or "0000-00-00", end or "9999-99-99"))
        result[name] = [(r[0], float(r[1])) for r in rows]
    return result


def usage_day_sources(conn: sqlite3.Connection, series: str, days: Iterable[str]
                      ) -> dict[str, str]:
    """{day: source file} of the stored values of one series on the given days."""
    wanted = set(days)
    rows = conn.execute("SELECT day, source FROM usage_days WHERE series = ?", (series,))
    return {r[0]: r[1] for r in rows if r[0] in wanted}


def source_last_day(conn: sqlite3.Connection, source: str) -> str | None:
    row = conn.execute("SELECT max(day) FROM usage_days WHERE source = ?", (source,)).fetchone()
    return row[0]


def upsert_usage_days(conn: sqlite3.Connection,
                      rows: Iterable[tuple[str, str, float, str]]) -> int:
    """Store (day, series, value, source) rows, replacing a stored value of the same day."""
    cursor = conn.executemany(
        "INSERT INTO usage_days(day, series, value, source) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(day, series) DO UPDATE SET value = excluded.value, "
        "source = excluded.source", list(rows))
    return cursor.rowcount


# --- price ----------------------------------------------------------------------------------

def get_price(conn: sqlite3.Connection) -> float | None:
    """The price per 1,000 Target calls kept in the workspace, or None when never set."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (PRICE_KEY,)).fetchone()
    if row is None:
        return None
    value = json.loads(row[0])
    return None if value is None else float(value)


def set_price(conn: sqlite3.Connection, price: float | None) -> None:
    """Keep (or with None, forget) the price per 1,000 Target calls; ValueError if negative."""
    if price is None:
        conn.execute("DELETE FROM settings WHERE key = ?", (PRICE_KEY,))
        return
    if price < 0 or price != price:
        raise ValueError(f"the price per 1,000 Target calls cannot be {price}")
    conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (PRICE_KEY, json.dumps(float(price))))


def get_currency(conn: sqlite3.Connection) -> str | None:
    """The currency of the price kept in the workspace (None: never set, "cost units")."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (CURRENCY_KEY,)).fetchone()
    if row is None:
        return None
    value = json.loads(row[0])
    return value.strip() if isinstance(value, str) and value.strip() else None


def set_currency(conn: sqlite3.Connection, currency: str | None) -> None:
    """Keep (or with None or "", forget) the price's currency."""
    text = (currency or "").strip()
    if not text:
        conn.execute("DELETE FROM settings WHERE key = ?", (CURRENCY_KEY,))
        return
    conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (CURRENCY_KEY, json.dumps(text)))
