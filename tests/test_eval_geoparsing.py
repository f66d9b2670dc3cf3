"""The ``geoparsing`` suite: reading the four formats, matching and scoring, and a smoke run."""

from __future__ import annotations

import pytest

from newsevents.eval.base import SUITES, run_suite
from newsevents.eval.geoparsing import (
    GoldArticle,
    GoldToponym,
    Predicted,
    corpus_files,
    match,
    read_corpus,
    score_article,
)

GWN_SAMPLE = """<?xml version="1.0" ?>
<articles>
  <article file="0">
    <title>t</title><link>http://example.org/2018/01/a.html</link>
    <text>Rain fell on Paris and France said so.</text>
    <toponyms>
      <toponym><extractedName>Paris</extractedName><normalisedName/><type>Literal</type>
        <modifierType/><nonLocational>No</nonLocational><start>13</start><end>18</end>
        <geonamesID>2988507</geonamesID><latitude>48.85341</latitude><longitude>2.3488</longitude>
      </toponym>
      <toponym><extractedName>France</extractedName><normalisedName/><type>Metonymic</type>
        <modifierType/><nonLocational>No</nonLocational><start>23</start><end>29</end>
        <geonamesID>3017382</geonamesID><latitude>46</latitude><longitude>2</longitude>
      </toponym>
    </toponyms>
  </article>
</articles>
"""

LGL_SAMPLE = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1">
    <title>t</title><url>u</url><dltime>2009-03-20</dltime>
    <text><![CDATA[Fire in Alexandria, La. on Friday.]]></text>
    <toponyms>
      <toponym><start>8</start><end>18</end><phrase>Alexandria</phrase>
        <gaztag geonameid="4314550"><name>Alexandria</name><fclass>P</fclass><fcode>PPL</fcode>
          <lat>31.3113</lat><lon>-92.4451</lon></gaztag></toponym>
      <toponym><start>20</start><end>23</end><phrase>La.</phrase></toponym>
    </toponyms>
  </article>
</articles>
"""

GEOVIRUS_SAMPLE = """<articles>
  <article>
    <source>https://en.wikinews.org/wiki/X</source>
    <text>Cases rose in Pandi, Bulacan.</text>
    <locations>
      <location><name>Pandi</name><start>15</start><end>20</end><lat>14.87</lat><lon>120.95</lon>
        <page>p</page></location>
    </locations>
  </article>
</articles>
"""


@pytest.fixture()
def sample_dir(tmp_path):
    for folder, name, text in (("GeoWebNews", "GWN.xml", GWN_SAMPLE),
                               ("LGL", "lgl.xml", LGL_SAMPLE),
                               ("GeoVirus", "GeoVirus.xml", GEOVIRUS_SAMPLE)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_reads_the_three_formats(sample_dir):
    files = corpus_files(sample_dir)
    assert [f.parent.name for f in files] == ["GeoWebNews", "LGL", "GeoVirus"]
    (gwn,) = read_corpus(files[0])
    assert gwn.dataset == "GeoWebNews"
    paris, france = gwn.toponyms
    assert paris.scored and paris.lat == pytest.approx(48.85341)
    assert not france.scored  # metonymic: predictions on it are ignored
    (lgl,) = read_corpus(files[1])
    assert [t.name for t in lgl.toponyms] == ["Alexandria", "La."]
    assert lgl.toponyms[1].lat is None
    (gv,) = read_corpus(files[2])
    # GeoVirus offsets are one character off: repaired to the name's occurrence
    t = gv.toponyms[0]
    assert gv.text[t.start:t.end] == "Pandi" and t.repaired


def test_dataset_selection(sample_dir, monkeypatch):
    monkeypatch.setenv("NEWSEVENTS_GEOPARSING_DATASETS", "LGL")
    assert [f.parent.name for f in corpus_files(sample_dir)] == ["LGL"]
    one = sample_dir / "GeoVirus" / "GeoVirus.xml"
    assert [f.name for f in corpus_files(one)] == ["GeoVirus.xml"]


def test_matching_and_scoring():
    gold = GoldArticle("T", "t:1", "x" * 100, [
        GoldToponym(0, 10, "Alexandria", 31.31, -92.45),
        GoldToponym(12, 15, "La."),
        GoldToponym(40, 46, "France", 46.0, 2.0, "Metonymic", scored=False),
    ])
    pred = [
        Predicted(0, 10, "Alexandria", 31.2, -92.5, "Alexandria", "USA", "gazetteer"),
        Predicted(12, 14, "La", 31.0, -92.0, "Louisiana", "USA", "cue"),  # overlap only
        Predicted(40, 46, "France", 46.6, 2.3, "France", "FRA", "country"),  # ignored
        Predicted(60, 65, "Flint", 43.0, -83.7, "Flint", "USA", "gazetteer"),  # false positive
    ]
    assert match(gold.toponyms[:2], pred, strict=True) == {0: 0}
    assert match(gold.toponyms[:2], pred, strict=False) == {0: 0, 1: 1}
    tally, items = score_article(gold, pred)
    assert (tally.strict.tp, tally.strict.fp, tally.strict.fn) == (1, 2, 1)
    assert (tally.relaxed.tp, tally.relaxed.fp, tally.relaxed.fn) == (2, 1, 0)
    assert tally.with_coords == 1 and tally.recognised == 1 and tally.within == 1
    assert [i["outcome"] for i in items].count("false positive") == 1
    # a recognised toponym resolved far away is an error with a class
    far = [Predicted(0, 10, "Alexandria", 31.2, 29.9, "Alexandria", "EGY", "gazetteer")]
    tally, items = score_article(gold, far)
    assert tally.within == 0 and items[0]["error"].startswith("wrong place, > 2000 km")


def test_suite_is_registered_with_its_goals():
    s = SUITES["geoparsing"]
    assert s.corpus == "geoparsing"
    assert s.goal_for("acc161_LGL").value == 0.85
    assert s.goal_for("acc161_GeoWebNews").value == 0.85


@pytest.mark.shared
@pytest.mark.slow
def test_smoke_run_on_the_corpora(corpora):
    res = run_suite("geoparsing", corpora / "geoparsing", limit=3)
    datasets = [row[0] for row in res.table]
    assert datasets == ["GeoWebNews", "LGL", "TR-News", "GeoVirus", "all"]
    assert 0.0 <= res.metrics["acc161"] <= 1.0 and res.metrics["toponyms"] > 0
    assert res.summary_line().startswith("geoparsing acc161_GeoWebNews=")


def test_smoke_run_on_a_sample_folder(sample_dir):
    res = run_suite("geoparsing", sample_dir)
    assert [row[0] for row in res.table] == ["GeoWebNews", "LGL", "GeoVirus", "all"]
    assert res.metrics["toponyms"] == 4  # Paris, Alexandria, La., Pandi (France: metonymic)
