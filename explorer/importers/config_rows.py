"""Configuration records to rows: each record validated, de-duplicated and batched;
segments also record the traits their rules reference.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from explorer.domain.records import INT64_MAX, RECORD_TYPES
from explorer.importers.bulk_validation import bulk_models
from explorer.importers.loader_state import BATCH_ROWS, LoaderState
from explorer.importers.parse import FOLDER, Parsed, csv_cell_value
from explorer.importers.record_text import record_label
from explorer.importers.report import FileSummary
from explorer.importers.rows import ROW_BUILDERS, stored_row, string_aliases
from explorer.kinds import KINDS

_STRING_KEYS = {kind: string_aliases(cls) for kind, cls in RECORD_TYPES.items()}


class ConfigRows:
    """Traits, segments and the other flat configuration files: one row per valid record,
    plus each segment's trait references (``segment_traits``)."""

    def __init__(self, state: LoaderState) -> None:
        self.state = state

    def load_records(self, name: str, kind: str, parsed: Parsed, summary: FileSummary) -> None:
        self.state.clear_config()
        cls = RECORD_TYPES[kind]
        build = ROW_BUILDERS[kind]
        table = KINDS[kind].table
        batch = self.state.batches[table]
        seen = self.state.seen[kind]
        extra = self._extra_step(kind)
        records = parsed.records
        total = len(records)
        merged_before = self.state.merged.get(name, 0)
        for index, (record, strict_model) in enumerate(zip(records, bulk_models(kind, records),
                                                           strict=True)):
            # The strict twin settles a clean record; the per-record path takes the rest,
            # and any id met before (the duplicate check compares full models).
            model: Any = strict_model
            if model is None or model.id in seen:
                model = self.state.validate(name, parsed, index, record, cls)
            if model is None:
                summary.skipped += 1
                continue
            if model.id in seen:
                merged = self.state.merged.get(name, 0)
                if not self.state.accept(kind, name, record_label(parsed.label(index), cls.id_field,
                                                                  record), model):
                    if self.state.merged.get(name, 0) == merged:
                        summary.skipped += 1
                    continue
            seen[model.id] = name
            batch.append(stored_row(table, build(model), record))
            if extra is not None:
                extra(name, parsed, index, model)
            if len(batch) >= BATCH_ROWS:
                self.state.track_rows(kind, table, batch)
                self.state.flush(table)
                self.state.step("read", index + 1, total, name)  # records within a big file
        summary.duplicates += self.state.merged.get(name, 0) - merged_before
        summary.records = total - summary.skipped - summary.duplicates
        self.state.track_rows(kind, table, batch)
        self.state.flush(table)

    def _extra_step(self, kind: str) -> Callable[[str, Parsed, int, Any], None] | None:
        if kind == "segment":
            return self._segment_extras
        if kind == "trait":
            return self._trait_extras
        return None

    def _trait_extras(self, _name: str, _parsed: Parsed, _index: int, model: Any) -> None:
        self.state.folders_used["trait-folder"].add(model.folder_id)

    def _segment_extras(self, name: str, parsed: Parsed, index: int, model: Any) -> None:
        problem = self.state.problem
        label = parsed.label(index)
        self.state.folders_used["segment-folder"].add(model.folder_id)
        try:
            references, unindexed = self.state.referenced_traits(model.segment_rule)
        except Exception as exc:  # a rule the parser chokes on must not stop the import
            problem(name, record_label(label, "sid", {"sid": model.id}), "segmentRule",
                    f"rule not understood ({exc}); its trait references are not indexed")
            return
        for message in unindexed:  # an id too large for the workspace: skipped, with a word
            problem(name, record_label(label, "sid", {"sid": model.id}), "segmentRule", message)
        batch = self.state.batches["segment_traits"]
        for trait_id, in_frequency, negated in references:
            if not 0 < trait_id <= INT64_MAX:
                problem(name, record_label(label, "sid", {"sid": model.id}), "segmentRule",
                        f"rule references trait id {_short_number(trait_id)}, "
                        "outside the range of AAM ids; that reference is not indexed")
                continue
            batch.append((model.id, trait_id, int(in_frequency), int(negated)))
        if len(batch) >= BATCH_ROWS:
            self.state.flush("segment_traits")


def typed_table(kind: str, parsed: Parsed) -> None:
    """Type a table's cells in place (CSV file or sheet): numbers, true/false, lists and the
    Python literals pandas writes; the kind's text fields (names, rules) stay as written."""
    text_keys = _STRING_KEYS["trait-folder" if kind == FOLDER else kind]
    parsed.records = [
        {key: value if key in text_keys else csv_cell_value(value)
         for key, value in record.items()}
        for record in parsed.records
    ]


def _short_number(number: int) -> str:
    if abs(number).bit_length() > 96:  # str() of a huge int is slow, and refused past 4300
        return f"of about {int(abs(number).bit_length() * 0.30103) + 1} digits"
    return str(number)
