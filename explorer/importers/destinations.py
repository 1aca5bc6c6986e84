"""Destinations and the segment mappings nested in them, to rows."""

from __future__ import annotations

from typing import Any

from explorer.domain.records import RECORD_TYPES, AamRecord
from explorer.importers.loader_state import LoaderState
from explorer.importers.parse import Parsed, json_type
from explorer.importers.record_text import record_label
from explorer.importers.report import FileSummary
from explorer.importers.rows import ROW_BUILDERS, stored_row
from explorer.kinds import KINDS


class DestinationRows:
    """Destinations files, with the mappings AAM nests in them (``includeMappings=true``)."""

    def __init__(self, state: LoaderState) -> None:
        self.state = state

    def load_destinations(self, name: str, parsed: Parsed, summary: FileSummary) -> None:
        """Destinations, and the mappings nested in them (``includeMappings=true``)."""
        self.state.clear_config()
        dest_cls = RECORD_TYPES["destination"]
        map_cls = RECORD_TYPES["destination-mapping"]
        for index, record in enumerate(parsed.records):
            model = self.state.validate(name, parsed, index, record, dest_cls)
            label = record_label(parsed.label(index), dest_cls.id_field, record)
            merged = self.state.merged.get(name, 0)
            if model is None or not self.state.accept("destination", name, label, model):
                if self.state.merged.get(name, 0) > merged:
                    summary.duplicates += 1
                else:
                    summary.skipped += 1
                continue
            self.state.batches["destinations"].append(
                stored_row("destinations", ROW_BUILDERS["destination"](model), record))
            summary.records += 1
            summary.skipped += self.load_nested_mappings(
                name, label, model.id, record.get("mappings"), map_cls)
        for kind in ("destination", "destination-mapping"):
            table = KINDS[kind].table
            self.state.track_rows(kind, table, self.state.batches[table])
            self.state.flush(table)

    def load_nested_mappings(self, name: str, label: str, destination_id: int, mappings: Any,
                             cls: type[AamRecord]) -> int:
        """Load one destination's nested mappings; return how many were skipped."""
        if mappings is None:
            return 0
        if not isinstance(mappings, list):
            self.state.problem(name, label, "mappings",
                               f"expected an array, got {json_type(mappings)}; mappings skipped")
            return 1
        skipped = 0
        nested = Parsed(mappings, is_csv=False, noun="mapping")
        for position, mapping in enumerate(mappings):
            if isinstance(mapping, dict) and "destinationId" not in mapping \
                    and "orderId" not in mapping:
                mapping = {**mapping, "destinationId": destination_id}
            prefix = f"{label}: "
            model = self.state.validate(name, nested, position, mapping, cls, prefix=prefix)
            if model is None:
                skipped += 1
                continue
            mapping_label = prefix + record_label(nested.label(position), cls.id_field, mapping)
            merged = self.state.merged.get(name, 0)
            if not self.state.accept("destination-mapping", name, mapping_label, model):
                if self.state.merged.get(name, 0) == merged:
                    skipped += 1
                continue
            self.state.batches["destination_mappings"].append(
                stored_row("destination_mappings", ROW_BUILDERS["destination-mapping"](model),
                           mapping))
        return skipped
