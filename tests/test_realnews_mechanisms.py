"""Issue 12's mechanisms end to end, on sentences written here (never copied from the corpus).

Each test runs the whole pipeline on a small folder and reads the daily table, so it fails if
any stage lets the figure through (extraction, scope, cause, merging or the SQL).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from tests.conftest import run_pipeline


def _daily(folder, tmp_path, docs: dict[str, tuple[str, str]]):
    """docs: file name -> (publication date, text). Returns ({day: (killed, wounded)}, events)."""
    inbox = tmp_path / folder
    inbox.mkdir()
    lines = ["file,published_date,outlet"]
    for name, (pub, text) in docs.items():
        (inbox / name).write_text(text, encoding="utf-8")
        lines.append(f"{name},{pub},Test Wire")
    (inbox / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    wh = tmp_path / f"{folder}.duckdb"
    assert all(r.success for r in run_pipeline(inbox, wh))
    with duckdb.connect(str(wh), read_only=True) as con:
        daily = {d: (k, w) for d, k, w in con.execute("SELECT day, killed, wounded FROM daily_casualties").fetchall()}
        events = con.execute("SELECT killed, scope, cause, event_date, incident_id FROM events "
                             "WHERE killed IS NOT NULL ORDER BY start_char").fetchall()
    return daily, events


def test_disaster_deaths_stay_out_of_the_daily_table(tmp_path):
    text = ("Quake toll rises in mountain villages\n"
            "A strong earthquake struck the mountain province before dawn on Tuesday, flattening "
            "mud-brick homes.\nAt least 31 people were killed and 80 injured, the disaster agency said.\n"
            "Rescue teams were still digging through the rubble on Wednesday.\n")
    daily, events = _daily("quake", tmp_path, {"q.txt": ("2024-02-14", text)})
    assert daily == {}
    assert [(k, c) for k, _, c, _, _ in events] == [(31, "disaster")]


def test_a_background_war_total_is_kept_out(tmp_path):
    text = ("Ceasefire talks resume\n"
            "Negotiators from the two governments met in Geneva on Monday to revive the stalled truce.\n"
            "The talks come four years after the start of a conflict that left more than 9,000 people "
            "dead in the eastern provinces.\n")
    daily, events = _daily("background", tmp_path, {"b.txt": ("2023-09-12", text)})
    assert daily == {}
    assert [(k, s) for k, s, _, _, _ in events] == [(9000, "aggregate")]


def test_a_restated_toll_is_booked_on_its_stated_day(tmp_path):
    text = ("Inquiry into border clashes opens\n"
            "Some 40 soldiers were killed in clashes with rebels near the border town on March 3, the "
            "defence ministry said in a report released on Friday.\n")
    daily, events = _daily("restated", tmp_path, {"r.txt": ("2023-04-28", text)})
    assert daily == {date(2023, 3, 3): (40, 0)}
    assert date(2023, 4, 28) not in daily


def test_an_all_sides_total_replaces_the_per_side_figures(tmp_path):
    docs = {
        "a.txt": ("2022-09-14", "Border fighting\nThe defence ministry of Eritrea said on Wednesday that "
                                "50 of its soldiers had been killed in the fighting with Ethiopia on Tuesday.\n"),
        "b.txt": ("2022-09-15", "Border fighting\nEthiopia said on Thursday that 100 of its soldiers had died "
                                "in Tuesday's fighting with Eritrea.\n"),
        "c.txt": ("2022-09-16", "Border fighting\nAt least 170 soldiers from both sides were killed in "
                                "Tuesday's fighting between Eritrea and Ethiopia, officials said on Friday.\n"),
    }
    daily, _ = _daily("tolls", tmp_path, docs)
    assert sum(k for k, _ in daily.values()) == 170, daily


def test_a_generic_statement_forms_no_incident(tmp_path):
    text = ("Old rivals\nThe two neighbours have gone to war twice over the disputed valley, and their "
            "armies regularly clash along the frontier.\n")
    inbox_daily, _ = _daily("generic", tmp_path, {"g.txt": ("2023-03-01", text)})
    with duckdb.connect(str(tmp_path / "generic.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT scope, incident_id FROM events WHERE event_type IN ('FIGHT', 'ASSAULT')").fetchall()
        n_incidents = con.execute("SELECT count(*) FROM incidents WHERE event_type IN ('FIGHT', 'ASSAULT')").fetchone()[0]
    assert rows and all(scope == "generic" and inc is None for scope, inc in rows)
    assert n_incidents == 0
    assert inbox_daily == {}


@pytest.mark.parametrize("sentence,cause", [
    ("A fuel tanker exploded on the highway on Sunday, killing 14 people.", "accident"),
    ("Eleven people died of cholera in the camp this week, health officials said.", "disease"),
    ("Militants ambushed an army convoy on Sunday, killing 14 soldiers.", "violence"),
])
def test_cause_of_a_toll(tmp_path, sentence, cause):
    _, events = _daily("cause", tmp_path, {"c.txt": ("2021-05-10", f"News\n{sentence}\n")})
    assert {c for _, _, c, _, _ in events} == {cause}
