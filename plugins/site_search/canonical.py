"""Making Pagefind's bundle the same bytes on every build of the same pages.

Pagefind writes each filter's values in the order of a hash map seeded at
random, so two builds of the same site differ in their filter files, in the
names those files get from their contents, and in the metadata file and the
entry point that name them. The builds must be byte-identical (the site is
reproducible), so after indexing, each filter file's values are put in
sorted order, the file is renamed after its new contents, and the names are
replaced in the metadata file, which is renamed in turn in
``pagefind-entry.json``. Nothing else in the bundle varies.

The files are gzip-compressed ``pagefind_dcd`` followed by CBOR (RFC 8949);
only the parts Pagefind writes are read: unsigned integers, byte and text
strings, arrays and maps, all with definite lengths.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

HEADER = b"pagefind_dcd"
UINT, BYTES, TEXT, ARRAY, MAP = 0, 2, 3, 4, 5


class UnexpectedBundleError(ValueError):
    """The bundle is not laid out as this module expects (another Pagefind version)."""


def decode(data: bytes) -> Any:
    value, end = _decode_at(data, 0)
    if end != len(data):
        raise UnexpectedBundleError(f"{len(data) - end} bytes after the CBOR value")
    return value


def _decode_at(data: bytes, at: int) -> tuple[Any, int]:
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if info < 24:
        length = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        length, at = int.from_bytes(data[at : at + size], "big"), at + size
    else:
        raise UnexpectedBundleError(f"CBOR item with additional information {info} at byte {at - 1}")
    if major == UINT:
        return length, at
    if major in (BYTES, TEXT):
        raw = data[at : at + length]
        return (raw.decode("utf-8") if major == TEXT else raw), at + length
    if major == ARRAY:
        items = []
        for _ in range(length):
            item, at = _decode_at(data, at)
            items.append(item)
        return items, at
    if major == MAP:
        pairs = {}
        for _ in range(length):
            key, at = _decode_at(data, at)
            pairs[key], at = _decode_at(data, at)
        return pairs, at
    raise UnexpectedBundleError(f"CBOR major type {major} at byte {at - 1}")


def encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        raise UnexpectedBundleError(f"cannot encode {value!r}")
    if isinstance(value, int):
        return _head(UINT, value)
    if isinstance(value, bytes):
        return _head(BYTES, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(TEXT, len(raw)) + raw
    if isinstance(value, list):
        return _head(ARRAY, len(value)) + b"".join(encode(item) for item in value)
    if isinstance(value, dict):
        return _head(MAP, len(value)) + b"".join(encode(key) + encode(item) for key, item in value.items())
    raise UnexpectedBundleError(f"cannot encode {type(value).__name__}")


def _head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([major << 5 | info]) + length.to_bytes(size, "big")
    raise UnexpectedBundleError(f"length {length} too large")


def read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(HEADER):
        raise UnexpectedBundleError(f"{path.name} does not start with {HEADER!r}")
    return decode(data[len(HEADER) :])


def write(path: Path, value: Any) -> None:
    path.write_bytes(gzip.compress(HEADER + encode(value), mtime=0))


def _content_name(prefix: str, value: Any, digits: int) -> str:
    return f"{prefix}{hashlib.sha256(encode(value)).hexdigest()[:digits]}"


def make_reproducible(bundle: Path) -> None:
    """Sort every filter's values and rename the files that name each other; see the module's docstring."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = read(meta_path)
        filters = _filter_list(meta, meta_path)
        renamed = []
        for name, old_hash in sorted(filters):
            prefix = old_hash.rsplit("_", 1)[0] + "_"
            old_path = bundle / "filter" / f"{old_hash}.pf_filter"
            filter_name, values = read(old_path)
            values.sort(key=lambda pair: pair[0])
            new_hash = _content_name(prefix, [filter_name, values], len(old_hash) - len(prefix))
            old_path.unlink()
            write(bundle / "filter" / f"{new_hash}.pf_filter", [filter_name, values])
            renamed.append([name, new_hash])
        filters[:] = renamed
        prefix = language["hash"].rsplit("_", 1)[0] + "_"
        new_meta_hash = _content_name(prefix, meta, len(language["hash"]) - len(prefix))
        meta_path.unlink()
        write(bundle / f"pagefind.{new_meta_hash}.pf_meta", meta)
        language["hash"] = new_meta_hash
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _filter_list(meta: Any, path: Path) -> list[list[str]]:
    """The ``[[filter name, file hash], ...]`` list in a metadata file: the one whose pairs name filter files."""
    for part in meta if isinstance(meta, list) else []:
        if (
            isinstance(part, list)
            and part
            and all(_is_name_pair(pair) for pair in part)
            and (path.parent / "filter" / f"{part[0][1]}.pf_filter").is_file()
        ):
            return part
    if (path.parent / "filter").is_dir() and any((path.parent / "filter").iterdir()):
        raise UnexpectedBundleError(f"{path.name} names no filter file")
    return []


def _is_name_pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(item, str) for item in value)
