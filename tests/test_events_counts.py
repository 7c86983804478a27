"""Pass 5, counts: killed and wounded figures (``sum_quantities`` rules in its module docstring)."""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.lib.events.counts import combine_mentions, sum_quantities
from tests.events_pass_helpers import records


@dataclass
class Q:
    best: int | None
    low: int | None = None
    high: int | None = None


@dataclass
class M:
    quantity: Q
    start_char: int
    end_char: int
    victim_text: str = ""


def test_one_mention_keeps_its_range():
    assert sum_quantities([M(Q(10, 10, 15), 0, 5)]) == (10, 10, 15)


def test_several_mentions_are_summed_and_a_missing_bound_adds_the_best_figure():
    assert sum_quantities([M(Q(3), 0, 5), M(Q(4, 4, 6), 10, 15)]) == (7, 7, 9)


def test_no_bound_stated_gives_none():
    assert sum_quantities([M(Q(3), 0, 5), M(Q(4), 10, 15)]) == (7, None, None)


def test_the_same_mention_twice_counts_once():
    assert sum_quantities([M(Q(3), 0, 5), M(Q(3), 0, 5), M(Q(2), 8, 9)]) == (5, None, None)


def test_killed_and_wounded_of_a_sentence():
    (rec,) = records("Gunmen killed three villagers and wounded 12 others in Kidal on Saturday.")
    e = rec.events[0]
    assert (e.killed, e.wounded) == (3, 12)


def test_non_violent_events_carry_no_figures():
    (rec,) = records("Talks between Ukraine and Russia began in Istanbul on Monday.")
    assert (rec.events[0].killed, rec.events[0].wounded) == (None, None)


def _at(text: str, figure: str, q: Q, victims: str = "") -> M:
    i = text.index(figure)
    return M(q, i, i + len(figure), victims)


def test_restatements_of_one_toll_count_the_largest_never_the_sum():
    text = "The first report gave 12 dead; by evening officials said 19 had died."
    ms = [_at(text, "12", Q(12)), _at(text, "19", Q(19))]
    assert combine_mentions(ms, text) == (19, None, None)


def test_victims_told_apart_are_summed():
    text = "Four police officers and nine villagers were killed."
    ms = [_at(text, "Four", Q(4), "police officers"), _at(text, "nine", Q(9), "villagers")]
    assert combine_mentions(ms, text) == (13, None, None)


def test_the_same_victim_words_twice_are_one_toll():
    text = "Six people died at the market and six people died in all, the mayor said."
    ms = [_at(text, "Six", Q(6), "people"), _at(text, "six", Q(6), "people")]
    assert combine_mentions(ms, text) == (6, None, None)


def test_a_stated_range_is_one_figure_at_its_lower_end():
    text = "Witnesses put the number of dead at between 14 and 30."
    ms = [_at(text, "14", Q(14)), _at(text, "30", Q(30))]
    assert combine_mentions(ms, text) == (14, 14, 30)


def test_a_range_in_a_sentence_that_starts_later_in_the_document():
    text = "Medics counted from 8 to 11 bodies."
    offset = 500
    ms = [M(Q(8), offset + text.index("8"), offset + text.index("8") + 1),
          M(Q(11), offset + text.index("11"), offset + text.index("11") + 2)]
    assert combine_mentions(ms, text, offset) == (8, 8, 11)


def test_an_episodes_running_toll_beside_the_days_dead_is_not_the_days_figure():
    from tests.events_pass_helpers import rows as _rows

    day = _rows("Nine more marchers were killed today when police opened fire, bringing the death toll "
                "from the protests to 15.")
    assert [r["killed"] for r in day if r["killed"]] == [9]
    # a single attack's running toll is that attack's toll
    attack = _rows("Searchers pulled six further bodies from the collapsed market hall on Monday, "
                   "raising the death toll to 41.")
    assert [r["killed"] for r in attack if r["killed"]] == [41]


def test_a_figure_of_another_day_is_not_added_to_the_events_day():
    from tests.events_pass_helpers import rows as _rows

    (r,) = _rows("Some 30 villagers were killed on Thursday, with four further deaths recorded on Friday.")
    assert (str(r["event_date"]), r["killed"]) == ("2024-03-07", 30)
    # figures of one day, or with no day of their own, are still added
    (r,) = _rows("Five soldiers and three civilians were killed on Saturday.")
    assert r["killed"] == 8


def test_a_victim_named_among_the_dead_is_not_added_to_them():
    for text in ("Among the more than 40 dead is a teacher who was shot dead outside the school on Friday.",
                 "At least 40 people were killed on Friday, among them a teacher who was shot dead outside the school."):
        (rec,) = records(text)
        assert [e.killed for e in rec.events if e.killed] == [40], text
    # two figures of victims told apart still add up
    (rec,) = records("Gunmen killed 12 soldiers and 3 civilians on Friday.")
    assert [e.killed for e in rec.events if e.killed] == [15]


def test_an_earlier_figure_that_a_later_one_replaced_is_not_counted():
    (_, rec) = records("At least 18 people were killed when rebels attacked a camp on Monday. "
                       "The army had previously said that the toll was 95 but later said this was wrong.")
    assert all(e.killed is None for e in rec.events)
    (rec,) = records("The first reports were of 9 dead and five injured in the ambush on Monday.")
    assert all((e.killed, e.wounded) == (None, None) for e in rec.events)
    # the correction in the same sentence is counted, the figure before it is not
    (rec,) = records("Officials initially said 20 soldiers were killed in the ambush, but later raised the toll to 31.")
    assert [e.killed for e in rec.events if e.killed] == [31]
    # "earlier" as a time of the act is no earlier figure
    (rec,) = records("Earlier on Monday, 12 people were killed in a blast in the market.")
    assert [e.killed for e in rec.events if e.killed] == [12]


def test_a_running_toll_told_beside_the_days_figure_is_not_the_days():
    (rec,) = records("Bombs and shootings across the country killed 11 people on Sunday, as the death toll "
                     "from a wave of car bombings the day before rose past 60, officials said.")
    assert [e.killed for e in rec.events if e.killed] == [11]
    # a risen toll alone is the attack's toll
    (rec,) = records("Rescuers pulled six more bodies from the rubble, raising the toll from the bombing to 41.")
    assert [e.killed for e in rec.events if e.killed] == [41]


def test_figures_whose_victims_name_no_group_are_counts_of_one_toll_never_added():
    (rec,) = records("A hospital said it had received the bodies of 35 people killed in the blast, while a "
                     "worker at another hospital reported 15 dead.")
    assert [e.killed for e in rec.events if e.killed] == [35]
    # victims told apart by groups are added
    (rec,) = records("The blast killed 35 soldiers and 15 civilians on Monday.")
    assert [e.killed for e in rec.events if e.killed] == [50]
