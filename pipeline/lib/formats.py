"""Bytes -> text -> records, one function per input format (used by :mod:`pipeline.lib.ingest`).

Nothing here touches the file system or knows about the manifest, languages or doc_ids:
every function takes bytes or a string and returns text / :class:`Record` objects and
:class:`RecordError` objects, so each piece is testable on its own.

Libraries used (and why):

* **charset-normalizer** picks the encoding of files that are neither valid UTF-8 nor carry a
  BOM (cp1252, latin-1 and other legacy single-byte code pages).
* **trafilatura** turns an HTML page into title + article text + metadata (date, canonical url,
  site name); it drops scripts, styles, navigation, footers and cookie/consent banners.
* stdlib **json** / **csv** parse the record formats (``csv`` copes with quoted multi-line
  fields; polars would need a second decoding pass and gives worse per-row error messages).

Hand-written, and why:

* ``sniff_binary``: a short table of magic numbers (PNG, JPEG, ZIP, PDF, gzip, ...) plus a
  NUL / control-byte ratio test. A library for ten prefixes (python-magic needs libmagic,
  filetype/puremagic are extra dependencies) is not worth it, and charset-normalizer alone
  happily "decodes" many binary files.
* A tie-break on top of charset-normalizer: for short Western-European text it reports
  cp1250, cp1252 and cp1257 as equally good and picks cp1250 first, which turns the cp1252
  "ï" into "ď" and "à" into "ŕ". Among the equally good candidates we prefer cp1252 (a superset
  of the printable latin-1 range), then any other Windows code page.
* BOM handling and a UTF-16-without-BOM heuristic (NUL bytes on every other position).
* ``normalise_text`` (newlines, control characters, NFC) and ``wrap_long_runs``: a few lines of
  ``re``/``unicodedata``; no library does exactly this.
* ``wrap_long_runs``: a run of more than ``max_words`` words without sentence punctuation
  (. ! ? ; : …) is hard-wrapped by replacing the space after every ``max_words``-th word with a
  line break. Words are never changed, added or dropped (``text.split()`` is the same before and
  after), so a 20,000-word "sentence" reaches the line-based cleaning and the sentence splitter
  downstream as short lines instead of one giant line.
* Markdown: only ATX heading markers (``# Title``) are removed from heading lines; other
  Markdown syntax (links, emphasis) is kept verbatim.
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "FORMAT_BY_EXTENSION",
    "Record",
    "RecordError",
    "UnreadableContent",
    "decode_bytes",
    "normalise_text",
    "wrap_long_runs",
    "first_line_title",
    "parse_plain",
    "parse_html",
    "parse_jsonl",
    "parse_json",
    "parse_csv",
    "read_csv_table",
    "TEXT_FIELDS",
]

# extension (lower case) -> format name; anything else is "unsupported file type"
FORMAT_BY_EXTENSION: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
}
MULTI_RECORD_FORMATS = frozenset({"jsonl", "json", "csv"})

# field / column names accepted in record formats (first one present wins)
TEXT_FIELDS = ("text", "body", "content")
TITLE_FIELDS = ("title", "headline")
URL_FIELDS = ("url", "link")
PUBLISHED_FIELDS = ("published", "published_date", "date")
OUTLET_FIELDS = ("outlet", "source", "publisher")

MAX_TITLE_CHARS = 300  # a "first line" longer than this is not a title (title=None)

# the csv module refuses fields above 128 KiB by default; articles can be longer.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


class UnreadableContent(Exception):
    """The bytes are not text we can read; ``str(exc)`` is the human-readable reason."""


@dataclass
class Record:
    record_no: int | None
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None  # raw value as found in the record; parsed by ingest
    outlet: str | None = None


@dataclass
class RecordError:
    record_no: int | None
    reason: str


# --------------------------------------------------------------------------- binary / encoding

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (8, b"WEBP", "a WebP image"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (4, b"ftyp", "an MP4/QuickTime/HEIC media file"),
    (0, b"%PDF-", "a PDF document"),
    (0, b"PK\x03\x04", "a ZIP archive (or an Office/EPUB document)"),
    (0, b"PK\x05\x06", "an empty ZIP archive"),
    (0, b"\x1f\x8b", "a gzip archive"),
    (0, b"\xfd7zXZ\x00", "an xz archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office (OLE) document"),
    (0, b"\x7fELF", "an executable (ELF)"),
    (0, b"SQLite format 3\x00", "an SQLite database"),
    (0, b"PAR1", "a Parquet file"),
    (0, b"OggS", "an Ogg media file"),
    (0, b"fLaC", "a FLAC audio file"),
)

_SAMPLE_BYTES = 65536
_NUL_RATIO = 0.01  # more NUL bytes than this in the sample -> binary (random bytes: 0.4 %)
_CTRL_RATIO = 0.05  # more C0 control bytes than this -> binary (random bytes: ~11 %)
_CTRL_BYTES = frozenset(list(range(0, 9)) + list(range(14, 32)) + [127])


def _magic_kind(data: bytes) -> str | None:
    for offset, magic, kind in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            if magic == b"WEBP" and data[:4] != b"RIFF":
                continue
            return kind
    if data[:3] == b"BZh" and data[4:10] == b"1AY&SY":
        return "a bzip2 archive"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' if NULs sit on every other byte (ASCII-range UTF-16), else None."""
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul = even.count(0) / len(even)
    odd_nul = odd.count(0) / len(odd)
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def sniff_binary(data: bytes) -> str | None:
    """Why ``data`` (without BOM) looks binary, or None if it may be text."""
    kind = _magic_kind(data)
    if kind:
        return f"binary content: looks like {kind}, not text"
    sample = data[:_SAMPLE_BYTES]
    if not sample:
        return None
    nul = sample.count(0)
    if nul / len(sample) > _NUL_RATIO:
        return f"binary content: {nul} NUL bytes in the first {len(sample)} bytes, not text"
    ctrl = sum(1 for b in sample if b in _CTRL_BYTES)
    if ctrl >= 4 and ctrl / len(sample) > _CTRL_RATIO:
        return (
            f"binary content: {ctrl / len(sample):.0%} control bytes in the first "
            f"{len(sample)} bytes, not text"
        )
    return None


def _detect_legacy(data: bytes) -> str | None:
    """Encoding name via charset-normalizer, with the cp1252 tie-break (see module doc)."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    near = [m for m in matches if m.chaos <= best + 0.01]
    for m in near:
        if m.encoding == "cp1252" or "cp1252" in m.could_be_from_charset:
            return "cp1252"
    for m in near:
        if m.encoding.startswith("cp125"):
            return m.encoding
    return near[0].encoding


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_bytes(data: bytes, *, html: bool = False) -> tuple[str, str]:
    """Decode file bytes to ``(text, encoding)``; raise :class:`UnreadableContent` if not text.

    Order: BOM (UTF-8/16/32) -> magic numbers / NUL & control-byte ratio -> UTF-16 without BOM
    -> strict UTF-8 -> (HTML only) the ``<meta charset>`` declaration -> charset-normalizer.
    The text is returned as decoded (no normalisation).
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc).lstrip("\ufeff"), enc
            except UnicodeDecodeError as exc:
                raise UnreadableContent(
                    f"the file starts with a {enc.upper()} byte-order mark but is not valid "
                    f"{enc.upper()} (byte {exc.start}); re-save it as UTF-8"
                ) from None
    utf16 = _utf16_without_bom(data[:_SAMPLE_BYTES])
    if utf16 and _magic_kind(data) is None:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    why = sniff_binary(data)
    if why:
        raise UnreadableContent(why)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if html:
        m = _META_CHARSET.search(data[:4096])
        if m:
            try:
                enc = m.group(1).decode("ascii")
                return data.decode(enc), enc
            except (LookupError, UnicodeDecodeError):
                pass
    enc = _detect_legacy(data)
    if enc is None:
        raise UnreadableContent(
            "could not detect a text encoding (not UTF-8/UTF-16 and charset-normalizer found "
            "no plausible code page); the file is probably binary or corrupted"
        )
    try:
        return data.decode(enc), enc
    except (LookupError, UnicodeDecodeError):  # pragma: no cover - charset-normalizer checked it
        raise UnreadableContent(f"could not decode the file as {enc}") from None


# --------------------------------------------------------------------------- normalisation

_NEWLINES = re.compile("\r\n|\r|\u2028|\u2029|\x85|\x0b|\x0c")
# C0 controls except \t \n, DEL, C1 controls, BOM/zero-width no-break space, lone surrogates
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff\ud800-\udfff]")
_TRAILING_WS = re.compile(r"[ \t\u00a0]+$", re.M)


def normalise_text(text: str) -> str:
    """Newlines -> ``\\n`` (CR, CRLF, VT, FF, NEL, U+2028/9), control characters removed (``\\n``
    and ``\\t`` kept), NFC, trailing spaces of each line and leading/trailing whitespace of the
    whole text removed."""
    text = _NEWLINES.sub("\n", text)
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_WS.sub("", text)
    return text.strip()


_SENTENCE_END = re.compile(r"[.!?;:…][\"'”’»)\]]*$")
_WS_SPLIT = re.compile(r"([ \t]+)")


def wrap_long_runs(text: str, max_words: int | None) -> str:
    """Insert a line break after every ``max_words``-th word of a run without sentence punctuation.

    Only the whitespace between two words is replaced, so ``text.split()`` is unchanged.
    ``max_words`` None or <= 0 disables wrapping.
    """
    if not max_words or max_words <= 0:
        return text
    out = []
    for line in text.split("\n"):
        if line.count(" ") + line.count("\t") < max_words:
            out.append(line)
            continue
        parts = _WS_SPLIT.split(line)  # word, sep, word, sep, ..., word
        run = 0
        for i in range(0, len(parts), 2):
            word = parts[i]
            if not word:
                continue
            run += 1
            if _SENTENCE_END.search(word):
                run = 0
            elif run >= max_words and i + 1 < len(parts) and i + 2 < len(parts) and parts[i + 2]:
                parts[i + 1] = "\n"
                run = 0
        out.append("".join(parts))
    return "\n".join(out)


def first_line_title(text: str, markdown: bool = False) -> str | None:
    """First non-empty line (for Markdown without leading '#'), None if over MAX_TITLE_CHARS."""
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if markdown:
            line = _strip_atx(line.lstrip("#").strip()) if line.startswith("#") else line
        if not line or len(line) > MAX_TITLE_CHARS:
            return None
        return " ".join(line.split())
    return None


_ATX = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")


def _strip_atx(line: str) -> str:
    m = _ATX.match(line)
    return m.group(1) if m else line


# --------------------------------------------------------------------------- formats


def parse_plain(text: str, markdown: bool = False) -> tuple[list[Record], list[RecordError]]:
    """.txt / .md: one record; the title is the first non-empty line (kept in the text).

    For Markdown, ATX heading markers are removed from heading lines (the first line loses any
    leading '#'), so the first line of the text equals the title.
    """
    text = normalise_text(text)
    if markdown:
        lines = text.split("\n")
        first_done = False
        for i, line in enumerate(lines):
            if not first_done and line.strip():
                first_done = True
                if line.lstrip().startswith("#"):
                    lines[i] = _strip_atx(line.lstrip().lstrip("#").strip())
                continue
            if line.lstrip().startswith("#"):
                lines[i] = _strip_atx(line)
        text = normalise_text("\n".join(lines))
    return [Record(None, text, title=first_line_title(text, markdown))], []


def _attr_contains(words: tuple[str, ...]) -> str:
    lower = "translate({a},'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')"
    tests = [f"contains({lower.format(a=a)},'{w}')" for w in words for a in ("@id", "@class")]
    return " or ".join(tests)


# Removed before trafilatura runs (trafilatura drops them from the main extraction, but its
# fallback extractors keep navigation links and banners of pages that have no article at all).
# html/body/main/article are never pruned: sites put e.g. class="cookie-consent-pending" on <html>.
HTML_PRUNE_XPATH = [
    "//nav",
    "//footer",
    "//*[@role='navigation' or @role='banner' or @role='contentinfo']",
    "//*[not(self::html or self::body or self::main or self::article)]"
    f"[{_attr_contains(('cookie', 'consent', 'gdpr'))}]",
]


def parse_html(text: str) -> tuple[list[Record], list[RecordError]]:
    """.html/.htm via trafilatura: article text (title line first if the page has it in the body),
    title, publication date, canonical url and site name from the page metadata."""
    try:
        import trafilatura  # imported lazily: heavy, and HTML is optional
    except Exception as exc:  # pragma: no cover - environment problem, reported per file
        return [], [RecordError(None, f"HTML support unavailable (cannot import trafilatura: {exc})")]
    doc = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        prune_xpath=HTML_PRUNE_XPATH,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        return [], [
            RecordError(
                None,
                "no article text found in the HTML page (after removing scripts, styles, "
                "navigation and boilerplate)",
            )
        ]
    return [
        Record(
            None,
            body,
            title=_clean_scalar(doc.title),
            url=_clean_scalar(doc.url),
            published=_clean_scalar(doc.date),
            outlet=_clean_scalar(doc.sitename),
        )
    ], []


def _clean_scalar(value) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    value = " ".join(normalise_text(str(value)).split())
    return value or None


def _first(mapping: dict, names: tuple[str, ...]):
    for name in names:
        if name in mapping and mapping[name] not in (None, ""):
            return mapping[name]
    return None


def _record_from_mapping(obj: dict, record_no: int, where: str) -> Record | RecordError:
    fields = {str(k).strip().lower(): v for k, v in obj.items()}
    present = [n for n in TEXT_FIELDS if n in fields]
    if not present:
        return RecordError(
            record_no,
            f"{where}: no text field (expected one of: {', '.join(TEXT_FIELDS)}; "
            f"found: {', '.join(sorted(fields)) or 'nothing'})",
        )
    raw = _first(fields, TEXT_FIELDS)
    if raw is not None and not isinstance(raw, str):
        return RecordError(record_no, f"{where}: '{present[0]}' must be a string, got {type(raw).__name__}")
    if raw is None or not normalise_text(raw).strip():
        return RecordError(record_no, f"{where}: '{present[0]}' is empty")
    outlet = _first(fields, OUTLET_FIELDS)
    if isinstance(outlet, dict):  # e.g. NewsAPI: "source": {"id": ..., "name": ...}
        outlet = outlet.get("name")
    return Record(
        record_no,
        raw,
        title=_clean_scalar(_first(fields, TITLE_FIELDS)),
        url=_clean_scalar(_first(fields, URL_FIELDS)),
        published=_clean_scalar(_first(fields, PUBLISHED_FIELDS)),
        outlet=_clean_scalar(outlet),
    )


def parse_jsonl(text: str) -> tuple[list[Record], list[RecordError]]:
    """One JSON object per line; record_no = line number (1-based, blank lines skipped).

    A malformed line is reported alone (reason names the line) and the other lines are kept."""
    records: list[Record] = []
    errors: list[RecordError] = []
    for lineno, line in enumerate(_NEWLINES.sub("\n", text).split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {lineno}"
        try:
            obj = json.loads(line, strict=False)
        except json.JSONDecodeError as exc:
            errors.append(RecordError(lineno, f"{where}: invalid JSON ({exc.msg} at column {exc.colno})"))
            continue
        if not isinstance(obj, dict):
            errors.append(RecordError(lineno, f"{where}: expected a JSON object, got {_json_type(obj)}"))
            continue
        rec = _record_from_mapping(obj, lineno, where)
        (errors if isinstance(rec, RecordError) else records).append(rec)
    return records, errors


def _json_type(obj) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(obj), "a number"
    )


def parse_json(text: str) -> tuple[list[Record], list[RecordError]]:
    """A JSON object (record 1) or an array of objects (record_no = position, 1-based)."""
    try:
        data = json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        return [], [
            RecordError(None, f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")
        ]
    if isinstance(data, dict):
        items, single = [data], True
    elif isinstance(data, list):
        items, single = data, False
    else:
        return [], [RecordError(None, f"expected a JSON object or an array of objects, got {_json_type(data)}")]
    records: list[Record] = []
    errors: list[RecordError] = []
    for no, obj in enumerate(items, start=1):
        where = "the JSON object" if single else f"item {no}"
        if not isinstance(obj, dict):
            errors.append(RecordError(no, f"{where}: expected a JSON object, got {_json_type(obj)}"))
            continue
        rec = _record_from_mapping(obj, no, where)
        (errors if isinstance(rec, RecordError) else records).append(rec)
    return records, errors


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv_table(text: str):
    """``(header, rows, error)``: header names lower-cased/stripped, rows as
    ``(row_no, line_no, values)`` with row_no 1-based over non-blank data rows and line_no the
    physical line where the row ends. Delimiter: the most frequent of , ; TAB | in the header line.
    ``error`` is a message if the csv module failed part-way (rows read so far are returned)."""
    text = _NEWLINES.sub("\n", text)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first))
    header: list[str] | None = None
    rows: list[tuple[int, int, list[str]]] = []
    row_no = 0
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if header is None:
                header = [v.strip().lower().lstrip("\ufeff") for v in values]
                continue
            row_no += 1
            rows.append((row_no, reader.line_num, values))
    except csv.Error as exc:
        return header or [], rows, f"row {row_no + 1} (line {reader.line_num}): CSV error: {exc}; rest of the file skipped"
    return header or [], rows, None


def parse_csv(text: str) -> tuple[list[Record], list[RecordError]]:
    """Header row + one record per row; the text column is the first of text/body/content."""
    header, rows, error = read_csv_table(text)
    if not header:
        return [], [RecordError(None, "CSV file has no header row")]
    if not any(n in header for n in TEXT_FIELDS):
        return [], [
            RecordError(
                None,
                f"CSV has no text column (expected one of: {', '.join(TEXT_FIELDS)}; "
                f"found: {', '.join(h for h in header if h) or 'nothing'})",
            )
        ]
    records: list[Record] = []
    errors: list[RecordError] = []
    for row_no, line_no, values in rows:
        obj = {}
        for name, value in zip(header, values):
            if name and name not in obj:
                obj[name] = value
        rec = _record_from_mapping(obj, row_no, f"row {row_no} (line {line_no})")
        (errors if isinstance(rec, RecordError) else records).append(rec)
    if error:
        errors.append(RecordError(None, error))
    return records, errors
