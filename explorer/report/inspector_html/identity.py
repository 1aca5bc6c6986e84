"""The top of every inspector page: the title with its badges, and the identity
table (id, type, status, data source, folder path, integration code, dates).
"""

from __future__ import annotations

from collections.abc import Mapping

from explorer.kinds import (
    DESTINATION_TYPE_LABELS,
    KIND_IN_FOLDER,
    KINDS,
    TRAIT_TYPE_LABELS,
    adobe_data_source_name,
    folder_kind,
)
from explorer.report.inspector_html.markup import (
    Details,
    badge,
    date_text,
    esc,
    first_value,
    link,
    missing_mark,
    muted,
    rows_table,
)
from explorer.report.inspector_html.review import field_findings
from explorer.report.inspector_html.themes import (
    AEP_BADGE_COLOUR,
    STATUS_COLOURS,
    STATUS_OTHER_COLOUR,
    Theme,
)

# The one vocabulary (explorer.kinds) under the names the rule rendering imports.
TRAIT_TYPES = TRAIT_TYPE_LABELS
DESTINATION_TYPES = DESTINATION_TYPE_LABELS


def header(details: Details, theme: Theme) -> str:
    kind_name = str(details.get("kind", ""))
    kind_label = KINDS[kind_name].label if kind_name in KINDS else kind_name
    name = details.get("name") or f"{kind_label} {details.get('id')}"
    facts = [esc(kind_label), f"ID {esc(details.get('id'))}"]
    type_text = type_label(details)
    if type_text:
        facts.append(esc(type_text))
    badges = []
    status = first_value(details, "status")
    if status:
        colour = STATUS_COLOURS.get(str(status).upper(), STATUS_OTHER_COLOUR)
        badges.append(badge(str(status).upper(), colour, theme))
    if details.get("from_aep"):
        badges.append(badge("From Adobe Experience Platform", AEP_BADGE_COLOUR, theme))
    meta = ' <span class="muted">·</span> '.join(facts)
    badge_html = ("&nbsp;&nbsp;" + "&nbsp;".join(badges)) if badges else ""
    return (f'<h1>{esc(name)}</h1>\n<p class="meta">{meta}{badge_html}</p>\n')


def type_label(details: Details) -> str:
    kind_name = details.get("kind")
    if kind_name == "trait":
        raw_type = first_value(details, "trait_type", "traitType")
        return TRAIT_TYPE_LABELS.get(str(raw_type), str(raw_type or ""))
    if kind_name == "destination":
        raw_type = first_value(details, "destination_type", "destinationType")
        return DESTINATION_TYPE_LABELS.get(str(raw_type), str(raw_type or ""))
    if kind_name == "data-source":
        return str(first_value(details, "type") or "")
    return ""


def identity(details: Details, theme: Theme) -> str:
    raw = details.get("raw") or {}
    kind_name = details.get("kind")
    rows: list[tuple[str, str]] = [("ID", esc(details.get("id")))]
    type_text = type_label(details)
    if type_text:
        rows.append(("Type", esc(type_text)))
    rows.append(("Status", esc(first_value(details, "status") or "")))
    rows.append(("Data source", _data_source_html(details.get("data_source"), details)))
    is_folder = kind_name in KIND_IN_FOLDER
    rows.append(("Path" if is_folder else "Folder", _folder_path_html(details)))
    code = first_value(details, "integration_code", "integrationCode")
    if code:
        label = details.get("integration_code_label") or "Integration code"
        rows.append((str(label), f"<code>{esc(code)}</code>"))
    if kind_name == "trait":
        # Event type and rule version are API bookkeeping: "All fields" keeps them.
        rows.append(("Expires after", _ttl(raw.get("ttl", details.get("ttl")))))
    rows.append(("Algorithmic model", ref_html("algo-model", details.get("algo_model"))))
    rows.append(("Description", esc(first_value(details, "description") or "")))
    rows.append(("Created", date_text(details.get("create_time_iso"), raw.get("createTime"))))
    rows.append(("Updated", date_text(details.get("update_time_iso"), raw.get("updateTime"))))
    return rows_table(_with_field_findings(rows, details, theme))


# Identity rows -> the finding detail key that names that field.
_FIELD_KEYS = {"Folder": "folder_id", "Path": "folder_id", "Data source": "data_source_id",
               "Integration code": "integration_code", "AEP segment ID": "integration_code",
               "Algorithmic model": "algo_model_id", "End": "end_date"}


def _with_field_findings(rows: list[tuple[str, str]], details: Details,
                         theme: Theme) -> list[tuple[str, str]]:
    """Each row with the findings about its field beneath its value."""
    shown = []
    for label, value in rows:
        key = _FIELD_KEYS.get(label)
        notes = field_findings(details, key, theme) if key and value else ""
        shown.append((label, f"{value}<br>{notes}" if notes else value))
    return shown





def _ttl(ttl: object) -> str:
    if not isinstance(ttl, int):
        return ""
    return "never (TTL 0)" if ttl == 0 else f"{ttl:,} days"


def _data_source_html(data_source: object, details: Details) -> str:
    if isinstance(data_source, Mapping) and data_source.get("missing"):
        source_id = int(data_source.get("id") or 0)
        adobe_name = adobe_data_source_name(
            source_id, kind=str(details.get("kind")),
            destination_type=first_value(details, "destination_type", "destinationType"))
        if adobe_name is not None:
            return adobe_data_source_html(adobe_name, source_id)
    return ref_html("data-source", data_source)


def adobe_data_source_html(name: str, data_source_id: int) -> str:
    """A data source Adobe owns (``adobe_data_source_name``): no export holds it, and that is
    not a fault."""
    return f'{esc(name)} {muted(f"({data_source_id}) · Adobe-owned, not in this export")}'


def _folder_path_html(details: Details) -> str:
    path = details.get("folder_path") or []
    if not path:
        return ""
    kind_of_folders = folder_kind(str(details.get("kind"))) or ""
    crumbs = []
    for folder in path:
        if folder.get("missing") or folder.get("name") is None:
            crumbs.append(f"{esc(folder.get('id'))} {missing_mark('not in this export')}")
        elif kind_of_folders:
            crumbs.append(link(kind_of_folders, folder["id"], folder["name"]))
        else:
            crumbs.append(esc(folder["name"]))
    return ' <span class="muted">/</span> '.join(crumbs)


def ref_html(kind: str, ref: object) -> str:
    """``{id, name | None, missing}`` as a link, or the id flagged as missing."""
    if not isinstance(ref, Mapping) or ref.get("id") is None:
        return ""
    if ref.get("missing") or not ref.get("name"):
        return f"{esc(ref['id'])} {missing_mark('not in this export')}"
    object_id = ref["id"]
    return f'{link(kind, object_id, ref["name"])} {muted(f"({object_id})")}'
