"""The gazetteer: actors and places with their surface forms, read from JSON-lines data files.

The data lives in ``pipeline/data/gazetteer/*.jsonl`` (one JSON object per line; blank lines and
lines starting with ``#`` are skipped).  Users add their own files without touching code: list
them in the environment variable ``PIPELINE_GAZETTEER`` (``os.pathsep``-separated; a folder means
every ``*.jsonl`` inside it), or pass ``paths`` to :func:`load_gazetteer`.

Fields of one entry (see ``pipeline/data/gazetteer/README.md``):

``canonical_name`` (required)  the name written to the tables.
``actor_type`` (required)      state | government | armed_force | de_facto_authority |
                               organisation | person | place
``label`` (required)           spaCy label given by the entity ruler: GPE, ORG, PERSON, LOC, NORP, FAC
``country_code``               ISO 3166-1 alpha-3 (``XKX`` for Kosovo), or null (international bodies)
``aliases``                    surface forms (misspellings, short forms, other spellings); matched
                               case-insensitively, except all-capital acronyms (``US``, ``UN``)
                               which must match their exact case
``demonyms``                   adjectives/nouns for the people of a state (``Azerbaijani``, ``Azeri``);
                               resolved to the entry by lookup, never forced by the ruler
``lookup_only``                ambiguous forms (``Chad``, ``Jordan``): resolved when the statistical
                               model finds them, never forced by the ruler
``lat``, ``lon``               WGS84 coordinates (places, capitals, states' centroids)
``governs``                    for a capital (or seat) used as a metonym: canonical name of the
                               actor it stands for ("Baku said" -> Azerbaijan)

An entry whose ``canonical_name`` repeats an earlier one *updates* it: its aliases are added and
its non-null fields replace the earlier ones (so a user file can add aliases to a shipped actor).
When one surface form names two entries, the later file wins and :attr:`Gazetteer.warnings`
says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

#: actor types that name a side of a conflict: states, governments, armed forces and groups,
#: de facto authorities (not persons, organisations or places)
SIDE_ACTOR_TYPES = frozenset({"state", "government", "armed_force", "de_facto_authority"})
ACTOR_TYPES = ("state", "government", "armed_force", "de_facto_authority", "organisation", "person",
               "place")
LABELS = ("GPE", "ORG", "PERSON", "LOC", "NORP", "FAC")
FIELDS = ("canonical_name", "actor_type", "label", "country_code", "aliases", "demonyms",
          "lookup_only", "lat", "lon", "governs")
ENV_VAR = "PIPELINE_GAZETTEER"
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "gazetteer.jsonl"

_CC_RE = re.compile(r"^[A-Z]{3}$")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                         "\u201c": '"', "\u201d": '"'})
_DASHES_RE = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2212-]+")
_ARTICLE_RE = re.compile(r"^(the)\s+", re.I)
_POSSESSIVE_RE = re.compile(r"(?:'s|')$")
_SPACE_RE = re.compile(r"\s+")


class GazetteerError(ValueError):
    """A bad gazetteer file; the message starts with ``file:line:``."""


def fold(text: str) -> str:
    """Strip diacritics (Erdoğan -> Erdogan, Côte -> Cote) and normalise quotes."""
    text = text.translate(_QUOTES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ı", "i")


def normalize_key(text: str) -> str:
    """Key used for case-insensitive alias lookup.

    Casefolds, removes diacritics, straightens quotes, treats hyphens/dashes as spaces, drops
    periods ("U.S." == "US"), a leading "the" and a trailing possessive ("Baku's" == "Baku")."""
    t = fold(text).strip()
    t = _SPACE_RE.sub(" ", t)
    t = _ARTICLE_RE.sub("", t)
    t = _POSSESSIVE_RE.sub("", t).strip()
    t = t.replace(".", "")
    t = _DASHES_RE.sub(" ", t)
    t = _SPACE_RE.sub(" ", t).strip()
    return t.casefold()


@dataclass
class GazetteerEntry:
    canonical_name: str
    actor_type: str
    country_code: str | None = None
    aliases: list[str] = field(default_factory=list)
    label: str = "ORG"
    lat: float | None = None
    lon: float | None = None
    governs: str | None = None
    demonyms: list[str] = field(default_factory=list)
    lookup_only: list[str] = field(default_factory=list)
    source: str = ""          # "file:line" of the (first) definition

    @property
    def is_place(self) -> bool:
        return self.lat is not None and self.lon is not None

    def surface_forms(self) -> list[str]:
        """Canonical name, aliases, demonyms and lookup-only forms, without duplicates."""
        seen, out = set(), []
        for s in [self.canonical_name, *self.aliases, *self.demonyms, *self.lookup_only]:
            if s not in seen:
                seen.add(s)
                out.append(s)
        return out

    def ruler_forms(self) -> list[str]:
        """Forms the entity ruler may force: canonical name and aliases minus lookup-only ones."""
        blocked = {normalize_key(s) for s in self.lookup_only}
        seen, out = set(), []
        for s in [self.canonical_name, *self.aliases]:
            if s not in seen and normalize_key(s) not in blocked:
                seen.add(s)
                out.append(s)
        return out


def _err(where: str, msg: str) -> GazetteerError:
    return GazetteerError(f"{where}: {msg}")


def _str_list(obj: dict, key: str, where: str) -> list[str]:
    v = obj.get(key)
    if v is None:
        return []
    if not isinstance(v, list) or not all(isinstance(s, str) and s.strip() for s in v):
        raise _err(where, f"'{key}' must be a list of non-empty strings")
    return [_SPACE_RE.sub(" ", s.strip()) for s in v]


def parse_entry(obj: object, where: str) -> GazetteerEntry:
    """Validate one decoded JSON object; ``where`` ("file:line") prefixes every error."""
    if not isinstance(obj, dict):
        raise _err(where, "each line must be a JSON object")
    unknown = sorted(set(obj) - set(FIELDS))
    if unknown:
        raise _err(where, f"unknown field(s) {unknown}; allowed: {list(FIELDS)}")
    name = obj.get("canonical_name")
    if not isinstance(name, str) or not name.strip():
        raise _err(where, "'canonical_name' is required and must be a non-empty string")
    atype = obj.get("actor_type")
    if atype not in ACTOR_TYPES:
        raise _err(where, f"'actor_type' of {name!r} is {atype!r}; must be one of {list(ACTOR_TYPES)}")
    label = obj.get("label")
    if label not in LABELS:
        raise _err(where, f"'label' of {name!r} is {label!r}; must be one of {list(LABELS)}")
    cc = obj.get("country_code")
    if cc is not None and (not isinstance(cc, str) or not _CC_RE.match(cc)):
        raise _err(where, f"'country_code' of {name!r} is {cc!r}; must be ISO 3166-1 alpha-3 "
                          "(three capital letters, e.g. 'ARM') or null")
    lat, lon = obj.get("lat"), obj.get("lon")
    for key, v, lim in (("lat", lat, 90), ("lon", lon, 180)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))
                              or not -lim <= v <= lim):
            raise _err(where, f"'{key}' of {name!r} is {v!r}; must be a number in [-{lim}, {lim}]")
    if (lat is None) != (lon is None):
        raise _err(where, f"{name!r}: give both 'lat' and 'lon' or neither")
    if atype == "place" and lat is None:
        raise _err(where, f"place {name!r} needs 'lat' and 'lon'")
    governs = obj.get("governs")
    if governs is not None and (not isinstance(governs, str) or not governs.strip()):
        raise _err(where, f"'governs' of {name!r} must be a canonical name (string)")
    return GazetteerEntry(
        canonical_name=_SPACE_RE.sub(" ", name.strip()), actor_type=atype, country_code=cc,
        aliases=_str_list(obj, "aliases", where), label=label,
        lat=float(lat) if lat is not None else None, lon=float(lon) if lon is not None else None,
        governs=governs.strip() if governs else None,
        demonyms=_str_list(obj, "demonyms", where), lookup_only=_str_list(obj, "lookup_only", where),
        source=where)


def iter_file(path: Path) -> Iterator[GazetteerEntry]:
    """Entries of one JSON-lines file; raises GazetteerError naming file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise GazetteerError(f"{path}: not UTF-8 text ({e})") from e
    except OSError as e:
        raise GazetteerError(f"{path}: cannot read gazetteer file ({e})") from e
    for no, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#") or s.startswith("//"):
            continue
        where = f"{path}:{no}"
        try:
            obj = json.loads(s)
        except json.JSONDecodeError as e:
            raise _err(where, f"invalid JSON ({e.msg} at column {e.colno})") from None
        yield parse_entry(obj, where)


def _expand(paths: Iterable[Path | str]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        p = Path(p).expanduser()
        if p.is_dir():
            out.extend(sorted(q for q in p.glob("*.jsonl") if q.is_file()))
        elif p.is_file():
            out.append(p)
        else:
            raise GazetteerError(f"{p}: gazetteer file or folder not found")
    return out


def default_paths() -> list[Path]:
    """The shipped data, then the files named in PIPELINE_GAZETTEER."""
    base: list[Path] = []
    if DEFAULT_DIR.is_dir():
        base.append(DEFAULT_DIR)
    if DEFAULT_FILE.is_file():
        base.append(DEFAULT_FILE)
    extra = [s for s in os.environ.get(ENV_VAR, "").split(os.pathsep) if s.strip()]
    return _expand(base) + _expand(extra)


class Gazetteer:
    """Entries plus a case-insensitive alias index (see :func:`normalize_key`)."""

    def __init__(self, entries: Iterable[GazetteerEntry] = (), paths: Iterable[Path] = ()):
        self.paths: tuple[Path, ...] = tuple(Path(p) for p in paths)
        self.warnings: list[str] = []
        self._entries: dict[str, GazetteerEntry] = {}
        for e in entries:
            self.add(e)
        self._index: dict[str, GazetteerEntry] | None = None
        self._fingerprint: str | None = None

    # ------------------------------------------------------------------ building
    def add(self, e: GazetteerEntry) -> None:
        old = self._entries.get(e.canonical_name)
        if old is None:
            self._entries[e.canonical_name] = e
        else:                                   # later definition updates the earlier one
            for attr in ("actor_type", "label", "country_code", "lat", "lon", "governs"):
                v = getattr(e, attr)
                if v is not None:
                    setattr(old, attr, v)
            for attr in ("aliases", "demonyms", "lookup_only"):
                cur = getattr(old, attr)
                cur.extend(s for s in getattr(e, attr) if s not in cur)
        self._index = None
        self._fingerprint = None

    def validate(self) -> None:
        for e in self._entries.values():
            if e.governs and e.governs not in self._entries:
                raise GazetteerError(f"{e.source}: 'governs' of {e.canonical_name!r} names "
                                     f"{e.governs!r}, which is no canonical_name in the gazetteer")

    def _build_index(self) -> dict[str, GazetteerEntry]:
        index: dict[str, GazetteerEntry] = {}
        primary: dict[str, GazetteerEntry] = {}
        for e in self._entries.values():
            primary[normalize_key(e.canonical_name)] = e
        for e in self._entries.values():
            for s in e.surface_forms():
                k = normalize_key(s)
                if not k:
                    continue
                prev = index.get(k)
                if prev is not None and prev is not e:
                    # a canonical name beats someone else's alias; otherwise the later entry wins
                    if primary.get(k) is prev:
                        self.warnings.append(f"{e.source}: alias {s!r} of {e.canonical_name!r} is the "
                                             f"canonical name of {prev.canonical_name!r}; ignored")
                        continue
                    self.warnings.append(f"{e.source}: alias {s!r} also names "
                                         f"{prev.canonical_name!r}; now {e.canonical_name!r}")
                index[k] = e
        return index

    @property
    def index(self) -> dict[str, GazetteerEntry]:
        if self._index is None:
            self.warnings = []
            self._index = self._build_index()
        return self._index

    # ------------------------------------------------------------------ queries
    @property
    def entries(self) -> list[GazetteerEntry]:
        return list(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def get(self, canonical_name: str) -> GazetteerEntry | None:
        return self._entries.get(canonical_name)

    def lookup(self, surface: str) -> GazetteerEntry | None:
        """The entry a surface form names (case-insensitive, 'the'/possessive stripped)."""
        return self.index.get(normalize_key(surface))

    def is_demonym(self, surface: str, entry: GazetteerEntry) -> bool:
        k = normalize_key(surface)
        return any(normalize_key(d) == k for d in entry.demonyms)

    def governed(self, entry: GazetteerEntry) -> GazetteerEntry | None:
        """For a capital, the actor it stands for."""
        return self._entries.get(entry.governs) if entry.governs else None

    def fingerprint(self) -> str:
        """Hash of the content (used to cache pipelines built from this gazetteer)."""
        if self._fingerprint is None:
            h = hashlib.sha256()
            for e in self._entries.values():
                h.update(json.dumps([e.canonical_name, e.actor_type, e.label, e.country_code,
                                     e.aliases, e.demonyms, e.lookup_only, e.lat, e.lon, e.governs],
                                    ensure_ascii=False).encode())
            self._fingerprint = h.hexdigest()[:16]
        return self._fingerprint

    def patterns(self) -> list[dict]:
        """Entity-ruler phrase patterns (``id`` = canonical name), one per ruler form and spelling
        variant, for an entity ruler with ``phrase_matcher_attr="LOWER"`` (case variants such as
        "Lachin Corridor"/"Lachin corridor" or the dateline "YEREVAN" match).  Pair it with
        :meth:`exact_case_forms` (see ``nlp.gazetteer_case_filter``) so that "us" never matches
        "US" and all-lower-case text never matches a name."""
        out: list[dict] = []
        seen: set[str] = set()
        index = self.index
        for e in self._entries.values():
            for form in e.ruler_forms():
                if index.get(normalize_key(form)) is not e:
                    continue                     # the form belongs to another entry
                for variant in alias_variants(form):
                    low = variant.lower()
                    if low in seen:
                        continue
                    seen.add(low)
                    out.append({"label": e.label, "pattern": variant, "id": e.canonical_name})
        return out

    def exact_case_forms(self) -> dict[str, list[str]]:
        """Single-word acronym forms, lower-cased -> the exact spellings the ruler may match
        ("us" -> ["US"], "u.s." -> ["U.S."], "nato" -> ["NATO", "Nato"]: acronyms of four or more
        letters also allow the capitalised spelling)."""
        out: dict[str, set[str]] = {}
        for e in self._entries.values():
            for form in e.ruler_forms():
                for variant in alias_variants(form):
                    if " " in variant or not is_case_sensitive_word(variant):
                        continue
                    allowed = out.setdefault(variant.lower(), set())
                    allowed.add(variant)
                    letters = [c for c in variant if c.isalpha()]
                    if len(letters) >= 4 and variant.isalpha() and variant.isupper():
                        allowed.add(variant.capitalize())
        # a key that is also an ordinary (non-acronym) form of some entry stays case-insensitive
        for e in self._entries.values():
            for form in e.ruler_forms():
                if " " not in form and not is_case_sensitive_word(form):
                    out.pop(form.lower(), None)
        return {k: sorted(v) for k, v in sorted(out.items())}


def is_case_sensitive_word(word: str) -> bool:
    """All-capital acronyms ("US", "U.S.", "RSF", "M23") and short mixed-case forms ("LoC",
    "DoD", "BiH") must match their exact spelling."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return False
    if all(c.isupper() for c in letters) and len(letters) >= 2 and len(letters) <= 8:
        return True
    return len(letters) <= 4 and any(c.isupper() for c in letters[1:])


def alias_variants(form: str) -> list[str]:
    """Spelling variants the ruler should also match: ASCII-folded, straight/curly apostrophes,
    hyphen vs space ("Nagorno-Karabakh" / "Nagorno Karabakh")."""
    out = [form]

    def add(s: str) -> None:
        if s and s not in out:
            out.append(s)

    add(fold(form))
    for s in list(out):
        if "'" in s:
            add(s.replace("'", "\u2019"))
    for s in list(out):
        if re.search(r"[A-Za-z]-[A-Z]", s):
            add(re.sub(r"(?<=[A-Za-z])-(?=[A-Z])", " ", s))
    return out


def load_gazetteer(paths: list[Path] | None = None) -> Gazetteer:
    """Load and validate gazetteer files.

    ``paths=None``: the shipped ``pipeline/data/gazetteer/*.jsonl`` (and ``pipeline/data/
    gazetteer.jsonl`` if present) followed by the files/folders in ``PIPELINE_GAZETTEER``.
    Otherwise exactly the given files or folders, in order.  A bad entry raises
    :class:`GazetteerError` whose message starts with ``file:line:``."""
    files = default_paths() if paths is None else _expand(paths)
    gz = Gazetteer(paths=files)
    for f in files:
        for e in iter_file(f):
            gz.add(e)
    gz.validate()
    _ = gz.index
    return gz
