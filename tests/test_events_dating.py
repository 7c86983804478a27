"""Pass 8, date: the mention of the trigger clause, and the ordered rules for undated events."""
from __future__ import annotations

from datetime import date

from tests.events_pass_helpers import PUBLISHED, records


def _events(text, published=PUBLISHED):
    return [e for rec in records(text, published) for e in rec.events]


def _tolls(text, published=PUBLISHED):
    """The events of the text that carry a killed figure."""
    return [e for e in _events(text, published) if e.killed]


def test_weekday_of_the_clause():
    (e,) = _events("Gunmen killed three villagers in Kidal on Saturday.")
    assert (e.event_date, e.date_precision, e.date_text) == (date(2024, 3, 9), "day", "Saturday")


def test_future_events_have_no_date():
    (e,) = _events("Russia will launch a new offensive next month.")
    assert (e.event_date, e.date_precision) == (None, "unknown")


def test_an_undated_sentence_of_the_paragraph_continues_the_narrative():
    evs = _events("Clashes broke out near Kidal on Monday. Later, rebels attacked a police post.")
    assert [e.event_date for e in evs] == [date(2024, 3, 4), date(2024, 3, 4)]
    assert evs[1].date_text is None


def test_the_attack_in_a_later_paragraph_takes_the_last_violent_date_and_place():
    text = ("Militants attacked a police post in Kidal on Wednesday.\n\n"
            "Diplomats met in Dakar.\n\nOfficials said the attack killed two policemen.")
    evs = _events(text)
    last = evs[-1]
    assert last.event_date == date(2024, 3, 6) and last.location == "Kidal"


def test_a_lead_sentence_without_a_date_is_the_publication_day():
    (e,) = _events("Gunmen killed three villagers in Kidal.")
    assert (e.event_date, e.date_precision) == (PUBLISHED, "day")


def test_a_mention_after_publication_does_not_date_the_event():
    (e,) = _events("Gunmen killed three villagers in Kidal on March 20, 2024.", published=date(2024, 3, 10))
    assert e.event_date != date(2024, 3, 20) and e.date_text is None
    assert e.event_date == date(2024, 3, 10)    # then the lead rule: the publication day


def test_the_day_a_toll_was_revised_is_not_the_day_of_the_attack():
    # published on a Sunday: "on Saturday" is when the toll rose, not when the bomb went off
    (e,) = _events("The death toll from the market bombing in Kirkuk rose to 45 on Saturday, police said.")
    assert e.date_text is None
    (e,) = _events("The death toll from the bombing has climbed to 45, police said on Saturday.")
    assert e.date_text is None


def test_a_date_in_the_tolls_own_phrase_dates_the_event():
    (e,) = _events("The death toll from Thursday's market bombing in Kirkuk rose to 45 on Saturday.")
    assert (e.event_date, e.date_text) == (date(2024, 3, 7), "Thursday")


def test_a_revised_toll_continues_the_paragraphs_attack():
    evs = _events("A car bomb killed 20 people at a market in Kirkuk on Thursday. "
                  "The death toll rose to 45 on Saturday, police said.")
    assert [e.event_date for e in evs] == [date(2024, 3, 7), date(2024, 3, 7)]


def test_the_day_bodies_were_buried_is_not_the_day_they_died():
    (e,) = _events("At least 60 bodies had been buried by Saturday, the governor said.")
    assert e.date_text is None


def test_every_figure_of_a_toll_revision_keeps_the_revision_day_out():
    # published on a Sunday; "rose to 40 dead with 90 wounded": the wounded figure hangs on the
    # revision verb, so Saturday (when the toll was told) dates none of its figures
    for text in ("A spokesman said Saturday the toll had now risen to 40 dead with more than 90 wounded.",
                 "The governor said Saturday that the toll had climbed to 40 dead and 90 injured."):
        dates = [e.date_text for e in _events(text)]
        assert dates and "Saturday" not in dates


def test_a_killing_beside_a_toll_revision_keeps_its_own_day():
    evs = _events("The death toll rose to 45 after militants killed 20 villagers on Saturday.")
    assert [e.date_text for e in evs] == ["Saturday"]
    # a headline's figures reach the root with no toll revision above them
    evs = _events("Twenty killed in market blast on Saturday")
    assert [e.date_text for e in evs] == ["Saturday"]


def test_the_attack_takes_the_last_violent_date_not_a_warning_told_between():
    text = ("Gunmen attacked a church in Kidal on Thursday.\n\n"
            "Officials had warned of a threat to churches 12 days earlier.\n\n"
            "Police said 14 people were killed in the attack.")
    last = _events(text)[-1]
    assert last.event_date == date(2024, 3, 7)


def test_a_toll_recalled_at_its_anniversary_is_dated_on_the_incidents_own_day():
    # published Sunday 10 March 2024: the commemoration is Friday 8 March, the siege two years before
    (e,) = [e for e in _events("Mourners marked the second anniversary of the siege on Friday, laying wreaths "
                               "for the 25 guards who died.") if e.casualties]
    assert (e.event_date, e.scope) == (date(2022, 3, 8), "incident")
    # a commemoration without an anniversary's age keeps the toll out of any day
    (e,) = [e for e in _events("Veterans gathered to commemorate the 12 villagers killed in the raid.")
            if e.casualties]
    assert (e.event_date, e.scope) == (None, "historical")


def test_this_day_in_a_past_year_is_the_publication_day_that_many_years_back():
    # published 10 March 2024
    (e,) = [e for e in _events("On this day in 2019, gunmen stormed a hotel in Kidal and killed 31 guests.")
            if e.casualties]
    assert (e.event_date, e.date_precision, e.scope) == (date(2019, 3, 10), "day", "incident")
    (e,) = [e for e in _events("Three years ago today, a car bomb killed 17 people at the market.") if e.casualties]
    assert (e.event_date, e.scope) == (date(2021, 3, 10), "incident")
    # a war's running total is no day's incident
    (e,) = [e for e in _events("On this day in 2019 the war had already killed 5,000 people since it began.")
            if e.casualties]
    assert e.scope != "incident"


def test_an_undated_past_toll_in_an_anniversary_lead_is_the_recalled_incidents():
    text = ("On the first anniversary of the port blast, thousands marched through Kidal.\n\n"
            "The blast was among the largest ever recorded. It killed 200 people and injured thousands.\n\n"
            "Later, police fired tear gas at the marchers and a hospital said eight people were wounded in the clashes.")
    tolls = {(e.killed or 0, e.wounded or 0): e for e in _events(text) if e.casualties}
    recalled = next(e for (k, _w), e in tolls.items() if k == 200)
    assert (recalled.scope, recalled.event_date) == ("historical", None)
    fresh = next(e for (_k, w), e in tolls.items() if w == 8)
    assert fresh.scope == "incident"               # beyond the lead: not recalled
    # without the anniversary, the lead's toll is news of the day
    plain = text.replace("On the first anniversary of the port blast, thousands", "Thousands")
    (e,) = [e for e in _events(plain) if e.casualties and e.killed == 200]
    assert (e.scope, e.event_date) == ("incident", PUBLISHED)


def test_this_day_years():
    from pipeline.lib.events.dating import this_day_years
    pub = date(2020, 7, 1)
    assert [this_day_years(t, pub) for t in ("On this day in 2016, gunmen", "four years ago today",
                                             "this day in 2020", "in 2016", "this day in 2016 and 2015")] \
        == [4, 4, None, None, 4]


def test_anniversary_years():
    from pipeline.lib.events.dating import anniversary_years
    assert [anniversary_years(t) for t in ("the first anniversary of the attack", "its 10th anniversary",
                                           "the two-year anniversary", "a memorial service",
                                           "the first anniversary, and the second anniversary")] == [1, 10, 2, None, None]


def test_the_lead_takes_the_day_its_scene_setting_sentence_states():
    # published Sunday 10 March: "yesterday" in a lead sentence with no event is the lead's day
    text = ("Yesterday brought grief to the parish of Saint Anne in Kidal.\n\n"
            "Gunmen stormed the chapel, leaving dozens of worshippers dead.")
    assert [e.event_date for e in _events(text)] == [date(2024, 3, 9)]
    # without it, the lead's undated report is the publication day
    assert [e.event_date for e in _events("Gunmen stormed the chapel, leaving dozens of worshippers dead.")] \
        == [PUBLISHED]


def test_the_day_of_a_statement_is_not_the_day_it_happened():
    # the weekday hangs on a noun of saying: the killing happened on or before it
    for text in ("Two nurses were killed in the shelling, according to a statement by the health ministry on Friday.",
                 "Six fighters died in the air strike, the commander said in an interview on Friday."):
        evs = [e for e in _events(text) if e.casualties]
        assert evs and all(e.date_text is None for e in evs), text
    # a day in the deed's own clause still dates it, whoever tells it and when
    (e,) = [e for e in _events("Two nurses were killed in the shelling on Wednesday, according to a "
                               "statement by the health ministry on Friday.") if e.casualties]
    assert (e.event_date, e.date_text) == (date(2024, 3, 6), "Wednesday")


def test_a_statement_day_gives_way_to_the_stated_day_of_the_attack_it_tells_of():
    # published Sunday 10 March 2024: the bombing was on Tuesday the 5th; the figure is told on Saturday
    text = ("A car bomb exploded at a checkpoint outside Kirkuk on Tuesday.\n\n"
            "Doctors said on Saturday that 40 people were wounded in the bombing.")
    evs = [e for e in _events(text) if e.wounded]
    assert [(e.event_date, e.wounded) for e in evs] == [(date(2024, 3, 5), 40)]
    # with no earlier attack the statement's day stays the best estimate of the day
    evs = [e for e in _events("Doctors said on Saturday that 40 people were wounded in the bombing.") if e.wounded]
    assert [e.event_date for e in evs] == [date(2024, 3, 9)]


def test_victims_described_inside_another_act_do_not_take_its_day():
    # the day is the gathering's or the funeral's, not the killing's
    for text in ("Relatives of the 17 miners killed by militiamen marched to parliament on Saturday.",
                 "Hundreds attended the funeral on Friday of the teacher who was shot dead by gunmen."):
        evs = _tolls(text)
        assert [e.event_date for e in evs] == [None], text
    # 'there were 23 people killed on Saturday' is the killing's day
    evs = _tolls("On Saturday, there were 23 people killed in the town.")
    assert [e.event_date for e in evs] == [date(2024, 3, 9)]
    # so is a report of it ("officials said on Saturday that the 17 miners killed ...")
    evs = _tolls("Militiamen killed 17 miners near the shaft on Saturday.")
    assert [e.event_date for e in evs] == [date(2024, 3, 9)]


def test_a_war_scale_toll_in_the_lead_is_not_the_publication_days():
    evs = _tolls("More than 2,500 people were killed when troops retook the port, rights groups say.")
    assert [(e.killed, e.event_date) for e in evs] == [(2500, None)]
    evs = _tolls("More than 250 people were killed when troops retook the port, rights groups say.")
    assert [(e.killed, e.event_date) for e in evs] == [(250, PUBLISHED)]


def test_a_risen_toll_with_no_day_revises_the_last_attack_not_the_publication_day():
    text = ("Gunmen killed nine villagers in Kadji on Friday.\n\n"
            "The death toll has since jumped to 14, officials said.")
    evs = _tolls(text)
    assert [(e.killed, e.event_date) for e in evs] == [(9, date(2024, 3, 8)), (14, date(2024, 3, 8))]


def test_the_day_of_a_victim_named_among_the_dead_is_not_the_tolls():
    evs = _tolls("Among the more than 40 dead is a teacher who was shot dead outside the school on Friday.")
    assert [(e.killed, e.event_date) for e in evs] == [(40, None)]


def test_a_date_in_a_clause_describing_a_party_does_not_date_the_deed():
    text = ("Two people were killed in the capital when police raided the homes of activists opposed to the "
            "council that took power in 2019, organisers said on Saturday.")
    evs = _tolls(text)
    assert [(e.scope, e.event_date) for e in evs] == [("incident", date(2024, 3, 9))]
    # a clause on the event noun dates the event
    evs = _tolls("Gunmen killed five people in an attack that took place on Friday.")
    assert [e.event_date for e in evs] == [date(2024, 3, 8)]


def test_a_clause_of_killing_on_its_victims_still_dates_the_toll():
    text = "The number of villagers killed in Wednesday's raid on the hamlet has risen to 14, a nurse said on Saturday."
    evs = _tolls(text)
    assert [e.event_date for e in evs] == [date(2024, 3, 6)]


def test_a_participle_on_the_victims_keeps_the_day_and_a_party_telling_it_does_not():
    evs = _tolls("Gunmen killed three soldiers guarding a convoy in the hills on Friday, police said.")
    assert [e.event_date for e in evs] == [date(2024, 3, 8)]
    evs = _tolls("The army pressed on with its raids, with a rebel group telling reporters Friday that six of its "
                 "fighters were killed in an air strike.")
    assert [e.event_date for e in evs] != [date(2024, 3, 8)]


def test_an_event_nouns_own_date_dates_its_toll_before_the_date_of_the_clause_it_sits_in():
    published = date(2017, 6, 3)
    (rec,) = records("The march on Saturday followed a car bomb attack on Wednesday that killed 40 people.",
                     published=published)
    assert [str(e.event_date) for e in rec.events if e.killed == 40] == ["2017-05-31"]
    (rec,) = records("Saturday's march was held in the city following a huge car bomb attack Wednesday "
                     "that killed 40 people.", published=published)
    assert [str(e.event_date) for e in rec.events if e.killed == 40] == ["2017-05-31"]
    # a noun with no date of its own still takes its clause's
    (rec,) = records("The attack on the market killed 40 people on Wednesday.", published=published)
    assert [str(e.event_date) for e in rec.events if e.killed == 40] == ["2017-05-31"]


def test_a_toll_told_in_a_piece_that_looks_back_over_years_is_the_recalled_incidents():
    text = ("It has been ten years since gunmen stormed a hotel in the capital. Four attackers burst into "
            "the lobby, firing at guests. 48 people were killed, and more than 100 injured.")
    recs = records(text, published=date(2023, 9, 21))
    tolls = [e for r in recs for e in r.events if e.killed == 48]
    assert tolls and all(e.event_date is None and e.scope == "historical" for e in tolls)
    # the same toll in fresh news keeps the lead's publication day
    recs = records("Gunmen stormed a hotel in the capital. 48 people were killed, and more than 100 injured.",
                   published=date(2023, 9, 21))
    assert [str(e.event_date) for r in recs for e in r.events if e.killed == 48] == ["2023-09-21"]


def test_a_deed_told_in_a_clause_below_another_act_does_not_take_that_acts_day():
    published = date(2019, 4, 23)
    (rec,) = records("Thousands of people on Monday refused to bury the victims of a bombing which killed "
                     "84 people.", published=published)
    assert [e.event_date for e in rec.events if e.killed == 84] == [None]
    (rec,) = records("The first funerals were held on Tuesday at the church where as many as 100 worshippers "
                     "were killed by a bomber.", published=published)
    assert [e.event_date for e in rec.events if e.killed == 100] == [None]
    # the noun's own date still dates its clause's toll
    (rec,) = records("Friday's earthquake, which has killed at least 900 people, prompted armed groups to "
                     "pause on Sunday.", published=published)
    assert [str(e.event_date) for e in rec.events if e.killed == 900] == ["2019-04-19"]
    # a violent main act keeps its day
    (rec,) = records("Gunmen on Monday attacked the church where 12 worshippers were killed.", published=published)
    assert [str(e.event_date) for e in rec.events if e.killed == 12] == ["2019-04-22"]


def test_a_toll_raised_by_someone_is_dated_by_its_deed_not_by_the_revision():
    published = date(2019, 4, 25)
    (rec,) = records("Officials on Tuesday raised the toll from Sunday's bombings to 290.", published=published)
    assert [str(e.event_date) for e in rec.events if e.killed == 290] == ["2019-04-21"]
    # an attack that brings the toll up keeps its own day
    (rec,) = records("The attack on Monday raised the death toll to 30.", published=published)
    assert [str(e.event_date) for e in rec.events if e.killed == 30] == ["2019-04-22"]


def test_an_event_noun_a_distance_in_days_before_the_clauses_day_is_dated_back():
    published = date(2012, 11, 10)
    (rec,) = records("The families of 10 farmers killed by gunmen buried their loved ones Friday, two days "
                     "after the massacre.", published=published)
    assert [str(e.event_date) for e in rec.events if e.killed == 10] == ["2012-11-07"]
    # no distance: the phrase gives no day of its own to shift
    (rec,) = records("The families of 10 farmers killed by gunmen buried their loved ones Friday, after the "
                     "massacre.", published=published)
    assert "2012-11-07" not in [str(e.event_date) for e in rec.events if e.killed == 10]


def test_a_toll_told_in_the_past_perfect_does_not_take_the_day_it_was_told():
    text = ("Gunmen attacked three villages on Saturday, killing 40 people. Officials were still counting "
            "the dead. An official told reporters on Tuesday that 300 people had been injured.")
    recs = records(text, published=date(2023, 12, 28))
    assert "2023-12-26" not in [str(e.event_date) for r in recs for e in r.events if e.wounded == 300]
    # in the simple past a day on the verb of saying stays the event's best estimate
    (rec,) = records("Officials said on Tuesday that 12 people were killed in the raid.", published=date(2023, 12, 28))
    assert [str(e.event_date) for e in rec.events if e.killed == 12] == ["2023-12-26"]
