"""Pydantic v2 records of the AAM objects a tenant export holds.

Field names follow Adobe's REST JSON (camelCase aliases); Python attributes are snake_case.
Unknown fields are kept (``extra="allow"``) and the importer also stores each source record
verbatim in the ``raw`` column, so nothing the export had is ever dropped.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

# SQLite stores signed 64-bit integers; anything larger cannot be loaded.
INT64_MAX = 2**63 - 1


# The times a datetime can hold (years 1 to 9999), in epoch milliseconds.
MIN_EPOCH_MS = -62_135_596_800_000
MAX_EPOCH_MS = 253_402_300_799_999
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?")


def parse_epoch_ms(value: Any) -> int | None:
    """A time as AAM gives it, in epoch milliseconds: an int, a float, the exponent strings
    Excel writes ("1.65E+12") or a date-time string ("2012-09-04 20:33:45", UTC unless it says
    otherwise). None for blank; ValueError (saying why) for anything else, including a number
    no date can have ("1e999", 10**16)."""
    if value is None or value == "":
        return None
    number: int | float
    if isinstance(value, bool):
        raise ValueError("not a time (true/false)")
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if _DATE_TIME.fullmatch(text):
            return _date_time_ms(text)
        try:
            number = int(text) if text.lstrip("-").isdigit() and text.isascii() else float(text)
        except ValueError:
            raise ValueError("not a time (epoch milliseconds or a date-time)") from None
    else:
        raise ValueError("not a time (epoch milliseconds or a date-time)")
    if isinstance(number, float):
        if not math.isfinite(number):
            raise ValueError("not a time (not a finite number)")
        if not MIN_EPOCH_MS <= number <= MAX_EPOCH_MS:
            raise ValueError("not a time: no date that far from 1970")
        number = int(number)
    if not MIN_EPOCH_MS <= number <= MAX_EPOCH_MS:
        raise ValueError("not a time: no date that far from 1970")
    return number


def _date_time_ms(text: str) -> int:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("not a valid date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(milliseconds=1)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _epoch_ms(value: Any) -> Any:
    try:
        return parse_epoch_ms(value)
    except ValueError as exc:
        raise PydanticCustomError("epoch_ms", "{reason} (got {value})",
                                  {"reason": str(exc), "value": repr(value)[:40]}) from None


def _blank_to_none(value: Any) -> Any:
    return None if value == "" else value


_WHOLE_FLOAT_TEXT = re.compile(r"\s*-?\d+\.0*\s*")


def _whole_number(value: Any) -> Any:
    """Refuse true/false where a number belongs (pydantic would read true as 1); numeric
    strings (Bulk Management sheets) still convert, and so does ``"29769.0"`` (pandas writes
    an integer column with gaps as floats); ``""`` means absent."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_not_bool", "must be a whole number, not true/false")
    if isinstance(value, str) and _WHOLE_FLOAT_TEXT.fullmatch(value):
        return int(value.strip().split(".")[0])
    return _blank_to_none(value)


def _in_range(low: int) -> Any:
    """An after-validator: the int (or None) lies in low..INT64_MAX."""

    def check(value: int | None) -> int | None:
        if value is not None and not low <= value <= INT64_MAX:
            raise PydanticCustomError(
                "int_out_of_range",
                "out of range: must be a whole number from {low} to {high}",
                {"low": low, "high": INT64_MAX},
            )
        return value

    return check


def _id_list(value: Any) -> Any:
    return [_whole_number(item) for item in value] if isinstance(value, list) else value


def _int_list(value: Any) -> Any:
    """Bulk Management sheets write arrays as ``[a,b]``; JSON gives real lists."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        inner = value.strip().removeprefix("[").removesuffix("]")
        return [part.strip().strip('"') for part in inner.split(",") if part.strip()]
    return value


# The id of an object: a positive signed 64-bit int (what SQLite can store), never a bool.
Id = Annotated[int, BeforeValidator(_whole_number), AfterValidator(_in_range(1))]
OptId = Annotated[int | None, BeforeValidator(_whole_number), AfterValidator(_in_range(1))]
# A folder reference: 0 is the root folder (All Traits / All Segments).
FolderRef = Annotated[int, BeforeValidator(_whole_number), AfterValidator(_in_range(0))]
# Any other number (user ids, ttl, versions): it must fit a signed 64-bit column.
OptInt = Annotated[
    int | None, BeforeValidator(_whole_number), AfterValidator(_in_range(-INT64_MAX - 1))
]
EpochMs = Annotated[
    int | None, BeforeValidator(_epoch_ms), AfterValidator(_in_range(-INT64_MAX - 1))
]
OptStr = Annotated[str | None, BeforeValidator(_blank_to_none)]
StrList = Annotated[list[str], BeforeValidator(_int_list)]
IdList = Annotated[
    list[Annotated[int, AfterValidator(_in_range(1))]],
    BeforeValidator(_id_list),
    BeforeValidator(_int_list),
]


def epoch_ms_to_datetime(value: int | None) -> datetime | None:
    """Convert AAM's epoch milliseconds to an aware UTC datetime (None when out of range)."""
    if value is None or not MIN_EPOCH_MS <= value <= MAX_EPOCH_MS:
        return None
    return _EPOCH + timedelta(milliseconds=value)


class AamRecord(BaseModel):
    """Common configuration for every AAM record."""

    model_config = ConfigDict(populate_by_name=True, extra="allow", frozen=False)

    kind: ClassVar[str] = ""
    # the export's name of the id: the alias each subclass gives its ``id`` field
    id_field: ClassVar[str] = ""
    if TYPE_CHECKING:  # every subclass declares it as a field with the export's alias
        id: int

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        id_info = cls.model_fields.get("id")
        if id_info is not None and id_info.alias:
            cls.id_field = id_info.alias

    @property
    def object_id(self) -> int:
        return self.id


class Listed(BaseModel):
    """The fields of an object the AAM UI lists by name: its id (each kind declares it again
    with the export's alias, keeping this place in the field order), the owning partner's id,
    its name and description."""

    id: Id
    pid: OptId = None
    name: str
    description: str | None = None


class Timestamps(BaseModel):
    create_time: EpochMs = Field(None, alias="createTime")
    update_time: EpochMs = Field(None, alias="updateTime")
    cr_uid: OptInt = Field(None, alias="crUID")
    up_uid: OptInt = Field(None, alias="upUID")


class DataSource(AamRecord, Listed, Timestamps):
    kind: ClassVar[str] = "data-source"

    id: Id = Field(alias="dataSourceId")
    integration_code: str | None = Field(None, alias="integrationCode")
    status: str | None = None
    type: str | None = None
    id_type: str | None = Field(None, alias="idType")
    sub_id_type: str | None = Field(None, alias="subIdType")
    inbound_s2s: bool | None = Field(None, alias="inboundS2S")
    outbound_s2s: bool | None = Field(None, alias="outboundS2S")
    unique_trait_integration_codes: bool | None = Field(None, alias="uniqueTraitIntegrationCodes")
    unique_segment_integration_codes: bool | None = Field(
        None, alias="uniqueSegmentIntegrationCodes"
    )
    data_export_restrictions: StrList = Field(default_factory=list, alias="dataExportRestrictions")


class Folder(AamRecord):
    """A trait or segment folder; ``parent_id`` 0 means the root (All Traits / All Segments)."""

    # 0 is the root ("All Traits" / "All Segments"), which tree-shaped exports include.
    id: FolderRef = Field(alias="folderId")
    parent_id: FolderRef = Field(0, alias="parentFolderId")
    pid: OptId = None
    name: str
    path: str | None = None
    status: str | None = None


class TraitFolder(Folder):
    kind: ClassVar[str] = "trait-folder"


class SegmentFolder(Folder):
    kind: ClassVar[str] = "segment-folder"


class Trait(AamRecord, Listed, Timestamps):
    kind: ClassVar[str] = "trait"

    id: Id = Field(alias="sid")
    comments: str | None = None
    integration_code: str | None = Field(None, alias="integrationCode")
    # RULE_BASED_TRAIT, ON_BOARDED_TRAIT, ALGO_TRAIT; anything else is kept as it came.
    trait_type: str | None = Field(None, alias="traitType")
    type: OptInt = None
    data_source_id: Id = Field(alias="dataSourceId")
    folder_id: FolderRef = Field(alias="folderId")
    trait_rule: str | None = Field(None, alias="traitRule")
    trait_rule_version: OptInt = Field(None, alias="traitRuleVersion")
    ttl: OptInt = None
    status: str | None = None
    algo_model_id: OptId = Field(None, alias="algoModelId")
    category_id: OptId = Field(None, alias="categoryId")


class Segment(AamRecord, Listed, Timestamps):
    kind: ClassVar[str] = "segment"

    id: Id = Field(alias="sid")
    integration_code: str | None = Field(None, alias="integrationCode")
    data_source_id: Id = Field(alias="dataSourceId")
    merge_rule_id: OptId = Field(None, alias="mergeRuleDataSourceId")
    folder_id: FolderRef = Field(alias="folderId")
    segment_rule: str = Field(alias="segmentRule")
    status: str | None = None


class MergeRule(AamRecord):
    kind: ClassVar[str] = "merge-rule"

    id: Id = Field(alias="mergeRuleDataSourceId")
    name: str
    is_default: bool = Field(False, alias="isDefault")
    cross_device_option: str | None = Field(None, alias="crossDeviceOption")
    cross_device_data_source_ids: IdList = Field(
        default_factory=list, alias="crossDeviceDataSourceIds"
    )
    device_option: str | None = Field(None, alias="deviceOption")
    data_export_controls: StrList = Field(default_factory=list, alias="dataExportControls")
    external: bool = False


class DestinationMapping(AamRecord, Timestamps):
    kind: ClassVar[str] = "destination-mapping"

    id: Id = Field(alias="destinationMappingId")
    destination_id: Id = Field(alias="destinationId")
    sid: Id
    trait_type: str | None = Field(None, alias="traitType")
    element_name: str | None = Field(None, alias="elementName")
    element_status: str | None = Field(None, alias="elementStatus")
    start_date: OptStr = Field(None, alias="startDate")
    end_date: OptStr = Field(None, alias="endDate")
    trait_alias: str | None = Field(None, alias="traitAlias")
    value_alias: str | None = Field(None, alias="valueAlias")
    url: str | None = None


class Destination(AamRecord, Listed, Timestamps):
    kind: ClassVar[str] = "destination"

    id: Id = Field(alias="destinationId")
    # PUSH = URL, ADS = Cookie, S2S = server-to-server; others kept as they came.
    destination_type: str | None = Field(None, alias="destinationType")
    data_source_id: OptId = Field(None, alias="dataSourceId")
    status: str | int | None = None
    cookie_name: str | None = Field(None, alias="cookieName")
    url_format_string: str | None = Field(None, alias="urlFormatString")
    start_date: OptStr = Field(None, alias="startDate")
    end_date: OptStr = Field(None, alias="endDate")


class DerivedSignal(AamRecord, Timestamps):
    kind: ClassVar[str] = "derived-signal"

    id: Id = Field(alias="derivedSignalId")
    pid: OptId = None
    source_key: str = Field(alias="sourceKey")
    source_value: str = Field(alias="sourceValue")
    target_key: str = Field(alias="targetKey")
    target_value: str = Field(alias="targetValue")
    integration_code: str | None = Field(None, alias="integrationCode")


class AlgoModel(AamRecord, Listed):
    kind: ClassVar[str] = "algo-model"

    id: Id = Field(alias="algoModelId")
    status: str | int | None = None
    algo_type_id: OptInt = Field(None, alias="algoTypeId")
    look_back_period: OptInt = Field(None, alias="lookBackPeriod")
    baseline_sid: OptId = Field(None, alias="sid")


RECORD_TYPES: dict[str, type[AamRecord]] = {
    cls.kind: cls
    for cls in (DataSource, TraitFolder, SegmentFolder, Trait, Segment, MergeRule, Destination,
                DestinationMapping, AlgoModel, DerivedSignal)
}

KNOWN_TRAIT_TYPES = ("RULE_BASED_TRAIT", "ON_BOARDED_TRAIT", "ALGO_TRAIT")
