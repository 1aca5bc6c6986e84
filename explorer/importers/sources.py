"""The files an export is made of: a folder, a ``.zip``, single files, or a list of those.

Files are listed first (cheap) and read one at a time, so a large export never sits in memory
whole. Zip entries are checked before they are read: an entry whose name escapes the archive
folder, or that is absurdly large or compressed (a zip bomb), refuses the whole import.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_FILE_BYTES = 1 << 30  # 1 GiB: no AAM export file is anywhere near this
MAX_COMPRESSION_RATIO = 200  # JSON compresses ~10-30x; far beyond that is a zip bomb
RATIO_CHECK_MIN_BYTES = 1 << 20  # tiny entries may compress oddly well; only judge real sizes
_DRIVE = re.compile(r"^[A-Za-z]:")
_DIGITS = re.compile(r"(\d+)")


class Unreadable(Exception):
    """A file (or the source itself) cannot be read at all: the whole import is refused."""

    # What the user can do about a file of the export that cannot be read.
    FILE_ADVICE = "remove it from the export or fix it, then import again"

    def __init__(self, file: str | None, message: str, *, advice: str | None = FILE_ADVICE
                 ) -> None:
        super().__init__(message)
        self.file = file
        self.message = message
        self.advice = advice

    def text(self) -> str:
        """The message and, for a file of the export, what to do about it."""
        return f"{self.message}; {self.advice}" if self.advice else self.message


@dataclass(frozen=True)
class InputFile:
    """One file of the export: the name shown in messages, its size and how to read it."""

    name: str
    size: int
    reader: Callable[[], bytes]

    def read(self) -> bytes:
        return self.reader()


def natural_key(name: str) -> list[object]:
    """Sort ``page-2`` before ``page-10`` so merged pages keep Adobe's order."""
    return [int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(name)]


def list_files(source: Path | str | Iterable[Path | str]) -> list[InputFile]:
    """All files of the source, in a stable natural order per source path."""
    paths = [Path(source)] if isinstance(source, str | Path) else [Path(p) for p in source]
    if not paths:
        raise Unreadable(None, "no export given", advice=None)
    files: list[InputFile] = []
    for path in paths:
        files.extend(_files_of(path))
    return files


def _files_of(path: Path) -> list[InputFile]:
    if path.is_dir():
        return _folder_files(path)
    if not path.is_file():
        raise Unreadable(str(path), "no such file or folder", advice=None)
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        return _zip_files(path)
    return [_plain_file(path, path.name)]


def _is_hidden(parts: Iterable[str]) -> bool:
    # Finder/Explorer litter (.DS_Store, __MACOSX/, Thumbs.db) is not part of any export.
    return any(p.startswith(".") or p == "__MACOSX" or p.lower() == "thumbs.db" for p in parts)


def _folder_files(folder: Path) -> list[InputFile]:
    found = [
        p for p in folder.rglob("*")
        if p.is_file() and not _is_hidden(p.relative_to(folder).parts)
    ]
    found.sort(key=lambda p: natural_key(p.relative_to(folder).as_posix()))
    files: list[InputFile] = []
    for path in found:
        name = path.relative_to(folder).as_posix()
        if path.suffix.lower() == ".zip":  # an export folder may hold the export's zip
            files.extend(_zip_files(path, prefix=f"{name}/"))
        else:
            files.append(_plain_file(path, name))
    return files


def _plain_file(path: Path, name: str) -> InputFile:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise Unreadable(name, f"file is {size:,} bytes, larger than the 1 GiB limit")
    return InputFile(name, size, path.read_bytes)


def _zip_files(path: Path, prefix: str = "") -> list[InputFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unreadable(path.name, f"not a readable zip archive ({exc})",
                         advice="re-create the archive, then import again") from None
    files = []
    for info in infos:
        if info.is_dir():
            continue
        name = _safe_entry_name(path.name, info.filename)
        if _is_hidden(PurePosixPath(name).parts):
            continue
        _check_entry_size(path.name, name, info)
        files.append(InputFile(prefix + name, info.file_size, _zip_reader(path, info)))
    files.sort(key=lambda f: natural_key(f.name))
    return files


def _safe_entry_name(archive: str, raw_name: str) -> str:
    name = raw_name.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or _DRIVE.match(name) or ".." in parts:
        raise Unreadable(
            f"{archive}/{raw_name}",
            "unsafe zip entry: its path escapes the archive folder",
        )
    return name


def _check_entry_size(archive: str, name: str, info: zipfile.ZipInfo) -> None:
    where = f"{archive}/{name}"
    if info.file_size > MAX_FILE_BYTES:
        raise Unreadable(
            where, f"zip entry declares {info.file_size:,} bytes, over the 1 GiB limit")
    if info.file_size > RATIO_CHECK_MIN_BYTES:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO:
            raise Unreadable(
                where,
                f"zip entry compressed {ratio:,.0f}:1 (limit {MAX_COMPRESSION_RATIO}:1), "
                "refused as a possible zip bomb",
            )


def _zip_reader(path: Path, info: zipfile.ZipInfo) -> Callable[[], bytes]:
    def read() -> bytes:
        where = f"{path.name}/{info.filename}"
        try:
            with zipfile.ZipFile(path) as archive, archive.open(info) as entry:
                # Never trust the declared size alone: stop reading past it.
                data = entry.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
            raise Unreadable(where, f"cannot read zip entry ({exc})") from None
        if len(data) > info.file_size:
            raise Unreadable(where, "zip entry is larger than it declares")
        return data

    return read


def read_file(item: InputFile) -> bytes:
    try:
        return item.read()
    except OSError as exc:
        raise Unreadable(item.name, f"cannot read file ({exc.strerror or exc})") from None
