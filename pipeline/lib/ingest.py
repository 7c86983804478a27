"""Ingest: a folder of news documents (+ optional ``manifest.csv``) -> :class:`RawDocument` rows.

Public API (see docs/architecture.md)::

    scan_input(input_dir) -> list[FileInfo]
    read_documents(input_dir, files=None, *, max_file_bytes=10 MiB, languages=("en",),
                   min_language_confidence=0.5, wrap_words=150, today=None) -> IngestResult

Nothing in a bad input file stops the batch: every problem becomes a :class:`Rejection`
(``source_file``, ``record_no``, a reason a person can act on) or a warning string, and an
unexpected exception while reading one file is caught and turned into a rejection of that file.

Behaviour (the table in the README is generated from this list):

* Files are found recursively, sorted by relative path. Names starting with "." (``.git``,
  ``.DS_Store``) are ignored; ``manifest.csv`` at the root is the manifest, not a document.
* Supported: .txt, .md/.markdown, .html/.htm, .jsonl/.ndjson, .json, .csv (case-insensitive).
  Any other extension is *rejected* with "unsupported file type .xyz (supported: ...)" so that
  it shows up in the rejected table instead of vanishing.
* The size is checked with ``stat`` before anything is read; above ``max_file_bytes`` the file is
  rejected ("file is 50.0 MB (...), above the 10.0 MB limit ..."); the read itself is capped at
  ``max_file_bytes + 1`` bytes so a file growing in between cannot blow up memory.
* Symbolic links: a link whose target is inside the input folder is read like a file; a link to
  outside the folder, a broken link, a FIFO/device, and a file name that is not valid UTF-8 are
  rejected. Links to folders are not followed (rejected with the reason; links to a folder
  inside the input folder are read at their real location anyway).
* doc_id = relative posix path without extension, ``:<record_no>`` appended for records of
  .jsonl/.json/.csv files (record_no: JSONL line number, JSON array position, CSV data row,
  all 1-based; a single JSON object is record 1). If two supported files in one folder share the
  name (``a.txt`` and ``a.md``) both doc_ids keep their extension and a warning says so. Same
  name in two sub-folders: distinct doc_ids from the path.
* Text: decoded (see :mod:`pipeline.lib.formats`), newlines normalised, control characters
  except ``\\n``/``\\t`` removed, NFC, runs of more than ``wrap_words`` words without sentence
  punctuation hard-wrapped with line breaks. ``content_hash`` = sha256 of that text (UTF-8),
  ``file_hash`` = sha256 of the file bytes.
* Language: py3langid (normalised probabilities) on the first 20,000 characters, recorded for
  every document. A document whose language is not in ``languages`` is rejected ("language 'fr'
  is not supported (English only)") when py3langid's confidence is >= ``min_language_confidence``;
  below that (short texts, lists of names) it is accepted with a warning. ``languages=None``
  accepts every language. Text without any letter is rejected.
* Metadata: manifest (published_date, outlet, url) wins over the record / HTML metadata;
  disagreements are warnings. A manifest row naming a .jsonl/.json/.csv file applies to every
  record of that file. Manifest: CSV (any encoding the documents may have, BOM/CRLF from Excel
  fine), columns matched case-insensitively, extra columns ignored, ``file`` values may use
  ``\\`` or a leading ``./``; duplicate rows (first wins), rows naming missing files or paths
  outside the folder are warnings; a manifest without a ``file`` column is ignored (warning). Basis: 'manifest', 'record' (JSON/CSV field or HTML metadata) or
  None. A malformed or future manifest date is a warning and the manifest date is unknown (a
  date inside the record, if any, is then used). Record dates accept ISO 8601 (date part as
  written, no time-zone conversion), RFC 2822 and "28 June 2023"/"June 28, 2023"; anything else
  or a future date is a warning and unknown.

Additions to the contract: ``FileInfo.problem`` (why a listed file will be refused), keyword
settings of ``read_documents``, ``detect_language`` and ``parse_date`` helpers.

Limitations: py3langid 0.4 returns ISO 639-1 codes for the major languages but ISO 639-3 codes
('pcm', 'fuv', ...) for others, and is unreliable below ~10 words (hence the confidence
threshold); HTML pages are decoded whole (<= max_file_bytes); Markdown front matter and
link/emphasis syntax are kept as text; a manifest date is a day (time and zone dropped).

Hand-written here, and why: the folder walk with symlink containment (pathlib/os.walk give the
pieces, the policy is ours), the manifest handling, date parsing of a few fixed formats (stdlib
``datetime``/``email.utils``; dateparser is deliberately not used: it guesses relative and
ambiguous dates, which is wrong for metadata), and the orchestration. Format parsing, decoding
and normalisation live in :mod:`pipeline.lib.formats` (see its docstring for what is
hand-written there).

No Dagster import here.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePosixPath

from pipeline.lib import formats
from pipeline.lib.formats import FORMAT_BY_EXTENSION, MULTI_RECORD_FORMATS, Record, UnreadableContent

__all__ = [
    "RawDocument",
    "Rejection",
    "IngestResult",
    "FileInfo",
    "scan_input",
    "read_documents",
    "detect_language",
    "parse_date",
    "DEFAULT_MAX_FILE_BYTES",
    "DEFAULT_LANGUAGES",
    "DEFAULT_WRAP_WORDS",
    "MANIFEST_NAME",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024
DEFAULT_LANGUAGES: tuple[str, ...] = ("en",)
DEFAULT_MIN_LANGUAGE_CONFIDENCE = 0.5
DEFAULT_WRAP_WORDS = 150
MANIFEST_NAME = "manifest.csv"
LANGUAGE_SAMPLE_CHARS = 2_000  # py3langid is linear in the sample; 2,000 characters give the same answers (bench/README.md)
_HASH_CHUNK = 1 << 20

_LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "ru": "Russian",
    "uk": "Ukrainian", "ar": "Arabic", "hy": "Armenian", "az": "Azerbaijani", "tr": "Turkish",
    "pt": "Portuguese", "it": "Italian", "fa": "Persian", "zh": "Chinese",
}


@dataclass
class RawDocument:
    doc_id: str
    source_file: str
    record_no: int | None
    title: str | None
    text: str
    outlet: str | None
    url: str | None
    published_date: date | None
    published_date_basis: str | None  # 'manifest' | 'record' | None
    language: str | None
    content_hash: str
    file_hash: str


@dataclass
class Rejection:
    source_file: str
    record_no: int | None
    reason: str


@dataclass
class IngestResult:
    documents: list[RawDocument] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FileInfo:
    rel: str  # relative posix path inside the input folder
    path: Path  # absolute path (not resolved: a link stays a link)
    size: int
    mtime: float
    sha256: str  # of the file bytes, streamed; "" when the file is not read (see problem)
    problem: str | None = None  # set when the file will be refused whatever its content


# --------------------------------------------------------------------------- scanning


def _display_name(name: str) -> str:
    """A printable/UTF-8-safe version of a file name (undecodable bytes -> U+FFFD)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _is_inside(path: Path, root: Path) -> bool:
    try:
        return path.is_relative_to(root)
    except ValueError:  # pragma: no cover
        return False


def _check_file(root: Path, path: Path, rel: str) -> tuple[str, os.stat_result | None, str | None]:
    """(display rel, stat of the target, problem) for one directory entry."""
    try:
        rel.encode("utf-8")
        os.path.relpath(path, root).encode("utf-8")
    except UnicodeEncodeError:
        return _display_name(rel), None, "the file name is not valid UTF-8; rename the file"
    try:
        lst = path.lstat()
    except OSError as exc:
        return rel, None, f"cannot access the file: {exc.strerror or exc}"
    if stat.S_ISLNK(lst.st_mode):
        target = Path(os.path.realpath(path))
        if not _is_inside(target, root):
            return rel, lst, (
                f"symbolic link points outside the input folder (-> {os.readlink(path)}); "
                "refused: copy the file into the folder instead"
            )
        try:
            st = path.stat()
        except OSError:
            return rel, lst, f"broken symbolic link (-> {os.readlink(path)})"
        if stat.S_ISDIR(st.st_mode):
            return rel, lst, "symbolic link to a folder: not followed (its target is inside the input folder and read there)"
    else:
        st = lst
    if not stat.S_ISREG(st.st_mode):
        return rel, st, "not a regular file (FIFO, socket or device); refused"
    if not os.access(path, os.R_OK):
        return rel, st, "cannot read the file: permission denied"
    return rel, st, None


def _walk(root: Path) -> list[tuple[str, Path, os.stat_result | None, str | None]]:
    """All candidate files under ``root`` (resolved), sorted by rel path."""
    out: list[tuple[str, Path, os.stat_result | None, str | None]] = []

    def onerror(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        rel = where.relative_to(root).as_posix() if _is_inside(where, root) else str(where)
        out.append((_display_name(rel), where, None, f"cannot list the folder: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=False):
        dpath = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            if d.startswith("."):
                continue
            p = dpath / d
            if p.is_symlink():
                rel = p.relative_to(root).as_posix()
                target = Path(os.path.realpath(p))
                if not _is_inside(target, root):
                    problem = (
                        f"symbolic link points outside the input folder (-> {os.readlink(p)}); "
                        "refused: copy the files into the folder instead"
                    )
                elif not target.exists():
                    problem = f"broken symbolic link (-> {os.readlink(p)})"
                else:
                    problem = "symbolic link to a folder: not followed (its target is inside the input folder and read there)"
                out.append((_display_name(rel), p, None, problem))
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in filenames:
            if name.startswith("."):
                continue
            p = dpath / name
            rel = p.relative_to(root).as_posix()
            if rel == MANIFEST_NAME:
                continue
            shown, st, problem = _check_file(root, p, rel)
            out.append((shown, p, st, problem))
    out.sort(key=lambda t: t[0])
    return out


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_HASH_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def scan_input(input_dir: Path | str, only: Collection[str] | None = None) -> list[FileInfo]:
    """Every file under ``input_dir`` (recursive, sorted, hidden names and the root
    ``manifest.csv`` skipped) with size, mtime and a streamed sha256 of its bytes; with ``only``,
    just those relative paths (the rest of the folder is neither listed nor hashed).

    Entries that will be refused whatever their content (link outside the folder, broken link,
    FIFO, unreadable, undecodable name) are listed with ``problem`` set and ``sha256=""``.
    """
    root = Path(input_dir).resolve()
    if not root.is_dir():
        raise NotADirectoryError(f"input folder does not exist or is not a folder: {input_dir}")
    infos = []
    for rel, path, st, problem in _walk(root):
        if only is not None and rel not in only:
            continue
        digest = ""
        if problem is None:
            try:
                digest = _sha256_file(path)
            except OSError as exc:
                problem = f"cannot read the file: {exc.strerror or exc}"
        infos.append(
            FileInfo(
                rel=rel,
                path=path,
                size=st.st_size if st else 0,
                mtime=st.st_mtime if st else 0.0,
                sha256=digest,
                problem=problem,
            )
        )
    return infos


# --------------------------------------------------------------------------- dates & manifest

_TEXT_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y")


def parse_date(value: str, *, strict_iso: bool = False) -> date | None:
    """ISO 8601 date/datetime (date part as written); unless ``strict_iso`` also RFC 2822 and
    '28 June 2023' / 'June 28, 2023'. None if not recognised."""
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value.replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", value) else value).date()
    except ValueError:
        pass
    if strict_iso:
        return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _TEXT_DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


@dataclass
class _ManifestEntry:
    line_no: int
    published_date: date | None
    outlet: str | None
    url: str | None


def _norm_rel(value: str) -> str:
    value = unicodedata.normalize("NFC", value.strip().replace("\\", "/"))
    while value.startswith("./"):
        value = value[2:]
    return value


def _read_manifest(
    root: Path, today: date, max_bytes: int
) -> tuple[dict[str, _ManifestEntry], list[str]]:
    path = root / MANIFEST_NAME
    warnings: list[str] = []
    if not path.exists():
        return {}, warnings
    if path.is_symlink() and not _is_inside(Path(os.path.realpath(path)), root):
        return {}, [f"{MANIFEST_NAME}: symbolic link points outside the input folder; manifest ignored"]
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return {}, [f"{MANIFEST_NAME}: {size} bytes, above the {max_bytes}-byte limit; manifest ignored"]
        data = path.read_bytes()
        text, _ = formats.decode_bytes(data)
    except (OSError, UnreadableContent) as exc:
        return {}, [f"{MANIFEST_NAME}: cannot be read ({exc}); manifest ignored"]
    header, rows, error = formats.read_csv_table(formats.normalise_text(text))
    if error:
        warnings.append(f"{MANIFEST_NAME}: {error}")
    if "file" not in header:
        if header or rows:
            warnings.append(
                f"{MANIFEST_NAME}: no 'file' column (found: {', '.join(h for h in header if h) or 'nothing'}); manifest ignored"
            )
        return {}, warnings
    col = {name: i for i, name in reversed(list(enumerate(header)))}

    def cell(values: list[str], name: str) -> str | None:
        i = col.get(name)
        if i is None or i >= len(values):
            return None
        v = " ".join(values[i].split())
        return v or None

    entries: dict[str, _ManifestEntry] = {}
    for _row_no, line_no, values in rows:
        rel = _norm_rel(cell(values, "file") or "")
        where = f"{MANIFEST_NAME} line {line_no}"
        if not rel:
            warnings.append(f"{where}: empty 'file' value; row ignored")
            continue
        if rel in entries:
            warnings.append(
                f"{where}: '{rel}' is already listed on line {entries[rel].line_no}; this row is ignored"
            )
            continue
        raw_date = cell(values, "published_date")
        published = None
        if raw_date:
            published = parse_date(raw_date, strict_iso=True)
            if published is None:
                warnings.append(
                    f"{where} ('{rel}'): published_date '{raw_date}' is not a valid date "
                    "(expected YYYY-MM-DD); date treated as unknown"
                )
            elif published > today:
                warnings.append(
                    f"{where} ('{rel}'): published_date {published.isoformat()} is in the future "
                    f"(today is {today.isoformat()}); date treated as unknown"
                )
                published = None
        entries[rel] = _ManifestEntry(line_no, published, cell(values, "outlet"), cell(values, "url"))

    for rel, entry in entries.items():
        target = root / rel
        where = f"{MANIFEST_NAME} line {entry.line_no}"
        if rel.startswith("/") or not _is_inside(Path(os.path.abspath(target)), root):
            warnings.append(f"{where}: '{rel}' is outside the input folder; row ignored")
        elif not target.is_file():
            warnings.append(f"{where}: file '{rel}' not found in the input folder")
    return entries, warnings


# --------------------------------------------------------------------------- language


@functools.lru_cache(maxsize=1)
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """(py3langid code, normalised probability) on the first LANGUAGE_SAMPLE_CHARS characters."""
    lang, conf = _language_identifier().classify(text[:LANGUAGE_SAMPLE_CHARS])
    return lang, float(conf)


def _languages_label(languages: Collection[str]) -> str:
    langs = sorted(languages)
    if len(langs) == 1:
        return f"{_LANGUAGE_NAMES.get(langs[0], langs[0])} only"
    return "accepted: " + ", ".join(langs)


# --------------------------------------------------------------------------- reading


def _fmt_size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


@dataclass
class _Settings:
    max_file_bytes: int
    languages: frozenset[str] | None
    min_language_confidence: float
    wrap_words: int | None
    today: date


class _DirCache:
    """Per-folder listing of supported file names, for the same-name (a.txt + a.md) rule."""

    def __init__(self) -> None:
        self._cache: dict[Path, dict[str, list[str]]] = {}

    def siblings(self, path: Path) -> list[str]:
        parent = path.parent
        if parent not in self._cache:
            by_stem: dict[str, list[str]] = {}
            try:
                names = os.listdir(parent)
            except OSError:
                names = []
            for name in names:
                p = PurePosixPath(name)
                if not name.startswith(".") and p.suffix.lower() in FORMAT_BY_EXTENSION:
                    by_stem.setdefault(p.stem, []).append(name)
            self._cache[parent] = by_stem
        return sorted(self._cache[parent].get(PurePosixPath(path.name).stem, []))


def _candidates(root: Path, files: Iterable[str] | None):
    if files is None:
        yield from _walk(root)
        return
    seen = set()
    for raw in files:
        rel = _norm_rel(str(raw))
        if rel in seen:
            continue
        seen.add(rel)
        if rel == MANIFEST_NAME:
            continue
        path = root / rel
        if "\ufffd" in rel and not os.path.lexists(path):
            # scan_input shows an undecodable file name with U+FFFD; find the real entry again
            parent = path.parent
            try:
                names = os.listdir(parent)
            except OSError:
                names = []
            for name in names:
                if _display_name(name) == path.name and name != path.name:
                    path = parent / name
                    break
        if not rel or rel.startswith("/") or not _is_inside(Path(os.path.abspath(path)), root):
            yield rel or str(raw), path, None, "the path is outside the input folder; refused"
        elif not os.path.lexists(path):
            yield rel, path, None, "file not found in the input folder"
        else:
            r, st, problem = _check_file(root, path, rel)
            yield r, path, st, problem


def read_documents(
    input_dir: Path | str,
    files: list[str] | None = None,
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    languages: Collection[str] | None = DEFAULT_LANGUAGES,
    min_language_confidence: float = DEFAULT_MIN_LANGUAGE_CONFIDENCE,
    wrap_words: int | None = DEFAULT_WRAP_WORDS,
    today: date | None = None,
) -> IngestResult:
    """Read every document under ``input_dir`` (or only ``files``, relative paths).

    Raises NotADirectoryError only when ``input_dir`` itself is missing; everything about the
    files ends up in ``IngestResult.rejected`` / ``warnings``. See the module docstring.
    """
    root = Path(input_dir).resolve()
    if not root.is_dir():
        raise NotADirectoryError(f"input folder does not exist or is not a folder: {input_dir}")
    cfg = _Settings(
        max_file_bytes=max_file_bytes,
        languages=frozenset(languages) if languages is not None else None,
        min_language_confidence=min_language_confidence,
        wrap_words=wrap_words,
        today=today or date.today(),
    )
    result = IngestResult()
    manifest, mwarn = _read_manifest(root, cfg.today, max_file_bytes)
    result.warnings.extend(mwarn)
    dirs = _DirCache()
    collision_warned: set[tuple[str, ...]] = set()
    used_ids: dict[str, str] = {}

    for rel, path, st, problem in _candidates(root, files):
        before = len(result.documents)
        try:
            _read_one(root, rel, path, st, problem, manifest.get(rel), cfg, dirs, collision_warned, result)
        except Exception as exc:  # never stop the batch
            log.exception("unexpected error while reading %s", rel)
            del result.documents[before:]
            result.rejected.append(
                Rejection(rel, None, f"unexpected error while reading the file: {type(exc).__name__}: {exc}")
            )
            continue
        kept = []
        for doc in result.documents[before:]:
            if doc.doc_id in used_ids:
                result.rejected.append(
                    Rejection(
                        doc.source_file,
                        doc.record_no,
                        f"doc_id '{doc.doc_id}' is already used by '{used_ids[doc.doc_id]}'; rename the file",
                    )
                )
                continue
            used_ids[doc.doc_id] = doc.source_file
            kept.append(doc)
        result.documents[before:] = kept

    for w in result.warnings:
        log.warning(w)
    return result


def _too_big(n: int, limit: int) -> str:
    return (
        f"file is {_fmt_size(n)} ({n} bytes), above the {_fmt_size(limit)} size limit "
        f"(max_file_bytes={limit}); split the file or raise the limit"
    )


_PARSERS = {
    "text": lambda text: formats.parse_plain(text, markdown=False),
    "markdown": lambda text: formats.parse_plain(text, markdown=True),
    "html": lambda text: formats.parse_html(text),
    "jsonl": lambda text: formats.parse_jsonl(text),
    "json": lambda text: formats.parse_json(text),
    "csv": lambda text: formats.parse_csv(text),
}


def _read_one(root: Path, rel: str, path: Path, st: os.stat_result | None, problem: str | None,
              entry: _ManifestEntry | None, cfg: _Settings, dirs: _DirCache,
              collision_warned: set[tuple[str, ...]], result: IngestResult) -> None:
    """Read one file into ``result`` (documents, rejections, warnings)."""

    def reject(reason: str, record_no: int | None = None) -> None:
        result.rejected.append(Rejection(rel, record_no, reason))

    if problem:
        reject(problem)
        return
    suffix = PurePosixPath(rel).suffix.lower()
    kind = FORMAT_BY_EXTENSION.get(suffix)
    if kind is None:
        supported = ", ".join(sorted(FORMAT_BY_EXTENSION))
        reject(f"unsupported file type {suffix or '(no extension)'} (supported: {supported})")
        return
    size = st.st_size if st is not None else path.stat().st_size
    if size > cfg.max_file_bytes:  # checked before anything is read
        reject(_too_big(size, cfg.max_file_bytes))
        return
    if size == 0:
        reject("empty file (0 bytes)")
        return
    with open(path, "rb") as fh:
        data = fh.read(cfg.max_file_bytes + 1)  # capped: the file may have grown since stat
    if len(data) > cfg.max_file_bytes:
        reject(_too_big(len(data), cfg.max_file_bytes))
        return
    if not data:
        reject("empty file (0 bytes)")
        return
    file_hash = hashlib.sha256(data).hexdigest()
    try:
        text, _encoding = formats.decode_bytes(data, html=(kind == "html"))
    except UnreadableContent as exc:
        reject(str(exc))
        return
    if not text.strip():
        reject("the file contains only whitespace")
        return
    if not formats.normalise_text(text).strip():
        reject("the file contains only whitespace and control characters")
        return

    records, errors = _PARSERS[kind](text)
    for err in errors:
        reject(err.reason, err.record_no)
    if not records and not errors:
        reject("no records found in the file")
        return

    base = str(PurePosixPath(rel).with_suffix(""))
    same_name = dirs.siblings(path)
    if len(same_name) > 1:
        base = rel
        key = tuple(str(PurePosixPath(rel).parent / n) for n in same_name)
        if key not in collision_warned:
            collision_warned.add(key)
            result.warnings.append(
                f"{' and '.join(repr(k) for k in key)} share the name '{PurePosixPath(rel).stem}'; "
                "their doc_ids keep the file extension"
            )
    multi = kind in MULTI_RECORD_FORMATS
    for rec in records:
        doc_id = f"{base}:{rec.record_no}" if multi else base
        outcome = _make_document(rec, doc_id, rec.record_no if multi else None, rel, file_hash, entry, cfg,
                                 result.warnings)
        if isinstance(outcome, Rejection):
            result.rejected.append(outcome)
        else:
            result.documents.append(outcome)


def _make_document(rec: Record, doc_id: str, record_no: int | None, rel: str, file_hash: str, entry: _ManifestEntry | None,
                   cfg: _Settings, warnings: list[str]) -> RawDocument | Rejection:
    text = formats.wrap_long_runs(formats.normalise_text(rec.text), cfg.wrap_words)
    if not text.strip():
        return Rejection(rel, rec.record_no, "the text is empty after removing control characters")
    if not any(ch.isalpha() for ch in text):
        return Rejection(rel, rec.record_no, "the text contains no letters (numbers/symbols only)")

    lang, conf = detect_language(text)
    if cfg.languages is not None and lang not in cfg.languages:
        if conf >= cfg.min_language_confidence:
            return Rejection(
                rel, rec.record_no, f"language '{lang}' is not supported ({_languages_label(cfg.languages)})"
            )
        warnings.append(
            f"{doc_id}: language uncertain (py3langid: '{lang}' with confidence {conf:.2f}, below "
            f"{cfg.min_language_confidence}); accepted"
        )

    # ---- dates: manifest wins, then record / HTML metadata
    record_date = None
    if rec.published:
        record_date = parse_date(rec.published)
        if record_date is None:
            warnings.append(f"{doc_id}: published value '{rec.published}' is not a recognised date; treated as unknown")
        elif record_date > cfg.today:
            warnings.append(
                f"{doc_id}: published date {record_date.isoformat()} is in the future "
                f"(today is {cfg.today.isoformat()}); treated as unknown"
            )
            record_date = None
    published, basis = None, None
    if entry is not None and entry.published_date is not None:
        published, basis = entry.published_date, "manifest"
        if record_date is not None and record_date != published:
            warnings.append(
                f"{doc_id}: published date {record_date.isoformat()} in the file differs from the manifest "
                f"({published.isoformat()}); using the manifest"
            )
    elif record_date is not None:
        published, basis = record_date, "record"

    outlet = _pick(doc_id, "outlet", entry.outlet if entry else None, rec.outlet, warnings)
    url = _pick(doc_id, "url", entry.url if entry else None, rec.url, warnings)

    return RawDocument(
        doc_id=doc_id,
        source_file=rel,
        record_no=record_no,
        title=rec.title,
        text=text,
        outlet=outlet,
        url=url,
        published_date=published,
        published_date_basis=basis,
        language=lang,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        file_hash=file_hash,
    )


def _pick(doc_id: str, what: str, from_manifest: str | None, from_record: str | None, warnings: list[str]) -> str | None:
    if from_manifest:
        if from_record and from_record.strip() != from_manifest.strip():
            warnings.append(
                f"{doc_id}: {what} '{from_record}' in the file differs from the manifest "
                f"('{from_manifest}'); using the manifest"
            )
        return from_manifest
    return from_record
