"""Inside-document cleaning: seeds (SEEDS_TRUTH.md) and the general rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.lib.cleaning import (
    DEFAULT_PATTERNS_PATH,
    CleanResult,
    clean_document,
    is_short_chrome_line,
    load_patterns,
    normalise_text,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def body_lines(res: CleanResult) -> list[str]:
    return [line for line in res.body.split("\n") if line]


def removed(res: CleanResult) -> dict[str, str]:
    return {r.text: r.reason for r in res.removed}


# --------------------------------------------------------------------------- seeds
@pytest.mark.parametrize("prefix", ["000", "001", "003"])
def test_seed_bodies_unchanged_except_normalisation(prefix):
    raw = seed(prefix)
    res = clean_document(raw)
    assert res.removed == []
    assert res.body == normalise_text(raw).strip()
    assert res.title == raw.split("\n")[0].strip()
    assert res.body.split("\n")[0] == res.title


def test_seed_000_dateline_stays():
    res = clean_document(seed("000"))
    assert any(line.startswith("YEREVAN — Four Armenian servicemen were killed") for line in body_lines(res))


def test_seed_002_headline_once_chrome_and_standfirst_removed():
    raw = seed("002")
    res = clean_document(raw)
    headline = "Blinken holds talks with Armenian and Azerbaijani foreign ministers amid Lachin Corridor dispute"
    assert res.title == headline
    assert res.body.count(headline) == 1 and res.body.startswith(headline + "\n")
    rem = removed(res)
    assert rem[headline] == "repeated_headline"
    assert rem["Publish:"] == "chrome_pattern"
    assert rem["A+ A-"] == "chrome_pattern"
    standfirst = [t for t, r in rem.items() if r == "standfirst_restates_lead"]
    assert len(standfirst) == 1
    assert standfirst[0].startswith("US Secretary of State Antony Blinken held discussions")
    lines = body_lines(res)
    assert "Publish:" not in lines and "A+ A-" not in lines
    assert "held discussions" not in res.body
    # the lead paragraph stays, right after the title: extraction sees the meeting once
    assert lines[1].startswith("U.S. Secretary of State Antony Blinken met with the foreign ministers")
    assert res.body.count("Antony Blinken") == 1
    # line numbers are those of the input text
    raw_lines = raw.split("\n")
    for r in res.removed:
        assert raw_lines[r.line_no - 1].strip() == r.text
    assert [r.line_no for r in res.removed] == [3, 4, 5, 6]


def test_seed_004_reading_time_and_photo_caption_removed():
    res = clean_document(seed("004"))
    rem = removed(res)
    assert rem["2 min read"] == "chrome_pattern"
    caption = [t for t in rem if t.endswith("[Getty]")]
    assert len(caption) == 1 and rem[caption[0]] == "photo_caption"
    assert "2 min read" not in res.body and "[Getty]" not in res.body
    assert len(res.removed) == 2
    # the standfirst of 004 does not restate the next paragraph: it stays
    assert "met for the first time since the outbreak of the Nagorno-Karabakh conflict" in res.body
    assert "The foreign ministers of Armenia and Azerbaijan were due to hold Saturday" in res.body


def test_all_seeds_title_is_first_body_line():
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 5, paths
    for path in paths:
        res = clean_document(path.read_text(encoding="utf-8"))
        first = next(line for line in path.read_text(encoding="utf-8").split("\n") if line.strip())
        assert res.title == first.strip()
        assert res.body.split("\n")[0] == res.title


# --------------------------------------------------------------------------- general rules
ARTICLE = """Rebels seize border town after two days of fighting
By Jane Doe and Ali Hassan, Reuters
Share this article
World news
KYIV (Reuters) - Rebel fighters took control of the border town of Harvik on Tuesday, the regional governor said.
Smoke rises over the town centre after overnight shelling (Reuters)
He said:
"We will not leave," a resident told reporters.
Death toll: 45
Advertisement
By Monday, the toll had risen to 12.
Related attacks killed five people in the north on Sunday.
The governor said the situation was tense.
The governor said the situation was tense.
We use cookies to improve your experience.
© 2023 Example News. All rights reserved.
Follow us on Telegram
Rebels seize border town after two days of fighting | Example News
"""


def test_general_chrome_rules_on_an_article():
    res = clean_document(ARTICLE)
    rem = removed(res)
    assert rem["By Jane Doe and Ali Hassan, Reuters"] == "byline"
    assert rem["Share this article"] == "chrome_pattern"
    assert rem["World news"] == "chrome_short_line"
    assert rem["Smoke rises over the town centre after overnight shelling (Reuters)"] == "photo_caption"
    assert rem["Advertisement"] == "chrome_pattern"
    assert rem["We use cookies to improve your experience."] == "chrome_pattern"
    assert rem["© 2023 Example News. All rights reserved."] == "chrome_pattern"
    assert rem["Follow us on Telegram"] == "chrome_pattern"
    assert rem["Rebels seize border town after two days of fighting | Example News"] == "repeated_headline"
    repeated = [r for r in res.removed if r.reason == "repeated_line"]
    assert [r.line_no for r in repeated] == [14]
    kept = body_lines(res)
    for line in [
        "KYIV (Reuters) - Rebel fighters took control of the border town of Harvik on Tuesday, "
        "the regional governor said.",
        "He said:",
        '"We will not leave," a resident told reporters.',
        "Death toll: 45",
        "By Monday, the toll had risen to 12.",
        "Related attacks killed five people in the north on Sunday.",
        "The governor said the situation was tense.",
    ]:
        assert line in kept, line
    assert kept.count("The governor said the situation was tense.") == 1


@pytest.mark.parametrize("line,expected", [
    ("Most popular", True),
    ("Middle East", True),
    ("A+ A-", True),
    ("Two soldiers died.", False),  # a sentence
    ("Talks have stalled", False),  # verb-like
    ("Ceasefire violated", False),  # lowercase -ed form
    ("YEREVAN —", False),  # dateline
    ("12 killed", False),  # numbers are facts
    ("He said:", False),
    ("Fighting resumed in the north overnight", False),  # more than four words
])
def test_short_line_heuristic(line, expected):
    assert is_short_chrome_line(line) is expected


def test_standfirst_restating_lead_is_removed_and_distinct_one_kept():
    lead = ("Government troops and rebels agreed on Friday to a three-day ceasefire in the eastern province "
            "of Varna, officials from both sides said, after a week of heavy fighting that displaced thousands.")
    text = ("Ceasefire agreed in Varna\n\n"
            "Government troops and rebels have agreed to a three-day ceasefire in the eastern province.\n\n"
            f"{lead}\n\nAid agencies welcomed the truce.")
    res = clean_document(text)
    assert [r.reason for r in res.removed] == ["standfirst_restates_lead"]
    assert body_lines(res)[1] == lead
    distinct = ("Ceasefire agreed in Varna\n\nAid convoys are still waiting at the border crossing.\n\n"
                f"{lead}")
    assert clean_document(distinct).removed == []


def test_title_argument_and_repeated_title_in_text():
    res = clean_document("Shelling hits port city\nThe port was shelled overnight, officials said.",
                         title="Shelling hits port city")
    assert res.title == "Shelling hits port city"
    assert res.body == "Shelling hits port city\nThe port was shelled overnight, officials said."
    res = clean_document("The port was shelled overnight, officials said.\nShelling hits port city",
                         title="Shelling hits port city")
    assert res.body.split("\n")[0] == "Shelling hits port city"
    assert res.body.count("Shelling hits port city") == 1
    assert res.removed[0].reason == "repeated_headline" and res.removed[0].line_no == 2


def test_chrome_before_title_is_skipped_for_the_title():
    res = clean_document("Advertisement\n\nArmy says drone downed near capital\nThe army said it downed a drone.")
    assert res.title == "Army says drone downed near capital"
    assert res.removed[0].line_no == 1


def test_normalisation_and_line_numbers_with_crlf():
    text = "Title here\r\nFirst\u00a0 line  of text, said the  official.\r\n\u200bShare this\r\nLast line."
    res = clean_document(text)
    assert res.body == "Title here\nFirst line of text, said the official.\nLast line."
    assert res.removed[0].line_no == 3 and res.removed[0].text == "Share this"


def test_empty_text():
    assert clean_document("") == CleanResult(title=None, body="", removed=[])
    assert clean_document("\n \n").body == ""


def test_user_pattern_file(tmp_path):
    custom = tmp_path / "patterns.txt"
    custom.write_text("# mine\n@reason newsletter_box\n^Get the morning briefing\\b.*$\n", encoding="utf-8")
    text = "A title line\nGet the morning briefing in your inbox every day.\nSoldiers were killed, the army said."
    res = clean_document(text, patterns_path=custom)
    assert [(r.line_no, r.reason) for r in res.removed] == [(2, "newsletter_box")]
    bad = tmp_path / "bad.txt"
    bad.write_text("ok\n(unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.txt:2"):
        load_patterns(bad)


def test_shipped_patterns_compile_and_keep_real_sentences():
    pats = load_patterns(DEFAULT_PATTERNS_PATH)
    assert len(pats) > 20 and {p.reason for p in pats} >= {"chrome_pattern", "byline", "photo_caption"}
    sentences = [
        "Share prices fell sharply after the attack on the refinery.",
        "Subscribers to the channel posted videos of the explosion.",
        "Follow-up strikes hit the same area an hour later, witnesses said.",
        "Photographers were among those wounded in the blast.",
        "Updated figures from the health ministry put the toll at 31.",
        "Copyright disputes are not the issue here, the minister said.",
        "Comments by the defence minister drew a sharp response from Baku.",
        "Related talks are expected to resume in Geneva next week.",
        "The ceasefire [agreed in May] collapsed on Sunday.",
        "Video footage showed a convoy of armoured vehicles on the road.",
        "Print and broadcast journalists were barred from the area.",
        "Published reports said at least 40 people had died.",
    ]
    for s in sentences:
        text = f"A headline for the test\n{s}"
        assert clean_document(text).removed == [], s


def test_a_leading_machine_date_stamp_is_metadata_not_text():
    from pipeline.lib.cleaning import clean_document

    res = clean_document(" date 2021-03-04 Gunmen attacked a convoy last Tuesday.\n\nMore text follows here.")
    assert res.body.startswith("Gunmen attacked a convoy last Tuesday.")
    assert [(r.line_no, r.text, r.reason) for r in res.removed] == [(1, "date 2021-03-04", "date_stamp")]


def test_a_sentence_that_starts_with_the_word_date_stays():
    from pipeline.lib.cleaning import clean_document

    res = clean_document("Date set for the peace talks\nThe two delegations will meet on 2021-03-04 in Doha.")
    assert "date_stamp" not in {r.reason for r in res.removed}
    assert "2021-03-04" in res.body
