"""What the frozen app leaves out of its PyInstaller bundle, and why (pure Python, no PyInstaller).

The spec (``aam-explorer.spec``) applies these rules; ``tests/test_packaging.py`` checks them.
PyInstaller's Qt hooks collect every plugin of every collected Qt module, and its dependency
analysis then bundles every library those plugins link. The app uses QtCore, QtGui and
QtWidgets; pyqtgraph (the trends chart) also imports QtOpenGL/QtOpenGLWidgets unconditionally
and QtSvg when present (QtSvg also draws the SVG application icon). Everything else goes.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

# Qt modules the bundle keeps; every other PySide6 module is excluded from the analysis.
KEPT_QT_MODULES = frozenset(
    {"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtOpenGL", "QtOpenGLWidgets"})

# Python modules nobody in the app imports, but PyInstaller finds through optional imports.
# ssl/_ssl/_hashlib: no network and no OpenSSL-only hashes (hashlib falls back to its
# built-in algorithms), which also drops libssl/libcrypto; readline: no interactive prompt.
UNUSED_PYTHON_MODULES = (
    "tkinter", "_tkinter", "turtledemo", "idlelib", "lib2to3", "pydoc_data",
    "unittest", "doctest", "readline", "ssl", "_ssl", "_hashlib",
    "scipy", "matplotlib", "IPython", "PyQt5", "PyQt6", "PySide2", "OpenGL", "cupy",
    "hypothesis", "pytest", "_pytest", "pytestqt", "pygments",
    "yaml", "charset_normalizer", "requests", "urllib3",
    "numpy.f2py", "numpy.distutils", "numpy._pyinstaller",
    "pyqtgraph.examples", "pyqtgraph.opengl", "pyqtgraph.jupyter", "pyqtgraph.canvas",
    "pyqtgraph.console", "pyqtgraph.flowchart",
)

# Qt plugin folders the bundle keeps, with the plugins kept in each (None: all of them).
# Names are stems: "libqxcb.so" (Linux), "qwindows.dll" and "libqcocoa.dylib" match by stem.
KEPT_QT_PLUGINS: dict[str, frozenset[str] | None] = {
    # The windowing systems, plus offscreen for scripted screenshots; not vnc/eglfs/linuxfb.
    "platforms": frozenset({"qxcb", "qwayland", "qoffscreen", "qwindows", "qcocoa"}),
    # Native file dialogs through the desktop portal; not GTK3 (it drags in ~15 MB of GTK).
    "platformthemes": frozenset({"qxdgdesktopportal"}),
    "platforminputcontexts": None,  # compose keys and IBus: typing accents and CJK
    "iconengines": frozenset({"qsvgicon"}),  # the SVG application icon
    "imageformats": frozenset({"qsvg"}),  # PNG is built into QtGui; nothing else is read
    "styles": None,  # Windows 11 / macOS native widget styles
    "xcbglintegrations": None,
    "wayland-shell-integration": frozenset({"xdg-shell"}),
    "wayland-decoration-client": None,
    "wayland-graphics-integration-client": None,
}

# Libraries that nothing links but something loads by name at run time: the bootloader
# loads libpython, glibc loads libgcc_s to unwind threads.
DLOPENED_LIBRARIES = ("libpython", "libgcc_s")


def _stem(file_name: str) -> str:
    stem = file_name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def unused_qt_modules(available: Iterable[str]) -> list[str]:
    """The PySide6 modules (dotted names) to exclude, given PySide6.__all__."""
    return [f"PySide6.{name}" for name in available if name not in KEPT_QT_MODULES]


# Files dropped wherever they are: Qt's software OpenGL for Windows (~20 MB) serves only
# machines without a GPU driver, and the app draws with the raster engine (pyqtgraph too,
# unless told to use OpenGL, which it is not).
UNUSED_FILES = frozenset({"opengl32sw.dll"})


def keep_bundle_file(dest: str) -> bool:
    """Whether the file at ``dest`` (its path inside the bundle) stays in the bundle."""
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    if parts and parts[-1].lower() in UNUSED_FILES:
        return False
    if parts[:1] == ("PySide6",) and "translations" in parts:
        return False  # Qt's own translations: the app installs no QTranslator (English UI)
    if "plugins" not in parts:
        return True
    index = parts.index("plugins")
    if len(parts) < index + 3:
        return True
    folder, file_name = parts[index + 1], parts[-1]
    if folder not in KEPT_QT_PLUGINS:
        return False
    kept = KEPT_QT_PLUGINS[folder]
    return kept is None or _stem(file_name) in kept


def _is_library_folder(dest: str) -> bool:
    """Folders that only hold libraries other binaries link (not roots of the closure)."""
    path = PurePosixPath(dest)
    if len(path.parts) == 1:
        return True  # PyInstaller puts resolved dependencies at the top of _internal
    parent = path.parent.as_posix()
    return parent.endswith(".libs") or parent == "PySide6/Qt/lib"


def linked_closure(binaries: list[tuple[str, str, str]],
                   needed: Callable[[str], list[str]]) -> set[str]:
    """The ``dest`` names of the binaries reachable, by linked name, from the roots.

    Roots are Python extension modules, Qt plugins and the libraries loaded by name
    (DLOPENED_LIBRARIES); a library in a library folder stays only when a kept binary links
    it. ``needed(src)`` lists the library names a binary links (DT_NEEDED).
    """
    by_name: dict[str, list[tuple[str, str]]] = {}
    for dest, src, _kind in binaries:
        by_name.setdefault(PurePosixPath(dest).name, []).append((dest, src))
    roots = [
        (dest, src) for dest, src, kind in binaries
        if kind == "EXTENSION" or not _is_library_folder(dest)
        or PurePosixPath(dest).name.startswith(DLOPENED_LIBRARIES)
    ]
    kept: set[str] = set()
    pending = list(roots)
    while pending:
        dest, src = pending.pop()
        if dest in kept:
            continue
        kept.add(dest)
        for name in needed(src):
            pending.extend(by_name.get(name, []))
    return kept


def elf_needed(path: str) -> list[str]:
    """DT_NEEDED entries of an ELF file, read with objdump (PyInstaller needs binutils too)."""
    result = subprocess.run(["objdump", "-p", path], capture_output=True, text=True,
                            check=False)
    return [line.split()[1] for line in result.stdout.splitlines()
            if line.strip().startswith("NEEDED")]


def prune_toc(binaries: list[tuple[str, str, str]], datas: list[tuple[str, str, str]],
              needed: Callable[[str], list[str]] | None
              ) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Drop unused plugins and translations, then (with ``needed``) unlinked libraries.

    ``datas`` holds PyInstaller's SYMLINK entries (dest, target, "SYMLINK"): a link stays
    only when its target stays.
    """
    binaries = [entry for entry in binaries if keep_bundle_file(entry[0])]
    datas = [entry for entry in datas if keep_bundle_file(entry[0])]
    if needed is None:
        return binaries, datas
    kept = linked_closure(binaries, needed)
    dropped = {dest for dest, _src, _kind in binaries if dest not in kept}
    binaries = [entry for entry in binaries if entry[0] in kept]
    datas = [entry for entry in datas
             if not (entry[2] == "SYMLINK" and _link_target(entry) in dropped)]
    return binaries, datas


def _link_target(entry: tuple[str, str, str]) -> str:
    """The bundle path a SYMLINK entry points to (PyInstaller stores it relative to the link)."""
    dest, target, _kind = entry
    parent = PurePosixPath(dest).parent
    parts: list[str] = [] if parent.as_posix() == "." else list(parent.parts)
    for part in PurePosixPath(target).parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def strip_interpreter_binaries(binaries: list[tuple[str, str, str]], python_root: str,
                               work_dir: str) -> list[tuple[str, str, str]]:
    """Point the interpreter's own binaries at symbol-stripped copies in ``work_dir``.

    A Python built from source (pyenv, python.org) ships libpython and lib-dynload with debug
    symbols (~25 MB of 30). Wheels' libraries are already stripped, and stripping them again
    can corrupt them (numpy's OpenBLAS: "ELF load command address/offset not page-aligned"),
    so only files under ``python_root`` and outside site-packages are stripped.
    """
    root = PurePosixPath(python_root)
    result = []
    for dest, src, kind in binaries:
        source = PurePosixPath(src)
        inside = source.is_relative_to(root) and "site-packages" not in source.parts
        if inside and _strip_copy(src, f"{work_dir}/{dest}"):
            src = f"{work_dir}/{dest}"
        result.append((dest, src, kind))
    return result


def _strip_copy(src: str, copy: str) -> bool:
    import shutil
    from pathlib import Path

    Path(copy).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, copy)
    return subprocess.run(["strip", copy], capture_output=True, check=False).returncode == 0
