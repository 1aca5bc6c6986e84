"""The one vocabulary for object kinds, shared by the CLI, the store, the GUI and JSON output."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """An AAM object kind: the word users type, its table, and its count key in `info`."""

    name: str
    table: str
    label: str
    plural_label: str


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("data-source", "data_sources", "Data source", "Data sources"),
        Kind("trait-folder", "trait_folders", "Trait folder", "Trait folders"),
        Kind("segment-folder", "segment_folders", "Segment folder", "Segment folders"),
        Kind("trait", "traits", "Trait", "Traits"),
        Kind("segment", "segments", "Segment", "Segments"),
        Kind("merge-rule", "merge_rules", "Merge rule", "Merge rules"),
        Kind("destination", "destinations", "Destination", "Destinations"),
        Kind("destination-mapping", "destination_mappings", "Destination mapping",
             "Destination mappings"),
        Kind("algo-model", "algo_models", "Algorithmic model", "Algorithmic models"),
        Kind("derived-signal", "derived_signals", "Derived signal", "Derived signals"),
    )
}

KIND_NAMES: tuple[str, ...] = tuple(KINDS)
TABLE_TO_KIND: dict[str, str] = {k.table: k.name for k in KINDS.values()}

# Traits and segments live in folders of their own kind.
FOLDER_KIND_OF: dict[str, str] = {"trait": "trait-folder", "segment": "segment-folder"}
KIND_IN_FOLDER: dict[str, str] = {folder: kind for kind, folder in FOLDER_KIND_OF.items()}

# The tenant's top-level lists (the tree's groups, the object list's sources, the report's
# group pages): group key -> the kind it lists.
GROUP_KEYS: dict[str, str] = {
    "traits": "trait",
    "segments": "segment",
    "data-sources": "data-source",
    "merge-rules": "merge-rule",
    "destinations": "destination",
    "algo-models": "algo-model",
    "derived-signals": "derived-signal",
}
GROUP_OF_KIND: dict[str, str] = {kind: group for group, kind in GROUP_KEYS.items()}

# The data source that AEP audience sharing creates; objects in it came from AEP.
AEP_DATA_SOURCE_NAME = "Adobe Experience Platform Audience Sharing"
AEP_TRAIT_FOLDER_NAME = "Experience Platform Traits"
AEP_SEGMENT_FOLDER_NAME = "Experience Platform Segments"
EXTERNAL_MERGE_POLICY_NAME = "External Merge Policy"


def folder_kind(kind_name: str) -> str | None:
    """The folder kind that holds ``kind_name`` objects (a folder kind is its own), or None."""
    if kind_name in KIND_IN_FOLDER:
        return kind_name
    return FOLDER_KIND_OF.get(kind_name)


def kind(name: str) -> Kind:
    """Return the Kind for a user-typed name, or raise KeyError naming the valid words."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown kind {name!r}; expected one of: {', '.join(KIND_NAMES)}") from None


@dataclass(frozen=True, order=True)
class ObjectRef:
    """One AAM object: its KIND word and its AAM id (the tenant object is ``("tenant", 0)``)."""

    kind: str
    id: int

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> ObjectRef:
        """Parse ``KIND:ID`` as users type it (``--select trait:1000001``)."""
        kind_name, sep, raw_id = text.partition(":")
        if not sep or kind_name not in KINDS or not raw_id.strip().isdigit():
            raise ValueError(f"expected KIND:ID (e.g. trait:1000001), got {text!r}")
        return cls(kind_name, int(raw_id))

# Adobe's global data sources (fixed IDs, Adobe documents them in "Global data sources"): a
# tenant's traits may use them, but no tenant export contains them.
ADOBE_DATA_SOURCES: dict[int, str] = {
    20914: "Google Advertising ID (GAID)", 20915: "Apple ID for Advertisers (IDFA)",
    121963: "Roku ID for Advertising (RIDA)", 389146: "Microsoft Advertising ID (MAID)",
    963906: "Tizen ID for Advertising (TIFA)", 488258: "Amazon Fire TV",
    1171485: "LG webOS", 1171489: "Vizio",
}


def adobe_data_source_name(data_source_id: int, *, kind: str = "",
                           destination_type: object = None) -> str | None:
    """The name of a data source Adobe owns, or None for one of the tenant's.

    No tenant export holds Adobe's data sources, so their absence is no fault: the global ones
    (``ADOBE_DATA_SOURCES``) and a server-to-server destination's (Adobe sets those
    destinations up, the API cannot create them). ``kind`` and ``destination_type`` are those of
    the object that names the data source.
    """
    server_to_server = kind == "destination" and str(destination_type) == "S2S"
    if data_source_id in ADOBE_DATA_SOURCES or server_to_server:
        return ADOBE_DATA_SOURCES.get(data_source_id, f"Data source {data_source_id}")
    return None

# Type codes as the API writes them -> the words AAM's UI shows; every view uses these.
TRAIT_TYPE_LABELS: dict[str, str] = {"RULE_BASED_TRAIT": "Rule-based",
                                     "ON_BOARDED_TRAIT": "Onboarded",
                                     "ALGO_TRAIT": "Algorithmic"}
DESTINATION_TYPE_LABELS: dict[str, str] = {"PUSH": "URL", "ADS": "Cookie",
                                           "S2S": "Server-to-server"}
