"""Parse and extract where the parse is made: spaCy, entity resolution and event extraction run
together in the worker processes, one document at a time, and only plain rows come back.

:func:`process_documents` streams ``(doc_id, text, published, outlet)`` items through ``n``
worker processes (forked from the caller, so they share the loaded model and gazetteer pages
copy-on-write) in tasks of ``batch_size`` documents, with at most ``2 * n`` tasks in flight: the
caller holds a bounded number of documents whatever the batch size. Each worker runs
``nlp.pipe`` over its task's texts and, on each Doc it just parsed, :func:`doc_outputs`
(``resolve_entities`` + ``extract_events`` + the outlet as claimant fallback + optionally the
DocBin of the parse). No Doc ever crosses a process boundary: the rule work scales with the
worker count, as the parse does. With ``n == 1`` everything runs in the calling process.

Worker recycling: each worker is replaced by a fresh fork of the caller after
``tasks_per_worker`` tasks (``PIPELINE_WORKER_TASKS``, default :data:`TASKS_PER_WORKER`; 0 = never),
``multiprocessing.Pool(maxtasksperchild=...)``. A worker's spaCy ``Vocab`` and ``StringStore``
grow with every new word it parses and never shrink; the caller does not parse (with ``n > 1``), so
a fresh fork starts from the model as loaded and a worker's memory is bounded by what it parses in
``tasks_per_worker * batch_size`` documents. Rows do not depend on the worker that made them (the
parse of a text does not depend on the strings seen before), so recycling changes no output.

Results come back in input order as :class:`DocResult`; each task also reports its seconds in
the parser, in the rules and in DocBin serialisation (``timings``), so the stage can say what
each costs.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Iterator

#: tasks a spaCy worker runs before it is replaced by a fresh fork (PIPELINE_WORKER_TASKS; 0 = never).
#: Off by default: on the 2,000-document benchmark recycling every 16 tasks cost 22% more CPU
#: (301 vs 247 CPU s) for the same peak PSS (bench/README.md, issue 13).
TASKS_PER_WORKER = 0
WORKER_TASKS_ENV = "PIPELINE_WORKER_TASKS"

#: entity columns, in the ``entities`` table's order (doc_id first)
ENTITY_FIELDS = ("start_char", "end_char", "text", "label", "canonical_name", "actor_type",
                 "country_code", "role")


@dataclass
class DocResult:
    doc_id: str
    entities: list[tuple]               # ENTITY_FIELDS values per entity
    events: list[dict]                  # event rows (claimed_by filled with the outlet fallback)
    docbin: bytes | None                # the stored parse (None when not kept)


@dataclass
class Timings:
    parse: float = 0.0                  # nlp.pipe (tokeniser, tagger, parser, ner, components); wall seconds in the worker
    rules: float = 0.0                  # resolve_entities + extract_events
    docbin: float = 0.0                 # DocBin serialisation of the parse
    docs: int = 0

    def add(self, other: "Timings") -> None:
        self.parse += other.parse
        self.rules += other.rules
        self.docbin += other.docbin
        self.docs += other.docs

    def as_dict(self) -> dict:
        return {"parse_s": round(self.parse, 2), "rules_s": round(self.rules, 2),
                "docbin_s": round(self.docbin, 2), "docs": self.docs}


@dataclass
class _Job:
    nlp: object
    gazetteer: object
    batch_size: int
    store_parses: bool
    timings: Timings = field(default_factory=Timings)


_JOB: _Job | None = None   # set in the parent before forking: the workers inherit it


def doc_outputs(doc, gazetteer, doc_id: str, published: date | None, outlet: str | None,
                store_parse: bool = True, timings: Timings | None = None) -> DocResult:
    """Entities, events and (optionally) the DocBin of one parsed Doc."""
    from spacy.tokens import DocBin

    from pipeline.lib import entities as ent
    from pipeline.lib import events as ev

    t0 = time.perf_counter()
    ents = ent.resolve_entities(doc, gazetteer)
    evs = ev.extract_events(doc, ents, doc_id, published)
    for e in evs:
        if not e.get("claimed_by") and outlet:
            e["claimed_by"] = outlet
    t1 = time.perf_counter()
    blob = None
    if store_parse:
        bin_ = DocBin(store_user_data=False)
        bin_.add(doc)
        blob = bin_.to_bytes()
    t2 = time.perf_counter()
    if timings is not None:
        timings.rules += t1 - t0
        timings.docbin += t2 - t1
        timings.docs += 1
    return DocResult(doc_id=doc_id,
                     entities=[(e.start_char, e.end_char, e.text, e.label, e.canonical_name,
                                e.actor_type, e.country_code, e.role) for e in ents],
                     events=evs, docbin=blob)


def _run_task(job: _Job, items: list[tuple]) -> tuple[list[DocResult], Timings]:
    tm = Timings()
    out: list[DocResult] = []
    texts = (it[1] for it in items)
    docs = job.nlp.pipe(texts, batch_size=job.batch_size)
    k = 0
    while True:
        t0 = time.perf_counter()
        doc = next(docs, None)
        tm.parse += time.perf_counter() - t0
        if doc is None:
            break
        doc_id, _text, published, outlet = items[k]
        out.append(doc_outputs(doc, job.gazetteer, doc_id, published, outlet, job.store_parses, tm))
        k += 1
    return out, tm


def _worker_task(items: list[tuple]) -> tuple[list[DocResult], Timings]:
    assert _JOB is not None, "worker started without a job (fork start method required)"
    return _run_task(_JOB, items)


def _chunks(items: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    buf: list[tuple] = []
    for it in items:
        buf.append(it)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def resolve_tasks_per_worker(setting: int | None = None) -> int:
    """``setting``, else ``PIPELINE_WORKER_TASKS``, else :data:`TASKS_PER_WORKER`; 0 = never."""
    if setting is None:
        raw = os.environ.get(WORKER_TASKS_ENV, "").strip()
        setting = int(raw) if raw else TASKS_PER_WORKER
    return max(0, int(setting))


def process_documents(nlp, gazetteer, items: Iterable[tuple], batch_size: int = 64,
                      n_process: int = 1, store_parses: bool = True,
                      timings: Timings | None = None,
                      tasks_per_worker: int | None = None) -> Iterator[DocResult]:
    """Parse and extract every ``(doc_id, text, published, outlet)`` item, in order (see module
    docstring). ``timings`` (if given) accumulates the workers' reported seconds;
    ``tasks_per_worker``: see worker recycling in the module docstring."""
    global _JOB
    batch_size = max(1, int(batch_size))
    job = _Job(nlp=nlp, gazetteer=gazetteer, batch_size=batch_size, store_parses=store_parses)
    n = max(1, int(n_process or 1))
    if n == 1 or "fork" not in mp.get_all_start_methods():
        for chunk in _chunks(items, batch_size):
            res, tm = _run_task(job, chunk)
            if timings is not None:
                timings.add(tm)
            yield from res
        return
    _JOB = job
    ctx = mp.get_context("fork")
    pool = ctx.Pool(n, maxtasksperchild=resolve_tasks_per_worker(tasks_per_worker) or None)
    try:
        window: deque = deque()
        it = _chunks(items, batch_size)
        exhausted = False
        while True:
            while not exhausted and len(window) < 2 * n:
                chunk = next(it, None)
                if chunk is None:
                    exhausted = True
                    break
                window.append(pool.apply_async(_worker_task, (chunk,)))
            if not window:
                break
            res, tm = window.popleft().get()
            if timings is not None:
                timings.add(tm)
            yield from res
        pool.close()
        pool.join()
    finally:
        pool.terminate()
        _JOB = None
