"""Event typing against the PLOVER gold-standard records (shared/peer/PLOVER_GSR_CAMEO.txt).

Every gold sentence is parsed with the pipeline's spaCy model and typed with
``events.classify_sentence`` (the main event of the sentence).  The records are split
deterministically: every third event record (index % 3 == 2) is the held-out *test* split, the
rest is the *dev* split the lexicon was developed on.  Per-type accuracy is printed for both
(run with ``pytest -s tests/test_plover.py`` to see the table).

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

REPO = Path(__file__).resolve().parents[1]
GSR_CANDIDATES = [REPO.parent / "shared" / "peer" / "PLOVER_GSR_CAMEO.txt",
                  REPO / "shared" / "peer" / "PLOVER_GSR_CAMEO.txt",
                  Path("/work/shared/peer/PLOVER_GSR_CAMEO.txt")]
KEY_TYPES = {"ASSAULT", "FIGHT", "CONSULT", "AGREE", "THREATEN", "COERCE", "DEMAND", "DISAPPROVE",
             "REJECT", "PROTEST"}


def _gsr_path() -> Path:
    for p in GSR_CANDIDATES:
        if p.is_file():
            return p
    raise FileNotFoundError("PLOVER_GSR_CAMEO.txt not found in shared/peer/ (looked in "
                            + ", ".join(str(p) for p in GSR_CANDIDATES) + ")")


def _records() -> list[dict]:
    data = json.loads(_gsr_path().read_text(encoding="utf-8"))
    # the first record documents the file: filtered out, not skipped
    return [r for r in data if r.get("event") != "DOCUMENT" and r.get("text")]


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
    out = []
    for i, r in enumerate(recs):
        split = "test" if i % 3 == 2 else "dev"
        out.append((split, r["event"], _predict(nlp, r["text"]), r["text"]))
    return out


def _table(rows, split):
    ok, tot = Counter(), Counter()
    for s, gold, pred, _ in rows:
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


def test_split_is_deterministic_and_disjoint(results):
    dev = [r[3] for r in results if r[0] == "dev"]
    test = [r[3] for r in results if r[0] == "test"]
    assert len(test) == 107 and len(dev) == 215


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
