"""Check a screenshot PNG with the standard library only (no Qt, no Pillow): it exists, has
about the expected size and is not blank (many distinct colours).

    python3 packaging/check_png.py SHOT.png --min-size 1200x760 --min-colours 64

Exit status 0 when it passes, 1 with a one-line reason when it does not.
"""

from __future__ import annotations

import argparse
import struct
import sys
import zlib
from pathlib import Path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type -> samples per pixel (8-bit, no palette)


class PngError(ValueError):
    pass


def read_png(path: Path) -> tuple[int, int, int, bytes]:
    """(width, height, channels, unfiltered pixel rows) of an 8-bit non-interlaced PNG."""
    data = path.read_bytes()
    if not data.startswith(PNG_SIGNATURE):
        raise PngError(f"{path} is not a PNG file")
    position, header, compressed = len(PNG_SIGNATURE), b"", bytearray()
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            compressed += body
        elif kind == b"IEND":
            break
    if not header:
        raise PngError(f"{path} has no IHDR chunk")
    width, height, depth, colour_type, _c, _f, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour_type not in CHANNELS or interlace:
        raise PngError(f"{path}: unsupported PNG (depth {depth}, colour type {colour_type}, "
                       f"interlace {interlace})")
    channels = CHANNELS[colour_type]
    return width, height, channels, _unfilter(zlib.decompress(bytes(compressed)), width,
                                              height, channels)


def _unfilter(raw: bytes, width: int, height: int, channels: int) -> bytes:
    stride = width * channels
    previous = bytearray(stride)
    out = bytearray()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, up, up_left)) & 0xFF
        out += line
        previous = line
    return bytes(out)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def distinct_colours(pixels: bytes, channels: int) -> int:
    return len({pixels[i:i + channels] for i in range(0, len(pixels), channels)})


def check(path: Path, min_size: tuple[int, int], min_colours: int) -> str | None:
    """None when the PNG passes, else why it does not."""
    if not path.is_file():
        return f"{path} was not written"
    try:
        width, height, channels, pixels = read_png(path)
    except (PngError, zlib.error, struct.error) as exc:
        return f"{path} is not a readable PNG: {exc}"
    if width < min_size[0] or height < min_size[1]:
        return f"{path} is {width}x{height}, expected at least {min_size[0]}x{min_size[1]}"
    colours = distinct_colours(pixels, channels)
    if colours < min_colours:
        return f"{path} looks blank: {colours} distinct colours (expected ≥ {min_colours})"
    return None


def _size(text: str) -> tuple[int, int]:
    width, _x, height = text.partition("x")
    return int(width), int(height)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("png", type=Path)
    parser.add_argument("--min-size", type=_size, default=(200, 200), metavar="WxH")
    parser.add_argument("--min-colours", type=int, default=16)
    args = parser.parse_args(argv)
    problem = check(args.png, args.min_size, args.min_colours)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    width, height, channels, pixels = read_png(args.png)
    print(f"ok: {args.png} {width}x{height}, {distinct_colours(pixels, channels)} colours")
    return 0


if __name__ == "__main__":
    sys.exit(main())
