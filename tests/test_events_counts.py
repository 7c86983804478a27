"""Pass 5, counts: killed and wounded figures (``sum_quantities`` rules in its module docstring)."""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.lib.events.counts import sum_quantities
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
