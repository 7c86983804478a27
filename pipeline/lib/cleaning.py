"""Inside one document: title, repeated lines, standfirst and page chrome.

``clean_document(text, title=None, patterns_path=None) -> CleanResult``

What it does, in order (every removal is recorded as a ``RemovedLine`` with the
1-based line number in the input text, the normalised line and a reason):

1. Normalisation (``normalise_text``): Unicode NFC, ``\\r\\n``/``\\r`` -> ``\\n``,
   exotic spaces (NBSP, thin spaces, ideographic space, tabs) -> one space,
   zero-width characters and soft hyphens dropped, runs of spaces collapsed,
   lines stripped.  The line count is unchanged, so line numbers stay those of
   the input.  Nothing else is rewritten (quotes, dashes and case stay).
2. Title: the ``title`` argument when given, else the first non-empty line that
   is not page chrome.  The body keeps the title once, as its first line.
3. Per line, first rule that fires:
   * ``repeated_headline``: the line equals the title (case, punctuation and an
     outlet suffix such as `` | Outlet`` ignored);
   * ``repeated_line``: the line equals an earlier line (same comparison key);
   * a pattern of ``pipeline/data/chrome_patterns.txt`` (reason given by the
     file: ``chrome_pattern``, ``byline``, ``photo_caption``; users extend it);
   * ``chrome_short_line``: a short line without sentence structure: at most
     ``SHORT_LINE_MAX_WORDS`` words, no sentence-final punctuation, no digit
     (numbers are facts: chrome with numbers needs an explicit pattern), no
     verb-like token (auxiliary, modal, reporting verb or a lowercase ``-ed``
     form), not a dateline ("YEREVAN —", "KYIV (Reuters) -" stay).
4. ``standfirst_restates_lead``: the first remaining paragraph is removed when
   it is not longer than the next one and most of its content words
   (``STANDFIRST_CONTAINMENT`` of them, after stop-word removal) are inside the
   next paragraph: a summary line restating the lead, which would otherwise
   make extraction see the same event twice.
5. The body is rebuilt from the kept lines; runs of blank lines left by removed
   lines collapse to one blank line.

Libraries and hand-written parts:
* Stop words come from spaCy (``spacy.lang.en.stop_words``, imported lazily).
* The rules above are hand-written: no maintained library does in-article
  chrome removal on already-extracted plain text (trafilatura / jusText work on
  HTML markup and would need the page, which the pipeline does not have for
  .txt/.jsonl inputs).  They are kept general (no rule names an outlet or a
  seed article) and the specific chrome phrases live in the user-extendable
  pattern file, not in code.
* The plural stripping used when comparing content words is a crude
  hand-written suffix rule (no stemmer is installed; it only has to make
  "minister"/"ministers" equal for a containment ratio).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_PATTERNS_PATH = Path(__file__).resolve().parent.parent / "data" / "chrome_patterns.txt"

#: a line with at most this many words and no sentence structure is chrome
SHORT_LINE_MAX_WORDS = 4
#: share of the standfirst's content words that must be in the next paragraph
STANDFIRST_CONTAINMENT = 0.6
#: a standfirst candidate needs at least this many content words ...
STANDFIRST_MIN_CONTENT_WORDS = 5
#: ... and at most this many words
STANDFIRST_MAX_WORDS = 80


@dataclass
class RemovedLine:
    line_no: int  # 1-based line number in the input text
    text: str
    reason: str


@dataclass
class CleanResult:
    title: str | None
    body: str
    removed: list[RemovedLine] = field(default_factory=list)


@dataclass(frozen=True)
class ChromePattern:
    regex: re.Pattern
    reason: str
    source_line: int


# --------------------------------------------------------------------------- #
# normalisation
# --------------------------------------------------------------------------- #
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_MULTISPACE = re.compile(r" {2,}")


def normalise_line(line: str) -> str:
    line = _INVISIBLE.sub("", _SPACES.sub(" ", line))
    return _MULTISPACE.sub(" ", line).strip()


def normalise_text(text: str) -> str:
    """NFC, newlines to ``\\n``, spaces normalised, every line stripped; the
    number of lines is unchanged."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(normalise_line(line) for line in text.split("\n"))


# --------------------------------------------------------------------------- #
# chrome patterns file
# --------------------------------------------------------------------------- #
def load_patterns(path: Path | None = None) -> list[ChromePattern]:
    """Read a chrome pattern file (format documented at the top of the file)."""
    path = Path(path) if path is not None else DEFAULT_PATTERNS_PATH
    stat = path.stat()
    return list(_load_patterns_cached(str(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=16)
def _load_patterns_cached(path: str, _mtime: int, _size: int) -> tuple[ChromePattern, ...]:
    reason = "chrome_pattern"
    out: list[ChromePattern] = []
    for no, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@reason"):
            reason = line[len("@reason"):].strip() or "chrome_pattern"
            continue
        try:
            out.append(ChromePattern(re.compile(line), reason, no))
        except re.error as exc:
            raise ValueError(f"{path}:{no}: invalid chrome pattern {line!r}: {exc}") from exc
    return tuple(out)


def match_chrome(line: str, patterns: list[ChromePattern]) -> ChromePattern | None:
    for pat in patterns:
        if pat.regex.search(line):
            return pat
    return None


# --------------------------------------------------------------------------- #
# line-level heuristics
# --------------------------------------------------------------------------- #
_KEY_NON_ALNUM = re.compile(r"[^\w]+")
# "Headline | Outlet", "Headline - Outlet": a short trailing outlet segment
_OUTLET_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{1,40}$")


def line_key(line: str) -> str:
    """Comparison key: casefolded words only."""
    return _KEY_NON_ALNUM.sub(" ", line.casefold()).strip()


def _title_keys(title: str) -> set[str]:
    keys = {line_key(title)}
    stripped = _OUTLET_SUFFIX.sub("", title)
    if stripped != title and len(stripped.split()) >= 3:
        keys.add(line_key(stripped))
    keys.discard("")
    return keys


def _is_repeated_headline(line: str, title_keys: set[str]) -> bool:
    if line_key(line) in title_keys:
        return True
    stripped = _OUTLET_SUFFIX.sub("", line)
    return stripped != line and len(stripped.split()) >= 3 and line_key(stripped) in title_keys


_TERMINAL = tuple('.!?…"”’\'»')
# "YEREVAN —", "KYIV (Reuters) -", "WASHINGTON, June 28 (Reuters) -", "GAZA CITY, Gaza Strip —"
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’\- ]{1,40}[A-Z.](?:,[^—–\-]{1,40})?\s*(?:\([^)]{1,40}\))?\s*[—–\-]{1,2}(?:\s|$)"
)
_VERBISH = frozenset(
    """is are was were be been being am has have had having will would shall should can could may might
    must do does did says said say tells told reports reported claims claimed denies denied""".split()
)


def is_dateline(line: str) -> bool:
    return bool(_DATELINE.match(line))


def _has_verb_like(words: list[str]) -> bool:
    for w in words:
        w2 = w.strip(".,;:!?\"'“”‘’()[]")
        low = w2.lower()
        if low in _VERBISH:
            return True
        if w2.islower() and len(w2) > 4 and w2.endswith("ed"):
            return True
    return False


def is_short_chrome_line(line: str, max_words: int = SHORT_LINE_MAX_WORDS) -> bool:
    """A short line without sentence structure (see module docstring)."""
    words = line.split()
    if not words or len(words) > max_words:
        return False
    if line.endswith(_TERMINAL):
        return False
    if line.endswith(":") and len(words) >= 2 and any(w.islower() for w in words):
        return False  # "He said:" introduces a quote
    if any(ch.isdigit() for ch in line):
        return False
    if is_dateline(line):
        return False
    return not _has_verb_like(words)


# --------------------------------------------------------------------------- #
# standfirst
# --------------------------------------------------------------------------- #
_INNER_DOT = re.compile(r"(?<=\w)\.(?=\w)")
_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def content_words(text: str) -> set[str]:
    stop = _stop_words()
    out = set()
    for w in _WORD.findall(_INNER_DOT.sub("", text).lower()):
        if len(w) < 2 or w in stop:
            continue
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return out


def restates(first: str, second: str, threshold: float = STANDFIRST_CONTAINMENT) -> float | None:
    """Share of ``first``'s content words found in ``second`` when ``first``
    qualifies as a standfirst restating ``second``; None otherwise."""
    n1, n2 = len(first.split()), len(second.split())
    if n1 > STANDFIRST_MAX_WORDS or n1 > n2:
        return None
    cw1 = content_words(first)
    if len(cw1) < STANDFIRST_MIN_CONTENT_WORDS:
        return None
    share = len(cw1 & content_words(second)) / len(cw1)
    return share if share >= threshold else None


# --------------------------------------------------------------------------- #
# main entry point
# --------------------------------------------------------------------------- #
# A machine date stamp a page export puts before the text ("date 2021-03-02 Gunmen attacked ..."):
# metadata, not a date the article states.  Only at the very start of the document.
_DATE_STAMP = re.compile(r"\A\s*(?i:date)\s*:?\s+\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?\S*)?\s+")


def strip_date_stamp(text: str) -> tuple[str, str | None]:
    """(text without a leading machine date stamp, the stamp or None)."""
    m = _DATE_STAMP.match(text)
    if m is None:
        return text, None
    return text[m.end():], m.group(0).strip()


def clean_document(text: str, title: str | None = None, patterns_path: Path | None = None) -> CleanResult:
    patterns = load_patterns(patterns_path)
    text, stamp = strip_date_stamp(text or "")
    if title is not None:
        title, _ = strip_date_stamp(title)   # the title taken from the first line carries it too
    lines = normalise_text(text).split("\n")
    removed: list[RemovedLine] = [RemovedLine(1, stamp, "date_stamp")] if stamp else []

    # ---- title
    title_idx: int | None = None
    if title is not None and normalise_line(title):
        title = normalise_line(title)
        for i, line in enumerate(lines):
            if line:
                if line_key(line) == line_key(title):
                    title_idx = i
                break
    else:
        title = None
        for i, line in enumerate(lines):
            if not line:
                continue
            pat = match_chrome(line, patterns)
            if pat is not None:
                continue  # chrome before the title: removed below
            title, title_idx = line, i
            break
    title_keys = _title_keys(title) if title else set()

    # ---- line by line
    kept: list[tuple[int, str]] = []  # (index in lines, text); '' marks a blank line
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if i == title_idx:
            continue
        if not line:
            kept.append((i, ""))
            continue
        reason = None
        key = line_key(line)
        if title_keys and _is_repeated_headline(line, title_keys):
            reason = "repeated_headline"
        elif key and key in seen:
            reason = "repeated_line"
        else:
            pat = match_chrome(line, patterns)
            if pat is not None:
                reason = pat.reason
            elif is_short_chrome_line(line):
                reason = "chrome_short_line"
        if reason is not None:
            removed.append(RemovedLine(i + 1, line, reason))
            continue
        if key:
            seen.add(key)
        kept.append((i, line))

    # ---- standfirst restating the lead
    paragraphs = [(pos, i, line) for pos, (i, line) in enumerate(kept) if line]
    if len(paragraphs) >= 2:
        (pos0, i0, p0), (_, _, p1) = paragraphs[0], paragraphs[1]
        if restates(p0, p1) is not None:
            removed.append(RemovedLine(i0 + 1, p0, "standfirst_restates_lead"))
            del kept[pos0]

    # ---- rebuild the body
    out: list[str] = [title] if title else []
    for _, line in kept:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    removed.sort(key=lambda r: r.line_no)
    return CleanResult(title=title, body="\n".join(out), removed=removed)
