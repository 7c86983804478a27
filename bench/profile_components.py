"""CPU seconds of each spaCy component and of the rules, in one process, on the first N documents
of a generated corpus; and how many sentences hold an event candidate word
(:mod:`pipeline.lib.parse_subset`) or give an event row.

    python bench/generate_corpus.py --docs 1000 --out /tmp/corpus1k --seed 7
    python bench/profile_components.py --corpus /tmp/corpus1k --docs 200 [--parse all|events] [--stock]

``--stock``: the installed model as ``spacy.load`` gives it (no project component, no rules).
Texts are the corpus files as written (headline, dateline, body). Components are run one after
the other over batches of 64 documents (``component.pipe``), timed with ``time.process_time``.
Last line: JSON.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def component_seconds(nlp, texts: list[str], batch: int = 64) -> tuple[dict, list]:
    cost: dict[str, float] = defaultdict(float)
    docs = []
    for i in range(0, len(texts), batch):
        t0 = time.process_time()
        part = [nlp.make_doc(t) for t in texts[i:i + batch]]
        cost["tokenizer"] += time.process_time() - t0
        for name, proc in nlp.pipeline:
            t0 = time.process_time()
            part = list(proc.pipe(part, batch_size=batch)) if hasattr(proc, "pipe") else [proc(d) for d in part]
            cost[name] += time.process_time() - t0
        docs.extend(part)
    return dict(cost), docs


def sentence_counts(docs, gazetteer) -> dict:
    from pipeline.lib import entities as entmod
    from pipeline.lib import events as ev
    from pipeline.lib import parse_subset as ps

    test = ps.FormTest(ps.candidate_words())
    out = {"sentences": 0, "candidate_sentences": 0, "sentences_with_rows": 0,
           "unparsed_sentences": 0, "rows_outside_candidates": 0}
    t0 = time.process_time()
    for j, doc in enumerate(docs):
        rows = ev.extract_events(doc, entmod.resolve_entities(doc, gazetteer), f"d{j}", None)
        starts = {r["start_char"] for r in rows}
        for s in doc.sents:
            cand = any(test(t.lower_) or test(t.lemma_.lower()) for t in s)
            out["sentences"] += 1
            out["candidate_sentences"] += cand
            out["sentences_with_rows"] += s.start_char in starts
            out["rows_outside_candidates"] += (s.start_char in starts) and not cand
            out["unparsed_sentences"] += ps.unparsed_sentence(s)
    out["rules_cpu_s"] = round(time.process_time() - t0, 2)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", required=True)
    p.add_argument("--docs", type=int, default=200)
    p.add_argument("--parse", default="all", choices=("all", "events"))
    p.add_argument("--stock", action="store_true")
    a = p.parse_args(argv)
    import os

    import spacy

    from pipeline.lib import nlp as nlpmod
    from pipeline.lib.gazetteer import load_gazetteer

    files = sorted(Path(a.corpus).glob("*.txt"))[:a.docs]
    texts = [f.read_text(encoding="utf-8") for f in files]
    nlp = spacy.load(nlpmod.resolve_model_name()) if a.stock else nlpmod.load_nlp(parse=a.parse)
    cost, docs = component_seconds(nlp, texts)
    total = sum(cost.values())
    res = {"docs": len(texts), "words": sum(len(t.split()) for t in texts),
           "pipe_names": nlp.pipe_names, "parse": None if a.stock else a.parse,
           "spacy_cpu_s": round(total, 2),
           "components": {k: {"cpu_s": round(v, 2), "share": round(v / total, 3)} for k, v in cost.items()},
           "loadavg": list(os.getloadavg())}
    if not a.stock:
        res.update(sentence_counts(docs, load_gazetteer()))
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
