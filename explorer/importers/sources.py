"""The files an export is made of: a folder, a ``.zip``, single files, or a list of those.

Files are listed first (cheap) and read one at a time, so a large export never sits in memory
whole. Zip entries are checked before they are read: an entry whose name escapes the archive
folder, that declares more than the size limit, that is encrypted, or that inflates past what
it declares (a zip bomb), refuses the whole import. A file that cannot be listed or read is
kept in the list as one that raises ``Unreadable`` when read, so that one pass over the export
names every such file.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_FILE_BYTES = 1 << 30  # 1 GiB: no AAM export file is anywhere near this
# All entries of one archive together: a zip of many entries each under the file limit
# would otherwise still unpack to any size.
MAX_ARCHIVE_BYTES = 4 << 30
# Files that operating systems leave in folders and zips; listed as ignored, never a problem.
LITTER_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
LITTER_FOLDERS = frozenset({"__macosx"})
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


class UnreadableFiles(Exception):
    """Every file of the export that cannot be read, found in one pass."""

    def __init__(self, problems: list[Unreadable]) -> None:
        super().__init__("; ".join(f"{p.file}: {p.message}" if p.file else p.message
                                   for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class InputFile:
    """One file of the export: the name shown in messages, its size and how to read it.

    ``litter`` marks files the operating system left behind (``.DS_Store``, ``Thumbs.db``,
    ``__MACOSX/``): the report lists them as ignored, and strict mode does not refuse them.
    """

    name: str
    size: int
    reader: Callable[[], bytes]
    litter: bool = False

    def read(self) -> bytes:
        return self.reader()


def _unreadable_file(problem: Unreadable) -> InputFile:
    """A file that cannot be listed: reading it raises the problem, in its turn."""

    def read() -> bytes:
        raise problem

    return InputFile(problem.file or "", 0, read)


def _litter_file(name: str) -> InputFile:
    return InputFile(name, 0, bytes, litter=True)


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
        try:
            files.extend(_files_of(path))
        except Unreadable as problem:
            files.append(_unreadable_file(problem))
    return files


def _files_of(path: Path) -> list[InputFile]:
    if path.is_dir():
        return _folder_files(path)
    if not path.is_file():
        raise Unreadable(str(path), "no such file or folder", advice=None)
    if path.suffix.lower() == ".zip" or _is_zip(path):
        return _zip_files(path)
    return [_plain_file(path, path.name)]


def _is_zip(path: Path) -> bool:
    """A zip by content; Excel workbooks are zips too, but they are read as workbooks."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return False
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def is_litter(parts: Iterable[str]) -> bool:
    """Finder/Explorer litter (.DS_Store, ._name, __MACOSX/, Thumbs.db) and other hidden
    files: no part of any export."""
    return any(p.startswith(".") or p.lower() in LITTER_FOLDERS or p.lower() in LITTER_NAMES
               for p in parts)


def _folder_files(folder: Path) -> list[InputFile]:
    found = [p for p in folder.rglob("*") if p.is_file()]
    found.sort(key=lambda p: natural_key(p.relative_to(folder).as_posix()))
    files: list[InputFile] = []
    for path in found:
        name = path.relative_to(folder).as_posix()
        if is_litter(path.relative_to(folder).parts):
            files.append(_litter_file(name))
            continue
        try:
            if path.suffix.lower() == ".zip":  # an export folder may hold the export's zip
                files.extend(_zip_files(path, prefix=f"{name}/"))
            else:
                files.append(_plain_file(path, name))
        except Unreadable as problem:
            files.append(_unreadable_file(problem))
    return files


def _plain_file(path: Path, name: str) -> InputFile:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise Unreadable(name, f"cannot read file ({exc.strerror or exc})") from None
    if size > MAX_FILE_BYTES:
        raise Unreadable(name, f"file is {size:,} bytes, larger than the 1 GiB limit")
    return InputFile(name, size, path.read_bytes)


def _zip_files(path: Path, prefix: str = "") -> list[InputFile]:
    label = prefix.rstrip("/") or path.name
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise Unreadable(label, f"not a readable zip archive ({exc})",
                         advice="re-create the archive, then import again") from None
    files = []
    declared = 0
    for info in infos:
        if info.is_dir():
            continue
        try:
            name = _safe_entry_name(label, info.filename)
            if is_litter(PurePosixPath(name).parts):
                files.append(_litter_file(prefix + name))
                continue
            _check_entry(label, name, info)
            declared += info.file_size
            if declared > MAX_ARCHIVE_BYTES:
                raise Unreadable(label, f"zip entries declare more than "
                                 f"{MAX_ARCHIVE_BYTES >> 30} GiB together, over the limit")
        except Unreadable as problem:
            files.append(_unreadable_file(problem))
            continue
        files.append(InputFile(prefix + name, info.file_size, _zip_reader(path, info, label)))
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


def _check_entry(archive: str, name: str, info: zipfile.ZipInfo) -> None:
    """The declared size against the limit (however well it compresses: a genuine 50 MB JSON
    file compresses 200:1), and encryption, which the importer cannot undo."""
    where = f"{archive}/{name}"
    if info.flag_bits & 0x1:
        raise Unreadable(where, "zip entry is encrypted (password-protected)",
                         advice="unzip it with its password, then import the folder")
    if info.file_size > MAX_FILE_BYTES:
        raise Unreadable(
            where, f"zip entry declares {info.file_size:,} bytes, over the 1 GiB limit")


def _zip_reader(path: Path, info: zipfile.ZipInfo, archive_label: str) -> Callable[[], bytes]:
    def read() -> bytes:
        where = f"{archive_label}/{info.filename}"
        try:
            with zipfile.ZipFile(path) as archive, archive.open(info) as entry:
                # Never trust the declared size: stop reading one byte past it, so an entry
                # that inflates beyond what it declares (a zip bomb) is caught at that size.
                data = entry.read(info.file_size + 1)
        except zlib.error:
            raise Unreadable(where, "zip entry is corrupt (its compressed data does not "
                             "inflate)", advice="re-create the archive, then import again"
                             ) from None
        except NotImplementedError as exc:
            raise Unreadable(where, f"zip entry uses an unsupported compression ({exc})"
                             ) from None
        except RuntimeError as exc:  # zipfile says "encrypted" this way
            reason = ("encrypted (password-protected)" if "encrypt" in str(exc).lower()
                      else "not readable")
            raise Unreadable(where, f"zip entry is {reason}") from None
        except zipfile.BadZipFile as exc:
            if "crc" in str(exc).lower():  # zipfile stops at the declared size, then checks
                raise Unreadable(where, "zip entry does not match its checksum: a damaged "
                                 "archive, or one hiding more data than it declares (a zip "
                                 "bomb)", advice="re-create the archive, then import again"
                                 ) from None
            raise Unreadable(where, f"cannot read zip entry ({exc})") from None
        except (OSError, EOFError, ValueError) as exc:
            raise Unreadable(where, f"cannot read zip entry ({exc or type(exc).__name__})"
                             ) from None
        if len(data) > info.file_size:
            raise Unreadable(where, "zip entry inflates beyond the size it declares, "
                             "refused as a possible zip bomb")
        return data

    return read


def read_file(item: InputFile) -> bytes:
    try:
        return item.read()
    except OSError as exc:
        raise Unreadable(item.name, f"cannot read file ({exc.strerror or exc})") from None
