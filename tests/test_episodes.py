"""Episodes, toll revisions, cause and generic scope (issue 12): counted_toll, book_days,
merge_incidents with MergeConfig.episode_days, the incidents stage and the daily SQL.

Event rows are written here (no news text); each test can fail on the rule it names.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.lib import incidents as inc
from pipeline.lib import quality, sqlmodels, stages
from pipeline.lib import warehouse as wh
from pipeline.lib.incidents import (
    EPISODE_DAYS,
    MergeConfig,
    book_days,
    counted_toll,
    incident_tolls,
    merge_incidents,
    toll_side,
)

D3, D4, D5, D6 = (date(2024, 3, d) for d in (3, 4, 5, 6))
EPISODES = MergeConfig(episode_days=EPISODE_DAYS)


def ev(doc, start, **kw):
    """An event row as the extractor writes it (the new columns left out on purpose: the
    merge must accept rows without cause, acled_sub_type, disorder_type, event_end_date)."""
    row = {
        "event_id": f"{doc}:{start}:0", "doc_id": doc, "event_type": "FIGHT", "event_mode": None,
        "acled_type": "Battles", "actor1": "Aland", "actor2": "Bland", "location": "Redhill",
        "event_date": D3, "date_precision": "day", "date_text": "on Sunday",
        "killed": None, "killed_low": None, "killed_high": None,
        "wounded": None, "wounded_low": None, "wounded_high": None,
        "victim_side": None, "claimed_by": None, "disputed": False, "scope": "incident",
        "evidence": "", "start_char": start, "end_char": start + 80,
    }
    row.update(kw)
    return row


def fig(side, killed=None, pub=None, wounded=None, **kw):
    return {"side": side, "killed": killed, "wounded": wounded, "published_date": pub, **kw}


# --------------------------------------------------------------------------- counted_toll


def test_all_sides_total_replaces_per_side_figures():
    # side B reports 50 of its own dead, side A 100 of its own the next day, then an outlet
    # gives at least 170 on both sides: 170, never 150 + 170 = 320
    figures = [fig("Bland", 50, D4), fig("Aland", 100, D5),
               fig("both sides", 170, D6, killed_low=170)]
    killed, wounded, decisions = counted_toll(figures)
    assert killed == 170 and wounded is None
    assert [d.counted for d in decisions] == [False, False, True]
    assert [d.rule for d in decisions] == ["covered_by_all_sides_total"] * 2 + ["all_sides_total"]


def test_per_side_figures_of_different_sides_add_up():
    killed, _, decisions = counted_toll([fig("Bland", 50, D4), fig("Aland", 100, D5)])
    assert killed == 150
    assert all(d.counted for d in decisions)


def test_running_toll_revised_upward_counts_the_latest():
    figures = [fig(None, 5, D3), fig(None, 9, D4), fig(None, 11, D5), fig(None, 11, D6)]
    killed, _, decisions = counted_toll(figures)
    assert killed == 11  # never 5 + 9 + 11 + 11 = 36
    assert sum(d.counted for d in decisions) == 1 and decisions[-1].counted


def test_a_later_lower_bound_does_not_replace_a_higher_figure():
    # "40 injured" on day 4, "dozens injured" (a lower bound, 12) on day 6: 40 stands
    figures = [fig(None, wounded=40, pub=D4), fig(None, wounded=12, pub=D6, wounded_low=12)]
    assert counted_toll(figures)[1] == 40
    # a later exact figure below an earlier one is a correction: it counts
    figures = [fig(None, 40, D4, killed_low=40), fig(None, 35, D6)]
    assert counted_toll(figures)[0] == 35
    # a later lower bound above the earlier figure is a rising toll: it counts
    assert counted_toll([fig(None, 40, D4), fig(None, 52, D6, killed_low=52)])[0] == 52


def test_side_figures_after_the_total():
    # a later side figure below the total: the total stands (the figure may be inside it)
    assert counted_toll([fig("all", 170, D4), fig("Aland", 120, D5)])[0] == 170
    # later side figures summing above it: the total is stale, the sides count, never total + side
    assert counted_toll([fig("all", 170, D4), fig("Aland", 130, D5), fig("Bland", 60, D5)])[0] == 190
    # an unsided figure is an all-sides figure: the side's restatement of it is not added
    assert counted_toll([fig(None, 4, D4), fig("Karabakh", 4, D5)])[0] == 4


def test_firmness_and_kinds_apart():
    # a positive figure outranks a later 0; killed and wounded are decided apart
    k, w, decisions = counted_toll([fig("all", 3, D3, wounded=2), fig("all", 0, D4, wounded=5)])
    assert (k, w) == (3, 5)
    assert decisions[0].killed and not decisions[0].wounded
    assert not decisions[1].killed and decisions[1].wounded
    assert decisions[0].rule.startswith("killed: ")


def test_toll_side():
    assert toll_side(None) == toll_side("both sides") == toll_side("All") == "all"
    assert toll_side(" Aland ") == "Aland"


sides = st.sampled_from([None, "all", "both sides", "Aland", "Bland", "civilians"])
figure = st.fixed_dictionaries({
    "side": sides,
    "killed": st.one_of(st.none(), st.integers(0, 200)),
    "killed_low": st.one_of(st.none(), st.integers(0, 200)),
    "wounded": st.one_of(st.none(), st.integers(0, 200)),
    "published_date": st.one_of(st.none(), st.dates(D3, D3 + timedelta(5))),
})


def _side_maxima(figures, kind):
    best: dict[str, int] = {}
    for f in figures:
        if f[kind] is not None:
            s = toll_side(f["side"]).casefold()
            best[s] = max(best.get(s, 0), f[kind])
    return best


@settings(deadline=None, max_examples=300)
@given(st.lists(figure, max_size=8), st.data())
def test_counted_toll_properties(figures, data):
    killed, wounded, decisions = counted_toll(figures)
    assert len(decisions) == len(figures)
    for kind, got in (("killed", killed), ("wounded", wounded)):
        bests = [f[kind] for f in figures if f[kind] is not None]
        if not bests:
            assert got is None
            continue
        # never above the sum of the per-side maxima: no report is added twice
        assert got <= sum(_side_maxima(figures, kind).values())
        # never below the latest report of the firmest tier (latest, then higher, then text order)
        firm = [i for i, f in enumerate(figures) if f[kind] is not None and f[kind] > 0] or \
               [i for i, f in enumerate(figures) if f[kind] == 0]
        last = max(firm, key=lambda i: (figures[i]["published_date"] or date.min, figures[i][kind], i))
        assert got >= figures[last][kind]
        # one side only (an all-sides figure and at most one side): one of the reported figures
        if len(set(_side_maxima(figures, kind)) - {"all"}) <= 1:
            assert got in bests
    # a copy of a report already there (same side, figures, publication) changes nothing
    if figures:
        i = data.draw(st.integers(0, len(figures) - 1))
        pos = data.draw(st.integers(0, len(figures)))
        more = figures[:pos] + [dict(figures[i])] + figures[pos:]
        assert counted_toll(more)[:2] == (killed, wounded)
    # reordering the input only matters for exact ties: the counts do not move
    assert counted_toll(list(reversed(figures)))[:2] == (killed, wounded)


# --------------------------------------------------------------------------- book_days


def test_book_days_spreads_evenly_remainder_first():
    assert book_days(D3, D5, 11, 4) == [(D3, 5, 2), (D4, 3, 1), (D5, 3, 1)]
    assert book_days(D3, D3, 7, None) == [(D3, 7, 0)]
    assert book_days(D3, None, 7, 1) == [(D3, 7, 1)]
    assert book_days(D4, D3, 7, 1) == [(D4, 7, 1)]  # an end before the start is one day


@given(st.dates(D3, D3 + timedelta(30)), st.integers(0, 9), st.one_of(st.none(), st.integers(0, 500)),
       st.one_of(st.none(), st.integers(0, 500)))
def test_book_days_sums_to_the_figure(start, n, killed, wounded):
    days = book_days(start, start + timedelta(n), killed, wounded)
    assert [d for d, _, _ in days] == [start + timedelta(i) for i in range(n + 1)]
    assert sum(k for _, k, _ in days) == (killed or 0)
    assert sum(w for _, _, w in days) == (wounded or 0)
    ks = [k for _, k, _ in days]
    assert max(ks[1:], default=ks[0]) <= ks[0] and len(set(ks[1:])) <= 1


# --------------------------------------------------------------------------- merge_incidents


def test_two_sides_and_a_total_form_one_episode():
    events = [
        ev("b", 0, event_date=D3, killed=50, victim_side="Bland"),
        ev("a", 0, event_date=D4, date_text="on Monday", killed=100, victim_side="Aland"),
        ev("t", 0, event_date=D3, event_end_date=D4, date_precision="range",
           date_text="on March 3-4", killed=170, killed_low=170, victim_side="both sides"),
    ]
    pub = {"b": D4, "a": D5, "t": D6}
    incidents, mapping = merge_incidents(events, pub, EPISODES)
    assert len(incidents) == 1
    (r,) = incidents
    assert r["killed"] == 170 and r["victim_side"] == "all"
    assert (r["start_date"], r["end_date"], r["event_date"]) == (D3, D4, D3)
    tolls = incident_tolls(events, mapping, pub)
    assert [(t["event_id"], t["counted"]) for t in sorted(tolls, key=lambda t: t["event_id"])] == [
        ("a:0:0", False), ("b:0:0", False), ("t:0:0", True)]
    assert {t["side"] for t in tolls} == {"Aland", "Bland", "all"}


def test_opposite_one_day_acts_on_adjacent_days_stay_apart():
    # the seeds' shape: B's soldier wounded on the 27th, A's four killed on the 28th, no stated
    # span and no total: two incidents, even with episodes on
    events = [
        ev("x", 0, event_date=D3, wounded=1, victim_side="Bland", actor1="Aland", actor2="Bland"),
        ev("x", 200, event_date=D4, killed=4, victim_side="Aland", actor1="Bland", actor2="Aland"),
    ]
    incidents, _ = merge_incidents(events, {"x": D4}, EPISODES)
    assert len(incidents) == 2
    assert all(r["start_date"] == r["end_date"] == r["event_date"] for r in incidents)


def test_running_toll_over_three_days_is_one_episode_only_with_episodes_on():
    events = [ev(f"d{i}", 0, event_date=D3 + timedelta(i), killed=k) for i, k in enumerate((5, 9, 11))]
    pub = {f"d{i}": D3 + timedelta(i) for i in range(3)}
    (r,), _ = merge_incidents(events, pub, EPISODES)
    assert r["killed"] == 11 and (r["start_date"], r["end_date"]) == (D3, D5)
    # the default keeps the two-day complete link: two incidents
    assert len(merge_incidents(events, pub)[0]) == 2


def test_a_lower_figure_the_next_day_is_new_fighting_not_a_revision():
    events = [ev("d0", 0, event_date=D3, killed=9), ev("d1", 0, event_date=D4, killed=9),
              ev("d2", 0, event_date=D5, killed=3)]
    incidents, mapping = merge_incidents(events, {"d0": D3, "d1": D4, "d2": D5}, EPISODES)
    assert mapping["d2:0:0"] != mapping["d0:0:0"]


def test_running_toll_needs_place_and_side():
    events = [ev("d0", 0, event_date=D3, killed=5), ev("d1", 0, event_date=D4, killed=9),
              ev("d2", 0, event_date=D5, killed=11, location="Elsewhere")]
    incidents, mapping = merge_incidents(events, {"d0": D3, "d1": D4, "d2": D5}, EPISODES)
    assert mapping["d2:0:0"] != mapping["d0:0:0"]


def test_running_toll_same_day_revised_upward():
    events = [ev(f"w{i}", 0, killed=k) for i, k in enumerate((5, 9, 11, 11))]
    pub = {f"w{i}": D3 + timedelta(i) for i in range(4)}
    for cfg in (None, EPISODES):
        incidents, mapping = merge_incidents(events, pub, cfg)
        assert len(incidents) == 1 and incidents[0]["killed"] == 11
        tolls = incident_tolls(events, mapping, pub)
        assert [t["counted"] for t in tolls] == [False, False, False, True]


def test_episode_never_longer_than_episode_days():
    events = [ev(f"d{i}", 0, event_date=D3 + timedelta(i), killed=10 + i) for i in range(5)]
    pub = {f"d{i}": D3 + timedelta(i) for i in range(5)}
    incidents, _ = merge_incidents(events, pub, MergeConfig(episode_days=3))
    assert len(incidents) == 2
    assert max((r["end_date"] - r["start_date"]).days + 1 for r in incidents) == 3


def test_generic_statement_forms_no_incident():
    events = [ev("g", 0, scope="generic", event_date=None, date_precision="unknown", date_text=None,
                 killed=None), ev("g", 100, killed=2)]
    incidents, mapping = merge_incidents(events, {"g": D4}, EPISODES)
    assert "g:0:0" not in mapping and len(incidents) == 1
    assert incident_tolls(events, mapping, {"g": D4})[0]["event_id"] == "g:100:0"


def test_cause_never_mixes_and_is_carried():
    events = [ev("q", 0, event_type="ASSAULT", actor1=None, actor2=None, killed=30, cause="disaster"),
              ev("r", 0, event_type="ASSAULT", actor1=None, actor2=None, killed=2, cause="violence"),
              ev("s", 0, event_type="ASSAULT", actor1=None, actor2=None, killed=31, cause="unknown",
                 location=None)]
    incidents, mapping = merge_incidents(events, {}, EPISODES)
    assert mapping["q:0:0"] != mapping["r:0:0"]
    causes = {r["incident_id"]: r["cause"] for r in incidents}
    assert causes[mapping["q:0:0"]] == "disaster" and causes[mapping["r:0:0"]] == "violence"


def test_rerun_is_deterministic_and_ids_stable_when_a_later_report_joins():
    first = [ev("a", 0, event_date=D3, killed=50, victim_side="Bland"),
             ev("t", 0, event_date=D3, event_end_date=D4, date_precision="range", killed=120,
                victim_side="all", date_text="March 3-4")]
    pub = {"a": D4, "t": D5, "z": D6}
    inc1, map1 = merge_incidents(first, pub, EPISODES)
    again = merge_incidents([dict(e) for e in reversed(first)], pub, EPISODES)
    assert again == (inc1, map1)
    later = first + [ev("z", 0, event_date=D4, date_text="on Monday", killed=170, victim_side="both")]
    inc2, map2 = merge_incidents(later, pub, EPISODES)
    assert {k: map2[k] for k in map1} == map1
    assert len(inc2) == 1 and inc2[0]["killed"] == 170 and inc2[0]["incident_id"] == inc1[0]["incident_id"]


# --------------------------------------------------------------------------- warehouse and SQL


def _warehouse(path, events, published):
    """A warehouse with documents and events, merged by the incidents stage, SQL models built."""
    docs = [{"doc_id": d, "source_file": f"{d}.txt", "published_date": p, "body": "x",
             "duplicate_of": None} for d, p in published.items()]
    with wh.connect(path) as con:
        wh.insert_rows(con, "documents", docs)
        wh.insert_rows(con, "events", events)
    stages.incidents(lambda: wh.connect(path))
    with wh.connect(path) as con:
        models = sqlmodels.load_models()
        for name in sqlmodels.run_order(models):
            sqlmodels.materialize(con, models[name])


def test_stage_books_episode_by_day_rule_and_keeps_other_causes_out(tmp_path):
    path = tmp_path / "w.duckdb"
    events = [
        # a two-day episode: 7 killed over March 3-4 -> 4 on the 3rd, 3 on the 4th
        ev("e1", 0, event_date=D3, event_end_date=D4, date_precision="range", date_text="March 3-4",
           killed=7, wounded=3, cause="violence"),
        # a flood the same days: queryable, never in the daily tables
        ev("f1", 0, event_type="ASSAULT", actor1=None, actor2=None, location="Lowtown",
           event_date=D4, killed=40, cause="disaster"),
        # an old-style row without cause: read as violence
        ev("o1", 0, location="Farfield", actor1="Cland", actor2=None, event_date=D6, killed=2),
        # a generic statement
        ev("g1", 0, scope="generic", event_date=None, date_precision="unknown", date_text=None),
    ]
    _warehouse(path, events, {"e1": D5, "f1": D5, "o1": D6, "g1": D6})
    with duckdb.connect(str(path), read_only=True) as con:
        daily = con.execute("SELECT day, killed, wounded, incidents, reports, disputed_incidents "
                            "FROM daily_casualties ORDER BY day").fetchall()
        assert daily == [(D3, 4, 2, 1, 1, 0), (D4, 3, 1, 1, 1, 0), (D6, 2, 0, 1, 1, 0)]
        ep = con.execute("SELECT killed, start_date, end_date, event_date FROM incidents "
                         "WHERE incident_id = (SELECT incident_id FROM events WHERE doc_id = 'e1')").fetchone()
        assert ep == (7, D3, D4, D3)
        # the daily days add up to the counted incidents' totals
        (dk, dw), = con.execute("SELECT sum(killed), sum(wounded) FROM daily_casualties").fetchall()
        (ik, iw), = con.execute("SELECT sum(killed), sum(wounded) FROM incidents WHERE scope = 'incident' "
                                "AND (cause = 'violence' OR cause IS NULL)").fetchall()
        assert (dk, dw) == (ik, iw) == (9, 3)
        assert con.execute("SELECT killed, cause FROM incidents WHERE cause = 'disaster'").fetchall() == [
            (40, "disaster")]
        assert con.execute("SELECT incident_id FROM events WHERE doc_id = 'g1'").fetchall() == [(None,)]
        assert con.execute("SELECT count(*), count(*) FILTER (WHERE counted) FROM incident_tolls").fetchone() \
            == (3, 3)
        # daily_incidents books the same way
        assert con.execute("SELECT day, killed FROM daily_incidents WHERE event_type = 'FIGHT' "
                           "ORDER BY day").fetchall() == [(D3, 4), (D4, 3), (D6, 2)]
        for group in quality.BLOCKING.values():
            for name, _, sql in group:
                if name != "event_has_document_and_evidence":  # the fake bodies hold no evidence
                    assert quality.failures(con, sql)[0] == 0, name


@settings(deadline=None, max_examples=25)
@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 3), st.integers(0, 60), st.integers(0, 9),
                          st.sampled_from([None, "violence", "crime"])), max_size=8))
def test_daily_sql_matches_book_days(specs):
    con = duckdb.connect()
    wh.ensure_schema(con)
    rows, expect = [], {}
    for i, (off, span, k, w, cause) in enumerate(specs):
        s = D3 + timedelta(off)
        rows.append({"incident_id": f"i{i}", "event_date": s, "date_precision": "day", "killed": k,
                     "wounded": w, "n_reports": 1, "n_documents": 1, "disputed": False,
                     "scope": "incident", "start_date": s, "end_date": s + timedelta(span), "cause": cause})
        if cause != "crime" and (k or w):
            for day, bk, bw in book_days(s, s + timedelta(span), k, w):
                ek, ew = expect.get(day, (0, 0))
                expect[day] = (ek + bk, ew + bw)
    wh.insert_rows(con, "incidents", rows)
    models = sqlmodels.load_models()
    for name in sqlmodels.run_order(models):
        sqlmodels.materialize(con, models[name])
    got = {d: (k, w) for d, k, w in con.execute("SELECT day, killed, wounded FROM daily_casualties").fetchall()}
    assert got == {d: v for d, v in expect.items() if v != (0, 0)}
    total = con.execute("SELECT coalesce(sum(killed), 0) FROM daily_casualties").fetchone()[0]
    assert total == sum(k for _, _, k, _, c in specs if c != "crime")


def test_migration_adds_columns_to_an_old_warehouse(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE events (event_id VARCHAR PRIMARY KEY, doc_id VARCHAR, scope VARCHAR)")
    con.execute("CREATE TABLE incidents (incident_id VARCHAR PRIMARY KEY, event_date DATE)")
    con.execute("INSERT INTO events VALUES ('e', 'd', 'incident')")
    con.close()
    with wh.connect(path) as con:
        cols = wh.table_columns(con, "events")
        assert cols[-4:] == ["event_end_date", "cause", "acled_sub_type", "disorder_type"]
        assert wh.table_columns(con, "incidents")[-5:] == [
            "start_date", "end_date", "cause", "acled_sub_type", "disorder_type"]
        assert con.execute("SELECT event_id, cause FROM events").fetchall() == [("e", None)]
        assert "incident_tolls" in {t for t, _ in wh.user_tables(con)}


def test_total_on_the_next_day_unites_both_sides_figures():
    # the shape: each side's own dead reported for Sunday, an outlet's total for both
    # sides dated Monday with no span; stage B finds the total ambiguous between the two
    # per-side incidents, stage B2 lets it unite them
    events = [ev("b", 0, event_date=D3, killed=50, victim_side="Bland"),
              ev("a", 0, event_date=D3, killed=100, victim_side="Aland"),
              ev("t", 0, event_date=D4, date_text="on Monday", killed=170, victim_side="both sides")]
    pub = {"a": D4, "b": D4, "t": D5}
    (r,), _ = merge_incidents(events, pub, EPISODES)
    assert r["killed"] == 170 and r["n_reports"] == 3
    # without episodes the three stay apart: what the daily table used to add up (320)
    assert sum(x["killed"] for x in merge_incidents(events, pub)[0]) == 320
    # an unsided figure never unites: it could be either side's
    events[2] = dict(events[2], victim_side=None)
    assert len(merge_incidents(events, pub, EPISODES)[0]) == 3


from tests.test_incidents import check_invariants, event_lists, published_maps  # noqa: E402


@st.composite
def episode_event_lists(draw):
    events = draw(event_lists())
    for e in events:
        if e["date_precision"] == "day" and draw(st.booleans()):
            e["event_end_date"] = e["event_date"] + timedelta(days=draw(st.integers(0, 3)))
        if draw(st.integers(0, 4)) == 0:
            e["victim_side"] = "both sides"
        e["cause"] = draw(st.sampled_from([None, None, "violence", "disaster", "unknown"]))
    return events


@settings(deadline=None, max_examples=150)
@given(episode_event_lists(), published_maps, st.randoms(use_true_random=False))
def test_episode_merge_properties(events, published, rnd):
    cfg = MergeConfig(episode_days=4)
    incidents, mapping = merge_incidents(events, published, cfg)
    check_invariants(events, incidents, mapping)
    for r in incidents:
        if r["start_date"] is not None:
            assert r["start_date"] <= r["event_date"] <= r["end_date"]
            if r["date_precision"] == "day":
                assert (r["end_date"] - r["start_date"]).days + 1 <= 4
    members: dict[str, list[dict]] = {}
    for e in events:
        members.setdefault(mapping[e["event_id"]], []).append(e)
    for r in incidents:
        assert len({m["cause"] for m in members[r["incident_id"]]} - {None, "unknown"}) <= 1
    # the counted toll of each incident is what incident_tolls says is counted
    tolls = incident_tolls(events, mapping, published)
    assert {t["incident_id"] for t in tolls} <= {r["incident_id"] for r in incidents}
    # deterministic, whatever the input order
    shuffled = events[:]
    rnd.shuffle(shuffled)
    assert merge_incidents(shuffled, published, cfg) == (incidents, mapping)


def test_two_equal_figures_of_one_day_do_not_let_text_order_decide_the_toll():
    """Found by the property above: a plain 1 and an 'at least 1' of the same day, and an older
    undated 2.  Whichever of the two equal figures came last in the text, the toll is the same."""
    day = date(2024, 3, 3)
    figures = [{"side": None, "killed": 1, "published_date": day},
               {"side": None, "killed": 1, "killed_low": 1, "published_date": day},
               {"side": None, "killed": 2, "published_date": None}]
    assert counted_toll(figures)[:2] == counted_toll(list(reversed(figures)))[:2] == (1, None)
