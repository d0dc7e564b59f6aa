"""One pass over a text file before it is parsed: UTF-8, no binary bytes, no endless line.

Everything a parser would otherwise stumble on with a traceback and no line number is found
here, in 16 MB chunks at C speed, and named by line and byte. A file in a legacy encoding is
first re-encoded to UTF-8 (`transcode`), on the operator's word (`--encoding`).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from etl.refusal import MAX_LINE_BYTES, FileRefused

CHUNK = MAX_LINE_BYTES  # a line inside one chunk can never pass the limit; see _Lines
# Containers that are not text at all, recognised by their first bytes: an .xlsx or .zip
# (also .docx, .ods) and an Office 97-2003 file (.xls, .doc), often renamed .csv by hand.
_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class TextStats:
    """What the scan saw: physical lines, and whether the file holds anything but blanks."""

    lines: int
    blank: bool


class _Lines:
    """Line numbers and line starts (byte offsets) while a file streams by in chunks."""

    def __init__(self) -> None:
        self.count = 0  # newlines before the current chunk
        self.start = 0  # offset of the first byte of the current line
        self.offset = 0  # offset of the current chunk

    def where(self, chunk: bytes, pos: int) -> tuple[int, int]:
        """(line, byte within the line, both from 1) of position `pos` of `chunk`."""
        before = chunk.rfind(b"\n", 0, pos)
        start = self.offset + before + 1 if before >= 0 else self.start
        return self.count + chunk.count(b"\n", 0, pos) + 1, self.offset + pos - start + 1

    def advance(self, chunk: bytes) -> None:
        """Refuse a line past the limit, then move past `chunk`."""
        first = chunk.find(b"\n")
        # Only the line running in from earlier chunks can pass the limit: any line that
        # starts inside this chunk and ends in it is shorter than a chunk.
        end = self.offset + (first if first >= 0 else len(chunk))
        if end - self.start > MAX_LINE_BYTES:
            raise FileRefused("file_long_line", line=self.count + 1)
        newlines = chunk.count(b"\n")
        if newlines:
            self.count += newlines
            self.start = self.offset + chunk.rfind(b"\n") + 1
        self.offset += len(chunk)


def _binary(lines: _Lines, chunk: bytes, pos: int) -> FileRefused:
    line, column = lines.where(chunk, pos)
    return FileRefused("file_binary", line=line, column=column, byte=f"{chunk[pos]:02X}")


def scan_utf8(path: Path) -> TextStats:
    """Check a CSV or JSON Lines file; FileRefused names the first line that cannot be read."""
    lines, carry, content, last = _Lines(), b"", False, b"\n"
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            if lines.offset == 0 and chunk.startswith(_MAGIC):
                raise _binary(lines, chunk, next(i for i, b in enumerate(chunk) if b > 0x7E
                                                 or b < 0x20))
            nul = chunk.find(b"\x00")
            if nul >= 0:  # no text has it, and PostgreSQL cannot store it
                raise _binary(lines, chunk, nul)
            lines.advance(chunk)
            # Check whole lines only: a newline never falls inside a UTF-8 character.
            data = carry + chunk
            cut = data.rfind(b"\n") + 1
            _check_utf8(path, data[:cut], lines.offset - len(data))
            carry = data[cut:]
            content = content or bool(data.strip().removeprefix(_BOM).strip())
            last = chunk[-1:]
    _check_utf8(path, carry, lines.offset - len(carry))
    return TextStats(lines.count + (0 if last == b"\n" else 1), not content)


def _check_utf8(path: Path, data: bytes, offset: int) -> None:
    """Arrow's UTF-8 validation (vectorised, no Python string made); positions on failure."""
    if not data:
        return
    arr = pa.Array.from_buffers(pa.large_binary(), 1,
                                [None, pa.array([0, len(data)], pa.int64()).buffers()[1],
                                 pa.py_buffer(data)])
    try:
        arr.cast(pa.large_string())
        return
    except pa.ArrowInvalid:
        pass
    try:
        codecs.utf_8_decode(data, "strict", True)
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, offset + exc.start) from None


def _not_utf8(path: Path, pos: int) -> FileRefused:
    """The refusal naming line and byte of offset `pos` (read again: errors are rare)."""
    with path.open("rb") as fh:
        head = fh.read(pos + 1)
    line_start = head.rfind(b"\n", 0, pos) + 1
    return FileRefused("file_encoding", line=head.count(b"\n", 0, pos) + 1,
                       column=pos - line_start + 1, byte=f"{head[pos]:02X}")


def check_encoding(name: str) -> str:
    """The codec's canonical name, if it is a text encoding that keeps ASCII line ends."""
    info = codecs.lookup(name)  # LookupError for an unknown name
    # str.encode refuses codecs that are not text encodings (hex, base64) with LookupError.
    if "\n".encode(info.name) != b"\n":
        raise LookupError(f"{name} is not an ASCII-compatible text encoding")
    return info.name


def transcode(path: Path, encoding: str, out: Path) -> None:
    """Re-encode `path` from a legacy encoding (e.g. windows-1258) to UTF-8 in `out`."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    lines = _Lines()
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        for chunk in iter(lambda: src.read(CHUNK), b""):
            try:
                dst.write(decoder.decode(chunk))
            except UnicodeDecodeError as exc:
                pos = min(max(exc.start, 0), len(chunk) - 1)
                line, column = lines.where(chunk, pos)
                raise FileRefused("file_encoding_other", line=line, column=column,
                                  byte=f"{chunk[pos]:02X}", encoding=encoding) from None
            lines.advance(chunk)
        try:
            dst.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            raise FileRefused("file_encoding_other", line=lines.count + 1, column=1,
                              byte="??", encoding=encoding) from None
