"""The attribution and factuality suites: readers, matching rules, the bundled factuality set, and
smoke runs on the shared corpora (skipped when ../shared/corpora is absent)."""

import json
from collections import Counter
from datetime import date

import pytest

from newsevents.eval import polnear
from newsevents.eval.base import SUITES, run_suite
from newsevents.eval.factuality import coded_modality, default_data, load_items
from newsevents.eval.meantime_speech import rebuild_text
from newsevents.model import MODALITIES


def test_suites_are_registered():
    assert {"polnear", "meantime-speech", "factuality"} <= set(SUITES)
    assert SUITES["polnear"].goal_for("speaker_accuracy").value == 0.85
    assert SUITES["factuality"].goal_for("macro_f1").value == 0.8


# -- polnear: brat reading and the matching rules -----------------------------------------------


def test_read_ann_builds_relations(tmp_path):
    ann = tmp_path / "doc_a1.ann"
    ann.write_text(
        "T1\tSource 0 5\tSmith\n"
        "T2\tCue 6 10\tsaid\n"
        "T3\tContent 11 20;25 30\tthe plan failed\n"
        "T4\tAttribution 6 10\tsaid\n"
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
        encoding="utf-8",
    )
    (rel,) = polnear.read_ann(ann)
    assert rel.content == [(11, 20), (25, 30)] and rel.source == [(0, 5)] and rel.cue_text == "said"


def test_content_match_needs_half_of_the_longer_span():
    gold = polnear.Relation(content=[(0, 100)], source=[(200, 205)])
    assert polnear.content_match(gold, polnear.Relation(content=[(0, 60)])) == 0.6
    assert polnear.content_match(gold, polnear.Relation(content=[(0, 300)])) < 0.5
    pairs = polnear.match([gold], [polnear.Relation(content=[(10, 90)], source=[(201, 204)])])
    assert pairs and polnear.source_match(gold, polnear.Relation(content=[], source=[(201, 204)]))


def test_pronoun_speaker_matches_through_its_antecedent():
    gold = polnear.Relation(content=[(0, 10)], source=[(50, 60)])
    ours = polnear.Relation(content=[(0, 10)], source=[(70, 72)], alt_source=[(50, 60)])
    assert polnear.source_match(gold, ours)


def test_outermost_drops_nested_relations():
    outer = polnear.Relation(content=[(10, 100)], cue=[(5, 9)])
    inner = polnear.Relation(content=[(40, 90)], cue=[(30, 34)])
    assert polnear.outermost([outer, inner]) == [outer]


def test_gold_quotes_are_the_quoted_stretches_of_contents():
    text = 'He said that the plan was “a disaster” and “a mess,” officials added.'
    rel = polnear.Relation(content=[(8, 52)])
    assert [text[a:b] for a, b in polnear.gold_quotes(text, [rel])] == ["a disaster", "a mess"]


# -- meantime: text rebuilt from tokens -----------------------------------------------------------


def test_rebuild_text_spacing_and_offsets():
    toks = [("1", 0, "Title"), ("2", 1, "May"), ("3", 1, "14"), ("4", 2, "``"), ("5", 2, "Yes"),
            ("6", 2, ","), ("7", 2, "''"), ("8", 2, "he"), ("9", 2, "said"), ("10", 2, ".")]
    text, off = rebuild_text(toks)
    assert text == "Title\n\nMay 14\n\n“Yes,” he said."
    assert text[off["9"][0]:off["9"][1]] == "said"


# -- factuality: the bundled set ---------------------------------------------------------------


def test_factuality_set_meets_its_specification():
    lines = [json.loads(x) for x in default_data().read_text(encoding="utf-8").splitlines() if x.strip()]
    real = [r for r in lines if "sentence" in r]
    assert len({r["sentence"] for r in real}) >= 150
    counts = Counter(r["label"] for r in real)
    assert set(counts) == set(MODALITIES) and min(counts.values()) >= 12
    for r in real:
        assert r["sentence"].count(r["anchor"]) == 1, r["id"]
        assert r["url"].startswith("http") and "CC BY" in r["license"] and r["published"]
    refs = [r for r in lines if r.get("ref") == "petr2_gsr"]
    assert refs and all(set(r) == {"id", "label", "ref", "record", "anchor_token"} for r in refs)
    assert len({r["id"] for r in lines}) == len(lines)


def test_load_items_rejects_ambiguous_anchors(tmp_path):
    bad = tmp_path / "f.jsonl"
    bad.write_text(json.dumps({"id": "x", "label": "asserted", "anchor": "the",
                               "sentence": "the cat saw the dog", "published": "2020-01-01"}) + "\n")
    with pytest.raises(ValueError, match="exactly once"):
        load_items(bad)
    bad.write_text(json.dumps({"id": "x", "label": "probable", "anchor": "saw",
                               "sentence": "the cat saw the dog", "published": "2020-01-01"}) + "\n")
    with pytest.raises(ValueError, match="label"):
        load_items(bad)


def test_load_items_reads_sentences(tmp_path):
    f = tmp_path / "f.jsonl"
    f.write_text(json.dumps({"id": "x", "label": "negated", "anchor": "saw",
                             "sentence": "The cat never saw the dog.", "published": "2020-01-01"}) + "\n")
    (it,), _ = load_items(f)
    assert it.text[it.start:it.end] == "saw" and it.published == date(2020, 1, 1)


def test_intent_codes_count_as_intended():
    class E:
        modality, root, rule = "asserted", "03", "verb:x:1+intent"

    assert coded_modality(E()) == "intended"
    E.rule = "verb:x:1"
    assert coded_modality(E()) == "asserted"
    E.modality, E.root = "negated", "03"
    assert coded_modality(E()) == "negated"


# -- smoke runs ------------------------------------------------------------------------------------


def test_polnear_smoke(corpora):
    res = run_suite("polnear", limit=2)
    assert res.metrics["articles"] == 2 and res.metrics["gold_relations"] > 0
    assert 0.0 <= res.metrics["speaker_accuracy"] <= 1.0
    assert res.summary_line().startswith("polnear relation_f1=")


def test_meantime_speech_smoke(corpora):
    res = run_suite("meantime-speech", limit=3)
    assert res.metrics["documents"] == 3
    assert 0.0 <= res.metrics["cue_recall"] <= 1.0


def test_factuality_smoke(corpora):
    res = run_suite("factuality", limit=20)
    assert res.metrics["anchors"] == 20
    assert [row[0] for row in res.table] == list(MODALITIES)
