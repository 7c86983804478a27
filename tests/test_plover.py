"""Event typing against the PLOVER gold-standard records (shared/peer/PLOVER_GSR_CAMEO.txt).

Every gold sentence is parsed with the pipeline's spaCy model and typed with
``events.classify_sentence`` (the main event of the sentence).  The records are split
deterministically by sentence: a record goes to the held-out *test* split when the first record
of its sentence text is every third event record (index % 3 == 2), else to the *dev* split the
lexicon was developed on.  A few gold sentences are coded twice (one record per event they
report); all records of one sentence fall in one split, so no test sentence is also a dev
sentence.  Per-type accuracy is printed for both (run with ``pytest -s tests/test_plover.py``
to see the table).

The gold file is looked for only at ``../shared/peer/PLOVER_GSR_CAMEO.txt`` relative to the
repository root, the checkout that owns the git directory: the clone itself, or for a linked
``git worktree`` the main checkout. Missing, every test here fails with the path it looked at.

The goal is >= 0.85 on the ten types that matter most for conflict data taken together
(ASSAULT, FIGHT, CONSULT, AGREE, THREATEN, COERCE, DEMAND, DISAPPROVE, REJECT, PROTEST).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from pipeline.lib import events
from pipeline.lib.nlp import load_nlp

CHECKOUT = Path(__file__).resolve().parents[1]
KEY_TYPES = {"ASSAULT", "FIGHT", "CONSULT", "AGREE", "THREATEN", "COERCE", "DEMAND", "DISAPPROVE",
             "REJECT", "PROTEST"}


def _repository_root(checkout: Path) -> Path:
    """The checkout that owns the git directory. In a linked worktree ``.git`` is a file
    ``gitdir: <main>/.git/worktrees/<name>`` whose ``commondir`` leads to ``<main>/.git``."""
    dotgit = checkout / ".git"
    if not dotgit.is_file():
        return checkout
    gitdir = Path(dotgit.read_text(encoding="utf-8").split("gitdir:", 1)[1].strip())
    if not gitdir.is_absolute():
        gitdir = checkout / gitdir
    commondir = gitdir / "commondir"
    common = (gitdir / commondir.read_text(encoding="utf-8").strip()) if commondir.is_file() else gitdir
    return common.resolve().parent


GSR_PATH = _repository_root(CHECKOUT).parent / "shared" / "peer" / "PLOVER_GSR_CAMEO.txt"


def _records() -> list[dict]:
    if not GSR_PATH.is_file():
        pytest.fail(f"PLOVER gold not found: looked at {GSR_PATH} (../shared/peer/ beside the "
                    "repository root); put a copy of shared/ beside the clone", pytrace=False)
    data = json.loads(GSR_PATH.read_text(encoding="utf-8"))
    # the first record documents the file: filtered out, not skipped
    return [r for r in data if r.get("event") != "DOCUMENT" and r.get("text")]


def _sentence(text: str) -> str:
    return " ".join(text.split())


def _split(recs: list[dict]) -> list[str]:
    """'dev' or 'test' per record, by the index of the first record of its sentence."""
    first: dict[str, int] = {}
    return ["test" if first.setdefault(_sentence(r["text"]), i) % 3 == 2 else "dev"
            for i, r in enumerate(recs)]


def _predict(nlp, text: str) -> str | None:
    doc = nlp(text.strip())
    for sent in doc.sents:
        tr = events.classify_sentence(sent)
        if tr is not None:
            return tr.event_type
    return None


@pytest.fixture(scope="module")
def results():
    nlp = load_nlp()
    recs = _records()
    return [(split, r["event"], _predict(nlp, r["text"]), r["text"], i)
            for i, (r, split) in enumerate(zip(recs, _split(recs)))]


def _table(rows, split):
    ok, tot = Counter(), Counter()
    for s, gold, pred, *_ in rows:
        if split != "all" and s != split:
            continue
        tot[gold] += 1
        ok[gold] += pred == gold
    return ok, tot


def _key_acc(ok, tot) -> float:
    k_ok = sum(ok[t] for t in KEY_TYPES)
    k_tot = sum(tot[t] for t in KEY_TYPES)
    return k_ok / k_tot


def test_report_and_goal(results):
    lines = []
    accs = {}
    for split in ("dev", "test", "all"):
        ok, tot = _table(results, split)
        accs[split] = (_key_acc(ok, tot), sum(ok.values()) / sum(tot.values()))
        lines.append(f"--- {split}: key-10 {accs[split][0]:.3f}  all-types {accs[split][1]:.3f} "
                     f"(n={sum(tot.values())})")
        for t in sorted(tot):
            lines.append(f"    {t:12s} {ok[t]:3d}/{tot[t]:3d}  {ok[t] / tot[t]:.2f}")
    print("\n" + "\n".join(lines))
    assert len(results) == 322
    # the goal, on all gold records of the ten key types
    assert accs["all"][0] >= 0.85, accs
    # no overfitting beyond what the held-out split shows
    assert accs["dev"][0] >= 0.90, accs
    assert accs["test"][0] >= 0.80, accs
    # every type is learnt at all on held-out data, all types together are well above chance
    assert accs["test"][1] >= 0.75, accs


def _ids(recs: list[dict], split: list[str], part: str) -> list[str]:
    """Record identities of one part: position in the gold file and id (one id occurs twice)."""
    return [f"{i}:{r['id']}" for i, (r, s) in enumerate(zip(recs, split)) if s == part]


def test_split_is_deterministic_and_disjoint(results):
    recs, again = _records(), _records()           # two reads of the gold file
    split = _split(recs)
    dev, test = _ids(recs, split, "dev"), _ids(recs, split, "test")
    # deterministic: a second read and split give the same id lists, in the same order, and the
    # records the accuracy test scored carry the same split
    assert (_ids(again, _split(again), "dev"), _ids(again, _split(again), "test")) == (dev, test)
    assert [(r[4], r[0]) for r in results] == list(enumerate(split))
    # disjoint and complete, by record and by sentence text
    everything = [f"{i}:{r['id']}" for i, r in enumerate(recs)]
    assert len(set(everything)) == len(everything) == 322
    assert set(dev) & set(test) == set()
    assert set(dev) | set(test) == set(everything)
    dev_text = {_sentence(r["text"]) for r, s in zip(recs, split) if s == "dev"}
    test_text = {_sentence(r["text"]) for r, s in zip(recs, split) if s == "test"}
    assert dev_text & test_text == set()
    # every key type is held out at least three times, and the held-out third is about a third
    held = Counter(r["event"] for r, s in zip(recs, split) if s == "test")
    assert min(held[t] for t in KEY_TYPES) >= 3, held
    assert 100 <= len(test) <= 110, len(test)


@pytest.mark.parametrize("text,expected", [
    ("Iran on Tuesday threatened to cut off electricity to the region.", "THREATEN"),
    ("The rebels refused to lay down their arms.", "REJECT"),
    ("The two foreign ministers held talks in Geneva on Monday.", "CONSULT"),
    ("Police arrested 40 protesters in the capital.", "COERCE"),
    ("The government demanded that the militia withdraw from the city.", "DEMAND"),
    ("The ministry accused the rebels of violating the ceasefire.", "DISAPPROVE"),
    ("Thousands of students demonstrated against the new law.", "PROTEST"),
    ("Artillery shelled the village overnight, killing three soldiers.", "FIGHT"),
    ("A suicide bomber killed 12 people at a market.", "ASSAULT"),
    ("The army blockaded the road to the enclave.", "COERCE"),
    ("The minister said the army will not attack civilians.", None),
])
def test_general_sentences(text, expected):
    nlp = load_nlp()
    assert _predict(nlp, text) == expected
