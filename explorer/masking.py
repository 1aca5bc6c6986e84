"""Masking of client values for shared screens (workshops): Qt-free rules and the masker.

Consultants show the explorer to several client teams at once; some values (other brands'
names, user ids, partner ids, e-mail addresses, hosts) must not be shown to everyone. The
rules live with the workspace (``settings`` key ``masking.rules``): literal terms, regular
expressions and ready classes. ``Masker.mask_text`` replaces every match with a readable
alias: a literal term by its alias ("Term 3", or one the rules give it, "Data source 1"),
kept with the rules so it never changes for that term; the tenant's partner and user ids by
a letter in their sorted order ("Partner A", "User B"); other values by their class and a
code derived from the value and a per-workspace salt (``masking.salt``): "Email kqmtx". The
same value always gets the same alias, in the window, the CLI outputs and the snapshot, so
relationships between objects stay visible while the values do not.

Searching keeps working on the real values: only what is displayed or exported is masked.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import hmac
import io
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

TextMask = Callable[[str], str]  # what every masked view applies to a client's text

RULES_KEY = "masking.rules"
SALT_KEY = "masking.salt"

# Ready classes, in the order the rules dialog lists them.
CLASS_LABELS: dict[str, str] = {
    "pid": "Partner ids",
    "uid": "User ids (crUID/upUID and numbers labelled as user ids)",
    "email": "E-mail addresses",
    "host": "Hosts of URLs",
}
CLASSES: tuple[str, ...] = tuple(CLASS_LABELS)
# Ready classes find values by their shape (digits, "@", "://"); a name has no shape, so a
# brand or client name ("Northwind Web") is masked only by a term or a regular expression.
CLASSES_DO_NOT_MASK = ("Names (brands, clients, data sources) are masked only by terms or "
                       "regular expressions.")
TERM = "term"  # the class of literal terms
MATCH = "match"  # the class of regular-expression matches
# The word an alias starts with, per class.
ALIAS_WORDS: dict[str, str] = {TERM: "Term", MATCH: "Match", "email": "Email", "host": "Host",
                               "pid": "Partner", "uid": "User"}

# Known ids shorter than this are only masked where labelled ("pid 12"): masking every
# standalone "1" or "42" would mask counts, dates and ids all over the screen.
MIN_KNOWN_DIGITS = 3
# Fields that hold a class's value in records (the inspector's "All fields" shows the value
# in a cell apart from its label, so the label patterns cannot see it).
FIELD_CLASSES: dict[str, str] = {
    "pid": "pid", "partnerId": "pid", "partner_id": "pid",
    "crUID": "uid", "upUID": "uid", "cr_uid": "uid", "up_uid": "uid", "userId": "uid",
    "user_id": "uid",
}

_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz"  # letters only: no digit can match a known id
_CODE_LENGTH = 5  # 23**5 = 6.4 million codes: collisions are negligible for a tenant
# An alias already in a text is kept as it is (masking twice changes nothing). Not followed
# by a word character, "@", "." or "-": a real value that merely starts like one is masked.
_END = r"(?![\w@.-])"
# Term aliases are the masker's own ("Term 3" in a client's text is not one unless a term has it).
_ALIAS_RE = re.compile(
    r"\b(?:" + "|".join(w for c, w in ALIAS_WORDS.items() if c != TERM) + r") (?:[A-Z]{1,3}|["
    + _CODE_ALPHABET + r"]{" + str(_CODE_LENGTH) + r"})" + _END)
_EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_URL_HOST_RE = re.compile(
    r"(?i)\b[a-z][a-z0-9+.-]*://(?:[^@/\s?#]*@)?(?P<v>[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)")
_WWW_HOST_RE = re.compile(r"(?i)(?<![\w.-])(?P<v>www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+)")
_PID_LABEL_RE = re.compile(
    r"(?i)\b(?:pid|partner(?:[ _-]?id)?)\s*[:=#]?\s*(?P<v>\d+)(?!\d)")
_UID_LABEL_RE = re.compile(
    r"(?i)\b(?:cr_?uid|up_?uid|user[ _-]?id|uid|user)\s*[:=#]?\s*(?P<v>\d+)(?!\d)")


@dataclass(frozen=True)
class MaskRules:
    """What to mask. ``enabled`` is the on/off switch (Ctrl+M); the lists stay when off."""

    enabled: bool = False
    terms: tuple[str, ...] = ()
    regexes: tuple[str, ...] = ()
    classes: frozenset[str] = field(default_factory=frozenset)
    # term (case-folded) -> alias; a term without one gets "Term N" (``term_aliases``)
    aliases: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def active(self) -> bool:
        """Masking is on and there is something to mask."""
        return self.enabled and bool(self.terms or self.valid_regexes() or self.classes)

    def valid_regexes(self) -> tuple[str, ...]:
        return tuple(p for p in self.regexes if regex_error(p) is None)

    def with_enabled(self, enabled: bool) -> MaskRules:
        return MaskRules(enabled, self.terms, self.regexes, self.classes, self.aliases)

    def term_aliases(self) -> dict[str, str]:
        """Every term's alias by its case-folded text: the one the rules keep, else the next
        free "Term N" in the terms' order. Saved with the rules, so removing a term never
        renumbers the others."""
        kept = dict(self.aliases)
        used = set(kept.values())
        result: dict[str, str] = {}
        number = 1
        for term in self.terms:
            key = term.strip().casefold()
            if not key or key in result:
                continue
            alias = kept.get(key)
            if alias is None:
                while f"Term {number}" in used:
                    number += 1
                alias = f"Term {number}"
                used.add(alias)
            result[key] = alias
        return result

    def with_aliases(self) -> MaskRules:
        """These rules with every term's alias fixed (what ``save_rules`` stores)."""
        return MaskRules(self.enabled, self.terms, self.regexes, self.classes,
                         tuple(self.term_aliases().items()))

    def to_json(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "terms": list(self.terms),
                "regexes": list(self.regexes),
                "classes": [c for c in CLASSES if c in self.classes],
                "aliases": dict(self.aliases)}

    @classmethod
    def from_json(cls, value: object) -> MaskRules:
        """Rules from stored JSON; anything malformed is dropped, never raised."""
        if not isinstance(value, Mapping):
            return cls()

        def strings(key: str) -> tuple[str, ...]:
            items = value.get(key)
            if not isinstance(items, list):
                return ()
            return tuple(dict.fromkeys(s for s in items if isinstance(s, str) and s.strip()))

        classes = frozenset(c for c in strings("classes") if c in CLASSES)
        stored = value.get("aliases")
        aliases = tuple((k.casefold(), v.strip()) for k, v in stored.items()
                        if isinstance(k, str) and isinstance(v, str) and v.strip()
                        ) if isinstance(stored, Mapping) else ()
        return cls(bool(value.get("enabled")), strings("terms"), strings("regexes"), classes,
                   aliases)


def describe_rules(rules: MaskRules) -> str:
    """One line for the status bar and the MASKED badge: what is masked, and that names are
    not when only ready classes are on (a consultant must not think the brand is hidden)."""
    parts = []
    if rules.terms:
        parts.append(f"{len(rules.terms)} term{'s' if len(rules.terms) != 1 else ''}")
    patterns = rules.valid_regexes()
    if patterns:
        parts.append(f"{len(patterns)} regular expression{'s' if len(patterns) != 1 else ''}")
    labels = [_lower_first(CLASS_LABELS[c].split(" (")[0]) for c in CLASSES
              if c in rules.classes]
    if labels:
        parts.append("ready classes: " + ", ".join(labels))
    if not rules.active:
        return "Masking is off"
    text = "Masked: " + "; ".join(parts) + "."
    if not (rules.terms or patterns):
        text += " Names are not masked: add terms (Tools → Masking rules…)."
    return text


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def regex_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable regular expression (None when it is)."""
    if not pattern:
        return "empty pattern"
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        return str(exc)
    if compiled.fullmatch(""):
        return "matches the empty text"
    return None


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    cls: str | None  # None: an existing placeholder, kept as it is
    value: str


class Masker:
    """Replaces masked values in text with stable placeholders; callable as ``mask(text)``.

    ``known`` holds values of a class found in the workspace (partner ids, user ids), so a
    bare "5150" is masked where the tenant's partner id 5150 appears unlabelled.
    """

    def __init__(self, rules: MaskRules | None = None, salt: str = "",
                 known: Mapping[str, Iterable[str]] | None = None) -> None:
        self.rules = rules or MaskRules()
        self.salt = salt
        self._term_aliases = self.rules.term_aliases()
        known = known or {}
        # The tenant's own ids get letters in their sorted order: "Partner A", "User B".
        self._letters = {cls: {value: _letters(n) for n, value in enumerate(
            sorted(v for v in known.get(cls, ()) if v.isdigit()), start=0)}
            for cls in ("pid", "uid")}
        own = sorted(set(self._term_aliases.values()), key=len, reverse=True)
        self._alias_re = re.compile(_ALIAS_RE.pattern + "".join(
            "|" + r"\b" + re.escape(alias) + _END for alias in own))
        self._detectors = self._build_detectors(known) if self.rules.active else []
        self.mask_text = lru_cache(maxsize=65536)(self._mask_text)  # type: ignore[method-assign]

    @property
    def active(self) -> bool:
        return bool(self._detectors)

    def __call__(self, text: str) -> str:
        return self.mask_text(text)

    def mask_text(self, text: str) -> str:  # replaced per instance by a cached version
        return self._mask_text(text)

    def placeholder(self, cls: str, value: str) -> str:
        """The alias of ``value`` of class ``cls``: a term's alias ("Term 3"), a tenant id's
        letter ("Partner A"), else the class word and an HMAC code of the normalised value
        under the salt ("Email kqmtx")."""
        if cls == TERM and value.strip().casefold() in self._term_aliases:
            return self._term_aliases[value.strip().casefold()]
        if cls in self._letters and value in self._letters[cls]:
            return f"{ALIAS_WORDS[cls]} {self._letters[cls][value]}"
        normalised = value if cls in ("pid", "uid") else value.casefold()
        digest = hmac.new(self.salt.encode(), f"{cls}\x00{normalised}".encode(),
                          hashlib.sha256).digest()
        number = int.from_bytes(digest[:8], "big")
        letters = []
        for _ in range(_CODE_LENGTH):
            number, rest = divmod(number, len(_CODE_ALPHABET))
            letters.append(_CODE_ALPHABET[rest])
        return f"{ALIAS_WORDS.get(cls, cls.capitalize())} {''.join(letters)}"

    def mask_data(self, value: Any, key: str = "", *, after: TextMask | None = None) -> Any:
        """A copy of an object's data (nested dicts, lists, dataclasses) as every screen and
        output shows it: the one masking of data, used by the inspector, ``show`` and the
        snapshot alike, so a value is masked the same way wherever it appears.

        - the values of AAM vocabulary keys (statuses, types, dates) are kept: they are not
          the client's, and masking them would make the page unreadable;
        - the value of a class field (pid, crUID, upUID...) gets the class's alias when the
          class is masked ("Partner A"), whatever its type;
        - the partner id, a number, is masked as text (a term or pattern may name it);
        - every other string goes through ``mask_text``, then ``after`` (the report cuts
          absurdly long texts); numbers, booleans and None stay as they are;
        - a value nested MAX_DEPTH levels deep becomes DEPTH_MARKER (walked without
          recursion: a hostile export cannot exhaust the stack).

        ``key`` is the key ``value`` is found under, when it is one field's value.
        """
        if not self.active and after is None:
            return value
        finish: TextMask = after if after is not None else _unchanged
        root: list[Any] = [None]
        # (value, its key, the container to store into, the slot, depth)
        stack: list[tuple[Any, str, Any, Any, int]] = [(value, key, root, 0, 0)]
        while stack:
            item, item_key, into, slot, depth = stack.pop()
            field_class = FIELD_CLASSES.get(item_key)
            if item_key in _VOCABULARY_KEYS:
                into[slot] = item
            elif (self.active and field_class in self.rules.classes and _is_scalar(item)
                  and item != ""):
                into[slot] = self.placeholder(field_class, str(item))
            elif item_key in _IDENTIFYING_NUMBERS and _is_scalar(item) and not isinstance(
                    item, str):
                text = str(item)
                masked = self.mask_text(text)
                into[slot] = item if masked == text else finish(masked)
            elif isinstance(item, str):
                into[slot] = finish(self.mask_text(item))
            elif _is_container(item) and depth >= MAX_DEPTH:
                into[slot] = DEPTH_MARKER
            elif isinstance(item, Mapping):
                copy: dict[Any, Any] = {}
                into[slot] = copy
                for k, v in item.items():
                    copy[k] = None
                    stack.append((v, str(k), copy, k, depth + 1))
            elif isinstance(item, list | tuple):
                items: list[Any] = [None] * len(item)
                into[slot] = items
                stack.extend((v, item_key, items, n, depth + 1) for n, v in enumerate(item))
            elif dataclasses.is_dataclass(item) and not isinstance(item, type):
                # the views' own records (the overview): only the code nests them, shallowly
                into[slot] = dataclasses.replace(item, **{
                    f.name: self.mask_data(getattr(item, f.name), f.name, after=after)
                    for f in dataclasses.fields(item) if f.init})
            else:
                into[slot] = item
        return root[0]

    # --- internals ------------------------------------------------------------------------
    def _build_detectors(self, known: Mapping[str, Iterable[str]]
                         ) -> list[tuple[re.Pattern[str], str]]:
        """(pattern, class) pairs in priority order; a pattern's group "v", if any, is the
        value to replace (the label before a labelled number stays readable)."""
        classes = self.rules.classes
        detectors: list[tuple[re.Pattern[str], str]] = []
        if "email" in classes:
            detectors.append((_EMAIL_RE, "email"))
        if "host" in classes:
            detectors += [(_URL_HOST_RE, "host"), (_WWW_HOST_RE, "host")]
        for cls, label_re in (("pid", _PID_LABEL_RE), ("uid", _UID_LABEL_RE)):
            if cls not in classes:
                continue
            detectors.append((label_re, cls))
            values = sorted({v for v in known.get(cls, ()) if v.isdigit()
                             and len(v) >= MIN_KNOWN_DIGITS and int(v) != 0},
                            key=lambda v: (-len(v), v))
            if values:
                detectors.append((re.compile(
                    r"(?<![0-9])(?:" + "|".join(values) + r")(?![0-9])"), cls))
        detectors += [(re.compile(p), MATCH) for p in self.rules.valid_regexes()]
        terms = sorted({t.strip() for t in self.rules.terms if t.strip()}, key=len, reverse=True)
        if terms:
            detectors.append((re.compile("|".join(re.escape(t) for t in terms),
                                         re.IGNORECASE), TERM))
        return detectors

    def _spans(self, text: str) -> list[_Span]:
        found = [_Span(m.start(), m.end(), None, m.group()) for m in
                 self._alias_re.finditer(text)]
        for pattern, cls in self._detectors:
            group = "v" if "v" in pattern.groupindex else 0
            for match in pattern.finditer(text):
                start, end = match.span(group)
                if end > start:
                    found.append(_Span(start, end, cls, match.group(group)))
        return found

    def _mask_text(self, text: str) -> str:
        if not self._detectors or not text:
            return text
        spans = self._spans(text)
        if not spans:
            return text
        # Leftmost first; at the same start the longest wins (an e-mail over a term in it);
        # existing placeholders (cls None) come first so nothing masks inside them.
        spans.sort(key=lambda s: (s.start, s.cls is not None, -(s.end - s.start)))
        out: list[str] = []
        position = 0
        for span in spans:
            if span.start < position:
                continue  # overlaps a span already replaced
            before = text[position:span.start]
            replacement = span.value if span.cls is None else self.placeholder(span.cls,
                                                                               span.value)
            # "Partner 5150" reads "Partner A", not "Partner Partner A".
            word = ALIAS_WORDS.get(span.cls or "", "")
            if (word and replacement.startswith(word + " ")
                    and before.rstrip().casefold().endswith(word.casefold())
                    and before[-1:].isspace()):
                replacement = replacement[len(word) + 1:]
            out.append(before)
            out.append(replacement)
            position = span.end
        out.append(text[position:])
        return "".join(out)


NO_MASKING = Masker()


def _letters(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA": spreadsheet column names."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


# --- the workspace side ------------------------------------------------------------------

def load_rules(workspace: Any) -> MaskRules:
    """The workspace's rules (``Workspace.get_setting``); empty rules when there are none."""
    return MaskRules.from_json(workspace.get_setting(RULES_KEY))


def save_rules(workspace: Any, rules: MaskRules) -> None:
    from explorer.store.db import transaction

    with transaction(workspace.conn):
        workspace.set_setting(RULES_KEY, rules.with_aliases().to_json())


def workspace_salt(workspace: Any) -> str:
    """The workspace's salt, created (and saved) on first use. A read-only workspace gets a
    salt derived from its partner id, so its placeholders are still stable."""
    salt = workspace.get_setting(SALT_KEY)
    if isinstance(salt, str) and salt:
        return salt
    salt = secrets.token_hex(16)
    try:
        from explorer.store.db import transaction

        with transaction(workspace.conn):
            workspace.set_setting(SALT_KEY, salt)
    except sqlite3.Error:
        info = workspace.info() if hasattr(workspace, "info") else {}
        return f"readonly-{info.get('partner_id')}"
    return salt


_PID_FIELDS = ("pid",)
_UID_FIELDS = ("crUID", "upUID")


def known_values(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """Partner ids and user ids that appear in the workspace's records (and imports)."""
    from explorer.store.schema import CONFIG_TABLES
    from explorer.store.stored_records import distinct_field_values

    found: dict[str, set[str]] = {"pid": set(), "uid": set()}
    for table, (columns, _fks) in CONFIG_TABLES.items():
        if "raw" not in columns:
            continue
        for cls, fields in (("pid", _PID_FIELDS), ("uid", _UID_FIELDS)):
            for name in fields:
                values = distinct_field_values(conn, table, name)
                found[cls].update(str(value) for value in values if value is not None)
    try:
        rows = conn.execute("SELECT DISTINCT partner_id FROM imports WHERE partner_id IS NOT NULL")
        found["pid"].update(str(r[0]) for r in rows)
    except sqlite3.Error:  # a workspace without imports table (tests' bare schemas)
        pass
    return found


def masker_for(workspace: Any, rules: MaskRules | None = None) -> Masker:
    """The masker of a workspace: its (or the given) rules, its salt and its known ids.

    The one entry to masking: the window shows, and ``show``, the report and CSV files write,
    what this masker returns: ``mask_data`` for an object's data (the inspector, ``show``,
    the snapshot's cards and changes), ``mask_text`` for free text (names in lists, the tree,
    search, breadcrumbs, panels; CSV cells through ``mask_csv_text``).
    """
    rules = load_rules(workspace) if rules is None else rules
    if not rules.active:
        return Masker(rules)
    return Masker(rules, workspace_salt(workspace), known_values(workspace.conn))


@dataclass(frozen=True)
class TermSuggestion:
    """A term worth masking and where it was found ("data source Northwind App")."""

    term: str
    found_in: str


# Names Audience Manager gives its own data sources: not the client's, nothing to hide.
_ADOBE_PREFIXES = ("adobe", "aam ", "audience manager")
_SUGGESTION_TABLES = (("data_sources", "data source"), ("destinations", "destination"))
_MIN_WORD = 4


def suggest_terms(conn: sqlite3.Connection, rules: MaskRules | None = None
                  ) -> list[TermSuggestion]:
    """Terms to mask, from the names of the tenant's data sources and destinations: a word
    that starts two or more names first (a brand: "Northwind" of "Northwind App" and
    "Northwind CRM"), then each name. Adobe's own names and terms the rules already mask
    are left out."""
    masked = {t.casefold() for t in (rules.terms if rules else ())}
    names: list[tuple[str, str]] = []
    for table, what in _SUGGESTION_TABLES:
        # table names are constants of this module, never input
        for (name,) in conn.execute(f"SELECT DISTINCT name FROM {table} "
                                    "WHERE name IS NOT NULL ORDER BY name"):
            text = str(name).strip()
            if text and not text.casefold().startswith(_ADOBE_PREFIXES):
                names.append((text, what))
    first_words: dict[str, list[str]] = {}
    for text, _what in names:
        word = text.split()[0].strip(" -:·,")
        if len(word) >= _MIN_WORD and word[:1].isalpha():
            first_words.setdefault(word.casefold(), []).append(text)
    suggestions: list[TermSuggestion] = []
    seen = set(masked)
    for _key, group in sorted(first_words.items()):
        word = group[0].split()[0].strip(" -:·,")
        if len(group) >= 2 and word.casefold() not in seen:
            seen.add(word.casefold())
            suggestions.append(TermSuggestion(word, f"{len(group)} names: "
                                              + ", ".join(group[:3])))
    for text, what in names:
        if text.casefold() not in seen and not any(
                m in text.casefold() for m in seen if m):
            seen.add(text.casefold())
            suggestions.append(TermSuggestion(text, what))
    return suggestions


def mask_csv_text(text: str, mask: TextMask) -> str:
    """The same CSV (same rows and columns) with every cell masked."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in csv.reader(io.StringIO(text)):
        writer.writerow([mask(cell) for cell in row])
    return out.getvalue()


# Values of these keys are AAM's vocabulary (statuses, types, dates), not the client's data:
# the mask leaves them alone so the report still reads ("ACTIVE", "Rule-based").
_VOCABULARY_KEYS = frozenset({
    "kind", "status", "trait_type", "traitType", "destination_type", "destinationType", "type",
    "id_type", "idType", "sub_id_type", "subIdType", "element_status", "elementStatus",
    "severity", "check_id", "cross_device_option", "crossDeviceOption", "device_option",
    "deviceOption", "integration_code_label", "create_time_iso", "update_time_iso", "created",
    "updated", "start_date", "startDate", "end_date", "endDate", "label",
    "data_export_controls", "dataExportControls", "dataExportRestrictions", "devicePlatform",
    "mappingAutoFiller", "backfillStatus", "state",
})
# Numbers that identify the client (the partner id in every raw record) are masked as text.
_IDENTIFYING_NUMBERS = frozenset({"pid"})


# A value nested deeper than this is shown as DEPTH_MARKER (no export nests this deep; a
# hostile one must not exhaust the stack or the page).
MAX_DEPTH = 64
DEPTH_MARKER = "[nested too deep: not shown]"


def _unchanged(text: str) -> str:
    return text


def _is_scalar(value: Any) -> bool:
    """A field's single value: text or a number (not a flag, not a container)."""
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _is_container(value: Any) -> bool:
    return isinstance(value, Mapping | list | tuple)
