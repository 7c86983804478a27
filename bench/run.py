"""End-to-end benchmark: the whole pipeline (through Dagster, in process, like the CLI) next to raw
spaCy on the same texts, with accuracy against the planted truth of the generated corpus.

    python bench/run.py --docs 2000 [--processes P] [--seed 7] [--workdir DIR] [--project-spacy]
                        [--profile OUT.txt]

1. generates (or reuses) ``bench/generate_corpus.py``'s corpus in ``WORKDIR/corpus_N_sS``;
2. runs ``pipeline.__main__.run`` (the headless CLI's code: the batch assets for a new partition,
   then the refresh assets: incidents, SQL summaries, snapshot) in a child process against a fresh
   warehouse, with its own Dagster home (sqlite run storage, as the CLI has), and reads each
   step's start/end from the Dagster run storage;
3. in a second child process, runs raw ``nlp.pipe`` of the stock model as installed
   (``spacy.load(model)``, all its default components: the issue's reference), with the same
   batch size and the same process count over the same texts (the bodies of the documents kept
   by dedup, which is what the entities stage parses); ``--project-spacy`` adds the project's
   pipeline alone (``pipeline.lib.nlp.load_nlp``: gazetteer ruler and components);
4. compares the warehouse with ``.truth/truth.jsonl`` / ``.truth/truth_daily.csv``.

The last line printed is one JSON object. ``ratio`` = pipeline words/s over raw spaCy words/s,
both counted on the words spaCy parses (kept documents), the pipeline's time being the child's
whole wall time (interpreter start, imports, model load, every asset, the snapshot).
Peak memory samples the child and all its descendants (spaCy workers) every 0.2 s:
``peak_rss_mb`` sums their RSS (pages a forked worker shares with its parent count twice),
``peak_pss_mb`` sums their PSS (shared pages counted once: the physical memory used);
``getrusage(RUSAGE_CHILDREN)`` (largest single process) is given too.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "conflict-events-bench"
RESULT_MARK = "BENCH_RESULT "


# ----------------------------------------------------------------------------- process tree RSS
class PeakRss:
    """Samples the memory of a process and its descendants: the summed RSS (a page shared by a
    forked spaCy worker and its parent counts twice) and the summed PSS (shared pages split
    between the processes that map them: the physical memory the tree really uses)."""

    def __init__(self, pid: int, interval: float = 0.2):
        import psutil

        self.proc = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.peak_pss = 0
        self.peak_procs = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self) -> None:
        import psutil

        n = 0
        while not self._stop.is_set():
            try:
                procs = [self.proc] + self.proc.children(recursive=True)
                total = pss = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                        if n % 5 == 0:  # PSS reads smaps_rollup: once a second is enough
                            pss += p.memory_full_info().pss
                    except (psutil.NoSuchProcess, psutil.AccessDenied, AttributeError):
                        pass
                if total > self.peak:
                    self.peak, self.peak_procs = total, len(procs)
                self.peak_pss = max(self.peak_pss, pss)
            except psutil.NoSuchProcess:
                break
            n += 1
            self._stop.wait(self.interval)

    def stop(self) -> float:
        self._stop.set()
        self._t.join()
        return self.peak / 2**20


def run_child(args: list[str], env: dict | None = None, log_path: Path | None = None) -> dict:
    """Run ``python bench/run.py <args>`` and return its result dict plus wall time and peak RSS."""
    t0 = time.perf_counter()
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    full_env = dict(os.environ, **(env or {}))
    # this tree's ``pipeline`` first, whatever copy is installed
    full_env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO)] + ([full_env["PYTHONPATH"]] if full_env.get("PYTHONPATH") else []))
    out = open(log_path, "w") if log_path else subprocess.DEVNULL
    try:
        p = subprocess.Popen([sys.executable, str(HERE / "run.py"), *args], cwd=str(REPO),
                             env=full_env, stdout=subprocess.PIPE, stderr=out, text=True)
        peak = PeakRss(p.pid)
        stdout, _ = p.communicate()
        peak_mb = peak.stop()
    finally:
        if log_path:
            out.close()
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = None
    for line in stdout.splitlines():
        if line.startswith(RESULT_MARK):
            res = json.loads(line[len(RESULT_MARK):])
    if p.returncode != 0 or res is None:
        tail = Path(log_path).read_text()[-4000:] if log_path else ""
        raise RuntimeError(f"child {args[:1]} failed (exit {p.returncode}); log {log_path}:\n{tail}")
    # the benchmark's own reads of the Dagster run storage are not the pipeline's time
    res["wall_seconds"] = wall - res.get("bookkeeping_seconds", 0.0)
    # CPU seconds (user + sys) of the child and every descendant it waited for (spaCy workers):
    # far less sensitive than wall time to other processes competing for the cores
    res["cpu_seconds"] = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    res["peak_rss_mb"] = peak_mb
    res["peak_pss_mb"] = peak.peak_pss / 2**20
    res["peak_rss_procs"] = peak.peak_procs
    return res


# ----------------------------------------------------------------------------- child: pipeline
def child_pipeline(a: argparse.Namespace) -> dict:
    """The CLI's run() with an optional process count for the spaCy resource."""
    t0 = time.perf_counter()
    import logging

    from pipeline import __main__ as cli
    from pipeline import definitions as d
    from pipeline import settings
    from pipeline.defs.resources import SpacyResource

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings.apply_defaults()
    if a.processes:
        orig = d.resources

        def resources() -> dict:
            r = orig()
            r["spacy"] = SpacyResource(n_process=a.processes)
            return r

        d.resources = resources
    t_import = time.perf_counter() - t0
    prof = None
    if a.profile:
        from pyinstrument import Profiler

        prof = Profiler(interval=0.005)
        prof.start()
    tb = time.perf_counter()
    before = run_ids()
    t_book = time.perf_counter() - tb
    t1 = time.perf_counter()
    rc = cli.run(a.input, a.warehouse)
    t_run = time.perf_counter() - t1
    if prof:
        prof.stop()
        Path(a.profile).write_text(prof.output_text(unicode=False, color=False, show_all=False))
        Path(a.profile).with_suffix(".html").write_text(prof.output_html())
    if rc != 0:
        raise SystemExit(f"pipeline run failed with exit code {rc}")
    tb = time.perf_counter()
    steps = step_times(before)
    t_book += time.perf_counter() - tb
    return {"import_seconds": t_import, "run_seconds": t_run, "steps": steps,
            "bookkeeping_seconds": t_book}


def run_ids() -> set[str]:
    """Runs already in this Dagster home (none in a fresh home: it is then not opened, so the
    pipeline itself pays the run storage's creation, as a first CLI run does)."""
    from dagster import DagsterInstance

    home = Path(os.environ.get("DAGSTER_HOME", ""))
    if not (home / "history").exists():
        return set()

    with DagsterInstance.get() as inst:
        return {r.run_id for r in inst.get_runs()}


def step_times(exclude: set[str] = frozenset()) -> dict:
    """Per-step seconds of the runs of this invocation (the batch run and the refresh run)."""
    from dagster import DagsterInstance

    out: dict[str, float] = {}
    runs = []
    with DagsterInstance.get() as inst:
        for r in inst.get_runs():
            if r.run_id in exclude:
                continue
            stats = inst.get_run_stats(r.run_id)
            runs.append({"run_id": r.run_id, "status": str(r.status.value),
                         "seconds": (stats.end_time or 0) - (stats.start_time or 0)})
            for s in inst.get_run_step_stats(r.run_id):
                if s.start_time and s.end_time:
                    out[s.step_key] = out.get(s.step_key, 0.0) + (s.end_time - s.start_time)
    return {"by_step": out, "runs": runs}


# ----------------------------------------------------------------------------- child: raw spaCy
def kept_texts(warehouse: str) -> list[str]:
    import duckdb

    con = duckdb.connect(warehouse, read_only=True)
    try:
        return [r[0] for r in con.execute(
            "SELECT body FROM documents WHERE duplicate_of IS NULL AND body IS NOT NULL "
            "ORDER BY doc_id").fetchall()]
    finally:
        con.close()


def _cpu() -> float:
    """user + sys CPU seconds of this process and its waited-for children."""
    a = resource.getrusage(resource.RUSAGE_SELF)
    b = resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def child_spacy(a: argparse.Namespace) -> dict:
    from pipeline.defs.resources import SpacyResource
    from pipeline.lib import nlp as nlpmod

    texts = kept_texts(a.warehouse)
    res_cfg = SpacyResource()
    procs = a.processes or res_cfg.processes_for(len(texts))
    t0 = time.perf_counter()
    if a.plain:
        import spacy

        nlp = spacy.load(nlpmod.resolve_model_name())
    else:
        nlp = nlpmod.load_nlp()
    t_load = time.perf_counter() - t0
    t1 = time.perf_counter()
    c1 = _cpu()
    n_tokens = 0
    for doc in nlp.pipe(texts, batch_size=res_cfg.batch_size, n_process=procs):
        n_tokens += len(doc)
    secs = time.perf_counter() - t1
    pipe_cpu = _cpu() - c1
    words = sum(len(t.split()) for t in texts)
    return {"model": nlpmod.resolve_model_name(), "pipe_names": nlp.pipe_names, "processes": procs,
            "batch_size": res_cfg.batch_size, "docs": len(texts), "words": words,
            "tokens": n_tokens, "load_seconds": t_load, "seconds": secs, "pipe_cpu_seconds": pipe_cpu,
            "words_per_s": words / secs if secs else None}


# ----------------------------------------------------------------------------- accuracy
def accuracy(corpus: Path, warehouse: str) -> dict:
    import duckdb

    tdir = corpus / ".truth"
    truth = [json.loads(line) for line in (tdir / "truth.jsonl").read_text().splitlines()]
    root = {t["doc_id"]: (t["duplicate_of"] or t["doc_id"]) for t in truth}
    size = Counter(root.values())
    con = duckdb.connect(warehouse, read_only=True)
    try:
        pred = dict(con.execute("SELECT doc_id, duplicate_of FROM documents").fetchall())
        daily = {str(r[0]): (r[1], r[2], r[3]) for r in con.execute(
            "SELECT day, killed, wounded, incidents FROM daily_casualties").fetchall()}
        inc_rows = con.execute(
            "SELECT day, killed, wounded FROM stg_incidents "
            "WHERE coalesce(killed, 0) > 0 OR coalesce(wounded, 0) > 0").fetchall()
        n_incidents_all = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
        n_incidents_day = con.execute("SELECT count(*) FROM stg_incidents").fetchone()[0]
        n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        by_scope = dict(con.execute("SELECT scope, count(*) FROM events GROUP BY scope").fetchall())
    finally:
        con.close()
    # dedup: a flagged document is right when it points into its own truth cluster
    tp_by_cluster: Counter = Counter()
    fp = 0
    for doc_id, dup in pred.items():
        if dup is None:
            continue
        if doc_id in root and dup in root and root[doc_id] == root[dup]:
            tp_by_cluster[root[doc_id]] += 1
        else:
            fp += 1
    tp = sum(min(v, size[c] - 1) for c, v in tp_by_cluster.items())
    fp += sum(max(0, v - (size[c] - 1)) for c, v in tp_by_cluster.items())
    n_true = sum(s - 1 for s in size.values())
    recall_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for t in truth:
        if t["duplicate_of"]:
            k = recall_kind[t["dup_kind"]]
            k[1] += 1
            d = pred.get(t["doc_id"])
            if (d is not None and d in root and root[d] == root[t["doc_id"]]) or \
                    (pred.get(t["duplicate_of"]) is not None and pred.get(t["duplicate_of"]) == t["doc_id"]):
                k[0] += 1
    # daily table
    tdaily = {}
    with open(tdir / "truth_daily.csv", newline="") as f:
        for r in csv.DictReader(f):
            tdaily[r["day"]] = (int(r["killed"]), int(r["wounded"]), int(r["incidents"]),
                                r["vague_or_range"] == "True")
    days = sorted(set(tdaily) | set(daily))
    k_ok = sum(1 for d in days if (daily.get(d, (0,))[0] or 0) == tdaily.get(d, (0,))[0])
    w_ok = sum(1 for d in days if (daily.get(d, (0, 0))[1] or 0) == tdaily.get(d, (0, 0))[1])
    clean_days = [d for d in days if not tdaily.get(d, (0, 0, 0, False))[3]]
    k_ok_clean = sum(1 for d in clean_days if (daily.get(d, (0,))[0] or 0) == tdaily.get(d, (0,))[0])
    # incidents: unique planted incidents vs pipeline incidents
    uniq: dict[str, dict] = {}
    for t in truth:
        for inc in t["incidents"]:
            uniq.setdefault(inc["incident_id"], inc)
    t_cas = [i for i in uniq.values() if i["killed"] or i["wounded"] or i["killed_vague"] or i["wounded_vague"]]
    tkeys = Counter((i["date"], i["killed"] or 0, i["wounded"] or 0) for i in t_cas)
    pkeys = Counter((str(r[0]), r[1] or 0, r[2] or 0) for r in inc_rows)
    matched = sum((tkeys & pkeys).values())
    return {
        "dedup_true_copies": n_true, "dedup_flagged": tp + fp,
        "dedup_precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "dedup_recall": round(tp / n_true, 4) if n_true else None,
        "dedup_recall_by_kind": {k: round(v[0] / v[1], 3) for k, v in sorted(recall_kind.items())},
        "daily_days": len(days),
        "daily_killed_exact_share": round(k_ok / len(days), 4) if days else None,
        "daily_killed_exact_share_no_vague_or_range": round(k_ok_clean / len(clean_days), 4) if clean_days else None,
        "daily_wounded_exact_share": round(w_ok / len(days), 4) if days else None,
        "killed_total": sum((v[0] or 0) for v in daily.values()),
        "killed_total_truth": sum(v[0] for v in tdaily.values()),
        "wounded_total": sum((v[1] or 0) for v in daily.values()),
        "wounded_total_truth": sum(v[1] for v in tdaily.values()),
        "casualty_incidents": len(inc_rows), "casualty_incidents_truth": len(t_cas),
        "casualty_incidents_matched": matched,
        "incidents_all": n_incidents_all, "incidents_day_precision": n_incidents_day,
        "incidents_all_truth": len(uniq), "events": n_events, "events_by_scope": by_scope,
    }


# ----------------------------------------------------------------------------- parent
def load_avg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover
        return []


def bench(a: argparse.Namespace) -> dict:
    sys.path.insert(0, str(HERE))
    import generate_corpus as gen

    work = Path(a.workdir)
    work.mkdir(parents=True, exist_ok=True)
    corpus = Path(a.corpus) if a.corpus else work / f"corpus_{a.docs}_s{a.seed}"
    t0 = time.perf_counter()
    meta = gen.ensure_corpus(corpus, a.docs, a.seed)
    gen_s = time.perf_counter() - t0
    run_dir = work / f"run_{a.docs}_s{a.seed}_p{a.processes or 'auto'}"
    if run_dir.exists():
        shutil.rmtree(run_dir)
    (run_dir / "dagster_home").mkdir(parents=True)
    (run_dir / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    wh = run_dir / "warehouse.duckdb"
    env = {"DAGSTER_HOME": str(run_dir / "dagster_home")}
    load_before = load_avg()
    child_args = ["--_pipeline", "--input", str(corpus), "--warehouse", str(wh)]
    if a.processes:
        child_args += ["--processes", str(a.processes)]
    if a.profile:
        child_args += ["--profile", str(Path(a.profile).resolve())]
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    pipe = run_child(child_args, env, run_dir / "pipeline.log")
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    spacy_args = ["--_spacy", "--warehouse", str(wh)]
    if a.processes:
        spacy_args += ["--processes", str(a.processes)]
    # the reference: the stock model as installed (spacy.load, all its default components)
    raw = run_child(spacy_args + ["--plain"], env, run_dir / "spacy.log") if not a.skip_spacy else \
        {"words": sum(len(t.split()) for t in kept_texts(str(wh))), "seconds": float("nan"),
         "words_per_s": float("nan"), "processes": a.processes, "batch_size": None, "model": None,
         "pipe_names": None, "peak_rss_mb": float("nan"), "docs": len(kept_texts(str(wh)))}
    # --project-spacy: also the project's spaCy pipeline (gazetteer ruler and components) alone
    plain = run_child(spacy_args, env, run_dir / "spacy_project.log") if a.project_spacy else None
    ru2 = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_after = load_avg()
    acc = accuracy(corpus, str(wh))
    steps = pipe["steps"]["by_step"]
    seconds = pipe["wall_seconds"]
    kept_words = raw["words"]
    wps = kept_words / seconds
    result = {
        "docs": a.docs, "words": meta["words"], "kept_docs": raw["docs"], "kept_words": kept_words,
        "seconds": round(seconds, 2),
        "words_per_s": round(wps, 1),
        "input_words_per_s": round(meta["words"] / seconds, 1),
        "spacy_seconds": round(raw["seconds"], 2),
        "spacy_words_per_s": round(raw["words_per_s"], 1),
        "ratio": round(wps / raw["words_per_s"], 3),
        "cpu_seconds": round(pipe["cpu_seconds"], 2),
        "spacy_cpu_seconds": round(raw.get("cpu_seconds", float("nan")), 2),
        "spacy_pipe_cpu_seconds": round(raw.get("pipe_cpu_seconds", float("nan")), 2),
        # CPU-time ratio: spaCy's nlp.pipe CPU (main + workers, model load excluded) over the
        # pipeline's whole CPU, same words: the wall ratio's ceiling on an idle machine
        "ratio_cpu": round(raw.get("pipe_cpu_seconds", float("nan")) / pipe["cpu_seconds"], 3),
        "processes": raw["processes"], "batch_size": raw["batch_size"], "model": raw["model"],
        "pipe_names": raw["pipe_names"],
        "peak_rss_mb": round(pipe["peak_rss_mb"], 1),
        "peak_pss_mb": round(pipe["peak_pss_mb"], 1),
        "peak_rss_largest_process_mb": round(ru1.ru_maxrss / 1024, 1),
        "spacy_peak_rss_mb": round(raw["peak_rss_mb"], 1),
        "stage_seconds": {k: round(v, 2) for k, v in sorted(steps.items(), key=lambda kv: -kv[1])},
        "steps_total_seconds": round(sum(steps.values()), 2),
        "import_seconds": round(pipe["import_seconds"], 2),
        "run_seconds": round(pipe["run_seconds"], 2),
        "dagster_runs": pipe["steps"]["runs"],
        "outside_steps_seconds": round(seconds - sum(steps.values()), 2),
        "generate_seconds": round(gen_s, 2),
        "nproc": os.cpu_count(), "loadavg_before": load_before, "loadavg_after": load_after,
        "cpu_model": cpu_model(),
        **acc,
    }
    if plain:
        result["project_spacy_words_per_s"] = round(plain["words_per_s"], 1)
        result["project_spacy_pipe_names"] = plain["pipe_names"]
        result["project_spacy_pipe_cpu_seconds"] = round(plain["pipe_cpu_seconds"], 2)
        result["ratio_vs_project_spacy"] = round(wps / plain["words_per_s"], 3)
    result["warehouse"] = str(wh)
    del ru0, ru2
    return result


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:  # pragma: no cover
        pass
    return "unknown"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=2000)
    p.add_argument("--processes", type=int, default=0,
                   help="spaCy processes for both sides (0: the resource's automatic choice)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workdir", default=str(DEFAULT_WORKDIR))
    p.add_argument("--corpus", default=None, help="use this corpus folder (generated if needed)")
    p.add_argument("--project-spacy", action="store_true",
                   help="also time the project's spaCy pipeline (gazetteer ruler, components) alone")
    p.add_argument("--profile", default=None, help="pyinstrument text profile of the pipeline run")
    p.add_argument("--skip-spacy", action="store_true", help="no raw spaCy run (profiling)")
    # child modes
    p.add_argument("--_pipeline", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--_spacy", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--plain", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--input", help=argparse.SUPPRESS)
    p.add_argument("--warehouse", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a._pipeline:
        print(RESULT_MARK + json.dumps(child_pipeline(a)), flush=True)
        return 0
    if a._spacy:
        print(RESULT_MARK + json.dumps(child_spacy(a)), flush=True)
        return 0
    result = bench(a)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
