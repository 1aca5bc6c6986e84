"""Validate a file's records in bulk, in pydantic-core, and leave only the doubtful ones to
the per-record path.

Each bulk kind has a *strict* twin of its model (``strict_twin``, derived from the model): the
same fields, names, aliases and defaults, but only
values the full model would take unchanged (ints that are ints and in range, strings that are
strings, epoch milliseconds that are whole numbers a date can have, coded words already in
their canonical capitals) and none of the model's Python validators, so a list of them is
validated entirely in Rust. A record the twin accepts gets exactly what the full model would
give it, with no problem to report; a record it refuses (or a chunk holding one) goes through
``LoaderState.validate`` one by one, which reports problems, drops bad optional values and
skips bad records exactly as before. So a clean file never pays per-record Python overhead,
and a bad one gets the same messages.

Chunks of ``CHUNK_RECORDS`` keep the models of one chunk alive at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import repeat
from typing import Annotated, Any, Literal, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, create_model

from explorer.domain import records
from explorer.domain.codes import CODED_FIELDS
from explorer.domain.records import INT64_MAX, MAX_EPOCH_MS, MIN_EPOCH_MS

CHUNK_RECORDS = 10_000

_Id = Annotated[int, Field(strict=True, ge=1, le=INT64_MAX)]
_OptId = Annotated[int | None, Field(strict=True, ge=1, le=INT64_MAX)]
_FolderRef = Annotated[int, Field(strict=True, ge=0, le=INT64_MAX)]
_OptInt = Annotated[int | None, Field(strict=True, ge=-INT64_MAX - 1, le=INT64_MAX)]
_EpochMs = Annotated[int | None, Field(strict=True, ge=MIN_EPOCH_MS, le=MAX_EPOCH_MS)]
_Str = Annotated[str, Field(strict=True)]
_OptStr = Annotated[str | None, Field(strict=True)]
# A coded field (status, traitType) holding a word ``coded_word`` leaves as it is: the usual
# ones, listed (a literal is checked in a fraction of a regular expression's time); any other
# word takes the per-record path.
_Word = Annotated[Literal["ACTIVE", "INACTIVE", "DELETED", "RULE_BASED_TRAIT",
                          "ON_BOARDED_TRAIT", "ALGO_TRAIT", "FOLDER_TRAIT"] | None, Field()]


# The full models' field types -> their strict twins.
_STRICT_OF: list[tuple[Any, Any]] = [
    (records.Id, _Id), (records.OptId, _OptId), (records.FolderRef, _FolderRef),
    (records.OptInt, _OptInt), (records.EpochMs, _EpochMs), (str, _Str), (str | None, _OptStr),
]
# Kinds validated in bulk: the big ones, whose keys have no variants to rename first.
BULK_KINDS = ("trait", "segment")


def strict_twin(cls: type[records.AamRecord]) -> type[BaseModel]:
    """``cls`` with every field strict (same names, aliases and defaults) and no Python
    validators. Extra keys are ignored: rows read named fields and the raw column is the
    source record itself."""
    hints = get_type_hints(cls, include_extras=True)
    fields: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        alias = info.alias or name
        strict: Any
        if alias in CODED_FIELDS:
            strict = _Word
        else:
            strict = next((twin for full, twin in _STRICT_OF if hints[name] == full), None)
            if strict is None:
                raise TypeError(f"{cls.__name__}.{name}: no strict twin for {hints[name]}")
        default = ... if info.is_required() else info.default
        fields[name] = (strict, Field(default, alias=info.alias))
    twin: type[BaseModel] = create_model(
        f"Strict{cls.__name__}", __config__=ConfigDict(populate_by_name=True, extra="ignore"),
        **fields)
    # What the loader reads of a model's class besides its fields.
    twin.kind = cls.kind  # type: ignore[attr-defined]
    twin.id_field = cls.id_field  # type: ignore[attr-defined]
    return twin


STRICT_TYPES: dict[str, type[BaseModel]] = {
    kind: strict_twin(records.RECORD_TYPES[kind]) for kind in BULK_KINDS}
_ADAPTERS: dict[str, TypeAdapter[list[Any]]] = {}


def _adapter(kind: str) -> TypeAdapter[list[Any]]:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        strict_type: Any = STRICT_TYPES[kind]
        adapter = _ADAPTERS[kind] = TypeAdapter(list[strict_type])
    return adapter


def bulk_models(kind: str, records: list[Any]) -> Iterator[Any | None]:
    """One strict model per record, in order, or None where the per-record path must decide.

    Chunks are validated as they are consumed, so one chunk's models are alive at a time. A
    chunk that fails is validated again without its refused records: one bad record costs
    its chunk a second pass, not a Python call per record."""
    if kind not in STRICT_TYPES:
        yield from repeat(None, len(records))
        return
    adapter = _adapter(kind)
    for start in range(0, len(records), CHUNK_RECORDS):
        yield from _chunk_models(adapter, records[start:start + CHUNK_RECORDS])


def _chunk_models(adapter: TypeAdapter[list[Any]], chunk: list[Any]) -> list[Any | None]:
    try:
        return adapter.validate_python(chunk)
    except ValidationError as exc:
        refused = {error["loc"][0] for error in exc.errors(include_url=False,
                                                           include_input=False)
                   if error["loc"]}
    kept = [i for i in range(len(chunk)) if i not in refused]
    try:
        validated = adapter.validate_python([chunk[i] for i in kept])
    except ValidationError:  # each refusal was its own record's; stay correct regardless
        return [None] * len(chunk)
    models: list[Any | None] = [None] * len(chunk)
    for position, model in zip(kept, validated, strict=True):
        models[position] = model
    return models
