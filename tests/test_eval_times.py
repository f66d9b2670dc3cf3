"""The ``tempeval3`` and ``meantime`` suites: readers, matching, scoring, and smoke runs on a few documents."""

from __future__ import annotations

import re
from datetime import date

import pytest

from newsevents.eval.base import default_pipeline_factory, run_suite
from newsevents.eval.meantime import read_meantime
from newsevents.eval.tempeval import (
    GoldTimex,
    PredTimex,
    TimexDoc,
    canonical_value,
    match,
    read_timeml,
    score,
    value_class,
)

SUMMARY = re.compile(r"^[a-z0-9-]+( [a-z_0-9]+=(-?\d+|-?\d+\.\d{3}|nan))+$")

TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>DEMO001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-02-15" temporalFunction="false" functionInDocument="CREATION_TIME">20240215</TIMEX3></DCT>
<TEXT>
The council <EVENT eid="e1" class="OCCURRENCE">met</EVENT> <TIMEX3 tid="t1" type="DATE" value="2024-02-13">Tuesday</TIMEX3> for <TIMEX3 tid="t2" type="DURATION" value="PT3H">three hours</TIMEX3> &amp; agreed.
</TEXT>
</TimeML>
"""

MEANTIME = """<?xml version="1.0" ?><Document doc_id="42" doc_name="42_demo" lang="en" url="http://example.org">
<token number="0" sentence="0" t_id="1">Council</token>
<token number="1" sentence="0" t_id="2">meets</token>
<token number="2" sentence="1" t_id="3">February</token>
<token number="3" sentence="1" t_id="4">15</token>
<token number="4" sentence="1" t_id="5">,</token>
<token number="5" sentence="1" t_id="6">2024</token>
<token number="6" sentence="2" t_id="7">It</token>
<token number="7" sentence="2" t_id="8">met</token>
<token number="8" sentence="2" t_id="9">on</token>
<token number="9" sentence="2" t_id="10">Tuesday</token>
<token number="10" sentence="2" t_id="11">.</token>
<Markables>
<TIMEX3 functionInDocument="CREATION_TIME" m_id="1" type="DATE" value="2024-02-15">
<token_anchor t_id="3"/><token_anchor t_id="4"/><token_anchor t_id="5"/><token_anchor t_id="6"/>
</TIMEX3>
<TIMEX3 functionInDocument="NONE" m_id="2" type="DATE" value="2024-02-13"><token_anchor t_id="10"/></TIMEX3>
<TIMEX3 TAG_DESCRIPTOR="later" functionInDocument="NONE" m_id="3" type="DATE" value="XXXX"/>
</Markables>
</Document>
"""


def test_read_timeml(tmp_path):
    p = tmp_path / "demo.tml"
    p.write_text(TIMEML, encoding="utf-8")
    d = read_timeml(p)
    assert d.id == "DEMO001" and d.dct == date(2024, 2, 15)
    assert [(g.text, g.type, g.value) for g in d.timexes] == [("Tuesday", "DATE", "2024-02-13"),
                                                             ("three hours", "DURATION", "PT3H")]
    for g in d.timexes:
        assert d.text[g.start:g.end] == g.text
    assert "&" in d.text and "<EVENT" not in d.text


def test_read_meantime(tmp_path):
    p = tmp_path / "42_demo.xml"
    p.write_text(MEANTIME, encoding="utf-8")
    d = read_meantime(p)
    assert d.text == "Council meets\nFebruary 15, 2024\nIt met on Tuesday."
    assert d.dct == date(2024, 2, 15)
    assert [(g.text, g.value) for g in d.timexes] == [("Tuesday", "2024-02-13")]  # the DCT and token-less skipped
    assert d.ignore and d.text[d.ignore[0][0]:d.ignore[0][1]] == "February 15, 2024"


def test_match_is_one_to_one_exact_first():
    gold = [GoldTimex(0, 7, "Tuesday", "DATE", "2024-02-13"), GoldTimex(20, 31, "three hours", "DURATION", "PT3H")]
    pred = [PredTimex(0, 7, "Tuesday", "DATE", "2024-02-13"), PredTimex(0, 15, "Tuesday evening", "TIME", None),
            PredTimex(16, 31, "for three hours", "DURATION", "PT3H")]
    assert match(gold, pred) == [(0, 0), (1, 2)]


def test_score_counts_spans_and_values():
    text = "met Tuesday for three hours, then last year"
    g = [GoldTimex(4, 11, "Tuesday", "DATE", "2024-02-13"), GoldTimex(16, 27, "three hours", "DURATION", "PT3H"),
         GoldTimex(34, 43, "last year", "DATE", "2023")]
    p = [PredTimex(4, 11, "Tuesday", "DATE", "2024-02-13"), PredTimex(12, 27, "for three hours", "DURATION", "PT3H"),
         PredTimex(34, 43, "last year", "DATE", "2022")]
    res = score("demo", [TimexDoc("d", text, date(2024, 2, 15), g)], [p], [None])
    m = res.metrics
    assert m["strict_f1"] == pytest.approx(2 / 3) and m["relaxed_f1"] == 1.0
    assert m["value_accuracy"] == pytest.approx(2 / 3) and m["date_value_accuracy"] == pytest.approx(0.5)
    assert m["gold_timex"] == 3 and SUMMARY.match(res.summary_line())


def test_value_helpers():
    assert canonical_value("2000-W7") == "2000-W07" and canonical_value("2000-W07-WE") == "2000-W07-WE"
    assert value_class("2023", "2022") == "wrong year"
    assert value_class("P3D", "2024-02-12") == "duration read as date"
    assert value_class("2024-02", None) == "no value"


RATES = ["date_value_accuracy", "value_accuracy", "value_f1", "strict_f1", "relaxed_f1", "type_accuracy",
         "oracle_date_value_accuracy"]


@pytest.mark.shared
@pytest.mark.parametrize("name", ["tempeval3", "meantime"])
def test_time_suites_run_on_a_few_documents(corpora, name):
    res = run_suite(name, limit=2, pipeline_factory=default_pipeline_factory)
    assert res.name == name and res.metrics["docs"] == 2 and len(res.items) == 2
    for k in RATES:
        assert 0.0 <= res.metrics[k] <= 1.0, (k, res.metrics[k])
    assert res.metrics["gold_timex"] > 0
    assert SUMMARY.match(res.summary_line()), res.summary_line()
