"""Document dedup: quality on the generated corpus, clustering rules, incrementality, seeds."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from pipeline.lib import dedup as dd
from pipeline.lib.cleaning import clean_document
from pipeline.lib.dedup import DedupConfig, DedupDoc, find_duplicates, signature

try:
    from tests.dedup_corpus import _Gen, make_corpus, score
except ImportError:  # tests/ on sys.path instead of the repository root
    from dedup_corpus import _Gen, make_corpus, score

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
D0 = date(2023, 3, 1)


def mk(doc_id: str, body: str, day: date | None = D0) -> DedupDoc:
    return DedupDoc(doc_id=doc_id, body=body, published_date=day, n_words=len(body.split()))


def pair_map(result) -> dict[str, tuple[str, str]]:
    return {p.doc_id: (p.duplicate_of, p.method) for p in result.pairs}


@pytest.fixture(scope="module")
def gen() -> _Gen:
    return _Gen(seed=99, vocab_size=20000)


def article(gen: _Gen, n_words: int = 300) -> tuple[str, list[str]]:
    return gen.article(gen.facts(), n_words)


@pytest.fixture(scope="module")
def corpus():
    return make_corpus(300, seed=7)


@pytest.fixture(scope="module")
def corpus_result(corpus):
    return find_duplicates(corpus.docs)


# --------------------------------------------------------------------------- quality
def test_precision_and_recall_on_generated_corpus(corpus, corpus_result):
    sc = score(corpus_result.pairs, corpus)
    assert sc["expected"] >= 40
    assert sc["precision"] >= 0.95, sc
    assert sc["recall"] >= 0.95, sc
    # planted non-copies sharing the topic are never paired
    negatives = {d for d, k in corpus.kind.items() if k in ("same_incident", "same_template", "follow_up")}
    assert negatives and not any(p.doc_id in negatives or p.duplicate_of in negatives for p in corpus_result.pairs)
    assert {p.method for p in corpus_result.pairs} == {"exact", "minhash_jaccard", "containment"}


def test_precision_and_recall_on_a_second_corpus():
    c = make_corpus(300, seed=8)
    sc = score(find_duplicates(c.docs).pairs, c)
    assert sc["precision"] >= 0.95 and sc["recall"] >= 0.95, sc


def test_scoring_can_fail(corpus, corpus_result):
    """The score is not trivially high: dropping pairs or pairing wrongly is seen."""
    assert score(corpus_result.pairs[: len(corpus_result.pairs) // 2], corpus)["recall"] < 0.6
    ids = [d.doc_id for d in corpus.docs if corpus.kind[d.doc_id] == "unrelated"]
    wrong = [dd.DedupPair(a, b, 0.9, "minhash_jaccard") for a, b in zip(ids[::2], ids[1::2])]
    assert score(wrong, corpus)["precision"] == 0.0


def test_every_duplicate_points_directly_to_a_kept_earlier_document(corpus, corpus_result):
    dups = corpus_result.duplicate_ids
    by_id = {d.doc_id: d for d in corpus.docs}
    assert corpus_result.pairs
    for p in corpus_result.pairs:
        assert p.duplicate_of not in dups
        assert dd._rule_key(by_id[p.duplicate_of]) < dd._rule_key(by_id[p.doc_id])


# --------------------------------------------------------------------------- seeds
def seed_docs() -> list[DedupDoc]:
    with open(SEEDS / "manifest.csv", encoding="utf-8") as fh:
        dates = {r["file"]: date.fromisoformat(r["published_date"]) for r in csv.DictReader(fh)}
    docs = []
    for path in sorted(SEEDS.glob("*.txt")):
        res = clean_document(path.read_text(encoding="utf-8"))
        docs.append(mk(path.stem, res.body, dates[path.name]))
    return docs


def test_seeds_are_all_kept():
    docs = seed_docs()
    assert len(docs) == 5
    assert find_duplicates(docs).pairs == []
    # even with lax thresholds: 000 and 001 report the same incident in different words
    lax = DedupConfig(jaccard_threshold=0.3, containment_threshold=0.3)
    assert find_duplicates(docs, cfg=lax).pairs == []


def test_seed_re_run_under_new_headline_is_found():
    docs = seed_docs()
    body = docs[1].body
    rerun = "Karabakh says four soldiers killed in overnight attack\n" + body.split("\n", 1)[1]
    res = find_duplicates(docs + [mk("rerun", rerun, date(2023, 6, 29))])
    assert pair_map(res) == {"rerun": (docs[1].doc_id, "minhash_jaccard")}


# --------------------------------------------------------------------------- kinds of copies
def test_exact_copy_ignores_case_punctuation_and_spacing(gen):
    title, paras = article(gen)
    a = "\n".join([title, *paras])
    b = a.upper().replace(",", "").replace("\n", "\n\n").replace(" ", "  ")
    res = find_duplicates([mk("a", a), mk("b", b, D0 + timedelta(days=1))])
    assert [(p.doc_id, p.duplicate_of, p.method, p.similarity) for p in res.pairs] == [("b", "a", "exact", 1.0)]


def test_new_headline_trimmed_copy_and_aggregator(gen):
    title, paras = article(gen, 400)
    src = "\n".join([title, *paras])
    new_headline = "\n".join(["A completely different headline for the same story", *paras])
    trimmed = "\n".join([title, *paras[: max(1, len(paras) * 2 // 5)]])
    intro = article(gen, 200)[1]
    aggregator = "\n".join(["Roundup: what we know", *intro, *paras])
    unrelated = "\n".join(article(gen, 300)[1])
    docs = [mk("src", src), mk("nh", new_headline, D0 + timedelta(1)), mk("trim", trimmed, D0 + timedelta(2)),
            mk("agg", aggregator, D0 + timedelta(3)), mk("other", unrelated, D0 + timedelta(1))]
    res = find_duplicates(docs)
    got = {p.doc_id: p for p in res.pairs}
    assert set(got) == {"nh", "trim", "agg"}
    assert all(p.duplicate_of == "src" for p in got.values())
    assert got["nh"].method == "minhash_jaccard" and got["nh"].similarity >= 0.8
    assert (got["trim"].method, got["trim"].direction) == ("containment", "duplicate_in_kept")
    assert got["trim"].similarity == 1.0
    assert (got["agg"].method, got["agg"].direction) == ("containment", "kept_in_duplicate")


def test_light_edits_and_chrome_are_still_copies(gen):
    facts = gen.facts()
    title, paras = gen.article(facts, 350)
    src = "\n".join([title, *paras])
    typos = "\n".join([title, *gen.light_edit(paras, facts)])
    chrome = "\n".join(gen.add_chrome([title, *paras], facts))
    res = find_duplicates([mk("src", src), mk("typos", typos, D0 + timedelta(1)),
                           mk("chrome", chrome, D0 + timedelta(1))])
    assert {k: v[0] for k, v in pair_map(res).items()} == {"typos": "src", "chrome": "src"}


def test_quoted_passage_is_not_a_copy(gen):
    """An article quoting one paragraph of another is a distinct report."""
    _, paras_a = article(gen, 400)
    _, paras_b = article(gen, 400)
    a = "\n".join(["Story A", *paras_a])
    b = "\n".join(["Story B", *paras_b[:3], paras_a[2], *paras_b[3:]])
    assert find_duplicates([mk("a", a), mk("b", b, D0 + timedelta(1))]).pairs == []


def test_follow_up_recycling_background_is_not_a_copy(gen):
    _, old = article(gen, 400)
    _, new = article(gen, 150)
    background = old[len(old) // 2:]
    follow_up = "\n".join(["New attack in the same district", *new, *background])
    res = find_duplicates([mk("old", "\n".join(["Old story", *old])), mk("new", follow_up, D0 + timedelta(5))])
    assert res.pairs == []


def test_same_template_with_different_facts_is_not_a_copy():
    template = ("Over the past day the enemy launched {n1} missile strikes and {n2} air strikes on the positions "
                "of our troops near {p1} and {p2}, the general staff said in its morning update. Air defence units "
                "shot down {n3} drones over the region overnight, and rescue teams worked through the night to "
                "clear the rubble in {p1} where a residential building was hit. The regional administration said "
                "power had been restored to most districts by the morning and that schools would reopen on {d}. "
                "Officials urged residents to stay in shelters when the sirens sound and to follow the official "
                "channels for updates. The next update is expected in the evening.")
    a = "Morning update\n" + template.format(n1=12, n2=4, n3=31, p1="Harvik", p2="Dolmen", d="Monday")
    b = "Morning update\n" + template.format(n1=7, n2=9, n3=18, p1="Harvik", p2="Dolmen", d="Monday")
    c = "Morning update\n" + template.format(n1=12, n2=4, n3=31, p1="Karsten", p2="Velika", d="Tuesday")
    typo = a.replace("Harvik", "Harvk", 1)
    res = find_duplicates([mk("a", a), mk("b", b, D0 + timedelta(1)), mk("c", c, D0 + timedelta(2)),
                           mk("typo", typo, D0 + timedelta(3))])
    assert pair_map(res) == {"typo": ("a", "minhash_jaccard")}
    assert res.stats["fact_rejections"] >= 2
    # without the fact guard the template instances would be taken for copies
    loose = find_duplicates([mk("a", a), mk("b", b, D0 + timedelta(1))], cfg=DedupConfig(max_fact_changes=10**6))
    assert {k: v[0] for k, v in pair_map(loose).items()} == {"b": "a"}


# --------------------------------------------------------------------------- clustering rules
def test_no_chaining_through_an_intermediate_document(gen):
    title, paras = article(gen, 600)
    n = len(paras)
    fresh = article(gen, 600)[1]
    a_paras = list(paras)
    b_paras = list(paras)
    b_paras[: n // 6] = fresh[: n // 6]  # B: the first sixth rewritten
    c_paras = list(b_paras)
    c_paras[n // 2: n // 2 + n // 6] = fresh[n // 2: n // 2 + n // 6]  # C: B with another sixth rewritten
    a, b, c = ("\n".join([title, *x]) for x in (a_paras, b_paras, c_paras))
    # C copies B and B copies A ...
    assert {k: v[0] for k, v in pair_map(find_duplicates([mk("b", b), mk("c", c, D0 + timedelta(2))])).items()} \
        == {"c": "b"}
    res = find_duplicates([mk("a", a), mk("b", b, D0 + timedelta(1)), mk("c", c, D0 + timedelta(2))])
    # ... but C is not a copy of A, and B is not kept: C stays a kept document
    assert {k: v[0] for k, v in pair_map(res).items()} == {"b": "a"}


def test_kept_document_rule(gen):
    title, paras = article(gen, 300)
    full = "\n".join([title, *paras])
    short = "\n".join([title, *paras[: len(paras) // 2]])
    # earliest date wins, unknown dates come last
    res = find_duplicates([mk("x1", full, date(2023, 1, 2)), mk("x2", full, date(2023, 1, 1)), mk("x0", full, None)])
    assert {k: v[0] for k, v in pair_map(res).items()} == {"x1": "x2", "x0": "x2"}
    # same date: the most complete (most words) wins, whatever the ids say
    res = find_duplicates([mk("a_short", short), mk("b_full", full)])
    assert {k: v[0] for k, v in pair_map(res).items()} == {"a_short": "b_full"}
    # same date and length: the smallest doc_id wins
    res = find_duplicates([mk("z", full), mk("m", full), mk("q", full)])
    assert {k: v[0] for k, v in pair_map(res).items()} == {"z": "m", "q": "m"}


# --------------------------------------------------------------------------- incremental
def split_by_date(corpus, result):
    """Two batches by publication date, cut where copies cross the boundary."""
    by_id = {d.doc_id: d for d in corpus.docs}
    days = sorted({d.published_date for d in corpus.docs})

    def crossing(cut):
        return sum(by_id[p.duplicate_of].published_date <= cut < by_id[p.doc_id].published_date
                   for p in result.pairs)

    cut = max(days[len(days) * 2 // 5: len(days) * 4 // 5], key=crossing)
    first = [d for d in corpus.docs if d.published_date <= cut]
    later = [d for d in corpus.docs if d.published_date > cut]
    return first, later


def as_set(pairs, ids=None):
    return {(p.doc_id, p.duplicate_of, p.method, p.similarity, p.direction) for p in pairs
            if ids is None or p.doc_id in ids}


def test_incremental_run_equals_full_run(corpus, corpus_result):
    first, later = split_by_date(corpus, corpus_result)
    r1 = find_duplicates(first)
    kept1 = [d for d in first if d.doc_id not in r1.duplicate_ids]
    # signatures round-trip through the warehouse as uint64 bytes
    stored = [(d, np.frombuffer(np.asarray(r1.signatures[d.doc_id], dtype=np.uint64).tobytes(), dtype=np.uint64))
              for d in kept1]
    r2 = find_duplicates(later, stored=stored)
    later_ids = {d.doc_id for d in later}
    first_ids = {d.doc_id for d in first}
    assert as_set(r1.pairs) == as_set(corpus_result.pairs, first_ids)
    assert as_set(r2.pairs) == as_set(corpus_result.pairs, later_ids)
    assert any(p.duplicate_of in first_ids for p in r2.pairs)  # copies of stored documents were found
    assert not (r2.duplicate_ids & first_ids)  # stored documents stay kept
    assert set(r2.signatures) == later_ids
    for d in later[:20]:
        assert np.array_equal(r2.signatures[d.doc_id], corpus_result.signatures[d.doc_id])
    # passing the stored duplicates too, flagged as such, changes nothing
    all_stored = [(d, r1.signatures[d.doc_id]) for d in first]
    r3 = find_duplicates(later, stored=all_stored, stored_duplicates=r1.duplicate_ids)
    assert as_set(r3.pairs) == as_set(r2.pairs)


def test_incremental_with_stored_signatures_only(corpus, corpus_result):
    """The warehouse may pass stored documents without their body: the check
    then falls back to the signature estimates and still finds the copies."""
    first, later = split_by_date(corpus, corpus_result)
    r1 = find_duplicates(first)
    stored = [(DedupDoc(d.doc_id, "", d.published_date, d.n_words), r1.signatures[d.doc_id])
              for d in first if d.doc_id not in r1.duplicate_ids]
    r2 = find_duplicates(later, stored=stored)
    first_ids = {d.doc_id for d in first}
    expected = {p.doc_id: p.duplicate_of for p in corpus_result.pairs if p.doc_id in {d.doc_id for d in later}}
    got = {p.doc_id: p.duplicate_of for p in r2.pairs}
    cross = [k for k, v in expected.items() if v in first_ids]
    assert cross and r2.stats["estimated_without_body"] > 0
    assert sum(got.get(k) == expected[k] for k in cross) >= 0.9 * len(cross)
    assert score(r2.pairs, corpus)["precision"] >= 0.95


# --------------------------------------------------------------------------- short documents
def test_short_documents(gen):
    facts = gen.facts()
    brief = "Briefly\n" + " ".join(gen.sentences(facts, 2))
    words = brief.split(" ")
    i = next(k for k, w in enumerate(words) if w.isalpha() and w.islower() and len(w) > 5 and k > 3)
    words[i] = words[i][:2] + words[i][3:]  # one typo
    typo = " ".join(words)
    other = "Briefly\n" + " ".join(gen.sentences(facts, 2))  # same facts, other words
    assert len(brief.split()) < DedupConfig().short_doc_words
    res = find_duplicates([mk("brief", brief), mk("typo", typo, D0 + timedelta(1)),
                           mk("other", other, D0 + timedelta(1))])
    assert {k: v[0] for k, v in pair_map(res).items()} == {"typo": "brief"}
    # tiny texts: exact matches only
    res = find_duplicates([mk("t1", "Clashes in Harvik"), mk("t2", "clashes in harvik!", D0 + timedelta(1)),
                           mk("t3", "Clashes in Dolmen", D0 + timedelta(1)), mk("t4", "", D0)])
    assert pair_map(res) == {"t2": ("t1", "exact")}
    # a brief that is the lead of a longer article: a trimmed copy
    title, paras = article(gen, 400)
    long_doc = "\n".join([title, *paras])
    lead = "\n".join([title, paras[0]])
    res = find_duplicates([mk("long", long_doc), mk("lead", lead, D0 + timedelta(1))])
    assert pair_map(res) == {"lead": ("long", "containment")}


# --------------------------------------------------------------------------- signatures and internals
def test_signature_is_deterministic_and_batch_independent(corpus, corpus_result):
    cfg = DedupConfig()
    assert len(corpus.docs) >= 40
    for d in corpus.docs[:10]:
        sig = signature(d.body)
        assert sig.dtype == np.uint32 and sig.size >= cfg.num_perm
        assert np.array_equal(sig, corpus_result.signatures[d.doc_id])
    small = dd._featurize([d.body for d in corpus.docs[:40]], DedupConfig(batch_docs=7, workers=1))
    for i, d in enumerate(corpus.docs[:40]):
        assert np.array_equal(small.signature(i), corpus_result.signatures[d.doc_id])


def test_signature_scheme_is_stable():
    """Stored signatures must stay comparable: the hashing scheme is frozen."""
    sig = signature("Four soldiers were killed in an attack on a border post, the ministry said on Monday.")
    assert sig[:4].tolist() == GOLDEN_MINHASH_PREFIX
    assert dd._tokenize_batch(["Hello"]).hashes[0] == np.uint64(GOLDEN_TOKEN_HASH)


GOLDEN_MINHASH_PREFIX = [3271735269, 491704347, 3269208420, 3258111710]
GOLDEN_TOKEN_HASH = 10425746202177552736


def test_tokeniser_follows_its_regular_expression():
    texts = ["Azerbaijan’s “talks” — 6,500 lives; Zürich, Київ, 北京! U.S.-led\u00a0talks…",
             "", "\x00odd\x00", "tab\tand\nnew lines", "ÉLAN élan"]
    tk = dd._tokenize_batch(texts)
    assert tk.counts.tolist() == [len(dd._PY_TOKEN.findall(t.replace("\x00", " "))) for t in texts]
    h = dd._tokenize_batch(["Hello HELLO hello"]).hashes
    assert h[0] == h[1] == h[2]
    fl = dd._tokenize_batch(["The army said Harvik lost 12 men. Then Dolmen fell."]).flags.tolist()
    # The(initial) army said Harvik(name) lost 12(digit) men . Then(initial) Dolmen(name) fell
    assert fl == [4, 0, 0, 2, 0, 1, 0, 4, 2, 0]


def test_lsh_backends_give_the_same_candidates(corpus):
    cfg = DedupConfig()
    feats = dd._featurize([d.body for d in corpus.docs], cfg)
    n = len(corpus.docs)
    members = np.arange(n)
    rank = np.arange(n)
    a = dd._lsh_pairs(feats.minhash, members, members, rank, cfg)
    b = dd._lsh_pairs(feats.minhash, members, members, rank, DedupConfig(lsh_backend="datasketch"))
    assert len(a) > 20
    assert {tuple(x) for x in a.tolist()} == {tuple(x) for x in dd._unique_pairs(b, n).tolist()}
    assert as_set(find_duplicates(corpus.docs[:120], cfg=DedupConfig(lsh_backend="datasketch")).pairs) == \
        as_set(find_duplicates(corpus.docs[:120]).pairs)


def test_input_validation():
    with pytest.raises(ValueError, match="duplicate doc_id"):
        find_duplicates([mk("a", "x y z"), mk("a", "x y z")])
    with pytest.raises(ValueError, match="stored signature"):
        find_duplicates([mk("a", "x y z")], stored=[(mk("b", "x y z"), np.zeros(3, np.uint32))])
    assert find_duplicates([]).pairs == []
