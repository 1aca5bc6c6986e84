"""Validate a file's records in bulk, in pydantic-core, and leave only the doubtful ones to
the per-record path.

Each bulk kind has a *strict* twin of its model: the same fields, names and aliases, but only
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
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from explorer.domain.records import INT64_MAX, MAX_EPOCH_MS, MIN_EPOCH_MS

CHUNK_RECORDS = 10_000

_Id = Annotated[int, Field(strict=True, ge=1, le=INT64_MAX)]
_OptId = Annotated[int | None, Field(strict=True, ge=1, le=INT64_MAX)]
_FolderRef = Annotated[int, Field(strict=True, ge=0, le=INT64_MAX)]
_OptInt = Annotated[int | None, Field(strict=True, ge=-INT64_MAX - 1, le=INT64_MAX)]
_EpochMs = Annotated[int | None, Field(strict=True, ge=MIN_EPOCH_MS, le=MAX_EPOCH_MS)]
_Str = Annotated[str, Field(strict=True)]
_OptStr = Annotated[str | None, Field(strict=True)]
# A coded field (status, traitType) whose word is already what ``coded_word`` makes of it.
_Word = Annotated[str | None, Field(strict=True, pattern=r"^[A-Z][A-Z_]*$")]


class _Strict(BaseModel):
    # Extra keys are allowed by the full models and ignored here: rows read named fields and
    # the raw column is the source record itself.
    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    kind: ClassVar[str] = ""
    id_field: ClassVar[str] = ""
    create_time: _EpochMs = Field(None, alias="createTime")
    update_time: _EpochMs = Field(None, alias="updateTime")
    cr_uid: _OptInt = Field(None, alias="crUID")
    up_uid: _OptInt = Field(None, alias="upUID")


class StrictTrait(_Strict):
    kind: ClassVar[str] = "trait"
    id_field: ClassVar[str] = "sid"

    id: _Id = Field(alias="sid")
    pid: _OptId = None
    name: _Str
    description: _OptStr = None
    comments: _OptStr = None
    integration_code: _OptStr = Field(None, alias="integrationCode")
    trait_type: _Word = Field(None, alias="traitType")
    type: _OptInt = None
    data_source_id: _Id = Field(alias="dataSourceId")
    folder_id: _FolderRef = Field(alias="folderId")
    trait_rule: _OptStr = Field(None, alias="traitRule")
    trait_rule_version: _OptInt = Field(None, alias="traitRuleVersion")
    ttl: _OptInt = None
    status: _Word = None
    algo_model_id: _OptId = Field(None, alias="algoModelId")
    category_id: _OptId = Field(None, alias="categoryId")


class StrictSegment(_Strict):
    kind: ClassVar[str] = "segment"
    id_field: ClassVar[str] = "sid"

    id: _Id = Field(alias="sid")
    pid: _OptId = None
    name: _Str
    description: _OptStr = None
    integration_code: _OptStr = Field(None, alias="integrationCode")
    data_source_id: _Id = Field(alias="dataSourceId")
    merge_rule_id: _OptId = Field(None, alias="mergeRuleDataSourceId")
    folder_id: _FolderRef = Field(alias="folderId")
    segment_rule: _Str = Field(alias="segmentRule")
    status: _Word = None


STRICT_TYPES: dict[str, type[_Strict]] = {"trait": StrictTrait, "segment": StrictSegment}
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
