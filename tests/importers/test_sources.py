"""The files of an export: litter listed as ignored (strict too), every unreadable file named in
one pass, zip entries judged by their size not their compression ratio, encrypted and corrupt
entries named in one line, XDM files named for what they are."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import pytest

from explorer.importers import ImportRefused, import_export
from tests.helpers.export_forms import tenant, write_json

LITTER = (".DS_Store", "Thumbs.db", "__MACOSX/._traits.json")


def _with_litter(folder: Path) -> Path:
    for name in LITTER:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x00\x05\x16\x07 litter")
    return folder


@pytest.mark.parametrize("strict", [False, True])
def test_litter_is_listed_as_ignored_also_under_strict(strict: bool, tmp_path: Path) -> None:
    export = _with_litter(write_json(tmp_path / "export"))
    report = import_export(export, tmp_path / "ws.aamws", strict=strict)
    ignored = sorted((f.name, f.reason) for f in report.files if f.kind == "ignored")
    reason = "left by the operating system (not part of the export); ignored"
    assert ignored == sorted((name, reason) for name in LITTER)
    assert report.warnings == []


def test_litter_inside_a_zip_and_strict_still_refuses_unknown_files(tmp_path: Path) -> None:
    export = write_json(tmp_path / "export")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in export.iterdir():
            out.write(path, f"export/{path.name}")
        for name in LITTER:
            out.writestr(f"export/{name}", b"litter")
    report = import_export(archive, tmp_path / "ws.aamws", strict=True)
    assert sorted(f.name for f in report.files if f.kind == "ignored") == sorted(
        f"export/{name}" for name in LITTER)
    (export / "notes.txt").write_text("meeting notes")
    with pytest.raises(ImportRefused) as refused:
        import_export(export, tmp_path / "strict.aamws", strict=True)
    assert [str(p) for p in refused.value.report.errors] == [
        "notes.txt: not a JSON or CSV file; ignored"]


def test_a_refusal_names_every_unreadable_file_in_one_pass(tmp_path: Path) -> None:
    export = write_json(tmp_path / "export")
    (export / "segment.json").write_text('[{"sid": 1,')  # cut short
    (export / "traits.json").write_bytes(b"\xff\xfe\x00garbage")
    (export / "merge_rules.json").write_text('"just a string"')
    ws = tmp_path / "ws.aamws"
    with pytest.raises(ImportRefused) as refused:
        import_export(export, ws)
    errors = [str(p) for p in refused.value.report.errors]
    assert [e.split(":")[0] for e in errors] == ["merge_rules.json", "segment.json",
                                                 "traits.json"]
    assert errors[0] == ("merge_rules.json: wrong top-level shape: expected an array or an "
                         "object, got a string; remove it from the export or fix it, then "
                         "import again")
    assert str(refused.value).startswith("3 files of the export cannot be read: ")
    assert not ws.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["export"]


def test_a_genuine_big_entry_that_compresses_well_is_not_a_zip_bomb(tmp_path: Path) -> None:
    traits = tenant()["trait"]
    traits[0]["description"] = "long " * 400_000  # 2 MB, compresses far beyond 200:1
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("traits.json", json.dumps(traits))
    info = zipfile.ZipFile(archive).getinfo("traits.json")
    assert info.file_size > 1 << 20 and info.file_size / info.compress_size > 200
    report = import_export(archive, tmp_path / "ws.aamws")
    assert report.counts["traits"] == 4


def _flag_encrypted(archive: Path, entry: str) -> None:
    """Set the 'encrypted' bit of an entry in its local and central headers."""
    data = bytearray(archive.read_bytes())
    name = entry.encode()
    for signature, flag_offset, name_offset in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = data.find(signature)
        while start != -1:
            if data[start + name_offset:start + name_offset + len(name)] == name:
                flags = struct.unpack_from("<H", data, start + flag_offset)[0]
                struct.pack_into("<H", data, start + flag_offset, flags | 0x1)
            start = data.find(signature, start + 4)
    archive.write_bytes(bytes(data))


def test_an_encrypted_zip_entry_gets_one_plain_line(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("traits.json", json.dumps(tenant()["trait"]))
    _flag_encrypted(archive, "traits.json")
    with pytest.raises(ImportRefused) as refused:
        import_export(archive, tmp_path / "ws.aamws")
    assert [str(p) for p in refused.value.report.errors] == [
        "export.zip/traits.json: zip entry is encrypted (password-protected); unzip it with "
        "its password, then import the folder"]


def test_a_corrupt_compressed_entry_is_refused_naming_the_entry(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    payload = json.dumps(tenant()["trait"] * 50).encode()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("traits.json", payload)
    data = bytearray(archive.read_bytes())
    start = 30 + len("traits.json")
    for offset in range(start + 5, start + 40):  # scramble the deflate stream
        data[offset] ^= 0x5A
    archive.write_bytes(bytes(data))
    with pytest.raises(ImportRefused) as refused:
        import_export(archive, tmp_path / "ws.aamws")
    errors = [str(p) for p in refused.value.report.errors]
    assert len(errors) == 1 and errors[0].startswith("export.zip/traits.json: zip entry ")
    assert "ZipInfo" not in errors[0]


def test_an_xdm_file_is_named_for_what_it_is(tmp_path: Path) -> None:
    export = write_json(tmp_path / "export")
    (export / "aep-segment.json").write_text(json.dumps({
        "xdm:segmentExpression": {"xdm:expressionType": "AAM", "xdm:value": "a == 1"},
        "xdm:segmentFolderId": "12", "xdm:segmentSubType": "SEGMENT"}))
    (export / "aep-folder.json").write_text(json.dumps({
        "https://ns.adobe.com/experience/audiencemanager/segmentFolderName": "User Folder",
        "xdm:identityMap": {}}))
    report = import_export(export, tmp_path / "ws.aamws")
    assert [str(w) for w in report.warnings] == [
        "aep-folder.json: AEP/XDM form, not an AAM REST export; ignored",
        "aep-segment.json: AEP/XDM form, not an AAM REST export; ignored"]
