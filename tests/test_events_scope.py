"""Pass 7, scope: the ordered rule table of ``classify_scope`` and the scope of events."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pipeline.lib import casualties
from pipeline.lib.events import scope as sc
from tests.events_pass_helpers import records

BASE = sc.ScopeFacts(published=date(2024, 3, 10), mentions=["m"], perfect=False, day_anchor=False,
                     old_year=False, war_linked=False, historical_cue=False, past_cue=False,
                     root_war_past=False, period=False, period_cue=False, several=False,
                     big_figure=False, whole_years=[])


def _decide(facts) -> str:
    for _name, rule, scope in sc._RULES:
        if rule(facts):
            return scope
    return "incident"


@pytest.mark.parametrize("changes,scope", [
    ({}, "incident"),
    ({"old_year": True}, "historical"),
    ({"old_year": True, "day_anchor": True}, "incident"),
    ({"old_year": True, "period": True}, "historical"),          # rule 1 before rule 4
    ({"war_linked": True, "past_cue": True}, "historical"),
    ({"war_linked": True, "perfect": True}, "aggregate"),       # running total: rule 7
    ({"period": True}, "aggregate"),
    ({"period_cue": True}, "aggregate"),
    ({"several": True}, "aggregate"),
    ({"perfect": True, "big_figure": True}, "aggregate"),
    ({"perfect": True, "big_figure": True, "day_anchor": True}, "incident"),
    ({"whole_years": [2023]}, "aggregate"),
    ({"whole_years": [2021]}, "incident"),
    ({"mentions": [], "war_linked": True, "old_year": True, "root_war_past": True}, "historical"),
    ({"mentions": [], "period": True}, "aggregate"),
    ({"remembrance": True, "day_anchor": True}, "historical"),   # rule 1 before everything
    ({"remembrance": True, "mentions": []}, "incident"),
    ({"tribute": True, "old_year": True, "day_anchor": True}, "historical"),  # the day is the tribute's
    ({"tribute": True, "day_anchor": True}, "incident"),   # mourning this week's dead
    ({"vague_mass": True}, "aggregate"),
    ({"vague_mass": True, "day_anchor": True}, "incident"),
    ({"episode_toll": True}, "aggregate"),
    ({"episode_toll": True, "day_anchor": True}, "incident"),
    ({"perfect": True, "episode_linked": True}, "aggregate"),
    ({"past_perfect": True, "episode_linked": True}, "aggregate"),   # "he said 11 had died in the rioting"
    ({"past_perfect": True, "episode_linked": True, "day_anchor": True}, "incident"),
    ({"episode_linked": True}, "incident"),                           # "died in the protest on Monday" told plainly
    ({"past_perfect": True, "war_linked": True}, "aggregate"),        # "he said 300 had been killed in the war"
    ({"past_perfect": True, "big_figure": True}, "incident"),         # a large toll of one attack, told before
    ({"war_agent": True}, "aggregate"),                               # "a civil war kills more than 9,000"
    ({"war_agent": True, "day_anchor": True}, "incident"),            # "the war killed 12 on Monday"
])
def test_rule_table_precedence(changes, scope):
    assert _decide(replace(BASE, **changes)) == scope


def test_rules_are_listed_in_the_docstring_order():
    """The docstring's numbered precedence is the table's order, rule for rule."""
    import re

    written = re.findall(r"^\s*(\d+)\. (incident|aggregate|historical|generic):", sc.classify_scope.__doc__, re.M)
    assert [int(n) for n, _ in written] == list(range(1, len(written) + 1))
    assert [scope for _, scope in written] == [r[2] for r in sc._RULES]


def test_casualties_keeps_the_name():
    assert casualties.classify_scope.__module__ == "pipeline.lib.casualties"
    assert "scope" in casualties.classify_scope.__doc__


@pytest.mark.parametrize("text,scope", [
    ("Gunmen killed three villagers in Kidal on Saturday.", "incident"),
    ("At least 40 people have been killed in clashes over the past week, the United Nations said.", "aggregate"),
    ("The war in 2020 killed 6,500 people.", "historical"),
    ("Eleven people had died in the rioting, the minister told reporters.", "aggregate"),
    ("Eleven people died in the rioting on Monday, the minister told reporters.", "incident"),
    ("The minister said eleven people had died in the bombing.", "incident"),
    ("The envoy said some 3,000 soldiers had been killed in the war.", "aggregate"),
    ("Some 500 civilians were killed during the two-month siege of the town.", "aggregate"),
    ("The raid brings to 87 the number of people killed in the province this month.", "aggregate"),
    ("Gunmen killed nine villagers on Sunday, the deadliest attack this month.", "incident"),
    ("At least 70 people were killed in a wave of attacks over the weekend.", "aggregate"),
    ("A wave of panic followed the blast, which killed six people on Monday.", "incident"),
    ("The monthly toll of 85 dead was the highest since 2019.", "aggregate"),
    ("A suicide bomber killed 15 people at a weekly cattle market on Thursday.", "incident"),
])
def test_scope_of_casualty_sentences(text, scope):
    (rec,) = records(text)
    assert rec.events[0].scope == scope


def test_events_without_casualties_are_incidents_unless_old():
    (rec,) = records("Talks between Ukraine and Russia began in Istanbul on Monday.")
    assert rec.events[0].scope == "incident"
    (rec,) = records("Talks between Ukraine and Russia began in Istanbul in March 2021.")
    assert rec.events[0].scope == "historical"


def test_codes_pass_gives_a_toll_its_cause_and_none_without_a_toll():
    (rec,) = records("Gunmen killed three villagers in Kidal on Saturday.")
    assert rec.events[0].cause == "violence"
    (flood,) = records("Floods swept through the valley on Saturday, and nine people drowned.")
    assert {ev.cause for ev in flood.events if ev.killed} == {"disaster"}
    assert all(ev.acled_type is None for ev in flood.events if ev.killed)
    (talks,) = records("The two ministers met in Geneva on Monday.")
    assert [ev.cause for ev in talks.events] == [None] * len(talks.events)


@pytest.mark.parametrize("text,scope", [
    ("Mourners gathered at the memorial service for the 25 guards who died in the siege.", "historical"),
    ("Veterans gathered to commemorate the 12 villagers killed in the raid.", "historical"),
    ("The sect's fighters slaughtered tens of thousands of farmers across the plains.", "aggregate"),
    ("Gunmen killed 40 soldiers in an ambush on Friday.", "incident"),
    ("The ministry's tally lists 57 attacks by the rebels, claiming 40 lives, the report said.", "aggregate"),
    # one attack described as one of a series is still one incident
    ("Gunmen killed 12 people in the village, the second attack in two days.", "incident"),
    ("Gunmen killed 12 people in two days of raids on the village.", "aggregate"),
    # a risen toll of an episode of days is its running total; a bombing's risen toll is not
    ("The death toll from the protests against the new law rose to 40, officials said.", "aggregate"),
    ("Unrest: death toll rises to 40 despite curfew", "aggregate"),
    ("The death toll from the bombing rose to 45, police said.", "incident"),
    ("The death toll from Thursday's protests rose to 12.", "incident"),
    # a superlative day compared with a period is one day, not the period
    ("Troops killed 60 villagers on Saturday, the bloodiest day since the coup in the spring.", "incident"),
    ("Soldiers killed 60 villagers in the grimmest day since the army took power, a monitor said Saturday.",
     "incident"),
    # one other incident is one incident; separate attacks are several
    ("Five soldiers were also killed on Saturday in a separate incident near the river.", "incident"),
    ("Gunmen killed 12 people in separate attacks on two villages.", "aggregate"),
    # a tribute on a day names an earlier year's dead: the day is the tribute's
    ("The city on Sunday paid tribute to the victims of the 2015 market bombing, in which 30 people died.",
     "historical"),
    ("The city on Sunday paid tribute to the victims of the market bombing, in which 30 people died.",
     "incident"),
    # "so far" tied to the story's one incident (the attack, bodies counted at a hospital) is its
    # running toll; "so far" in a country's turmoil, or with a year, is a period's
    ("So far, 14 people have been killed and 30 injured in the attack on the market, police said.", "incident"),
    ("Doctors said 14 bodies had so far been brought to the district hospital.", "incident"),
    ("The country has been in turmoil since the coup; 140 people have died so far.", "aggregate"),
    ("So far this year, 14 people have been killed in the attack on the market.", "aggregate"),
])
def test_recalled_and_mass_tolls(text, scope):
    (rec,) = records(text)
    assert [e.scope for e in rec.events if e.casualties] == [scope]


@pytest.mark.parametrize("text,killed,scope", [
    # a toll told at a distance ("a week after", "weeks after") is another incident's, never the
    # day's: left out of the sentence's own toll, or, alone, historical (an earlier incident with
    # no day to book it on)
    ("Rebels killed four guards at the depot on Friday, two weeks after a roadside bomb on the same "
     "highway killed eleven soldiers.", 4, "incident"),
    ("The latest raid came days after gunmen killed 30 worshippers at a mosque in the east.", 30, "historical"),
    ("Months before militants shot dead 19 traders at the market, the army had withdrawn.", 19, "historical"),
    # with a day of its own the other incident keeps it (and is not added: the recount keeps days apart)
    ("Rebels killed four guards at the depot on Friday, a week after an ambush on March 1 killed eleven "
     "soldiers.", 4, "incident"),
    # hours are the same day's: a second incident that day still counts
    ("Gunmen killed four guards on Friday, hours after a bomb killed two traders.", 6, "incident"),
    # a distance before a phrase that is not the toll's leaves the toll alone
    ("Two days after the vote, gunmen killed 12 villagers in the north.", 12, "incident"),
])
def test_a_toll_at_a_distance_is_another_incidents(text, killed, scope):
    (rec,) = records(text)
    (event,) = [e for e in rec.events if e.casualties]
    assert (event.killed, event.scope) == (killed, scope)


def test_a_year_followed_by_when_dates_the_toll_in_its_clause():
    (rec,) = records("The bombing was the deadliest since 2016, when a truck bomb killed 90 shoppers.")
    assert [e.scope for e in rec.events if e.casualties] == ["historical"]
    (rec,) = records("Since 2016, when the truce collapsed, 900 people have been killed.")
    assert [e.scope for e in rec.events if e.casualties] == ["aggregate"]


def test_an_additive_toll_with_no_day_takes_the_scope_of_the_toll_it_adds_to():
    text = ("Since the offensive began in May, more than 900 civilians have died in the province. "
            "In addition, 400 rebels and 350 soldiers have been killed.")
    assert [e.scope for rec in records(text) for e in rec.events if e.killed] == ["aggregate", "aggregate"]
    # with a day of its own it is that day's incident
    text = ("Since the offensive began in May, more than 900 civilians have died in the province. "
            "In addition, four soldiers were killed on Friday.")
    assert [e.scope for rec in records(text) for e in rec.events if e.killed] == ["aggregate", "incident"]


def test_figures_that_add_up_to_a_large_running_total_are_one():
    (rec,) = records("Some 700 rebel fighters and more than 650 soldiers have died in the province.")
    assert [e.scope for e in rec.events if e.killed] == ["aggregate"]
    (rec,) = records("Some 70 rebel fighters and more than 65 soldiers have died in the province.")
    assert [e.scope for e in rec.events if e.killed] == ["incident"]


@pytest.mark.parametrize("text", [
    # the episode's running toll beside the day's figure: the scope and the day are the day's
    "Police shot dead 14 protesters on Saturday, bringing to 90 the number killed since the protests began in May.",
    # a figure-less mention of the period's dead says nothing of the day's figure
    "Soldiers killed 14 villagers on Saturday, bringing to well over a hundred the number killed since the "
    "junta seized power in May.",
])
def test_a_days_figure_beside_a_running_toll_is_the_days_incident(text):
    (rec,) = records(text)
    (e,) = [e for e in rec.events if e.killed]
    assert (e.killed, e.scope, e.event_date) == (14, "incident", date(2024, 3, 9))


def test_a_share_of_a_periods_toll_right_after_it_is_the_periods():
    text = ("Some 150 rebels have been killed by the police in the province so far this year.\n"
            "The most, 120, were killed in the southern district.\n"
            "Another 30 died in the hills.")
    assert [e.scope for rec in records(text) for e in rec.events if e.killed] == ["aggregate"] * 3
    # a larger figure is no share of it; a day of its own makes it that day's
    for second in ("Gunmen killed 400 villagers in the southern district.",
                   "Twelve were killed in the southern district on Friday."):
        text = "Some 150 rebels have been killed by the police in the province so far this year.\n" + second
        assert [e.scope for rec in records(text) for e in rec.events if e.killed] == ["aggregate", "incident"], second


def test_a_headline_period_without_the_article_is_a_period():
    (rec,) = records("Over 260 dead, thousands displaced in past 12 weeks alone")
    assert [e.scope for e in rec.events if e.killed] == ["aggregate"]


def test_a_stated_span_of_months_is_a_period_not_its_first_day():
    (rec,) = records("Between January 1 and February 28, 140 villagers were killed in the province, a monitor said.")
    (e,) = [e for e in rec.events if e.killed]
    assert e.scope == "aggregate" and e.event_date != date(2024, 1, 1)   # never the span's first day
    # a span of two days is an episode: one incident
    (rec,) = records("Fighting on March 3-4 killed 14 soldiers near the border.")
    assert [e.scope for e in rec.events if e.killed] == ["incident"]


def test_a_toll_in_an_after_phrase_of_another_act_does_not_take_its_day():
    (rec,) = records("The two governments signed a truce on Friday after border clashes that killed 31 people.")
    (e,) = [e for e in rec.events if e.killed]
    assert e.scope != "incident" or e.event_date != date(2024, 3, 8)
    # the deaths of the sentence's own act keep its day
    (rec,) = records("Five people died on Friday after gunmen opened fire on a bus.")
    assert [(e.scope, e.event_date) for e in rec.events if e.killed] == [("incident", date(2024, 3, 8))]


def test_a_war_that_kills_is_never_one_days_toll():
    (rec, _) = records("Civil war kills more than 9,000, monitors say\nThe monitors published their count on Tuesday.",
                       published=date(2019, 5, 8))
    assert [e.scope for e in rec.events if e.killed] == ["aggregate"]
    (rec,) = records("The war killed 12 civilians in Kharkiv on Tuesday.", published=date(2022, 3, 2))
    assert [e.scope for e in rec.events if e.killed] == ["incident"]


def test_a_running_toll_of_several_acts_told_in_their_clause_is_an_aggregate():
    (rec,) = records("Rights groups have criticised the alliance over air raids that have killed hundreds "
                     "of civilians at markets and schools.", published=date(2018, 8, 10))
    assert [e.scope for e in rec.events if e.killed] == ["aggregate"]
    # one act's toll, or several acts with their day, stay an incident
    (rec,) = records("The air raid that has killed 40 people drew wide condemnation on Friday.",
                     published=date(2018, 8, 10))
    assert [e.scope for e in rec.events if e.killed] == ["incident"]


def test_days_of_protests_that_have_killed_are_an_episodes_total():
    (rec,) = records("Days of protests over fuel prices have killed at least 90 people across the country, "
                     "a rights group said Tuesday.", published=date(2019, 11, 20))
    assert [e.scope for e in rec.events if e.killed] == ["aggregate"]


def test_a_toll_told_at_a_distance_on_the_verb_is_another_incidents():
    (rec,) = records("The attack, coming a month after a raid on a nearby camp that killed 71 soldiers, "
                     "highlights the threat.", published=date(2020, 1, 10))
    assert [e.scope for e in rec.events if e.killed] == ["historical"]
