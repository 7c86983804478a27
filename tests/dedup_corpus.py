"""Deterministic synthetic news corpus with planted copies, for dedup tests and
``bench/bench_dedup.py``.

``make_corpus(n_docs, seed)`` returns a ``Corpus``: the documents
(``pipeline.lib.dedup.DedupDoc``), the planted copy relations and the kind of
every document.  Everything comes from one seeded ``numpy`` generator, so a
(n_docs, seed) pair always gives the same corpus.

Text model: words are drawn from a large synthetic vocabulary (tens of
thousands of pronounceable pseudo-words with Zipf frequencies), mixed with real
English function words, common news words, a bank of common news phrases
(which creates the incidental 5-word overlap real articles share) and per-story
"facts" (capitalised names, places, weekdays and numbers).  Unrelated
documents therefore share words and phrases, but not passages.

Planted copies of a source document (truth: same cluster as the source):
  exact        identical body (a wire story re-run as is)
  new_headline a new first line (title) over the same body
  cut          the ending cut: only the first 35-80 % of the paragraphs
  aggregator   an own headline, intro and outro around the source's paragraphs
               quoted verbatim (one short paragraph, <= 10 %, may be left out)
  typos        light edits: 0.5-1.5 % of words with a character typo, and in
               texts of 250+ words sometimes one sentence reworded
  chrome       1-4 page-chrome lines added (share/subscribe lines, captions ...)
  cut+headline, typos+chrome: combinations
Planted non-copies (truth: kept, no pair):
  same_incident  another report of the same incident (same names, places and
                 numbers, sometimes one shared quote) in different words
  same_template  instances of one template (a recurring bulletin) filled with
                 different facts (numbers, places, weekdays, names)
  follow_up      a report of a new incident (new names, numbers, weekday) that
                 recycles background paragraphs of an earlier story: at most
                 60 % of the old story, 20-70 % of the new one
  unrelated      the rest
Copies are dated on or after their source.  A same-day copy with more words
(added chrome, an aggregator) is the one the kept-document rule keeps, so
scoring counts any (duplicate -> kept) pair inside one cluster as correct.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from pipeline.lib.dedup import DedupDoc, DedupPair

FUNCTION_WORDS = (
    "the of and to in a that for on is was with as by at from it has have said be were are "
    "which an its not but also this their had after been will they who more than over about "
    "against into two other would one some there when all his her could may during since while "
    "before them most where under what new three both between four any through between our"
).split()
NEWS_WORDS = (
    "killed wounded attack forces military army troops ministry officials government statement "
    "ceasefire talks border region city village civilians soldiers police security fighting "
    "shelling strike strikes drone missile artillery rebels militants president minister foreign "
    "defence defense spokesperson agency reported according people residents hospital injured "
    "dead death toll clashes offensive front line positions district province capital negotiations "
    "peace agreement sanctions humanitarian aid convoy blockade corridor checkpoint refugees "
    "displaced election protest protesters rally parliament opposition regime war conflict crisis "
    "international united nations council envoy mediation summit deal accused denied claimed "
    "condemned warned threatened vowed announced confirmed killed arrested detained released "
    "hostages prisoners exchange operation raid ambush explosion bomb blast shell rocket rockets "
    "air airstrike airstrikes unit battalion brigade commander general colonel sources witnesses "
    "video footage images social media posted reports local state news television interview week "
    "month year day night morning evening overnight earlier later recent recently ongoing latest"
).split()
PHRASES = [
    p.split()
    for p in (
        "the ministry of defence said in a statement",
        "according to local officials",
        "could not be independently verified",
        "did not respond to a request for comment",
        "said on condition of anonymity",
        "in a statement on its website",
        "the united nations security council",
        "told reporters on the sidelines of",
        "the death toll is expected to rise",
        "in the early hours of the morning",
        "a spokesperson for the ministry said",
        "it was not immediately clear who",
        "in a post on social media",
        "the two sides have accused each other",
        "amid growing fears of a wider war",
        "the international committee of the red cross",
        "according to the health ministry",
        "human rights groups have called for",
        "the latest in a series of",
        "for the first time since the",
        "at least a dozen people",
        "as part of a wider effort to",
        "on the other side of the border",
        "in an interview with local television",
        "officials said the situation remained tense",
        "the foreign ministry said in a statement",
        "has repeatedly denied the allegations",
        "the army said in a statement",
        "was not immediately available for comment",
        "in the capital on monday",
    )
]
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
CHROME_LINES = [
    "Share this article",
    "Advertisement",
    "Follow us on Telegram",
    "Subscribe to our newsletter",
    "2 min read",
    "5 min read",
    "A+ A-",
    "Publish:",
    "Related news",
    "Most read",
    "Copy link",
    "Published: 12 May 2023 10:05 GMT",
]


@dataclass
class Corpus:
    docs: list[DedupDoc]
    kind: dict[str, str]  # doc_id -> kind (see module docstring; 'source' for planted sources)
    cluster: dict[str, str]  # doc_id -> cluster id, for sources and their copies only
    truth_pairs: set[tuple[str, str]] = field(default_factory=set)  # (copy_id, source_id)

    @property
    def n_copies(self) -> int:
        return len(self.truth_pairs)


class _Gen:
    def __init__(self, seed: int, vocab_size: int = 60000):
        self.rng = np.random.default_rng(seed)
        rng = self.rng
        onsets = np.array("b c d f g h j k l m n p r s t v w z br dr gr kr pr st tr sh ch th".split(), dtype=object)
        vowels = np.array("a e i o u ai ou ea io".split(), dtype=object)
        codas = np.array(["", "", "", "n", "r", "s", "l", "m", "k", "t", "nd", "st"], dtype=object)
        words: set[str] = set()
        while len(words) < vocab_size:
            m = 2 * vocab_size
            n_syl = rng.integers(1, 4, size=m)
            parts = [onsets[rng.integers(len(onsets), size=m)] + vowels[rng.integers(len(vowels), size=m)]
                     for _ in range(3)]
            cand = np.where(n_syl >= 2, parts[0] + parts[1], parts[0])
            cand = np.where(n_syl >= 3, cand + parts[2], cand) + codas[rng.integers(len(codas), size=m)]
            for w in cand.tolist():
                if len(w) >= 3 and len(words) < vocab_size:
                    words.add(w)
        vocab = sorted(words)
        rng.shuffle(vocab)
        self.vocab = np.array(vocab, dtype=object)
        ranks = np.arange(1, len(vocab) + 1, dtype=float)
        zipf = ranks**-1.05
        self.zipf_cdf = np.cumsum(zipf / zipf.sum())
        self.func = np.array(FUNCTION_WORDS, dtype=object)
        self.news = np.array(NEWS_WORDS, dtype=object)
        self.names = self.vocab[rng.choice(len(vocab), 8000, replace=False)]

    # ---- facts of a story
    def facts(self) -> dict:
        rng = self.rng
        return {
            "names": [str(n).capitalize() for n in rng.choice(self.names, int(rng.integers(3, 7)), replace=False)],
            "numbers": [str(int(x)) for x in rng.choice(np.arange(2, 400), int(rng.integers(2, 5)), replace=False)],
            "weekday": WEEKDAYS[int(rng.integers(7))],
            "topic": list(self.vocab[self._zipf(12)]),
        }

    def _zipf(self, n: int) -> np.ndarray:
        return np.searchsorted(self.zipf_cdf, self.rng.random(n)).clip(0, len(self.vocab) - 1)

    # ---- text (words drawn in bulk: the generator must make 100k documents quickly)
    def sentences(self, facts: dict, count: int) -> list[str]:
        rng = self.rng
        lengths = rng.integers(10, 27, size=count)
        total = int(lengths.sum())
        kinds = rng.choice(4, size=total, p=[0.40, 0.17, 0.33, 0.10])
        out = np.empty(total, dtype=object)
        m = kinds == 0
        out[m] = self.func[rng.integers(len(self.func), size=int(m.sum()))]
        m = kinds == 1
        out[m] = self.news[rng.integers(len(self.news), size=int(m.sum()))]
        m = kinds == 2
        out[m] = self.vocab[self._zipf(int(m.sum()))]
        m = kinds == 3
        pool = np.array(facts["names"] + facts["numbers"] + [facts["weekday"]] + facts["topic"], dtype=object)
        out[m] = pool[rng.integers(len(pool), size=int(m.sum()))]
        words_all = out.tolist()
        phrase_draw = rng.random(count)
        comma_draw = rng.random(count)
        result, pos = [], 0
        for i, n in enumerate(lengths.tolist()):
            words = words_all[pos:pos + n]
            pos += n
            if phrase_draw[i] < 0.25:  # a common news phrase
                ph = PHRASES[int(phrase_draw[i] * 1e6) % len(PHRASES)]
                at = int(comma_draw[i] * 1e6) % n
                words[at:at] = ph
            if comma_draw[i] < 0.4:
                c = 3 + int(comma_draw[i] * 1e6) % (len(words) - 5)
                words[c] = words[c] + ","
            words[0] = words[0].capitalize()
            result.append(" ".join(words) + ".")
        return result

    def sentence(self, facts: dict) -> str:
        return self.sentences(facts, 1)[0]

    def paragraph(self, facts: dict) -> str:
        return " ".join(self.sentences(facts, int(self.rng.integers(1, 4))))

    def title(self, facts: dict) -> str:
        rng = self.rng
        n = int(rng.integers(6, 13))
        words = [str(w) for w in self.vocab[self._zipf(n)]]
        words[int(rng.integers(n))] = facts["names"][0]
        if rng.random() < 0.5:
            words[int(rng.integers(n))] = facts["numbers"][0]
        return " ".join(w.capitalize() if i == 0 or rng.random() < 0.3 else w for i, w in enumerate(words))

    def article(self, facts: dict, n_words: int) -> tuple[str, list[str]]:
        rng = self.rng
        sents = self.sentences(facts, max(1, int(n_words / 17) + 1))
        paras: list[str] = []
        total, i = 0, 0
        while total < n_words:
            if i >= len(sents):
                sents += self.sentences(facts, 4)
            k = int(rng.integers(1, 4))
            p = " ".join(sents[i:i + k])
            i += k
            paras.append(p)
            total += len(p.split())
        return self.title(facts), paras

    def length(self) -> int:
        r = self.rng.random()
        if r < 0.15:
            return int(self.rng.integers(15, 60))  # short briefs
        if r < 0.85:
            return int(self.rng.integers(180, 450))
        return int(self.rng.integers(450, 900))

    # ---- copy transformations
    def typo(self, word: str) -> str:
        rng = self.rng
        if len(word) < 4 or not word.isalpha():
            return word
        i = int(rng.integers(1, len(word) - 1))
        op = int(rng.integers(3))
        if op == 0:
            return word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if op == 1:
            return word[:i] + word[i + 1:]
        return word[:i] + word[i] + word[i:]

    def light_edit(self, paras: list[str], facts: dict) -> list[str]:
        """Typos in 0.5-1.5 % of the words; in longer texts sometimes one sentence reworded."""
        rng = self.rng
        rate = float(rng.uniform(0.005, 0.015))
        out = []
        for p in paras:
            words = p.split(" ")
            for i in range(len(words)):
                if rng.random() < rate:
                    words[i] = self.typo(words[i])
            out.append(" ".join(words))
        if sum(len(p.split()) for p in out) >= 250 and rng.random() < 0.4:
            i = int(rng.integers(len(out)))
            sents = out[i].split(". ")
            j = int(rng.integers(len(sents)))
            sents[j] = self.sentence(facts).rstrip(".")
            out[i] = ". ".join(sents)
            if not out[i].endswith("."):
                out[i] += "."
        return out

    def add_chrome(self, lines: list[str], facts: dict) -> list[str]:
        """1-4 page-chrome lines: mostly short widgets, sometimes a caption or a link."""
        rng = self.rng
        out = list(lines)
        for _ in range(int(rng.integers(1, 5))):
            r = rng.random()
            if r < 0.15:
                words = self.sentence(facts).rstrip(".").split()[:int(rng.integers(6, 15))]
                line = " ".join(words) + " " + ["[Getty]", "[AFP]", "(Reuters)"][int(rng.integers(3))]
            elif r < 0.25:
                line = "Read more: " + self.title(self.facts())
            else:
                line = CHROME_LINES[int(rng.integers(len(CHROME_LINES)))]
            out.insert(int(rng.integers(1, len(out) + 1)), line)
        return out


def _body(title: str, paras: list[str]) -> str:
    return "\n".join([title, *paras])


def make_corpus(n_docs: int = 300, seed: int = 7, start: date = date(2023, 1, 1), span_days: int = 365) -> Corpus:
    """Build ``n_docs`` documents (see module docstring for the planted kinds)."""
    g = _Gen(seed)
    rng = g.rng
    raw: list[dict] = []  # each: body, date, kind, cluster, source(index) or None

    def add(body: str, day: date, kind: str, cluster: int | None = None, source: int | None = None) -> int:
        raw.append({"body": body, "date": day, "kind": kind, "cluster": cluster, "source": source})
        return len(raw) - 1

    def rand_day() -> date:
        return start + timedelta(days=int(rng.integers(span_days)))

    copy_kinds = ["exact", "new_headline", "cut", "aggregator", "typos", "chrome", "cut+headline", "typos+chrome"]
    n_sources = max(1, n_docs // 10)
    n_same_incident = max(1, n_docs // 25)
    n_template_groups = max(1, n_docs // 60)
    n_follow_up = max(1, n_docs // 25)

    # ---- sources and their planted copies
    for _ in range(n_sources):
        if len(raw) >= n_docs:
            break
        facts = g.facts()
        title, paras = g.article(facts, g.length())
        day = rand_day()
        src = add(_body(title, paras), day, "source")
        raw[src]["cluster"] = src
        raw[src]["facts"] = facts
        for _ in range(int(rng.integers(1, 4))):
            kind = copy_kinds[int(rng.integers(len(copy_kinds)))]
            if kind in ("cut", "cut+headline", "aggregator") and len(paras) < 4:
                kind = ["exact", "new_headline", "typos", "chrome"][int(rng.integers(4))]
            cday = day + timedelta(days=int(rng.integers(0, 4)))
            t, ps = title, list(paras)
            if kind in ("new_headline", "cut+headline"):
                t = g.title(facts)
            if kind in ("cut", "cut+headline"):
                keep = max(1, int(np.ceil(len(ps) * rng.uniform(0.35, 0.8))))
                ps = ps[:keep]
            if kind == "aggregator":
                t = g.title(facts)
                drop = int(rng.integers(1, len(ps)))  # maybe leave out one short paragraph (<= 10 %)
                if len(ps[drop].split()) > 0.1 * sum(len(p.split()) for p in ps):
                    drop = -1
                quoted = [p for i, p in enumerate(ps) if i != drop]
                intro = [g.paragraph(g.facts()) for _ in range(int(rng.integers(1, 3)))]
                outro = [g.paragraph(g.facts())] if rng.random() < 0.6 else []
                ps = intro + quoted + outro
            if kind in ("typos", "typos+chrome"):
                ps = g.light_edit(ps, facts)
            lines = [t, *ps]
            if kind in ("chrome", "typos+chrome"):
                lines = g.add_chrome(lines, facts)
            if len(raw) >= n_docs:
                break
            add("\n".join(lines), cday, kind, cluster=src, source=src)

    # ---- the same incident told in different words
    sources = [i for i, r in enumerate(raw) if r["kind"] == "source"]
    for _ in range(n_same_incident):
        if len(raw) >= n_docs or not sources:
            break
        s = sources[int(rng.integers(len(sources)))]
        facts = dict(raw[s]["facts"])  # same names, numbers, weekday and topic words
        src_body = raw[s]["body"].split("\n")
        title, paras = g.article(facts, g.length())
        if len(" ".join(src_body[1:]).split()) >= 100 and rng.random() < 0.6:
            # one sentence of a longer source quoted (quoting all of a brief would make it a copy)
            quote_src = src_body[1].split(". ")[0].rstrip(".")
            paras.insert(int(rng.integers(len(paras) + 1)), f'"{quote_src}," an official said.')
        add(_body(title, paras), raw[s]["date"] + timedelta(days=int(rng.integers(0, 2))), "same_incident")

    # ---- follow-up reports: a new incident (new facts) over background paragraphs recycled
    #      from an earlier story of the outlet (at most 60 % of the old story, 20-70 % of the new)
    long_sources = [i for i in sources if raw[i]["body"].count("\n") >= 4]
    for _ in range(n_follow_up):
        if len(raw) >= n_docs or not long_sources:
            break
        s = long_sources[int(rng.integers(len(long_sources)))]
        src_paras = raw[s]["body"].split("\n")[1:]
        src_words = sum(len(p.split()) for p in src_paras)
        recycled: list[str] = []
        for p in reversed(src_paras[1:]):  # background comes last; never the lead
            if sum(len(q.split()) for q in recycled) + len(p.split()) > 0.6 * src_words:
                break
            recycled.insert(0, p)
        if not recycled:
            continue
        share = float(rng.uniform(0.2, 0.7))
        rec_words = sum(len(p.split()) for p in recycled)
        facts = g.facts()
        facts["topic"] = raw[s]["facts"]["topic"]
        title, new_paras = g.article(facts, max(15, int(rec_words * (1 - share) / share)))
        add(_body(title, new_paras + recycled), raw[s]["date"] + timedelta(days=int(rng.integers(1, 21))),
            "follow_up")

    # ---- same template, different facts
    for _ in range(n_template_groups):
        if len(raw) >= n_docs:
            break
        base_facts = g.facts()
        _, paras = g.article(base_facts, int(rng.integers(50, 220)))
        template = " ".join(paras).split(" ")
        every = int(rng.integers(10, 40))
        slots = list(range(int(rng.integers(0, every)), len(template), every))
        title_words = g.title(base_facts).split(" ")
        day = rand_day()
        for k in range(int(rng.integers(3, 6))):
            if len(raw) >= n_docs:
                break
            words = list(template)
            for j, pos in enumerate(slots):
                r = (j + k) % 3
                if r == 0:
                    val = str(int(rng.integers(2, 999)))
                elif r == 1:
                    val = str(g.names[int(rng.integers(len(g.names)))]).capitalize()
                else:
                    val = WEEKDAYS[(j + k) % 7]
                words[pos] = val + ("," if words[pos].endswith(",") else "") + ("." if words[pos].endswith(".") else "")
            t = " ".join(title_words[:-1] + [str(int(rng.integers(2, 999)))])
            add(t + "\n" + " ".join(words), day + timedelta(days=k), "same_template")

    # ---- unrelated documents
    while len(raw) < n_docs:
        facts = g.facts()
        title, paras = g.article(facts, g.length())
        add(_body(title, paras), rand_day(), "unrelated")

    # ---- ids in shuffled order, so ids say nothing about the structure
    perm = rng.permutation(len(raw))
    ids = {int(old): f"doc{new:06d}" for new, old in enumerate(perm)}
    docs, kind, cluster, truth = [], {}, {}, set()
    for old in sorted(range(len(raw)), key=lambda i: ids[i]):
        r = raw[old]
        did = ids[old]
        docs.append(DedupDoc(doc_id=did, body=r["body"], published_date=r["date"], n_words=len(r["body"].split())))
        kind[did] = r["kind"]
        if r["cluster"] is not None:
            cluster[did] = ids[r["cluster"]]
        if r["source"] is not None:
            truth.add((did, ids[r["source"]]))
    return Corpus(docs=docs, kind=kind, cluster=cluster, truth_pairs=truth)


def score(pairs: list[DedupPair], corpus: Corpus) -> dict:
    """Precision and recall of predicted (duplicate -> kept) pairs.

    A predicted pair is correct when both documents are in the same planted
    copy cluster.  Recall: correct pairs / planted copies (a cluster of m
    documents holds m - 1 copies)."""
    tp = sum(1 for p in pairs if corpus.cluster.get(p.doc_id) is not None
             and corpus.cluster.get(p.doc_id) == corpus.cluster.get(p.duplicate_of))
    fp_kinds: dict[str, int] = {}
    for p in pairs:
        cd, ck = corpus.cluster.get(p.doc_id), corpus.cluster.get(p.duplicate_of)
        if cd is None or cd != ck:
            key = f"{corpus.kind[p.doc_id]}->{corpus.kind[p.duplicate_of]}"
            fp_kinds[key] = fp_kinds.get(key, 0) + 1
    found = {p.doc_id for p in pairs}
    missed: dict[str, int] = {}
    for copy_id, src in corpus.truth_pairs:
        if copy_id not in found and src not in found:
            missed[corpus.kind[copy_id]] = missed.get(corpus.kind[copy_id], 0) + 1
    expected = corpus.n_copies
    return {
        "pairs": len(pairs),
        "expected": expected,
        "tp": tp,
        "precision": tp / len(pairs) if pairs else 1.0,
        "recall": tp / expected if expected else 1.0,
        "false_positive_kinds": fp_kinds,
        "missed_kinds": missed,
    }


if __name__ == "__main__":  # quick look: python -m tests.dedup_corpus
    c = make_corpus(300)
    from collections import Counter

    print(Counter(c.kind.values()), c.n_copies)
    print(c.docs[0].body[:500])
