"""The Qt-free masking core: rules, classes, stable placeholders, data and CSV masking."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.importers import import_export
from explorer.masking import (
    CLASSES,
    DEPTH_MARKER,
    MAX_DEPTH,
    NO_MASKING,
    RULES_KEY,
    SALT_KEY,
    Masker,
    MaskRules,
    known_values,
    load_rules,
    mask_csv_text,
    masker_for,
    regex_error,
    save_rules,
    suggest_terms,
    workspace_salt,
)
from explorer.store.workspace import Workspace
from tests.helpers.deep_values import nested

PLACEHOLDER = re.compile(r"\b(?:Term \d+|(?:Match|Email|Host|Partner|User) [a-z]{5})\b")
ALL = frozenset(CLASSES)


def masker(*, terms: tuple[str, ...] = (), regexes: tuple[str, ...] = (),
           classes: frozenset[str] = ALL, salt: str = "s1",
           known: dict[str, set[str]] | None = None) -> Masker:
    return Masker(MaskRules(True, terms, regexes, classes), salt, known or {})


def test_email_class_masks_every_address_and_keeps_the_rest() -> None:
    m = masker(classes=frozenset({"email"}))
    text = "Ask Jane.Doe+aam@acme-retail.co.uk or ops@acme.com (not acme.com)."
    masked = m(text)
    assert "Jane.Doe+aam@acme-retail.co.uk" not in masked and "ops@acme.com" not in masked
    assert masked.startswith("Ask Email ") and masked.endswith(" (not acme.com).")
    assert len(PLACEHOLDER.findall(masked)) == 2


def test_host_class_masks_url_hosts_and_www_names_only() -> None:
    m = masker(classes=frozenset({"host"}))
    masked = m("GET https://user@tags.travelnet.example:8443/seg?id=1 and www.shop.example.org")
    assert "tags.travelnet.example" not in masked and "www.shop.example.org" not in masked
    assert re.search(r"https://user@Host [a-z]{5}:8443/seg\?id=1", masked), masked


def test_partner_and_user_ids_labelled_or_known() -> None:
    m = masker(classes=frozenset({"pid", "uid"}),
               known={"pid": {"7315", "7"}, "uid": {"4411", "0"}})
    masked = m("Partner 7315 · pid: 12 · crUID=4411 · created by user 98765 · 7315 traits · "
               "id 17001 · 7 days")
    for value in ("7315", "12", "4411", "98765"):
        assert re.search(rf"(?<!\d){value}(?!\d)", masked) is None, masked
    assert "17001" in masked  # a longer number that merely contains a known id stays
    assert "7 days" in masked  # known ids shorter than 3 digits are masked only when labelled


def test_terms_any_case_and_regexes() -> None:
    m = masker(terms=("Acme",), regexes=(r"ORD-\d{4}",), classes=frozenset())
    masked = m("ACME, acme and Acme ordered ORD-1234 and ORD-12")
    assert "acme" not in masked.casefold() and "ORD-1234" not in masked
    assert "ORD-12" in masked  # too short for the pattern
    # the same term in any case is the same value, hence the same alias
    assert m.placeholder("term", "Acme") == m.placeholder("term", "ACME") == "Term 1"
    assert masked == "Term 1, Term 1 and Term 1 ordered " + m.placeholder("match", "ORD-1234") \
        + " and ORD-12"
    assert re.fullmatch(r"Match [a-z]{5}", m.placeholder("match", "ORD-1234"))


def test_placeholders_are_stable_per_salt_and_differ_between_salts() -> None:
    text = "jane@acme.com, bob@acme.com, jane@acme.com"
    first, again = masker(salt="one")(text), masker(salt="one")(text)
    assert first == again
    placeholders = re.findall(r"Email [a-z]{5}", first)
    assert placeholders[0] == placeholders[2] != placeholders[1]
    assert masker(salt="two")(text) != first


def test_an_email_wins_over_a_term_inside_it_and_placeholders_are_never_remasked() -> None:
    m = masker(terms=("acme", "email"), classes=frozenset({"email"}))
    once = m("write to jane@acme.com")
    assert len(PLACEHOLDER.findall(once)) == 1 and "acme" not in once
    assert once.startswith("write to Email ")
    assert m(once) == once  # "Email" inside the alias "Email xxxxx" is not a term match


def test_off_or_empty_rules_change_nothing() -> None:
    text = "jane@acme.com Partner 7315"
    assert Masker(MaskRules(False, ("jane",), (), ALL), "s")(text) == text
    assert Masker(MaskRules(True), "s")(text) == text
    assert not MaskRules(True).active and MaskRules(True, ("x",)).active


def test_invalid_regexes_are_reported_and_ignored() -> None:
    assert regex_error("ORD-(") is not None
    assert regex_error("a*") == "matches the empty text"
    assert regex_error(r"ORD-\d+") is None
    m = masker(regexes=("ORD-(", r"ORD-\d+"), classes=frozenset())
    assert m("ORD-1 ORD-(") == f"{m.placeholder('match', 'ORD-1')} ORD-("


def test_rules_json_round_trip_drops_junk() -> None:
    rules = MaskRules(True, ("Acme", "Globex"), (r"ORD-\d+",), frozenset({"email", "pid"}))
    assert MaskRules.from_json(rules.to_json()) == rules
    junk = {"enabled": 1, "terms": ["ok", 3, "", "ok"], "regexes": "x",
            "classes": ["email", "bogus"]}
    assert MaskRules.from_json(junk) == MaskRules(True, ("ok",), (), frozenset({"email"}))
    assert MaskRules.from_json(None) == MaskRules()


def test_field_values_of_classes_are_masked_in_nested_details() -> None:
    m = masker(classes=frozenset({"uid", "pid"}))
    details = {"name": "x", "raw": {"pid": 1, "crUID": 7, "upUID": None,
                                    "mappings": [{"crUID": 7}]}}
    masked = m.mask_data(details)
    assert masked["raw"]["pid"] == m.placeholder("pid", "1")
    assert masked["raw"]["crUID"] == masked["raw"]["mappings"][0]["crUID"]
    assert masked["raw"]["crUID"] == m.placeholder("uid", "7")
    assert masked["raw"]["upUID"] is None and masked["name"] == "x"
    assert details["raw"]["pid"] == 1  # a copy: the shown details are not changed


def test_mask_data_masks_text_keeps_vocabulary_ids_and_links() -> None:
    m = masker(terms=("Northwind", "active"), classes=frozenset({"email"}))
    details = {"id": 1000001, "name": "Northwind visitors", "status": "ACTIVE",
               "description": "ask jane@northwind.example", "segments_using": [
                   {"id": 42, "name": "Northwind buyers", "status": "active"}],
               "folder_id": 7, "ttl": 30, "shared": True}
    masked = m.mask_data(details)
    assert masked["name"] == "Term 1 visitors"
    assert masked["status"] == "ACTIVE"  # AAM's vocabulary, though a term matches it
    assert masked["segments_using"] == [{"id": 42, "name": "Term 1 buyers",
                                         "status": "active"}]
    assert masked["description"] == "ask " + m.placeholder("email", "jane@northwind.example")
    # numbers (ids the links are made of), flags stay as they are
    assert (masked["id"], masked["folder_id"], masked["ttl"], masked["shared"]) == (
        1000001, 7, 30, True)


def test_mask_data_walks_the_views_dataclasses() -> None:
    @dataclass(frozen=True)
    class Count:
        label: str
        count: int

    @dataclass(frozen=True)
    class View:
        headline: str
        counts: list[Count]

    m = masker(terms=("Northwind",), classes=frozenset())
    masked = m.mask_data(View("Northwind shares", [Count("Traits", 3)]))
    assert masked == View("Term 1 shares", [Count("Traits", 3)])


def test_mask_data_of_no_masking_is_the_value_itself_unless_cut() -> None:
    value = {"name": "Northwind", "nested": ["x" * 10]}
    assert NO_MASKING.mask_data(value) is value
    assert NO_MASKING.mask_data(value, after=lambda t: t[:3]) == {
        "name": "Nor", "nested": ["xxx"]}


def test_mask_data_survives_900_levels_and_marks_the_cut() -> None:
    m = masker(terms=("Northwind", "ACTIVE"), classes=frozenset())
    masked = m.mask_data({"unknownField": nested(900), "status": "ACTIVE"})
    assert masked["status"] == "ACTIVE"  # vocabulary untouched
    level = masked["unknownField"]
    depth = 1
    while isinstance(level, dict):
        level = level["deeper"]
        depth += 1
    assert level == DEPTH_MARKER and depth == MAX_DEPTH  # the root counts as level 0


def test_mask_data_masks_every_string_and_the_partner_id() -> None:
    m = masker(regexes=(".+",), classes=frozenset())
    value = {"name": "Northwind", "pid": 5150, "tags": ["a", ("b", 3)], "status": "ACTIVE",
             "nested": {"note": "x"}}

    def alias(text: str) -> str:
        return m.placeholder("match", text)

    assert m.mask_data(value) == {
        "name": alias("Northwind"), "pid": alias("5150"), "tags": [alias("a"), [alias("b"), 3]],
        "status": "ACTIVE", "nested": {"note": alias("x")}}


def test_csv_masking_keeps_rows_and_columns() -> None:
    m = masker(terms=("Holidays",), classes=frozenset())
    text = 'Kind,Name\r\nTrait,"Viewed Beach Holidays, daily"\r\nTrait,Other\r\n'
    rows = list(csv.reader(io.StringIO(mask_csv_text(text, m))))
    assert [len(r) for r in rows] == [2, 2, 2]
    assert "Holidays" not in rows[1][1] and rows[2] == ["Trait", "Other"]


# --- the workspace side -------------------------------------------------------------------

@pytest.fixture
def workspace(sample_workspace: Path) -> Workspace:
    ws = Workspace.open(sample_workspace)
    yield ws
    ws.close()


def test_rules_and_salt_live_with_the_workspace(workspace: Workspace) -> None:
    assert load_rules(workspace) == MaskRules()
    rules = MaskRules(True, ("Holidays",), (), frozenset({"pid"}))
    save_rules(workspace, rules)
    assert workspace.get_setting(RULES_KEY)["terms"] == ["Holidays"]
    assert load_rules(workspace) == rules
    salt = workspace_salt(workspace)
    assert salt and workspace.get_setting(SALT_KEY) == salt
    assert workspace_salt(workspace) == salt  # created once, then kept
    a, b = masker_for(workspace), masker_for(workspace)
    assert a("Partner 7315") == b("Partner 7315") != "Partner 7315"


def test_known_values_come_from_the_records(workspace: Workspace) -> None:
    known = known_values(workspace.conn)
    assert {"7315", "6240"} <= known["pid"]
    assert {"4411", "4412", "833"} <= known["uid"]


def test_aliases_are_readable_and_kept_with_the_rules(tmp_path: Path) -> None:
    rules = MaskRules(True, ("Northwind", "Globex", "Initech"), (), frozenset({"pid"}),
                      (("globex", "Client A"),))
    m = Masker(rules, "salt", {"pid": {"5150", "777"}})
    assert m("Northwind, GLOBEX and initech") == "Term 1, Client A and Term 2"
    assert m("pid 777 and 5150") == "pid Partner B and Partner A"  # sorted: "5150" < "777"
    # the label that is the alias's own word is not repeated (the status bar's "Partner …")
    assert m("Partner 5150  ·  export 2023-08-18") == "Partner A  ·  export 2023-08-18"
    assert m(m("partner 777")) == "partner B"
    assert m(m("Northwind")) == "Term 1" and m("Client A") == "Client A"
    assert m("Term 5150") == "Term Partner A"  # not an alias of this masker: masked inside
    ws_path = tmp_path / "ws.aamws"
    with Workspace.open(ws_path, create=True) as workspace:
        save_rules(workspace, rules)
        # removing a term keeps the other terms' aliases: they were saved with the rules
        stored = load_rules(workspace)
        assert dict(stored.aliases) == {"northwind": "Term 1", "globex": "Client A",
                                        "initech": "Term 2"}
        fewer = MaskRules(True, ("Initech", "Acme"), (), frozenset(), stored.aliases)
        assert fewer.term_aliases() == {"initech": "Term 2", "acme": "Term 3"}


def test_suggestions_come_from_data_source_and_destination_names(
        sample_tenant: Path, tmp_path: Path) -> None:
    ws_path = tmp_path / "ws.aamws"
    import_export(sample_tenant, ws_path)
    with Workspace.open(ws_path) as workspace:
        suggestions = suggest_terms(workspace.conn)
        terms = [s.term for s in suggestions]
        # the brand that starts several data-source names comes first, then the other names
        assert terms[0] == "Bluefin"
        assert suggestions[0].found_in == (
            "3 names: Bluefin Audiences, Bluefin Loyalty CRM, Bluefin Web")
        found_in = {s.term: s.found_in for s in suggestions}
        # a word starting a data-source and a destination name
        assert found_in["Sample"] == ("2 names: Sample Panel Inc - Frequent Flyers, "
                                      "Sample DSP (Device-Based)")
        assert found_in["Travel Network Pixel (URL)"] == "destination"
        assert found_in["Homepage Hero Cookie"] == "destination"
        assert not any(t.casefold().startswith("adobe") for t in terms)  # Adobe's own
        assert "Bluefin Web" not in terms  # already covered by the brand
        rules = MaskRules(True, ("bluefin", "Travel Network Pixel (URL)"))
        again = [s.term for s in suggest_terms(workspace.conn, rules)]
        assert "Bluefin" not in again and "Travel Network Pixel (URL)" not in again
        assert "Bluefin Web" not in again  # masked through its brand already
