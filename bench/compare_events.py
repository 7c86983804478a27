"""Dump the event extractor's output on fixed inputs, to compare two versions of the rules.

    python bench/compare_events.py --out bench/out/events_before.jsonl   # on the old code
    python bench/compare_events.py --out bench/out/events_after.jsonl    # on the new code
    diff bench/out/events_before.jsonl bench/out/events_after.jsonl

The script imports the ``pipeline`` of the tree it sits in (it puts that tree first on sys.path).
Inputs (all read, never written):

* the seeds (``../shared/seeds/*.txt`` with ``manifest.csv`` dates, else ``seeds/``; ``--shared``
  names another shared folder);
* a generated benchmark corpus (``bench/generate_corpus.py``, ``--docs`` documents, ``--seed``),
  written to ``bench/out/compare_corpus/``;
* the PLOVER gold sentences (``../shared/peer/PLOVER_GSR_CAMEO.txt``): every sentence's
  ``classify_sentence`` type and ``sentence_triggers``, plus the event rows of the text;
* the dev sentences (``tests/data/dev_sentences.jsonl``) and the multisource corpus
  (``tests/data/multisource``).

Each line is one event row (or one PLOVER typing record) as JSON with a ``source`` key; the lines
are sorted, so two runs compare with ``diff``.
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# ``python bench/compare_events.py`` puts bench/ first on sys.path, so an installed copy of the
# package elsewhere would win: import this working tree's ``pipeline``.
sys.path.insert(0, str(REPO))


SHARED_DIRS = [REPO.parent / "shared", REPO.parent.parent / "shared"]


def _shared(*parts: str) -> Path | None:
    for base in SHARED_DIRS:
        p = base.joinpath(*parts)
        if p.exists():
            return p
    return None


def _manifest_docs(folder: Path, label: str):
    for r in csv.DictReader((folder / "manifest.csv").open(encoding="utf-8")):
        pub = date.fromisoformat(r["published_date"]) if r.get("published_date") else None
        yield f"{label}:{r['file']}", (folder / r["file"]).read_text(encoding="utf-8"), pub


def _corpus(n: int, seed: int) -> Path:
    out = REPO / "bench" / "out" / "compare_corpus"
    meta = out / ".truth" / "corpus.json"
    if not meta.is_file() or json.loads(meta.read_text()).get("docs") != n:
        subprocess.run([sys.executable, str(REPO / "bench" / "generate_corpus.py"), "--docs", str(n),
                        "--out", str(out), "--seed", str(seed)], check=True)
    return out


def _jsonable(v):
    if isinstance(v, date):
        return v.isoformat()
    return v


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--docs", type=int, default=300)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--shared", help="folder holding seeds/ and peer/ (default: ../shared, ../../shared)")
    a = p.parse_args(argv)
    if a.shared:
        SHARED_DIRS.insert(0, Path(a.shared))

    from pipeline.lib import events as ev
    from pipeline.lib.entities import resolve_entities
    from pipeline.lib.gazetteer import load_gazetteer
    from pipeline.lib.nlp import load_nlp

    print(f"extractor: {ev.__file__}", file=sys.stderr)
    gaz = load_gazetteer()
    nlp = load_nlp(gazetteer=gaz)
    seeds = _shared("seeds") or REPO / "seeds"
    docs = list(_manifest_docs(seeds, "seed"))
    docs += list(_manifest_docs(REPO / "tests" / "data" / "multisource", "multisource"))
    for i, line in enumerate((REPO / "tests" / "data" / "dev_sentences.jsonl").open(encoding="utf-8")):
        if line.strip():
            r = json.loads(line)
            docs.append((f"dev:{i}", r["text"], date.fromisoformat(r["published"])))
    docs += list(_manifest_docs(_corpus(a.docs, a.seed), "corpus"))
    gsr = _shared("peer", "PLOVER_GSR_CAMEO.txt")
    plover = []
    if gsr is not None:
        recs = [r for r in json.loads(gsr.read_text(encoding="utf-8"))
                if r.get("event") != "DOCUMENT" and r.get("text")]
        for i, r in enumerate(recs):
            plover.append((f"plover:{i}", r["text"].strip(), None))

    lines = []
    texts = [t for _, t, _ in docs + plover]
    for (src, _, pub), doc in zip(docs + plover, nlp.pipe(texts, batch_size=32)):
        rows = ev.extract_events(doc, resolve_entities(doc, gaz), src, pub)
        for r in rows:
            lines.append(json.dumps({"source": src, **{k: _jsonable(v) for k, v in r.items()}},
                                    sort_keys=True))
        if src.startswith("plover:"):
            for si, sent in enumerate(doc.sents):
                top = ev.classify_sentence(sent)
                trs = [[t.event_type, t.key, t.token.i, t.base_type, t.mode, t.negated, t.future,
                        t.allegation, t.count, t.anaphoric] for t in ev.sentence_triggers(sent)]
                lines.append(json.dumps({"source": src, "sentence": si,
                                         "classify": top.event_type if top else None,
                                         "triggers": trs}, sort_keys=True))
    lines.sort()
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text("".join(l + "\n" for l in lines), encoding="utf-8")
    print(f"{len(docs) + len(plover)} texts, {len(lines)} lines -> {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
