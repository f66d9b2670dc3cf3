"""The evaluation framework: metric helpers, gold readers, every suite on a few records, the CLI.

Suites run the real pipeline on a handful of records (``limit``) so this file stays fast; the
pipelines are shared through the framework's default cache.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer
from typer.testing import CliRunner

from newsevents.eval import SUITES
from newsevents.eval.articles import GoldEvent, canon, default_gold_dir, match_events
from newsevents.eval.base import (
    PRF,
    DataNotFound,
    SuiteResult,
    accuracy,
    confusion_matrix,
    default_pipeline_factory,
    format_value,
    macro_f1,
    per_label_prf,
    prf,
    ratio,
    resolve_data,
    run_suite,
    set_prf,
    top_confusions,
)
from newsevents.eval.case2021 import FALLBACK, classify, read_mapping
from newsevents.eval.cli import eval_command
from newsevents.eval.conll2003 import spans_from_iob
from newsevents.eval.petrarch import read_records, triple_key
from newsevents.eval.plover_gsr import align_type, best_event
from newsevents.eval.report import render

LIMIT = 3
RATES = {
    "petrarch-unit": ["triple_f1", "triple_precision", "triple_recall", "root_f1", "country_f1",
                      "country_root_f1", "false_event_rate", "record_exact"],
    "petrarch-gsr": ["country_root_f1", "triple_f1", "false_event_rate"],
    "plover-gsr": ["type_accuracy", "type_macro_f1", "source_country_accuracy", "target_country_accuracy", "coverage"],
    "case2021": ["micro_f1", "macro_f1", "fallback_rate"],
    "conll2003": ["f1", "precision", "recall", "per_f1", "org_f1", "loc_f1"],
    "articles": ["recall", "precision", "f1", "role_accuracy", "code_accuracy"],
}
SUMMARY = re.compile(r"^[a-z0-9-]+( [a-z_0-9]+=(-?\d+|-?\d+\.\d{3}|nan))+$")


# -- metric helpers ----------------------------------------------------------------------------


def test_prf_from_counts():
    p = prf(tp=6, fp=2, fn=4)
    assert p.precision == pytest.approx(0.75)
    assert p.recall == pytest.approx(0.6)
    assert p.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert (p + PRF(4, 0, 0)).tp == 10


def test_prf_zero_divisions_are_zero():
    assert prf(0, 0, 0).precision == 0.0
    assert prf(0, 0, 0).recall == 0.0
    assert prf(0, 0, 0).f1 == 0.0
    assert prf(0, 0, 5).precision == 0.0  # nothing output
    assert prf(0, 5, 0).recall == 0.0  # nothing to find
    assert ratio(3, 0) == 0.0 and ratio(1, 4) == 0.25


def test_set_prf_counts_duplicates_once():
    p = set_prf([("A", "B", "010"), ("A", "B", "010"), ("C", "D", "190")], [("A", "B", "010"), ("X", "Y", "010")])
    assert (p.tp, p.fp, p.fn) == (1, 1, 1)


def test_macro_f1_and_per_label():
    gold = ["a", "a", "b", "c"]
    pred = ["a", "b", "b", "b"]
    per = per_label_prf(gold, pred)
    assert per["a"].f1 == pytest.approx(2 / 3)  # P 1, R 0.5
    assert per["b"].f1 == pytest.approx(0.5)  # P 1/3, R 1
    assert per["c"].f1 == 0.0
    assert macro_f1(gold, pred) == pytest.approx((2 / 3 + 0.5 + 0) / 3)
    assert macro_f1(gold, pred, labels=["a"]) == pytest.approx(2 / 3)
    assert macro_f1([], []) == 0.0
    assert accuracy(gold, pred) == pytest.approx(0.5)


def test_confusion_matrix_and_top_confusions():
    m = confusion_matrix(["a", "a", "b", "b", "b"], ["a", "b", "a", "a", "b"])
    assert m == {"a": {"a": 1, "b": 1}, "b": {"a": 2, "b": 1}}
    assert top_confusions(m, 1) == [("b", "a", 2)]


def test_summary_line_format():
    r = SuiteResult("demo-suite", metrics={"f1": 2 / 3, "records": 12, "rate": 0.0})
    assert r.summary_line() == "demo-suite f1=0.667 records=12 rate=0.000"
    assert SUMMARY.match(r.summary_line())
    assert format_value(True) == "1"


# -- readers and matching (no pipeline) --------------------------------------------------------


ALMOST_XML = """<Validation>
# a comment line outside any XML comment, as in PETR2_GSR_validation.xml
<Sentences>
<!-- <Sentence date="20000101" id="COMMENTED" category="X"> <Text>no</Text></Sentence> -->
<Sentence category="AFP" date="20080804" id="R1" evaluate="true"/>
<EventCoding eventcode="042" sourcecode="USA" targetcode="CHN" />
<EventCoding eventcode="190" sourcecode='"A PHRASE"' targetcode="CHN" />
<Text>
The US leader prepared to
attend the Olympics.
</Text>
<Parse>1 The the DET</Parse>
</Sentence>
<Sentence date = "19950101" id ="R2" category="DEMO" sentence="true">
<EventCoding noevents = "True"></EventCoding>
<Text>Nothing happened.</Text>
</Sentence>
<Sentence date="19950101" id="R3" category="ERROR" sentence="true">
<EventCoding error="storydiscard"></EventCoding>
<Text>A typhoon hit.</Text>
</Sentence>
</Sentences></Validation>
"""


def test_read_petrarch_records(tmp_path):
    p = tmp_path / "v.xml"
    p.write_text(ALMOST_XML, encoding="utf-8")
    recs = read_records(p)
    assert [r.id for r in recs] == ["R1", "R2", "R3"]
    r1 = recs[0]
    assert r1.text == "The US leader prepared to attend the Olympics."
    assert r1.date.isoformat() == "2008-08-04" and r1.category == "AFP"
    assert [(c.source, c.target, c.code) for c in r1.codings] == [("USA", "CHN", "042"), ('"A PHRASE"', "CHN", "190")]
    assert recs[1].noevents and recs[1].expects_no_event and not recs[1].codings
    assert recs[2].error == "storydiscard" and recs[2].expects_no_event


def test_triple_key_variants():
    assert triple_key("ARNGOV", "GON", "0641", "triple") == ("ARNGOV", "GON", "0641")
    assert triple_key("ARNGOV", "GON", "0641", "root") == ("ARNGOV", "GON", "06")
    assert triple_key("ARNGOV", "GON", "0641", "country") == ("ARN", "GON", "0641")
    assert triple_key("ARNGOV", "GON", "0641", "country_root") == ("ARN", "GON", "06")


def test_spans_from_iob():
    tags = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG", "O", "I-MISC"]
    assert spans_from_iob(tags) == {(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC"), (5, 6, "ORG"), (7, 8, "MISC")}


def _actor(code, role=None, kind="country"):
    return SimpleNamespace(code=code, role=role, kind=kind)


def _event(code, src="SYRMIL", src_role="MIL", tgt="SYRREB", tgt_role="REB", confidence=0.5, start=0,
           evidence="", root=None, plover=None):
    return SimpleNamespace(
        cameo=code, root=root or code[:2], confidence=confidence, plover_type=plover,
        source=SimpleNamespace(actor=_actor(src, src_role)), target=SimpleNamespace(actor=_actor(tgt, tgt_role)),
        evidence=SimpleNamespace(text=evidence, start=start), predicate=SimpleNamespace(start=start),
    )


def test_case_mapping_lookup():
    m = read_mapping()
    assert m.version == "1"
    assert m.label(_event("195")) == "AIR_STRIKE"
    assert m.label(_event("1951")) == "AIR_STRIKE"  # longest matching prefix
    assert m.label(_event("193", tgt="SYRCVL", tgt_role="CVL")) == "ATTACK"  # civilian target
    assert m.label(_event("193")) == "ARMED_CLASH"
    assert m.label(_event("192")) == "GOV_REGAINS_TERIT"
    assert m.label(_event("192", src="IMGMUSISI", src_role="IMG")) == "NON_STATE_ACTOR_OVERTAKES_TER"
    assert m.label(_event("191")) is None  # explicitly unlabelled
    assert m.label(_event("061")) is None  # not mapped
    label, ev = classify([_event("061"), _event("173", confidence=0.4), _event("195", confidence=0.6)], m)
    assert label == "AIR_STRIKE" and ev.cameo == "195"
    assert classify([], m) == (FALLBACK, None)


def test_case_mapping_rejects_unknown_labels(tmp_path):
    p = tmp_path / "m.tsv"
    p.write_text("# version 2\nkey\tsource\ttarget\tlabel\n19\tany\tany\tBATTLE\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"m\.tsv:3: unknown CASE 2021 label 'BATTLE'"):
        read_mapping(p)


def test_plover_alignment_and_best_event():
    assert align_type("DEMAND") == "REQUEST" and align_type("FIGHT") == "ASSAULT" and align_type("AGREE") == "AGREE"
    evs = [_event("010", confidence=0.9), _event("042", confidence=0.6, plover="CONSULT"),
           _event("190", confidence=0.6, plover="ASSAULT")]
    assert best_event(evs).plover_type == "CONSULT"  # untyped events skipped, earlier wins ties
    assert best_event([_event("010")]) is None


def test_article_matching_is_one_to_one_core_first():
    text = "Iran blamed the United States for the attack. Later, officials met."
    gold = [
        GoldEvent("IRNGOV", "USAGOV", "11", "112", "blamed the United States", core=False, modality="asserted", index=0),
        GoldEvent("IRNGOV", "USA", "11", "111", "Iran blamed the United", core=True, modality="asserted", index=1),
        GoldEvent("IRN", "---", "04", "040", "officials met", core=True, modality="asserted", index=2),
    ]
    sent = "Iran blamed the United States for the attack."
    out = [_event("111", src="IRN", tgt="USAGOV", evidence=sent, start=0),
           _event("040", src="IRN", tgt="USA", evidence="Later, officials met.", start=46)]
    matched, _ = match_events(gold, out, text)
    assert matched == {1: 0}  # the core event takes the only matching output; '---' matches nothing
    assert canon("\u201cnull\u201d \u2013 void") == '"null" - void'


# -- suites on a few records -------------------------------------------------------------------


def _check_rates(res: SuiteResult, names: list[str]) -> None:
    for n in names:
        v = res.metrics[n]
        assert 0.0 <= v <= 1.0, f"{res.name} {n}={v}"
    assert SUMMARY.match(res.summary_line()), res.summary_line()


@pytest.mark.shared
@pytest.mark.parametrize("name", ["petrarch-unit", "petrarch-gsr", "plover-gsr", "case2021", "conll2003"])
def test_corpus_suites_run_on_a_few_records(corpora, name):
    res = run_suite(name, limit=LIMIT, pipeline_factory=default_pipeline_factory)
    assert res.name == name
    _check_rates(res, RATES[name])
    n = {"petrarch-unit": "records", "petrarch-gsr": "records", "plover-gsr": "records",
         "case2021": "snippets", "conll2003": "sentences"}[name]
    assert res.metrics[n] == LIMIT
    if name != "conll2003":  # conll2003 items list only sentences with an error
        assert len(res.items) == LIMIT


def test_articles_suite_runs_on_a_few_articles():
    if not default_gold_dir().is_dir():
        pytest.skip("tests/fixtures/gold/wikinews is absent")
    res = run_suite("articles", limit=2, pipeline_factory=default_pipeline_factory)
    _check_rates(res, RATES["articles"])
    assert res.metrics["articles"] == 2 and len(res.items) == 2
    assert res.table[-1][0] == "all"


def test_registry_lists_every_suite():
    assert {"petrarch-unit", "petrarch-gsr", "plover-gsr", "case2021", "conll2003", "articles"} <= set(SUITES)
    for s in SUITES.values():
        assert s.description and (s.corpus or s.default_data)


# -- errors ------------------------------------------------------------------------------------


def test_missing_data_folder_is_a_clear_error(tmp_path, monkeypatch):
    with pytest.raises(DataNotFound, match="does not exist"):
        resolve_data(SUITES["conll2003"], tmp_path / "nowhere")
    monkeypatch.setenv("NEWSEVENTS_CORPORA", str(tmp_path))  # a corpora folder without the suite's data
    with pytest.raises(DataNotFound) as exc:
        resolve_data(SUITES["plover-gsr"], None)
    assert str(tmp_path / "plover-gsr") in str(exc.value)


# -- CLI ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli():
    app = typer.Typer()
    app.command("eval")(eval_command)

    @app.command()
    def other() -> None:  # a second command, so "eval" is a subcommand as in newsevents
        pass

    return app


@pytest.mark.shared
def test_cli_last_line_and_json(cli, corpora, tmp_path):
    out = tmp_path / "r.json"
    r = CliRunner().invoke(cli, ["eval", "petrarch-unit", "--limit", "2", "--json", str(out)])
    assert r.exit_code == 0, r.output
    last = r.stdout.strip().splitlines()[-1]
    assert last.startswith("petrarch-unit triple_f1=")
    assert SUMMARY.match(last), last
    d = json.loads(out.read_text(encoding="utf-8"))
    assert d["suite"] == "petrarch-unit" and len(d["items"]) == 2
    assert {"id", "gold", "predicted", "outcome"} <= set(d["items"][0])
    assert d["metrics"]["records"] == 2


def test_cli_unknown_suite_lists_suites(cli):
    r = CliRunner().invoke(cli, ["eval", "nonsense"])
    assert r.exit_code == 2
    assert "unknown suite 'nonsense'" in r.stderr and "petrarch-unit" in r.stderr and "articles" in r.stderr


def test_cli_missing_data_exits_2(cli, tmp_path):
    missing = tmp_path / "nope"
    r = CliRunner().invoke(cli, ["eval", "conll2003", "--data", str(missing)])
    assert r.exit_code == 2
    assert str(missing) in r.stderr.replace("\n", "")


def test_report_render():
    res = SuiteResult("plover-gsr", metrics={"type_accuracy": 0.5, "records": 4}, notes=["a note"], data="/x/y")
    text = render({"plover-gsr": res, "case2021": None}, {"case2021": "no data"},
                  __import__("datetime").date(2025, 1, 2), "abc1234", False)
    assert "must not be edited by hand" in text and "`newsevents eval report`" in text
    assert "2025-01-02" in text and "`abc1234`" in text
    assert "| suite | metric | value | goal | anchor |" in text
    assert "| plover-gsr | type_accuracy | 0.500 | >= 0.7 (not met) |" in text
    assert "| case2021 | - | not run: no data | | |" in text
    assert "UniversalPetrarch: 68% true positives" in text
