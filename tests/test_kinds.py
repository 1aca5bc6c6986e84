"""The one vocabulary of kinds, folder kinds and the tenant's top-level groups."""

from __future__ import annotations

from explorer.kinds import (
    FOLDER_KIND_OF,
    GROUP_KEYS,
    GROUP_OF_KIND,
    KIND_IN_FOLDER,
    KINDS,
    adobe_data_source_name,
    folder_kind,
)


def test_folder_kinds_go_both_ways() -> None:
    assert FOLDER_KIND_OF == {"trait": "trait-folder", "segment": "segment-folder"}
    assert KIND_IN_FOLDER == {"trait-folder": "trait", "segment-folder": "segment"}
    assert folder_kind("trait") == "trait-folder"
    assert folder_kind("segment-folder") == "segment-folder"  # a folder kind is its own
    assert folder_kind("destination") is None


def test_every_group_lists_one_known_kind() -> None:
    assert set(GROUP_KEYS.values()) <= set(KINDS)
    assert {GROUP_KEYS[group] for group in GROUP_OF_KIND.values()} == set(GROUP_OF_KIND)
    assert GROUP_OF_KIND["merge-rule"] == "merge-rules"
    assert "destination-mapping" not in GROUP_OF_KIND  # mappings show inside destinations


def test_adobe_owns_its_global_data_sources_and_a_server_to_server_destinations() -> None:
    assert adobe_data_source_name(20914) == "Google Advertising ID (GAID)"
    assert adobe_data_source_name(20914, kind="trait") == "Google Advertising ID (GAID)"
    assert adobe_data_source_name(171001, kind="trait") is None  # the tenant's own
    assert adobe_data_source_name(171001, kind="destination",
                                  destination_type="S2S") == "Data source 171001"
    assert adobe_data_source_name(171001, kind="destination", destination_type="PUSH") is None
    assert adobe_data_source_name(171001, kind="trait", destination_type="S2S") is None
