"""PIPELINE_PARSE=events (dependency parse only on event candidate sentences) and worker
recycling, with the real spaCy model. The sentences are written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from pipeline.lib import entities as entmod
from pipeline.lib import events as ev
from pipeline.lib import parse_subset as ps
from pipeline.lib import parsing
from pipeline.lib.gazetteer import load_gazetteer
from pipeline.lib.nlp import load_nlp

PUBLISHED = date(2024, 3, 12)

# event sentences between sentences that carry no event candidate word
TEXT = ("Rebel fighters, who had positions on the hills, shelled the market in Goma on Monday, "
        "killing seven civilians and "
        "wounding 12, local officials said.\n\n"
        "The weather in the city was hot and humid that afternoon.\n\n"
        "Ahmed Musa, a teacher from Khartoum, spent the evening with his family.\n\n"
        "The foreign minister of Kenya met his Ugandan counterpart in Nairobi on Tuesday.\n\n"
        "Prices of bread and fuel in the capital were higher than last year.")

EVENT_KEYS = ("event_type", "actor1", "actor2", "location", "event_date", "killed", "wounded",
              "scope", "start_char", "end_char")


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def _events(nlp, gazetteer, text: str) -> tuple[list[tuple], list[tuple], object]:
    doc = nlp(text)
    ents = entmod.resolve_entities(doc, gazetteer)
    rows = ev.extract_events(doc, ents, "t1", PUBLISHED)
    return ([tuple(r[k] for k in EVENT_KEYS) for r in rows],
            [(e.start_char, e.end_char, e.label, e.canonical_name) for e in ents], doc)


def test_mode_setting_is_checked():
    assert ps.resolve_mode("all") == "all"
    assert ps.resolve_mode("EVENTS") == "events"
    with pytest.raises(ValueError):
        ps.resolve_mode("some")


def test_candidate_words_cover_the_lexicons():
    words = ps.candidate_words()
    for w in ("kill", "wound", "shell", "meet", "protest", "ceasefire", "must", "deny"):
        assert w in words
    # multi-word keys are witnessed by their last content word, never by a function word
    assert "in" not in words and "of" not in words


def test_form_test_guesses_inflected_forms():
    nlp = load_nlp(parse="events")
    test = nlp.get_pipe("event_sentence_parser").form_test()
    for form in ("fought", "shelled", "killing", "talks", "wounded", "struck"):
        assert test(form), form
    for form in ("weather", "humid", "bread", "teacher"):
        assert not test(form), form


def test_event_sentences_give_the_same_events_as_a_full_parse(gazetteer):
    full_rows, full_ents, _ = _events(load_nlp(parse="all"), gazetteer, TEXT)
    sub_rows, sub_ents, doc = _events(load_nlp(parse="events"), gazetteer, TEXT)
    assert full_rows, "the text must hold events"
    assert sub_rows == full_rows
    # entities run on every sentence: the same spans and names as with the full parse
    assert [e[:3] for e in sub_ents] == [e[:3] for e in full_ents]
    # parsed sentences get the POS tags of the full parse (the attribute_ruler reads the parse)
    full_doc = load_nlp(parse="all")(TEXT)
    for s in doc.sents:
        if not ps.unparsed_sentence(s):
            assert [t.pos_ for t in s] == [full_doc[t.i].pos_ for t in s]
    # ... and the sentences without a candidate word were really left unparsed
    unparsed = [s.text.strip() for s in doc.sents if ps.unparsed_sentence(s)]
    assert "The weather in the city was hot and humid that afternoon." in unparsed
    assert not any("shelled" in s or "met his" in s for s in unparsed)


def test_unparsed_sentence_keeps_its_entities_and_a_flat_tree(gazetteer):
    nlp = load_nlp(parse="events")
    doc = nlp("Ahmed Musa, a teacher from Khartoum, spent the evening with his family.")
    (sent,) = list(doc.sents)
    assert ps.unparsed_sentence(sent)
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("Ahmed Musa") == "PERSON" and labels.get("Khartoum") == "GPE"
    assert sent.root.i == sent.start and all(t.head.i == sent.start for t in sent)
    assert all(t.pos_ for t in sent)          # tagger and attribute_ruler ran on it


def test_obligation_under_a_reporting_verb_is_parsed():
    nlp = load_nlp(parse="events")
    doc = nlp("The envoy said that the world must not look away.")
    assert not any(ps.unparsed_sentence(s) for s in doc.sents)


def _items(n: int) -> list[tuple]:
    towns = ["Goma", "Bunia", "Beni", "Uvira"]
    out = []
    for i in range(n):
        town = towns[i % len(towns)]
        out.append((f"d{i}", f"Militiamen attacked a village near {town} on Sunday, killing {i + 3} "
                             f"people, officials said.\n\nMarket prices in {town} rose again.",
                    PUBLISHED, "Test Wire"))
    return out


def test_worker_recycling_returns_the_same_rows(gazetteer):
    nlp = load_nlp(parse="all")
    items = _items(10)
    one = list(parsing.process_documents(nlp, gazetteer, items, batch_size=2, n_process=1,
                                         store_parses=False))
    recycled = list(parsing.process_documents(nlp, gazetteer, items, batch_size=2, n_process=2,
                                              store_parses=False, tasks_per_worker=1))
    assert [r.doc_id for r in recycled] == [i[0] for i in items]
    assert [(r.entities, r.events) for r in recycled] == [(r.entities, r.events) for r in one]
    assert sum(1 for r in one for e in r.events if e["killed"]) == 10


def test_tasks_per_worker_setting(monkeypatch):
    monkeypatch.delenv(parsing.WORKER_TASKS_ENV, raising=False)
    assert parsing.resolve_tasks_per_worker() == parsing.TASKS_PER_WORKER
    monkeypatch.setenv(parsing.WORKER_TASKS_ENV, "7")
    assert parsing.resolve_tasks_per_worker() == 7
    assert parsing.resolve_tasks_per_worker(5) == 5
