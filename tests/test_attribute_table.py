"""The table-driven attribute ruler gives exactly spaCy's annotations (pipeline/lib/attribute_table.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from pipeline.lib import attribute_table as at
from pipeline.lib import nlp as nlp_mod

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import generate_corpus as gen  # noqa: E402

# Written here: auxiliaries, negation, expletives, "gonna", pronoun cases, odd spacing.
WRITTEN = [
    "There were 12 soldiers killed on Tuesday, and it isn't clear who fired first.",
    "I told them we're gonna stay; you didn't see what it did to us, did you?",
    "Let's go.  The rebels have withdrawn, but they had to leave their wounded behind.\n\nThat was it.",
    "Officials said that whether or not the talks resume, the army gets what it wants and got it.",
    "Police ain't saying much: he's been held since Monday , and she'd have known  if so.",
]


def _annotations(doc: Doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.dep_, t.lemma_, t.ent_type_) for t in doc]


@pytest.fixture(scope="module")
def two_models():
    stock = spacy.load(nlp_mod.resolve_model_name())
    table = spacy.load(nlp_mod.resolve_model_name())
    assert at.replace_attribute_ruler(table)
    return stock, table


def test_model_ruler_is_replaced_and_disabled(two_models):
    _, table = two_models
    assert "attribute_table" in table.pipe_names
    assert "attribute_ruler" not in table.pipe_names
    assert "attribute_ruler" in table.component_names  # its patterns stay readable
    assert table.pipe_names.index("attribute_table") < table.pipe_names.index("lemmatizer")


def test_identical_tokens_on_seeds_generated_and_written_text(two_models, tmp_path):
    stock, table = two_models
    gen.main(["--docs", "40", "--out", str(tmp_path), "--seed", "11"])
    texts = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    texts += WRITTEN
    assert len(texts) > 40
    a = [_annotations(d) for d in stock.pipe(texts)]
    b = [_annotations(d) for d in table.pipe(texts)]
    assert sum(map(len, a)) > 10_000
    differ = [(x, y) for da, db in zip(a, b) for x, y in zip(da, db) if x != y]
    assert [len(d) for d in a] == [len(d) for d in b]
    assert differ[:5] == []  # the first few differing tokens, not a diff of every token


def test_pipeline_loader_uses_the_table_unless_told_not_to(monkeypatch):
    nlp_mod.clear_cache()
    monkeypatch.setenv(nlp_mod.RULER_ENV_VAR, "spacy")
    assert "attribute_ruler" in nlp_mod.load_nlp().pipe_names
    nlp_mod.clear_cache()
    monkeypatch.delenv(nlp_mod.RULER_ENV_VAR)
    names = nlp_mod.load_nlp().pipe_names
    assert "attribute_table" in names and "attribute_ruler" not in names
    nlp_mod.clear_cache()


def _ruler_pair(patterns: list[dict]):
    """A blank model with spaCy's ruler and one with the table, both holding ``patterns``."""
    out = []
    for replace in (False, True):
        nlp = spacy.blank("en")
        nlp.add_pipe("attribute_ruler").add_patterns(patterns)
        if replace:
            assert at.replace_attribute_ruler(nlp)
        out.append(nlp)
    return out


def _tagged(nlp, words: list[str], tags: list[str], deps: list[str] | None = None) -> Doc:
    heads = list(range(len(words))) if deps else None
    return nlp(Doc(nlp.vocab, words=words, tags=tags, deps=deps, heads=heads))


def test_later_rule_wins_and_two_token_patterns_hit_their_index():
    patterns = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
        {"patterns": [[{"TAG": "NN", "LOWER": {"IN": ["up", "down"]}}]], "attrs": {"POS": "ADV"}},
        {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": -1},
        {"patterns": [[{"LOWER": {"REGEX": "^x+$"}}]], "attrs": {"POS": "X"}},
        {"patterns": [[{"DEP": {"NOT_IN": ["", "det"]}, "TAG": "DT"}]], "attrs": {"POS": "PRON"}},
    ]
    ruler, table = _ruler_pair(patterns)
    words = ["up", "box", "gon", "na", "xx", "this", "the"]
    tags = ["NN", "NN", "VBG", "TO", "NN", "DT", "DT"]
    deps = ["advmod", "nsubj", "ROOT", "aux", "dobj", "nsubj", "det"]
    a = _annotations(_tagged(ruler, words, tags, deps))
    b = _annotations(_tagged(table, words, tags, deps))
    assert a == b
    assert b[0][2] == "ADV" and b[0][3] == "Number=Sing"  # later rule's POS, earlier rule's MORPH
    assert b[3][5] == "to" and b[2][5] != "to"            # negative index: the last token
    assert b[4][2] == "X" and b[5][2] == "PRON" and b[6][2] != "PRON"


def test_unsupported_pattern_keeps_spacys_ruler():
    patterns = [{"patterns": [[{"LOWER": "very", "OP": "+"}]], "attrs": {"POS": "ADV"}}]
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add_patterns(patterns)
    assert not at.replace_attribute_ruler(nlp)
    assert nlp.pipe_names == ["attribute_ruler"]
    with pytest.raises(at.UnsupportedPattern):
        at.compile_rules(nlp.get_pipe("attribute_ruler"))
