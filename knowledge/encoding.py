"""Bytes of a text file → str, for the encodings government offices actually produce.

Bureau staff save files from Notepad, WPS and Word: UTF-8 (with or without BOM), GBK /
GB18030 and occasionally UTF-16. Anything else is tried with charset-normalizer, and
binary content renamed to `.md`/`.txt` is rejected before any decoding so it can never
reach the index as garbage text.
"""

from __future__ import annotations

import re
from typing import Final

import charset_normalizer

from knowledge.errors import IngestError

_UTF16_BOMS: Final = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_BINARY_MAGIC: Final = (
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"%PDF",
    b"PK\x03\x04",  # zip / docx / xlsx
    b"\xd0\xcf\x11\xe0",  # legacy Office (doc/xls)
    b"\x7fELF",
    b"MZ\x90\x00",
)
# C0 controls that never appear in text files (tab, LF, VT, FF, CR and ESC excluded).
_CONTROL_BYTES: Final = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}
_MAX_CONTROL_SHARE: Final = 0.01
_LEADING_IDEOGRAPHIC_SPACE = re.compile(r"^[ \t]*\u3000[\u3000 \t]*", re.MULTILINE)


def decode_text(data: bytes, filename: str) -> str:
    """Decode, then normalise newlines and strip full-width indentation (keeps punctuation)."""
    for bom, codec in _UTF16_BOMS:
        if data.startswith(bom):
            return _normalise(_strict(data[len(bom) :], codec, filename))
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _normalise(_strict(data, utf16, filename))
    _reject_binary(data, filename)
    return _normalise(_decode_8bit(data, filename))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a BOM: every line break, digit and ASCII punctuation mark has a
    zero byte on the same side of its code unit, so the NULs sit mostly at odd offsets
    (little-endian) or mostly at even ones (big-endian; 一 U+4E00 and kin put a few on the
    other side), and the whole file decodes to text without control characters."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    sample = data[:65536]
    odd = sample[1::2].count(0)
    even = sample[0::2].count(0)
    if odd and even * 3 <= odd:
        codec = "utf-16-le"
    elif even and odd * 3 <= even:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text[:32768] if ord(ch) in _CONTROL_BYTES)
    return codec if controls <= len(text[:32768]) * _MAX_CONTROL_SHARE else None


def _reject_binary(data: bytes, filename: str) -> None:
    """NUL bytes, known magic numbers or many C0 controls mean this is not a text file."""
    head = data[:8]
    if b"\x00" in data or any(head.startswith(magic) for magic in _BINARY_MAGIC):
        raise IngestError("binary_disguised", filename)
    sample = data[:65536]
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        raise IngestError("binary_disguised", filename)


def _decode_8bit(data: bytes, filename: str) -> str:
    """UTF-8 first (strict, so GBK bytes never pass as mojibake), then GB18030, then guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", filename)
    for codec in ("utf-8", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise IngestError("undecodable", filename)
    return str(best)


def _strict(data: bytes, codec: str, filename: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise IngestError("undecodable", filename) from exc


def _normalise(text: str) -> str:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _LEADING_IDEOGRAPHIC_SPACE.sub("", text)
