"""Document-level deduplication across articles.

API
---
``find_duplicates(new_docs, stored=(), cfg=DedupConfig(), stored_duplicates=()) -> DedupResult``
    ``DedupResult.pairs``: one ``DedupPair(doc_id, duplicate_of, similarity,
    method, direction)`` per new document found to copy a kept document;
    ``DedupResult.signatures``: ``doc_id -> np.ndarray[uint32]`` for every new
    document (persist it as a list of integers and pass it back in
    ``stored``).  Documents without a pair are kept.
``signature(body, cfg) -> np.ndarray[uint32]``
    ``cfg.num_perm`` MinHash values followed by the document's sorted anchor
    hashes (see "containment" below); ``minhash_part`` / ``anchor_part`` split it.

What is a copy (every candidate is re-checked exactly; the hashes only find
candidates):
* ``exact``: the same normalised text (the same token sequence: case,
  punctuation and spacing ignored);
* ``minhash_jaccard``: exact Jaccard similarity of the word-shingle sets
  >= ``jaccard_threshold`` (re-runs under a new headline, light edits, added
  page chrome);
* ``containment``: |A∩B| / min(|A|, |B|) >= ``containment_threshold`` (a
  copy with its ending cut, or an article quoted whole inside a longer one).
  ``direction`` says which way: ``'duplicate_in_kept'`` (the duplicate is the
  shorter, e.g. a trimmed re-run) or ``'kept_in_duplicate'`` (the duplicate
  quotes the kept document and has text of its own, e.g. an aggregator).
And it is not a copy when the two texts differ by a changed fact: a number
replaced by another token, or a capitalised word replaced by another
capitalised word that is not a one-character typo of it, with the same two
tokens before and after in both texts (``max_fact_changes``; title lines are
not compared).  That keeps recurring bulletins of one template with different
figures, places or days apart; added or removed text is not a changed fact.

Shingles: ``shingle_size`` words; documents with fewer than
``short_doc_words`` tokens use ``short_shingle_size`` for their MinHash and
for every exact re-check involving them; documents shorter than a shingle are
one shingle (exact match only).

Candidates:
* exact: a hash of the token sequence groups identical new documents; only
  the first of a group (kept-rule order) goes through the steps below, the
  others follow it;
* near copies: MinHash LSH (banding with the (bands, rows) that
  ``datasketch.MinHashLSH`` chooses for ``lsh_threshold`` and ``num_perm``);
* containment: LSH on Jaccard misses a short text inside a long one (J is
  the length ratio), so every document also keeps "anchors": its shingles
  whose hash falls in a fixed ``anchor_rate`` slice of the hash space (a
  consistent sample: a passage shared by two documents shares its anchors);
  short documents keep all their shingles as anchors, so that two short texts
  are compared on everything they have.  Documents sharing
  >= ``anchor_min_shared`` anchors and >= ``anchor_candidate_share`` of the
  smaller document's comparable anchors are candidates.  Anchors found in
  more than ``anchor_max_df`` documents are boilerplate phrases and ignored.

Clusters without chaining: new documents are decided one by one in kept-rule
order (earliest ``published_date``, unknown dates last, then most
``n_words``, then ``doc_id``); stored documents come first and stay kept.  A
document becomes the duplicate of the best *kept* document it is verified
against directly (exact > jaccard > containment, then similarity, then rank);
a document similar only to a duplicate is kept.  No transitive closure.

Incremental: ``stored`` is a list of ``(DedupDoc, signature)`` of earlier
kept documents (pass ids of stored duplicates in ``stored_duplicates`` if you
pass those too: they are never used as representatives).  Stored signatures
are used as they are; a stored document is re-tokenised only when it is a
candidate of a new document and needs the exact re-check.  For new documents
dated on or after the stored ones the result equals a full run over all
documents (exactly so while no anchor reaches ``anchor_max_df`` and no LSH
bucket reaches ``lsh_max_bucket``, which cap work in pathological corpora).

Thresholds (``DedupConfig`` defaults) were chosen by measurement on the
generated corpus of ``tests/dedup_corpus.py``: ``python bench/bench_dedup.py
--sweep --docs 3000 --seeds 1 2 3`` (3 corpora x 3,000 documents, 1,774
planted copies; hard negatives: 360 same-incident reports, 614 template
bulletins, 360 follow-ups recycling 20-70 % background).  Precision / recall,
the other knobs at their defaults:
* ``containment_threshold=0.75``: 0.60 -> 0.978 / 0.999 (follow-ups with
  60-70 % recycled text get paired); 0.70 and 0.75 -> 1.000 / 0.998;
  0.80 -> 1.000 / 0.996; 0.85 -> 1.000 / 0.985; 0.90 -> 1.000 / 0.952-0.987.
  0.75 has the best F1 with a margin above the precision cliff.
* ``jaccard_threshold=0.8``: Jaccard <= containment, so with a containment
  threshold below it the Jaccard threshold never changes a decision (every
  value 0.6-0.9 gave the same numbers); it only labels whole-document near
  copies ``minhash_jaccard`` rather than ``containment``.
* ``max_fact_changes=0``: 1.000 / 0.998; 1 -> same; 2 -> 0.983 / 0.998; no
  fact check -> 0.845 / 0.998 (template bulletins paired).  0 is the stricter
  of the two best.
* ``container_min_share=0.5``: recall 0.9989 at <= 0.4, 0.9983 at 0.5, 0.9961
  at 0.6, 0.977 at 0.7, precision 1.000 throughout: the corpus does not decide
  it; it is a policy (a document whose own text is more than half of it is a
  distinct report, kept, even when it quotes another whole).
* ``anchor_rate=0.25``: recall 0.9966-0.9972 at 0.125, 0.9983 at 0.25 and at
  0.5 (0.5 doubles the anchors to store and sort).
* ``lsh_threshold=0.5`` (datasketch picks 25 bands x 5 rows): recall is the
  same from 0.3 to 0.6, the anchors catch what banding misses; 0.5 keeps
  near copies (J >= 0.8: candidate probability > 0.999) without anchors.
* ``shingle_size=5``, ``short_shingle_size=3``, ``short_doc_words=60``,
  ``num_perm=128``: the contract's values, not swept.

Speed (``bench/bench_dedup.py``, one thread, on the shared 2-core machine
with other jobs running): 100k documents of ~350 words in 12-14 s of CPU time
(signatures ~5 s, LSH ~0.7 s, anchors ~2 s, exact re-check ~4-5 s).
``workers=2`` runs the signature batches in two threads (NumPy and rensa
release the GIL); it gave no gain while the machine was saturated by other
jobs, so the default is one.

Libraries and hand-written parts
--------------------------------
* MinHash: ``rensa.RMinHash.digest_matrix_from_flat_token_hashes`` (Rust, one
  call per batch of documents).
* LSH: ``datasketch.MinHashLSH`` chooses (bands, rows) and is the index with
  ``lsh_backend='datasketch'``.  The default ``'numpy'`` backend does the same
  banding with NumPy sorts (hand-written, ~30 lines): inserting and querying
  100k signatures through datasketch's Python dict storage took 12 s on the
  2-core target machine (8 s insert, 4 s query), most of the 15 s budget.  A
  test checks both backends give the same candidate pairs.
* Tokenising and shingle hashing are hand-written NumPy: per-document Python
  tokenisation (``re.findall``) alone took 13 s for 100k 300-word documents
  here; the vectorised byte-level tokeniser takes ~3 s.  Its rule: a token is
  a run of ASCII letters/digits or non-ASCII characters other than
  U+0080-U+00BF and U+2000-U+207F (punctuation and spaces).  A token is
  hashed from its UTF-8 bytes read 8 at a time with bit 5 of every byte set:
  ASCII case is folded (for non-ASCII bytes the same bit only merges some
  byte values, a hash-level effect).  ``_PY_TOKEN`` is the same rule as a
  regular expression (used to read the words of a candidate pair).
* Anchor candidates, the fact check (with a one-typo test) and the greedy
  no-chaining assignment are hand-written: datasketch's
  ``MinHashLSHEnsemble`` (containment search) is indexed once over all sets
  ("can be called only once"), so it cannot take new documents against
  stored signatures, and no library compares facts in aligned contexts.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
import rensa

# --------------------------------------------------------------------------- #
# data classes
# --------------------------------------------------------------------------- #


@dataclass
class DedupDoc:
    doc_id: str
    body: str
    published_date: date | None
    n_words: int


@dataclass
class DedupPair:
    doc_id: str  # the duplicate
    duplicate_of: str  # the kept document it copies
    similarity: float  # 1.0 for exact, Jaccard, or containment share
    method: str  # 'exact' | 'minhash_jaccard' | 'containment'
    direction: str = ""  # for containment: 'duplicate_in_kept' | 'kept_in_duplicate'


@dataclass
class DedupConfig:
    num_perm: int = 128
    shingle_size: int = 5
    short_shingle_size: int = 3
    short_doc_words: int = 60  # tokens; below this the short shingle size is used
    jaccard_threshold: float = 0.8
    containment_threshold: float = 0.75
    lsh_threshold: float = 0.5
    min_containment_shingles: int = 8  # the contained text needs at least this many shingles
    anchor_rate: float = 0.25  # share of a document's shingles kept as anchors
    anchor_min_shared: int = 2
    anchor_candidate_share: float = 0.5
    anchor_max_df: int = 50
    container_min_share: float = 0.5  # a duplicate quoting the kept doc: share of it that is the quote
    max_fact_changes: int = 0
    lsh_backend: str = "numpy"  # 'numpy' | 'datasketch'
    lsh_max_bucket: int = 200  # larger LSH buckets: each member is paired with the first 200 only
    seed: int = 1
    batch_docs: int = 500  # documents per vectorised batch (keeps arrays small)
    workers: int = 1  # threads computing signatures (see "Speed")


@dataclass
class DedupResult:
    pairs: list[DedupPair]
    signatures: dict[str, np.ndarray]
    stats: dict = field(default_factory=dict)

    @property
    def duplicate_ids(self) -> set[str]:
        return {p.doc_id for p in self.pairs}


# --------------------------------------------------------------------------- #
# hashing primitives (fixed constants: signatures are persisted)
# --------------------------------------------------------------------------- #
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)
_S30, _S27, _S31, _S32 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(32)
_LOW32 = np.uint64(0xFFFFFFFF)


def _mix64(z: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (vectorised, wraps modulo 2**64)."""
    z = np.array(z, dtype=np.uint64, copy=True)
    z ^= z >> _S30
    z *= _M1
    z ^= z >> _S27
    z *= _M2
    z ^= z >> _S31
    return z


_C = _mix64(np.arange(1, 17, dtype=np.uint64) * _GOLD) | np.uint64(1)  # odd per-position multipliers
_EMPTY_SHINGLE = _mix64(np.array([0x0E0E0E0E], dtype=np.uint64))
_EDGE = _mix64(np.array([0x57A27, 0x57A28, 0xE2D1, 0xE2D2], dtype=np.uint64))  # start/end markers

_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[list(b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")] = True
_WORD_BYTE[0x80:] = True
_K = _mix64(np.arange(101, 117, dtype=np.uint64) * _GOLD) | np.uint64(1)  # per 8-byte chunk of a token
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
_CASE = np.uint64(0x2020202020202020)
_ROW_WEIGHTS = _mix64(np.arange(1, 1025, dtype=np.uint64)) | np.uint64(1)

#: the tokeniser's rule as a regular expression (same tokens as ``_tokenize_batch``)
_PY_TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u1fff\u2080-\U0010ffff]+")


FLAG_DIGIT = np.uint8(1)  # the token starts or ends with a digit
FLAG_NAME = np.uint8(2)  # capitalised (ASCII A-Z) and not at the start of a sentence
FLAG_CAPITAL = np.uint8(4)  # capitalised at the start of a sentence (a name or not)
_CAPS = FLAG_NAME | FLAG_CAPITAL
_SENTENCE_BYTE = np.zeros(256, dtype=bool)
_SENTENCE_BYTE[list(b'.!?:;"\n\x00')] = True
_SENTENCE_BYTE[[0x9C, 0x9D]] = True  # last byte of the curly quotes U+201C / U+201D


@dataclass
class _Tokens:
    hashes: np.ndarray  # flat uint64 token hashes
    counts: np.ndarray  # int64 tokens per text
    flags: np.ndarray  # uint8 per token: FLAG_DIGIT | FLAG_NAME | FLAG_CAPITAL
    title_tokens: np.ndarray  # int64 per text: tokens on the first line (0 for one-line texts)


def _tokenize_batch(texts: Sequence[str]) -> _Tokens:
    """Tokenise and hash a batch of texts at once (rule: see module docstring).

    Token boundaries come from one pass over the UTF-8 bytes; each token is
    then hashed from its bytes read 8 at a time (masked to the token's length),
    so the per-byte work is a few uint8 operations."""
    nt = len(texts)
    clean = [t.replace("\x00", " ") if "\x00" in t else t for t in texts]
    joined = "\x00".join(clean) + "\x00" * 8  # the padding lets every token start read 8 bytes
    buf = np.frombuffer(joined.encode("utf-8", "replace"), dtype=np.uint8)
    n = buf.size - 8
    if n <= 0:
        z = np.zeros(nt, np.int64)
        return _Tokens(np.zeros(0, np.uint64), z, np.zeros(0, np.uint8), z.copy())
    word = _WORD_BYTE[buf]
    if not joined.isascii():
        # U+0080-U+00BF (C2 xx) and U+2000-U+207F (E2 80..81 xx): punctuation and spaces
        hi = np.flatnonzero(buf >= 0xC2)
        lead = buf[hi]
        c2 = hi[lead == 0xC2]
        word[c2] = False
        word[c2 + 1] = False
        e2 = hi[lead == 0xE2]
        e2 = e2[e2 + 2 < n]
        e2 = e2[(buf[e2 + 1] & 0xFE) == 0x80]
        for off in (0, 1, 2):
            word[e2 + off] = False
    bounds = np.flatnonzero(np.diff(word.view(np.int8), prepend=np.int8(0)))
    starts, ends = bounds[0::2], bounds[1::2]  # word runs alternate with the rest (the padding ends the last)
    length = ends - starts
    # -- hash: the token's bytes as little-endian 8-byte words, each times its own odd constant.
    #    Case folding sets bit 5 of every byte: ASCII letters fold; other bytes are only hashed
    #    (non-ASCII letters differing in bit 5 of a byte hash alike: many are case pairs).
    win = np.ndarray((n + 1,), dtype="<u8", buffer=buf, offset=0, strides=(1,))  # 8 bytes from each offset
    shift = (8 * (8 - np.minimum(length, 8))).astype(np.uint64)
    acc = length.astype(np.uint64) * _GOLD + ((win[starts] | _CASE) & (_ALL >> shift)) * _K[0]
    sel = np.flatnonzero(length > 8)
    chunk = 1
    while sel.size:
        rem = length[sel] - 8 * chunk
        shift = (8 * (8 - np.minimum(rem, 8))).astype(np.uint64)
        acc[sel] += ((win[starts[sel] + 8 * chunk] | _CASE) & (_ALL >> shift)) * _K[chunk % 16]
        chunk += 1
        sel = sel[rem > 8]
    hashes = _mix64(acc)
    # -- owner text of each token
    doc_bytes = np.array([len(t) if t.isascii() else len(t.encode("utf-8", "replace")) for t in clean],
                         dtype=np.int64)
    doc_start = np.zeros(nt, dtype=np.int64)
    np.cumsum(doc_bytes[:-1] + 1, out=doc_start[1:])
    owner = np.searchsorted(doc_start, starts, side="right") - 1
    counts = np.bincount(owner, minlength=nt).astype(np.int64)
    # -- flags
    first, last = buf[starts], buf[ends - 1]
    flags = (((first - 0x30) < 10) | ((last - 0x30) < 10)).view(np.uint8)
    cap = np.flatnonzero((first - 0x41) < 26)  # A-Z
    cs = starts[cap]
    p1 = buf[np.maximum(cs - 1, 0)]
    p2 = buf[np.maximum(cs - 2, 0)]
    initial = (cs == 0) | _SENTENCE_BYTE[p1] | ((p1 == 0x20) & _SENTENCE_BYTE[p2])
    flags[cap] |= np.where(initial, FLAG_CAPITAL, FLAG_NAME)
    # -- tokens on the first line of each text (the title, when the text has more lines)
    title_tokens = np.zeros(nt, dtype=np.int64)
    nl_doc, nl_byte = [], []
    for i, t in enumerate(clean):
        k = t.find("\n")
        if k >= 0:
            nl_doc.append(i)
            nl_byte.append(k if t.isascii() else len(t[:k].encode("utf-8", "replace")))
    if nl_doc:
        docs = np.array(nl_doc)
        tok_start = np.concatenate([[0], np.cumsum(counts)[:-1]])
        title_tokens[docs] = np.searchsorted(starts, doc_start[docs] + np.array(nl_byte)) - tok_start[docs]
    return _Tokens(hashes, counts, flags, title_tokens)


def _window_hashes(tokens: np.ndarray, owner: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hash of every k-token window of a flat token array and whether the window
    lies inside one document; both padded to len(tokens)."""
    n = tokens.size
    h = np.zeros(n, dtype=np.uint64)
    valid = np.zeros(n, dtype=bool)
    m = n - k + 1
    if m > 0:
        acc = tokens[:m] * _C[0]
        for j in range(1, k):
            acc += tokens[j:j + m] * _C[j]
        h[:m] = _mix64(acc)
        valid[:m] = owner[:m] == owner[k - 1:]
    return h, valid


def _whole_hash(tokens: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """One shingle for each document shorter than a shingle (counts < 16)."""
    acc = counts.astype(np.uint64) * _GOLD
    for j in range(int(counts.max(initial=0))):
        has = counts > j
        acc[has] += tokens[starts[has] + j].astype(np.uint64) * _C[j]
    return _mix64(acc)


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """np.unique for 1-d arrays (sort based; numpy's hash-based unique is slower here)."""
    if x.size < 2:
        return x.copy()
    x = np.sort(x)
    keep = np.empty(x.size, dtype=bool)
    keep[0] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])
    return x[keep]


def _intersection_size(a: np.ndarray, b: np.ndarray) -> int:
    """|a ∩ b| for sorted unique arrays."""
    if a.size == 0 or b.size == 0:
        return 0
    if a.size > b.size:
        a, b = b, a
    idx = np.searchsorted(b, a)
    idx[idx == b.size] = b.size - 1
    return int(np.count_nonzero(b[idx] == a))


def _doc_shingles(tokens: np.ndarray, k: int) -> np.ndarray:
    """Sorted unique k-shingle keys of one document's token hashes, for the exact
    re-check (a linear combination with odd constants: no mixing is needed to
    compare sets exactly, only distinct keys for distinct shingles)."""
    n = tokens.size
    if n == 0:
        return _EMPTY_SHINGLE.copy()
    if n < k:
        return _whole_hash(tokens, np.zeros(1, np.int64), np.array([n], dtype=np.int64))
    m = n - k + 1
    acc = tokens[:m] * _C[0]
    for j in range(1, k):
        acc += tokens[j:j + m] * _C[j]
    return _sorted_unique(acc)


# --------------------------------------------------------------------------- #
# features of a list of documents
# --------------------------------------------------------------------------- #


@dataclass
class _Features:
    """Per-document data of a list of documents, computed in batches of ``batch``."""

    batch: int
    tokens: list[np.ndarray]  # per batch: flat uint32 token hashes (low bits; for exact re-checks)
    flags: list[np.ndarray]  # per batch: flat uint8 token flags
    tok_off: list[np.ndarray]  # per batch: int64 offsets, len batch+1
    title_tokens: np.ndarray  # int64 per document
    minhash: np.ndarray  # (n, num_perm) uint32
    anchors: np.ndarray  # flat uint32, sorted unique per document
    anch_off: np.ndarray  # int64, len n+1
    content_hash: np.ndarray  # uint64 per document

    def _where(self, i: int) -> tuple[int, int, int]:
        b, j = divmod(i, self.batch)
        off = self.tok_off[b]
        return b, int(off[j]), int(off[j + 1])

    def doc_tokens(self, i: int) -> np.ndarray:
        b, s, e = self._where(i)
        return self.tokens[b][s:e]

    def doc_flags(self, i: int) -> np.ndarray:
        b, s, e = self._where(i)
        return self.flags[b][s:e]

    def n_tokens(self, i: int) -> int:
        _, s, e = self._where(i)
        return e - s

    def doc_anchors(self, i: int) -> np.ndarray:
        return self.anchors[self.anch_off[i]:self.anch_off[i + 1]]

    def signature(self, i: int) -> np.ndarray:
        return np.concatenate([self.minhash[i], self.doc_anchors(i)])


def _anchor_limit(cfg: DedupConfig) -> int:
    """Anchors below this value are the sampled ones every document keeps."""
    return min(int(cfg.anchor_rate * 2**32), 2**32 - 1)


def _featurize_batch(batch: Sequence[str], cfg: DedupConfig) -> tuple:
    nb = len(batch)
    tk = _tokenize_batch(batch)
    th, counts = tk.hashes, tk.counts
    starts = np.zeros(nb, dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    owner = np.repeat(np.arange(nb), counts)
    # -- MinHash input: shingle_size windows for long docs, short_shingle_size for short ones
    is_long = counts >= cfg.short_doc_words
    h, valid = _window_hashes(th, owner, cfg.shingle_size)
    anchor_h, anchor_v = h, valid
    short_pos = np.flatnonzero(~is_long[owner])
    if short_pos.size:
        h_s, v_s = _window_hashes(th[short_pos], owner[short_pos], cfg.short_shingle_size)
        h, valid = h.copy(), valid.copy()
        h[short_pos], valid[short_pos] = h_s, v_s
    flat = h[valid]
    flat_owner = owner[valid]
    tiny = np.flatnonzero((counts < cfg.short_shingle_size) & ~is_long)  # shorter than a short shingle
    if tiny.size:
        whole = _whole_hash(th, starts[tiny], counts[tiny])
        whole[counts[tiny] == 0] = _EMPTY_SHINGLE[0]
        flat = np.concatenate([flat, whole])
        flat_owner = np.concatenate([flat_owner, tiny])
        order = np.argsort(flat_owner, kind="stable")
        flat, flat_owner = flat[order], flat_owner[order]
    offsets = np.zeros(nb + 1, dtype=np.uint64)
    np.cumsum(np.bincount(flat_owner, minlength=nb), out=offsets[1:])
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, cfg.num_perm, cfg.seed)
    minhash = np.array(matrix.to_rows(), dtype=np.uint32).reshape(nb, cfg.num_perm)
    # -- anchors: the high 32 bits of the shingle_size shingles whose hash falls in a fixed
    #    slice of the hash space; short documents keep all their shingles
    high = anchor_h >> _S32
    pick = anchor_v & ((high < np.uint64(_anchor_limit(cfg))) | ~is_long[owner])
    akey = _sorted_unique((owner[pick].astype(np.uint64) << _S32) | high[pick])
    anchors = (akey & _LOW32).astype(np.uint32)
    anchor_counts = np.bincount((akey >> _S32).astype(np.int64), minlength=nb)
    # -- a key for exact copies: equal token sequences have equal MinHash rows and lengths
    #    (equal keys are only candidates: the token sequences are compared)
    ch = _mix64(counts.astype(np.uint64) * _M2 + minhash.astype(np.uint64) @ _ROW_WEIGHTS[: cfg.num_perm])
    tok_off = np.zeros(nb + 1, dtype=np.int64)
    np.cumsum(counts, out=tok_off[1:])
    return (th.astype(np.uint32), tk.flags, tok_off, tk.title_tokens, minhash, anchors, anchor_counts, ch)


def _featurize(bodies: Sequence[str], cfg: DedupConfig) -> _Features:
    batches = [bodies[i:i + cfg.batch_docs] for i in range(0, len(bodies), cfg.batch_docs)]
    if cfg.workers > 1 and len(batches) > 1:
        # NumPy and rensa release the GIL in their inner loops
        with ThreadPoolExecutor(max_workers=cfg.workers) as pool:
            parts = list(pool.map(lambda b: _featurize_batch(b, cfg), batches))
    else:
        parts = [_featurize_batch(b, cfg) for b in batches]

    def cat(j: int, empty: np.ndarray) -> np.ndarray:
        return np.concatenate([p[j] for p in parts]) if parts else empty

    anchor_counts = cat(6, np.zeros(0, np.int64))
    anch_off = np.zeros(anchor_counts.size + 1, dtype=np.int64)
    np.cumsum(anchor_counts, out=anch_off[1:])
    return _Features(
        batch=cfg.batch_docs,
        tokens=[p[0] for p in parts],
        flags=[p[1] for p in parts],
        tok_off=[p[2] for p in parts],
        title_tokens=cat(3, np.zeros(0, np.int64)),
        minhash=cat(4, np.zeros((0, cfg.num_perm), np.uint32)),
        anchors=cat(5, np.zeros(0, np.uint32)),
        anch_off=anch_off,
        content_hash=cat(7, np.zeros(0, np.uint64)),
    )


def signature(body: str, cfg: DedupConfig | None = None) -> np.ndarray:
    """MinHash (``cfg.num_perm`` uint32 values) followed by the sorted anchors."""
    return _featurize([body], cfg or DedupConfig()).signature(0)


def minhash_part(sig: np.ndarray, cfg: DedupConfig | None = None) -> np.ndarray:
    return np.asarray(sig, dtype=np.uint32)[: (cfg or DedupConfig()).num_perm]


def anchor_part(sig: np.ndarray, cfg: DedupConfig | None = None) -> np.ndarray:
    return np.asarray(sig, dtype=np.uint32)[(cfg or DedupConfig()).num_perm:]


# --------------------------------------------------------------------------- #
# candidates
# --------------------------------------------------------------------------- #


@lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) that datasketch's MinHashLSH uses for this threshold."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def _group_pairs(labels: np.ndarray, members: np.ndarray,
                 max_group: int | None = None, cap: int | None = None) -> np.ndarray:
    """Pairs (a, b) of members with the same label, as int64 (k, 2).

    ``labels`` must be sorted and members ordered by rank inside a label, so
    ``a`` precedes ``b``.  Groups larger than ``max_group`` are dropped; in
    groups larger than ``cap`` each member is paired with the first ``cap``
    members only."""
    if labels.size < 2:
        return np.zeros((0, 2), dtype=np.int64)
    brk = np.flatnonzero(labels[1:] != labels[:-1]) + 1
    starts = np.concatenate([[0], brk])
    lens = np.diff(np.concatenate([starts, [labels.size]]))
    out = []
    for g in np.unique(lens[lens >= 2]).tolist():
        if max_group is not None and g > max_group:
            continue
        st = starts[lens == g]
        if cap is not None and g > cap:
            jj = np.repeat(np.arange(1, g), np.minimum(np.arange(1, g), cap))
            ii = np.concatenate([np.arange(min(j, cap)) for j in range(1, g)])
        else:
            ii, jj = np.triu_indices(g, 1)
        a = members[st[:, None] + ii[None, :]].ravel()
        b = members[st[:, None] + jj[None, :]].ravel()
        out.append(np.stack([a, b], axis=1))
    return np.concatenate(out) if out else np.zeros((0, 2), dtype=np.int64)


class _Sketch:
    """Duck-typed MinHash for datasketch's MinHashLSH (rensa digests)."""

    __slots__ = ("hashvalues",)
    scheme = "rensa-rminhash"

    def __init__(self, hashvalues: np.ndarray):
        self.hashvalues = hashvalues

    def __len__(self) -> int:
        return len(self.hashvalues)


def _lsh_pairs(minhash: np.ndarray, members: np.ndarray, query: np.ndarray, rank: np.ndarray,
               cfg: DedupConfig) -> np.ndarray:
    """Candidate pairs sharing an LSH band; every pair involves a ``query`` doc."""
    b, r = lsh_params(cfg.lsh_threshold, cfg.num_perm)
    is_query = np.zeros(minhash.shape[0], dtype=bool)
    is_query[query] = True
    if cfg.lsh_backend == "datasketch":
        from datasketch import MinHashLSH

        lsh = MinHashLSH(num_perm=cfg.num_perm, params=(b, r))
        with lsh.insertion_session() as session:
            for i in members.tolist():
                session.insert(i, _Sketch(minhash[i]), check_duplication=False)
        found = []
        for i in query.tolist():
            for j in lsh.query(_Sketch(minhash[i])):
                if j != i and (not is_query[j] or rank[j] < rank[i]):
                    found.append((j, i) if rank[j] < rank[i] else (i, j))
        return np.array(found, dtype=np.int64).reshape(-1, 2)
    # one sort per band of (band hash, rank) packed in 64 bits: the band hash keeps its high
    # 64 - bits(n) bits (chance collisions only add candidates, all verified)
    n = minhash.shape[0]
    rbits = np.uint64(max(1, int(n - 1).bit_length()))
    by_rank = np.empty(n, dtype=np.int64)
    by_rank[rank] = np.arange(n)
    member_rank = rank[members].astype(np.uint64)
    pairs = []
    sub = minhash[members].astype(np.uint64)
    for band in range(b):
        acc = np.full(members.size, np.uint64(((band + 1) * int(_GOLD)) & 0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
        for j in range(r):
            acc += sub[:, band * r + j] * _C[j]
        keys = ((_mix64(acc) >> rbits) << rbits) | member_rank
        keys.sort()
        p = _group_pairs(keys >> rbits, by_rank[(keys & ((np.uint64(1) << rbits) - np.uint64(1))).astype(np.int64)],
                         cap=cfg.lsh_max_bucket)
        pairs.append(p[is_query[p[:, 0]] | is_query[p[:, 1]]])
    return _unique_pairs(np.concatenate(pairs), n)


def _unique_pairs(pairs: np.ndarray, n: int) -> np.ndarray:
    if pairs.size == 0:
        return pairs.reshape(0, 2)
    code = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([code // n, code % n], axis=1)


def _anchor_pairs(anchors: np.ndarray, anch_off: np.ndarray, members: np.ndarray, query: np.ndarray,
                  rank: np.ndarray, cfg: DedupConfig) -> np.ndarray:
    """Candidate pairs sharing enough anchors; every pair involves a ``query`` doc.
    ``anchors``/``anch_off``: flat sorted anchors of every document (index order)."""
    n = anch_off.size - 1
    n_all = np.diff(anch_off)
    limit = _anchor_limit(cfg)
    below = np.zeros(anchors.size + 1, dtype=np.int64)
    np.cumsum(anchors < limit, out=below[1:])
    n_sampled = below[anch_off[1:]] - below[anch_off[:-1]]
    is_member = np.zeros(n, dtype=bool)
    is_member[members] = True
    owner = np.repeat(np.arange(n), n_all)
    keep = is_member[owner]
    if not keep.any():
        return np.zeros((0, 2), dtype=np.int64)
    # one sort of (anchor, rank) packed in 64 bits: groups by anchor, ordered by rank
    keys = anchors[keep].astype(np.uint64) << _S32
    keys |= rank[owner[keep]].astype(np.uint64)
    keys.sort()
    by_rank = np.empty(n, dtype=np.int64)
    by_rank[rank] = np.arange(n)
    p = _group_pairs(keys >> _S32, by_rank[(keys & _LOW32).astype(np.int64)], max_group=cfg.anchor_max_df)
    is_query = np.zeros(n, dtype=bool)
    is_query[query] = True
    p = p[is_query[p[:, 0]] | is_query[p[:, 1]]]
    if p.size == 0:
        return p
    code, shared = np.unique(p[:, 0] * n + p[:, 1], return_counts=True)
    a, b = code // n, code % n
    # the share is taken of the smaller document's anchors that the other could have:
    # all of them when both keep all their shingles (short), else the sampled ones
    full = n_all > n_sampled
    both_full = full[a] & full[b]
    smaller = np.where(both_full, np.minimum(n_all[a], n_all[b]), np.minimum(n_sampled[a], n_sampled[b]))
    ok = (shared >= cfg.anchor_min_shared) & (shared >= cfg.anchor_candidate_share * smaller)
    return np.stack([a[ok], b[ok]], axis=1)


# --------------------------------------------------------------------------- #
# exact re-check
# --------------------------------------------------------------------------- #
_METHOD_RANK = {"exact": 2, "minhash_jaccard": 1, "containment": 0}


def _one_edit_apart(a: str, b: str) -> bool:
    """True when b is a with at most one typo: one character inserted, deleted,
    replaced, or two neighbours swapped (hand-written: a two-string check that
    needs no edit-distance library)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    return a[i:] == b[i + 1:]


class _Verifier:
    """Exact re-check of candidate pairs; per-document data computed lazily and cached."""

    def __init__(self, bodies: list[str], feats: _Features, n_stored: int, cfg: DedupConfig,
                 stored_sigs: Sequence[np.ndarray] = (), stored_words: Sequence[int] = ()):
        self.bodies = bodies
        self.stored_sigs = stored_sigs
        self.stored_words = stored_words
        self.estimated = 0
        self.feats = feats  # features of the new documents (index - n_stored)
        self.n_stored = n_stored
        self.cfg = cfg
        self._docs: dict[int, tuple[np.ndarray, np.ndarray, int]] = {}
        self._sh: dict[tuple[int, int, bool], np.ndarray] = {}
        self._facts: dict[int, frozenset] = {}
        self._words: dict[int, list[str]] = {}
        self._ctx: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._pad: dict[int, tuple[np.ndarray, np.ndarray, int]] = {}
        self.checked = 0
        self.fact_rejections = 0

    def _doc(self, i: int) -> tuple[np.ndarray, np.ndarray, int]:
        t = self._docs.get(i)
        if t is None:
            if i >= self.n_stored:
                j = i - self.n_stored
                f = self.feats
                t = (f.doc_tokens(j), f.doc_flags(j), int(f.title_tokens[j]))
            else:  # a stored document: tokenised only when it is a candidate
                tk = _tokenize_batch([self.bodies[i]])
                t = (tk.hashes.astype(np.uint32), tk.flags, int(tk.title_tokens[0]))
            self._docs[i] = t
        return t

    def tokens(self, i: int) -> np.ndarray:
        return self._doc(i)[0]

    def shingles(self, i: int, k: int, skip_title: bool = False) -> np.ndarray:
        key = (i, k, skip_title)
        s = self._sh.get(key)
        if s is None:
            t, _, t0 = self._doc(i)
            s = _doc_shingles(t[t0:] if skip_title else t, k)
            self._sh[key] = s
        return s

    def facts(self, i: int) -> frozenset:
        """Hashes of the numbers and capitalised words below the title."""
        f = self._facts.get(i)
        if f is None:
            t, fl, t0 = self._doc(i)
            f = frozenset(t[t0:][fl[t0:] != 0].tolist())
            self._facts[i] = f
        return f

    def words(self, i: int) -> list[str]:
        w = self._words.get(i)
        if w is None:
            w = _PY_TOKEN.findall(self.bodies[i])
            self._words[i] = w
        return w

    def _padded(self, i: int) -> tuple[np.ndarray, np.ndarray, int]:
        """Tokens below the title between two start and two end markers (so every
        token has two neighbours each side), their flags, and the title length."""
        p = self._pad.get(i)
        if p is None:
            t, fl, t0 = self._doc(i)
            x = np.concatenate([_EDGE[:2], t[t0:].astype(np.uint64), _EDGE[2:]])
            p = (x, np.concatenate([[0, 0], fl[t0:], [0, 0]]).astype(np.uint8), t0)
            self._pad[i] = p
        return p

    def _contexts(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Sorted hashes of (2 tokens before, 2 after) of every token below the
        title, and the positions (in the padded sequence) they belong to."""
        c = self._ctx.get(i)
        if c is None:
            x, _, _ = self._padded(i)
            h = _mix64(x[:-4] * _C[0] + x[1:-3] * _C[1] + x[3:-1] * _C[2] + x[4:] * _C[3])
            order = np.argsort(h, kind="stable")
            c = (h[order], order + 2)
            self._ctx[i] = c
        return c

    def _substitutions(self, d: int, e: int, missing: frozenset) -> set[tuple[int, int]]:
        """(position in d, position in e), in the padded sequences, where a fact of
        d that e lacks stands in the same context in e as another token."""
        x, fl, _ = self._padded(d)
        cand = np.flatnonzero(fl)
        pos = np.array([p for p, h in zip(cand.tolist(), x[cand].tolist()) if h in missing], dtype=np.int64)
        if pos.size == 0:
            return set()
        ctx = _mix64(x[pos - 2] * _C[0] + x[pos - 1] * _C[1] + x[pos + 1] * _C[2] + x[pos + 2] * _C[3])
        sorted_ctx, at = self._contexts(e)
        if sorted_ctx.size == 0:
            return set()
        j = np.minimum(np.searchsorted(sorted_ctx, ctx), sorted_ctx.size - 1)
        hit = sorted_ctx[j] == ctx
        return set(zip(pos[hit].tolist(), at[j[hit]].tolist()))

    def fact_changes(self, d: int, e: int) -> int:
        """Facts (numbers, capitalised words) of one text replaced in the other
        by another token in the same 4-token context (two tokens each side): a
        number by anything, a capitalised word by another capitalised word that
        is not a typo of it.  Title lines are skipped."""
        fd, fe = self.facts(d), self.facts(e)
        miss_d, miss_e = fd - fe, fe - fd
        if not miss_d and not miss_e:
            return 0  # (a swap of two facts inside one text is not seen)
        subs = self._substitutions(d, e, miss_d) if miss_d else set()
        if miss_e:
            subs |= {(p, q) for q, p in self._substitutions(e, d, miss_e)}
        n = 0
        (_, fa, t0d), (_, fb, t0e) = self._padded(d), self._padded(e)
        for p, q in subs:
            if (fa[p] | fb[q]) & FLAG_DIGIT:
                n += 1
            elif (fa[p] & _CAPS) and (fb[q] & _CAPS):
                wd, we = self.words(d), self.words(e)
                if len(wd) != self.tokens(d).size or len(we) != self.tokens(e).size:
                    continue  # text the regex reads differently (invalid Unicode)
                if not _one_edit_apart(wd[t0d + p - 2].lower(), we[t0e + q - 2].lower()):
                    n += 1  # another word, not a typo
        return n

    def _compare(self, d: int, e: int, k: int, skip_title: bool) -> tuple[str, float, str] | None:
        cfg = self.cfg
        A, B = self.shingles(d, k, skip_title), self.shingles(e, k, skip_title)
        inter = _intersection_size(A, B)
        if inter == 0:
            return None
        jac = inter / (A.size + B.size - inter)
        small = min(A.size, B.size)
        if skip_title and small < cfg.min_containment_shingles:
            return None
        if jac >= cfg.jaccard_threshold:
            return "minhash_jaccard", jac, ""
        if small >= cfg.min_containment_shingles and inter / small >= cfg.containment_threshold:
            if A.size <= B.size:
                return "containment", inter / small, "duplicate_in_kept"
            if inter / A.size >= cfg.container_min_share:
                return "containment", inter / small, "kept_in_duplicate"
        return None

    def _by_signature(self, d: int, e: int) -> tuple[str, float, str] | None:
        """Fallback when the stored document e came without its body: the
        MinHash estimate of Jaccard and the anchor estimate of containment
        (no exact re-check, no fact check)."""
        self.estimated += 1
        cfg = self.cfg
        j = d - self.n_stored
        sig_e = self.stored_sigs[e]
        short_d = self.feats.n_tokens(j) < cfg.short_doc_words
        short_e = self.stored_words[e] < cfg.short_doc_words
        if short_d == short_e:  # MinHash over the same shingle size
            jac = float(np.mean(self.feats.minhash[j] == sig_e[: cfg.num_perm]))
            if jac >= cfg.jaccard_threshold:
                return "minhash_jaccard", jac, ""
        limit = _anchor_limit(cfg)
        ad = self.feats.doc_anchors(j)
        ae = np.asarray(sig_e[cfg.num_perm:], dtype=np.uint32)
        ad, ae = ad[ad < limit], ae[ae < limit]  # the sampled anchors both kinds of document keep
        small = min(ad.size, ae.size)
        if small < 4:
            return None
        shared = _intersection_size(ad, ae)
        if shared / small < cfg.containment_threshold:
            return None
        if ad.size <= ae.size:
            return "containment", shared / small, "duplicate_in_kept"
        if shared / ad.size >= cfg.container_min_share:
            return "containment", shared / small, "kept_in_duplicate"
        return None

    def verify(self, d: int, e: int) -> tuple[str, float, str] | None:
        """(method, similarity, direction) when d copies e, else None."""
        self.checked += 1
        cfg = self.cfg
        if e < self.n_stored and not self.bodies[e].strip():
            return self._by_signature(d, e)
        td, te = self.tokens(d), self.tokens(e)
        if td.size == te.size and np.array_equal(td, te):
            return "exact", 1.0, ""
        short = min(td.size, te.size) < cfg.short_doc_words
        k = cfg.short_shingle_size if short else cfg.shingle_size
        out = self._compare(d, e, k, False)
        if out is None and (self._doc(d)[2] or self._doc(e)[2]):
            out = self._compare(d, e, k, True)  # the same text under another headline
        if out is None:
            return None
        if self.fact_changes(d, e) > cfg.max_fact_changes:
            self.fact_rejections += 1
            return None
        return out


# --------------------------------------------------------------------------- #
# main entry point
# --------------------------------------------------------------------------- #


def _rule_key(doc: DedupDoc) -> tuple:
    return (doc.published_date is None, doc.published_date or date.max, -int(doc.n_words or 0), doc.doc_id)


def find_duplicates(
    new_docs: Sequence[DedupDoc],
    stored: Iterable[tuple[DedupDoc, Sequence[int] | np.ndarray]] = (),
    cfg: DedupConfig | None = None,
    stored_duplicates: Iterable[str] = (),
) -> DedupResult:
    """Find copies among ``new_docs`` and between them and ``stored`` kept docs.

    ``stored``: ``(DedupDoc, signature)`` of documents kept by earlier runs (the
    body is used for the exact re-check when given; with ``body=''`` the check
    falls back to signature estimates).  Returns the pairs (one per new
    duplicate, pointing at a kept document) and the signatures of the new
    documents.  See the module docstring for the rules."""
    cfg = cfg if cfg is not None else DedupConfig()
    if not 0 < cfg.num_perm <= _ROW_WEIGHTS.size or max(cfg.shingle_size, cfg.short_shingle_size) > _C.size:
        raise ValueError("num_perm must be in 1..1024 and shingle sizes at most 16")
    t_start = time.perf_counter()
    stats: dict = {}
    skip = set(stored_duplicates)
    stored = [(d, np.asarray(s, dtype=np.uint32)) for d, s in stored if d.doc_id not in skip]
    stored.sort(key=lambda ds: _rule_key(ds[0]))
    new_docs = list(new_docs)
    ids = [d.doc_id for d, _ in stored] + [d.doc_id for d in new_docs]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate doc_id in new_docs/stored")
    S, N = len(stored), len(new_docs)
    n = S + N
    for d, s in stored:
        if s.size < cfg.num_perm:
            raise ValueError(f"stored signature of {d.doc_id} has {s.size} values, expected >= {cfg.num_perm}")

    # ---- features of the new documents
    t0 = time.perf_counter()
    feats = _featurize([d.body for d in new_docs], cfg)
    signatures = {d.doc_id: feats.signature(i) for i, d in enumerate(new_docs)}
    stats["t_signatures"] = time.perf_counter() - t0

    # ---- ranks: stored first, then new docs by the kept-document rule
    rank = np.empty(n, dtype=np.int64)
    rank[:S] = np.arange(S)
    order_new = sorted(range(N), key=lambda i: _rule_key(new_docs[i]))
    rank[S + np.array(order_new, dtype=np.int64)] = S + np.arange(N)

    # ---- exact groups among new documents: the first of a group leads
    t0 = time.perf_counter()
    leader = np.arange(n)
    by_hash: dict[int, list[int]] = {}
    for i in order_new:
        by_hash.setdefault(int(feats.content_hash[i]), []).append(i)
    for group in by_hash.values():
        if len(group) > 1:
            head = group[0]
            for i in group[1:]:
                if np.array_equal(feats.doc_tokens(i), feats.doc_tokens(head)):
                    leader[S + i] = S + head
    is_leader = leader == np.arange(n)
    query = np.flatnonzero(is_leader[S:]) + S
    members = np.concatenate([np.arange(S), query])
    stats["t_exact"] = time.perf_counter() - t0

    # ---- candidates: LSH on MinHash, and shared anchors
    t0 = time.perf_counter()
    minhash = np.empty((n, cfg.num_perm), dtype=np.uint32)
    if S:
        minhash[:S] = np.stack([s[: cfg.num_perm] for _, s in stored])
    minhash[S:] = feats.minhash
    lsh = _lsh_pairs(minhash, members, query, rank, cfg)
    stats["t_lsh"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if S:
        st_anchors = [s[cfg.num_perm:] for _, s in stored]
        anchors = np.concatenate(st_anchors + [feats.anchors])
        anch_off = np.concatenate([[0], np.cumsum([a.size for a in st_anchors]), feats.anch_off[1:] +
                                   sum(a.size for a in st_anchors)]).astype(np.int64)
    else:
        anchors, anch_off = feats.anchors, feats.anch_off
    anc = _anchor_pairs(anchors, anch_off, members, query, rank, cfg)
    stats["t_anchors"] = time.perf_counter() - t0
    cand = _unique_pairs(np.concatenate([lsh, anc]), n)
    stats.update(candidates_lsh=int(len(lsh)), candidates_anchor=int(len(anc)), candidates=int(len(cand)))

    # ---- greedy assignment in rank order, verified against kept documents only
    t0 = time.perf_counter()
    verifier = _Verifier([d.body for d, _ in stored] + [d.body for d in new_docs], feats, S, cfg,
                         stored_sigs=[s for _, s in stored], stored_words=[d.n_words for d, _ in stored])
    ordered = cand[np.lexsort((rank[cand[:, 0]], rank[cand[:, 1]]))] if len(cand) else cand
    by_doc: dict[int, list[int]] = {}  # document -> its candidates, in rank order
    for a, b in ordered.tolist():
        by_doc.setdefault(b, []).append(a)
    kept = np.ones(n, dtype=bool)
    match: dict[int, tuple[int, str, float, str]] = {}
    for i in order_new:
        d = S + i
        if not is_leader[d]:
            continue
        best = None
        for e in by_doc.get(d, ()):
            if not kept[e]:
                continue
            v = verifier.verify(d, e)
            if v is None:
                continue
            score = (_METHOD_RANK[v[0]], v[1])
            if best is None or score > best[0]:
                best = (score, e, v)
        if best is not None:
            kept[d] = False
            match[d] = (best[1], *best[2])
    stats["t_verify"] = time.perf_counter() - t0
    stats.update(verified_pairs=verifier.checked, fact_rejections=verifier.fact_rejections,
                 estimated_without_body=verifier.estimated)

    # ---- output
    pairs: list[DedupPair] = []
    for i in order_new:
        d = S + i
        if is_leader[d]:
            if d in match:
                e, method, sim, direction = match[d]
                pairs.append(DedupPair(ids[d], ids[e], round(float(sim), 4), method, direction))
        else:
            head = int(leader[d])
            if head in match:  # the leader copies e: so does this identical document
                e, method, sim, direction = match[head]
                pairs.append(DedupPair(ids[d], ids[e], round(float(sim), 4), method, direction))
            else:
                pairs.append(DedupPair(ids[d], ids[head], 1.0, "exact", ""))
    stats["t_total"] = time.perf_counter() - t_start
    stats["n_new"], stats["n_stored"] = N, S
    return DedupResult(pairs=pairs, signatures=signatures, stats=stats)
