"""Fast checks of packaging/: the spec's inputs, the Linux desktop files, the icons, the version
everywhere, and the helpers the build uses. The build itself runs in packaging/check.sh."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from types import ModuleType

import pytest

import explorer
from tests.helpers.paths import REPO_ROOT

REPO = REPO_ROOT
PACKAGING = REPO / "packaging"
ICONS = REPO / "resources" / "icons"
APP_ID = "io.github.aamconfigexplorer.AamConfigExplorer"
DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"


def _load(name: str) -> ModuleType:
    """A packaging/ script as a module (packaging/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle_filter = _load("bundle_filter")
version_info = _load("version_info")
make_icons = _load("make_icons")
check_png = _load("check_png")
entry = _load("entry")


# --- version -----------------------------------------------------------------------------

def test_version_is_the_same_in_package_pyproject_and_metainfo() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    releases = ET.parse(METAINFO).getroot().findall("./releases/release")
    assert pyproject["project"]["version"] == explorer.__version__
    assert releases, "the metainfo lists no release"
    assert releases[0].get("version") == explorer.__version__  # newest release first


@pytest.mark.parametrize(("version", "expected"), [
    ("0.1.0", (0, 1, 0, 0)), ("2.3", (2, 3, 0, 0)), ("1.2.3rc4", (1, 2, 3, 4)),
    ("1.0.0+local.7", (1, 0, 0, 0)), ("1.2.3.4.5", (1, 2, 3, 4)),
])
def test_windows_version_tuple(version: str, expected: tuple[int, ...]) -> None:
    assert version_info.version_tuple(version) == expected


@pytest.mark.parametrize("version", ["dev", "70000.1"])
def test_windows_version_tuple_refuses_what_windows_cannot_hold(version: str) -> None:
    with pytest.raises(ValueError, match=version):
        version_info.version_tuple(version)


def test_windows_version_file_is_a_vsversioninfo_expression_of_the_package_version() -> None:
    text = version_info.windows_version_file(explorer.__version__)
    calls: dict[str, list[tuple[tuple[object, ...], dict[str, object]]]] = {}

    def recorder(name: str):  # stands in for PyInstaller's versioninfo classes
        def record(*args: object, **kwargs: object) -> str:
            calls.setdefault(name, []).append((args, kwargs))
            return name
        return record

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
             "StringStruct", "VarFileInfo", "VarStruct"]
    eval(compile(text, "version_info.txt", "eval"), {n: recorder(n) for n in names})
    expected = version_info.version_tuple(explorer.__version__)
    assert calls["FixedFileInfo"][0][1]["filevers"] == expected
    assert calls["FixedFileInfo"][0][1]["prodvers"] == expected
    strings = {args[0]: args[1] for args, _ in calls["StringStruct"]}
    assert strings["ProductVersion"] == explorer.__version__
    assert strings["OriginalFilename"] == "aam-explorer.exe"


# --- spec and scripts --------------------------------------------------------------------

def test_spec_is_python_and_uses_the_filter_entry_and_resources() -> None:
    spec = (PACKAGING / "aam-explorer.spec").read_text(encoding="utf-8")
    ast.parse(spec)
    assert "entry.py" in spec and "bundle_filter.prune_toc" in spec
    assert 'collect_submodules("explorer")' in spec  # CLI commands are imported by name
    assert '"resources"' in spec  # bundled where explorer.paths.resources_dir() looks


@pytest.mark.parametrize("script", ["build.sh", "check.sh"])
def test_shell_scripts_are_valid_bash(script: str) -> None:
    path = PACKAGING / script
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")


def test_ci_runs_the_packaging_check_after_the_tests() -> None:
    lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    test_line = next(i for i, line in enumerate(lines) if "pytest" in line)
    check_line = lines.index("bash packaging/check.sh")
    assert check_line > test_line


def test_entry_opens_the_window_without_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[list[str], str]] = []
    monkeypatch.setattr("explorer.cli.main", lambda args, prog_name: seen.append(
        (args, prog_name)))
    monkeypatch.setattr(sys, "argv", ["aam-explorer"])
    entry.run()
    monkeypatch.setattr(sys, "argv", ["aam-explorer", "info", "x.aamws"])
    entry.run()
    assert seen == [(["gui"], "aam-explorer"), (["info", "x.aamws"], "aam-explorer")]


# --- what the bundle leaves out ----------------------------------------------------------

@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/plugins/platforms/qwindows.dll", True),
    ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
    ("PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so", False),
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
    ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
    ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
    ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", True),
    ("PySide6/Qt/plugins/wayland-shell-integration/libivi-shell.so", False),
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6/translations/qtbase_fr.qm", False),
    ("PySide6/Qt/lib/libQt6Core.so.6", True),
    ("PySide6/opengl32sw.dll", False),
    ("PySide6\\plugins\\platforms\\qwindows.dll", True),
    ("resources/demo/export/traits-page-0.json", True),
    ("resources/translations/app_de.qm", True),  # only Qt's own translations go
])
def test_keep_bundle_file(dest: str, kept: bool) -> None:
    assert bundle_filter.keep_bundle_file(dest) is kept


def test_unused_qt_modules_keep_only_what_the_app_and_pyqtgraph_import() -> None:
    available = ["QtCore", "QtGui", "QtWidgets", "QtSvg", "QtOpenGL", "QtOpenGLWidgets",
                 "QtNetwork", "QtQml", "QtQuick", "QtTest", "QtDBus", "QtSql"]
    excluded = bundle_filter.unused_qt_modules(available)
    assert excluded == ["PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick",
                        "PySide6.QtTest", "PySide6.QtDBus", "PySide6.QtSql"]


def _fake_toc() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]],
                         dict[str, list[str]]]:
    binaries = [
        ("PySide6/QtGui.abi3.so", "/w/QtGui.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/w/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/w/libQt6Network.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/w/libqxcb.so", "BINARY"),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/w/libqgtk3.so", "BINARY"),
        ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"),
        ("libcairo.so.2", "/usr/lib/libcairo.so.2", "BINARY"),
        ("libxcb-icccm.so.4", "/usr/lib/libxcb-icccm.so.4", "BINARY"),
        ("libfreetype.so.6", "/usr/lib/libfreetype.so.6", "BINARY"),
        ("libpython3.11.so.1.0", "/py/libpython3.11.so.1.0", "BINARY"),
    ]
    datas = [
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        ("resources/icons/app.svg", "/repo/resources/icons/app.svg", "DATA"),
        ("PySide6/Qt/translations/qtbase_de.qm", "/w/qtbase_de.qm", "DATA"),
    ]
    needed = {
        "/w/QtGui.abi3.so": ["libQt6Gui.so.6", "libc.so.6"],
        "/w/libQt6Gui.so.6": ["libfreetype.so.6"],
        "/w/libqxcb.so": ["libQt6Gui.so.6", "libxcb-icccm.so.4"],
        "/w/libqgtk3.so": ["libgtk-3.so.0", "libQt6Gui.so.6"],
        "/usr/lib/libgtk-3.so.0": ["libcairo.so.2"],
    }
    return binaries, datas, needed


def test_prune_drops_unused_plugins_and_the_libraries_only_they_linked() -> None:
    binaries, datas, needed = _fake_toc()
    kept_binaries, kept_datas = bundle_filter.prune_toc(
        binaries, datas, lambda src: needed.get(src, []))
    assert [dest for dest, _src, _kind in kept_binaries] == [
        "PySide6/QtGui.abi3.so", "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so", "libxcb-icccm.so.4", "libfreetype.so.6",
        "libpython3.11.so.1.0",  # nothing links it: the bootloader loads it by name
    ]
    assert [dest for dest, _src, _kind in kept_datas] == [
        "libQt6Gui.so.6", "resources/icons/app.svg"]


def test_prune_without_a_linker_view_only_filters_by_name() -> None:
    binaries, datas, _needed = _fake_toc()
    kept_binaries, kept_datas = bundle_filter.prune_toc(binaries, datas, None)
    kept = {dest for dest, _src, _kind in kept_binaries}
    assert "PySide6/Qt/plugins/platformthemes/libqgtk3.so" not in kept
    assert "libgtk-3.so.0" in kept  # no closure on Windows/macOS
    assert len(kept_datas) == 3


@pytest.mark.skipif(shutil.which("objdump") is None, reason="needs binutils' objdump")
def test_elf_needed_reads_a_real_library() -> None:
    import PySide6

    qtcore = next(Path(PySide6.__file__).parent.glob("QtCore.abi3.so"), None)
    if qtcore is None:
        pytest.skip("PySide6 has no ELF QtCore here")
    assert "libQt6Core.so.6" in bundle_filter.elf_needed(str(qtcore))


def test_only_the_interpreters_binaries_are_stripped(tmp_path: Path) -> None:
    python_root = tmp_path / "python"
    (python_root / "lib" / "python3.11" / "site-packages").mkdir(parents=True)
    own = python_root / "lib" / "libfake.so"
    wheel = python_root / "lib" / "python3.11" / "site-packages" / "libwheel.so"
    for path in (own, wheel):
        path.write_bytes(b"not an ELF file")  # strip fails: the original is kept
    result = bundle_filter.strip_interpreter_binaries(
        [("libfake.so", str(own), "BINARY"), ("libwheel.so", str(wheel), "BINARY")],
        str(python_root), str(tmp_path / "stripped"))
    assert result == [("libfake.so", str(own), "BINARY"), ("libwheel.so", str(wheel), "BINARY")]
    assert (tmp_path / "stripped" / "libfake.so").exists()  # it was tried on a copy
    assert not (tmp_path / "stripped" / "libwheel.so").exists()


# --- Linux desktop entry and AppStream metainfo -----------------------------------------

def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_starts_the_app_with_its_icon() -> None:
    desktop = _desktop_entry()
    assert desktop["Type"] == "Application"
    assert desktop["Name"] == "AAM Config Explorer"
    assert desktop["Exec"].split()[0] == "aam-explorer"
    assert desktop["Icon"] == APP_ID
    assert desktop["Terminal"] == "false"
    assert desktop["Categories"].endswith(";")
    assert all(ord(ch) < 128 for ch in DESKTOP.read_text(encoding="utf-8"))


def test_metainfo_describes_the_desktop_entry() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == DESKTOP.name  # type: ignore[union-attr]
    assert root.findtext("name") == _desktop_entry()["Name"]
    assert root.findtext("provides/binary") == "aam-explorer"
    assert root.find("description/p") is not None


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-utils is not installed")
def test_desktop_file_validate() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream is not installed")
def test_appstreamcli_validate() -> None:
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# --- icons -------------------------------------------------------------------------------

def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(check_png.PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_svg_source_is_square() -> None:
    root = ET.parse(ICONS / "app.svg").getroot()
    assert root.tag.endswith("svg")
    _x, _y, width, height = (float(v) for v in root.get("viewBox", "").split())
    assert width == height


@pytest.mark.parametrize("size", make_icons.ICON_SIZES)
def test_png_icon_sizes_exist(size: int) -> None:
    data = (ICONS / make_icons.png_name(size)).read_bytes()
    assert _png_size(data) == (size, size)
    assert min(make_icons.ICON_SIZES) == 16 and max(make_icons.ICON_SIZES) == 512


def _ico_entries(data: bytes) -> list[tuple[int, bytes]]:
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    entries = []
    for index in range(count):
        width, height, _c, _r, _p, _b, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index:22 + 16 * index])
        assert width == height
        entries.append((width or 256, data[offset:offset + length]))
    return entries


def _icns_entries(data: bytes) -> dict[bytes, bytes]:
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    entries, position = {}, 8
    while position < len(data):
        kind, length = data[position:position + 4], struct.unpack(
            ">I", data[position + 4:position + 8])[0]
        entries[kind] = data[position + 8:position + length]
        position += length
    return entries


def test_ico_holds_every_windows_size_as_png() -> None:
    entries = _ico_entries((ICONS / "app.ico").read_bytes())
    assert [size for size, _png in entries] == list(make_icons.ICO_SIZES)
    assert all(_png_size(png) == (size, size) for size, png in entries)


def test_icns_holds_every_macos_size_as_png() -> None:
    entries = _icns_entries((ICONS / "app.icns").read_bytes())
    assert set(entries) == {kind for kind, _size in make_icons.ICNS_TYPES}
    for kind, size in make_icons.ICNS_TYPES:
        assert _png_size(entries[kind]) == (size, size), kind


def test_icon_containers_round_trip() -> None:
    pngs = {size: (ICONS / make_icons.png_name(size)).read_bytes() for size in (16, 256, 512)}
    assert _ico_entries(make_icons.ico_bytes({16: pngs[16], 256: pngs[256]})) == [
        (16, pngs[16]), (256, pngs[256])]
    icns = _icns_entries(make_icons.icns_bytes(
        {s: (ICONS / make_icons.png_name(s)).read_bytes() for s in (16, 32, 64, 128, 256, 512)}))
    assert icns[b"ic09"] == pngs[512]


# --- the screenshot check ----------------------------------------------------------------

def _write_png(path: Path, rows: list[list[tuple[int, int, int]]], filters: list[int]) -> None:
    """An RGB PNG whose rows use the given filter types (so the decoder's unfiltering runs)."""
    width = len(rows[0])
    raw, previous = bytearray(), bytes(width * 3)
    for row, kind in zip(rows, filters, strict=True):
        line = bytes(v for pixel in row for v in pixel)
        encoded = bytearray()
        for i, value in enumerate(line):
            left = line[i - 3] if i >= 3 else 0
            up, up_left = previous[i], previous[i - 3] if i >= 3 else 0
            predictor = [0, left, up, (left + up) // 2,
                         check_png._paeth(left, up, up_left)][kind]
            encoded.append((value - predictor) & 0xFF)
        raw += bytes([kind]) + encoded
        previous = line

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)
    path.write_bytes(check_png.PNG_SIGNATURE + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b""))


def test_png_decoder_undoes_every_filter(tmp_path: Path) -> None:
    rows = [[((x * 37 + y * 11) % 256, (x * y) % 256, (200 - x - y) % 256) for x in range(6)]
            for y in range(5)]
    png = tmp_path / "filters.png"
    _write_png(png, rows, [0, 1, 2, 3, 4])
    width, height, channels, pixels = check_png.read_png(png)
    assert (width, height, channels) == (6, 5, 3)
    assert pixels == bytes(v for row in rows for pixel in row for v in pixel)


def test_png_decoder_reads_a_qt_written_png_exactly_as_qt_does() -> None:
    from PySide6.QtGui import QImage

    path = ICONS / "app-64.png"
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGBA8888)
    width, height, channels, pixels = check_png.read_png(path)
    assert (width, height, channels) == (64, 64, 4)
    qt_pixels = b"".join(bytes(image.constScanLine(y))[:width * 4] for y in range(height))
    assert pixels == qt_pixels
    assert check_png.distinct_colours(pixels, channels) > 100


def test_png_check_passes_a_busy_image_and_refuses_blank_small_or_missing(
        tmp_path: Path) -> None:
    busy, blank = tmp_path / "busy.png", tmp_path / "blank.png"
    _write_png(busy, [[(x * 8, y * 8, 128) for x in range(32)] for y in range(32)], [1] * 32)
    _write_png(blank, [[(240, 240, 240)] * 32 for _y in range(32)], [0] * 32)
    assert check_png.check(busy, (32, 32), 500) is None
    assert "looks blank" in (check_png.check(blank, (32, 32), 2) or "")
    assert "expected at least 64x32" in (check_png.check(busy, (64, 32), 2) or "")
    assert "was not written" in (check_png.check(tmp_path / "none.png", (1, 1), 1) or "")
    (tmp_path / "bad.png").write_bytes(b"GIF89a")
    assert "not a readable PNG" in (check_png.check(tmp_path / "bad.png", (1, 1), 1) or "")
