"""The store on DuckDB and on a real PostgreSQL server: schema and migrations, idempotent writes,
copies and near-duplicates, event clusters, queries and exports.

Most tests here store hand-built annotations (no spaCy), so they are quick and exact; the
ingest tests (tests/test_store_ingest.py) run the real pipeline end to end.
"""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date

import pytest

from newsevents.ingest_run import store_annotations
from newsevents.model import Actor, Annotation, Article, Event, Mention, Place, Span
from newsevents.store import SCHEMA_VERSION, SchemaTooNew, StoreError, dedup, open_store, query
from newsevents.store.clusters import rebuild_clusters
from newsevents.store.export import GDELT_COLUMNS, export, to_string

# -- backends ------------------------------------------------------------------------------------


def _postgres_url() -> str:
    from newsevents.store.pgserver import PostgresUnavailable, shared_server

    try:
        server = shared_server()
    except PostgresUnavailable as e:
        pytest.skip(f"PostgreSQL tests skipped: {e}")
    return server.create_database()


@pytest.fixture(params=["duckdb", "postgres"])
def db(request, tmp_path) -> str:
    """A fresh database on each backend: a DuckDB file, a new database on a real server."""
    if request.param == "duckdb":
        return str(tmp_path / "store.duckdb")
    return _postgres_url()


@pytest.fixture
def store(db):
    s = open_store(db)
    yield s
    s.close()


# -- hand-built annotations ----------------------------------------------------------------------

FILLER_WORDS = ("the statement came after weeks of talks between officials of both governments who met in "
                "several capitals to prepare an agenda according to diplomats familiar with preparations and "
                "careful planning over many months").split()


def filler(seed: str) -> str:
    """Background text, different for every article (shared text would make them near-duplicates)."""
    words = list(FILLER_WORDS)
    random.Random(seed).shuffle(words)
    return " ".join(words).capitalize() + ". "


def actor(code: str, text: str, start: int, name: str | None = None) -> Mention:
    country = code[:3] if code[:3] not in ("IGO", "NGO") else None
    role = code[3:6] or None
    return Mention(text=text, start=start, end=start + len(text), sentence=0,
                   actor=Actor(code=code, name=name or text, country=country, role=role))


def article(sentence: str, src: str, tgt: str, cameo: str = "040", day: str = "2024-03-04",
            url: str | None = None, outlet: str | None = None, published: str | None = None,
            modality: str = "asserted", goldstein: float = 1.0, quad: int = 1, extra: str = "",
            place: Place | None = None) -> Annotation:
    """An article whose first sentence holds one event ``src cameo tgt``."""
    text = sentence + " " + filler(sentence + (url or "")) + extra
    a = Article(text=text, url=url, outlet=outlet, published=date.fromisoformat(published or day))
    s_text, t_text = sentence.split()[0], sentence.rstrip(".").split()[-1]
    src_m = actor(src, s_text, 0)
    tgt_m = actor(tgt, t_text, sentence.rindex(t_text))
    pred = Span(text=sentence.split()[1], start=len(s_text) + 1, end=len(s_text) + 1 + len(sentence.split()[1]))
    ev = Event(article_id=a.id, sentence=0, evidence=Span(sentence, 0, len(sentence)), source=src_m, target=tgt_m,
               predicate=pred, cameo=cameo, cameo_label=f"label {cameo}", root=cameo[:2], plover_type="CONSULT",
               plover_mode=None, quad_class=quad, goldstein=goldstein, date=day, date_precision="day",
               modality=modality, location=place)
    return Annotation(article=a, events=[ev], actors=[src_m, tgt_m])


# -- schema --------------------------------------------------------------------------------------


def test_schema_is_created_once_and_versioned(db):
    s = open_store(db)
    try:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.counts()["articles"] == 0
        assert s.migrate() == 0  # nothing left to apply
    finally:
        s.close()
    with open_store(db) as s2:  # reopening migrates nothing and keeps the version
        assert s2.schema_version() == SCHEMA_VERSION
        assert s2.fetchone("SELECT count(*) FROM schema_version")[0] == SCHEMA_VERSION


def test_newer_schema_is_refused_with_a_clear_message(db):
    with open_store(db) as s:
        s.execute("INSERT INTO schema_version (version, description) VALUES (?, ?)", [SCHEMA_VERSION + 5, "future"])
    with pytest.raises(SchemaTooNew, match="newer than this newsevents"):
        open_store(db)


def test_query_commands_do_not_create_a_missing_duckdb_file(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        open_store(tmp_path / "missing.duckdb", create=False)
    assert not (tmp_path / "missing.duckdb").exists()


# -- identity and near-duplicates (no database) --------------------------------------------------


def test_normalised_hash_ignores_case_spacing_and_punctuation():
    assert dedup.normalized_hash("Japan  met Korea, on Monday.") == dedup.normalized_hash("japan met KOREA on monday")
    assert dedup.normalized_hash("Japan met Korea") != dedup.normalized_hash("Japan met China")


def test_article_key_is_content_plus_url():
    h = dedup.normalized_hash("some text")
    assert dedup.article_key(h, "https://A.example/x#top") == dedup.article_key(h, "https://a.example/x")
    assert dedup.article_key(h, "https://a.example/x") != dedup.article_key(h, "https://b.example/x")
    assert dedup.article_key(h, None) == dedup.article_key(h, "")


def test_minhash_similarity_separates_wire_copies_from_other_stories():
    base = " ".join(f"word{i} about the summit and the talks" for i in range(60))
    edited = base.replace("word10 ", "WORD ten ").replace("word40 ", "").replace("word55", "w55") + " Added line."
    other = " ".join(f"token{i} on the economy and trade" for i in range(60))
    a, b, c = dedup.signature(base), dedup.signature(edited), dedup.signature(other)
    assert dedup.similarity(a, b) >= dedup.DEFAULT_THRESHOLD
    assert dedup.similarity(a, c) < 0.2
    assert dedup.signature("too short to judge") is None
    # bands of near copies collide, so the stored lookup finds them
    assert set(dedup.band_keys(a)) & set(dedup.band_keys(b))
    # a signature survives the round trip through the database column
    assert (dedup.signature_from_bytes(dedup.signature_bytes(a)) == a).all()


# -- writing ---------------------------------------------------------------------------------------


def test_storing_the_same_articles_twice_adds_nothing(store):
    anns = [article("Japan met Korea.", "JPNGOV", "KORGOV", url="https://a.example/1", outlet="A"),
            article("China criticized Japan.", "CHNGOV", "JPNGOV", cameo="111", quad=3, goldstein=-2.0,
                    url="https://b.example/2", outlet="B")]
    first = store_annotations(store, anns)
    assert (first.new, first.duplicate, first.events) == (2, 0, 2)
    before = store.counts()
    again = store_annotations(store, anns)
    assert (again.new, again.duplicate, again.events) == (0, 2, 0)
    assert store.counts() == before
    # no key twice
    assert store.fetchone("SELECT count(*) - count(DISTINCT key) FROM articles")[0] == 0
    assert store.fetchone("SELECT count(*) - count(DISTINCT id) FROM events")[0] == 0


def test_rows_of_an_article_are_written_together_or_not_at_all(store):
    good = article("Japan met Korea.", "JPNGOV", "KORGOV", url="https://a.example/1")
    rec_ok = _record(store, good)
    bad = article("China met Russia.", "CHNGOV", "RUSGOV", url="https://b.example/2")
    rec_bad = _record(store, bad)
    rec_bad.mentions.append(rec_bad.mentions[0])  # same (article_key, seq) twice: violates the key
    with pytest.raises(Exception, match="(?i)duplicate|unique|constraint"):  # each database's own error
        store.write_articles([rec_ok, rec_bad])
    assert store.counts()["articles"] == 0 and store.counts()["events"] == 0  # the whole batch rolled back
    assert store.write_articles([rec_ok]) == [True]
    assert store.counts()["articles"] == 1 and store.counts()["mentions"] == 2


def _record(store, ann):
    from newsevents.store.rows import coded_record

    v = dedup.Deduper(store).check(ann.article)
    return coded_record(ann, v)


def test_copies_and_near_duplicates_are_linked_and_not_coded(store):
    base = article("Japan met Korea.", "JPNGOV", "KORGOV", url="https://wire.example/story", outlet="Wire",
                   extra=" ".join(f"Paragraph {i} of the wire story tells more about the meeting." for i in range(12)))
    copy = Annotation(article=Article(text=base.article.text, url="https://paper.example/copy", outlet="Paper",
                                      published=base.article.published), events=list(base.events))
    edited_text = base.article.text.replace("Paragraph 3 of", "Part three of").replace("Paragraph 7", "Section 7") + " Copyright Daily."
    near = Annotation(article=Article(text=edited_text, url="https://daily.example/n", outlet="Daily",
                                      published=base.article.published), events=list(base.events))
    s = store_annotations(store, [base, copy, near])
    assert (s.new, s.copies, s.near_duplicate, s.events) == (1, 1, 1, 1)
    arts = query.articles(store).set_index("outlet")
    original = arts.loc["Wire", "key"]
    assert arts.loc["Paper", "status"] == "copy" and arts.loc["Paper", "duplicate_of"] == original
    assert arts.loc["Daily", "status"] == "near_duplicate" and arts.loc["Daily", "duplicate_of"] == original
    assert arts.loc["Daily", "similarity"] >= dedup.DEFAULT_THRESHOLD
    assert int(arts.loc["Paper", "num_events"]) == 0 and int(arts.loc["Daily", "num_events"]) == 0
    assert store.counts()["events"] == 1
    # the wire copies count as sources of the one event
    c = query.clusters(store)
    assert len(c) == 1
    row = c.iloc[0]
    assert (row.num_articles, row.num_copies, row.num_sources, row.num_events) == (1, 2, 3, 1)
    assert set(row.urls) == {"https://wire.example/story", "https://paper.example/copy", "https://daily.example/n"}
    # a later run finds the stored original by its bands
    later = Annotation(article=Article(text=edited_text + " Updated.", url="https://late.example/x",
                                       published=base.article.published), events=list(base.events))
    assert store_annotations(store, [later]).near_duplicate == 1


# -- clusters, dyads -------------------------------------------------------------------------------


def _reports():
    """Three outlets report Japan meeting Korea (one a day late), one reports a different event."""
    return [
        article("Japan met Korea.", "JPNGOV", "KORGOV", cameo="040", day="2024-03-04",
                url="https://a.example/1", outlet="Alpha", goldstein=1.0),
        article("Kishida visited Yoon.", "JPNGOV", "KORGOV", cameo="042", day="2024-03-04",
                url="https://b.example/2", outlet="Beta", goldstein=1.9),
        article("Japan consulted Korea.", "JPN", "KORGOV", cameo="040", day="2024-03-05", published="2024-03-06",
                url="https://c.example/3", outlet="Gamma", goldstein=1.0),
        article("Japan criticized Korea.", "JPNGOV", "KORGOV", cameo="111", day="2024-03-04", quad=3,
                goldstein=-2.0, url="https://d.example/4", outlet="Delta"),
        article("Japan might meet Korea.", "JPNGOV", "KORGOV", cameo="040", day="2024-03-20",
                modality="hypothetical", url="https://e.example/5", outlet="Echo"),
    ]


def test_events_of_different_articles_form_one_cluster_with_all_evidence(store):
    store_annotations(store, _reports())
    c = query.clusters(store, source="JPN", target="KOR")
    assert len(c) == 2  # the meeting (root 04) and the criticism (root 11); the hypothetical is not an event
    meet = c[c.root == "04"].iloc[0]
    assert (meet.num_events, meet.num_articles, meet.num_sources) == (3, 3, 3)
    assert str(meet.day.date()) == "2024-03-04" and str(meet.last_day.date()) == "2024-03-05"
    assert str(meet.first_seen.date()) == "2024-03-04" and str(meet.last_seen.date()) == "2024-03-06"
    sentences = sorted(e["sentence"] for e in meet.evidence)
    assert sentences == ["Japan consulted Korea.", "Japan met Korea.", "Kishida visited Yoon."]
    assert {e["url"] for e in meet.evidence} == {"https://a.example/1", "https://b.example/2", "https://c.example/3"}
    assert all(e["start"] == 0 and e["end"] == len(e["sentence"]) for e in meet.evidence)
    assert meet.goldstein == pytest.approx((1.0 + 1.9 + 1.0) / 3)
    # every clustered event points to its cluster
    ev = query.events(store, root="04")
    assert set(ev[ev.modality != "hypothetical"].cluster_id) == {meet.id}
    assert ev[ev.modality == "hypothetical"].cluster_id.isna().all()


def test_dyad_counts_clusters_not_mentions(store):
    store_annotations(store, _reports())
    d = query.dyad(store, "JPN", "KOR", by="day")
    assert list(d.period.dt.strftime("%Y-%m-%d")) == ["2024-03-04"]
    row = d.iloc[0]
    assert (row.events, row.verbal_coop, row.verbal_conflict, row.mentions, row.articles) == (2, 1, 1, 4, 4)
    assert row.goldstein_sum == pytest.approx((1.0 + 1.9 + 1.0) / 3 - 2.0, abs=1e-3)
    assert row.goldstein_mean == pytest.approx(row.goldstein_sum / 2, abs=1e-3)
    m = query.dyad(store, "JPN", "KOR", by="month")
    assert list(m.period.dt.strftime("%Y-%m-%d")) == ["2024-03-01"] and int(m.events.iloc[0]) == 2
    w = query.dyad(store, "JPN", "KOR", by="week")
    assert list(w.period.dt.strftime("%Y-%m-%d")) == ["2024-03-04"]  # weeks start on Monday
    assert query.dyad(store, "KOR", "JPN").empty
    assert int(query.dyad(store, "KOR", "JPN", both_directions=True).events.sum()) == 2
    assert query.dyad(store, "JPN", "KOR", since="2024-03-05").empty


def test_cluster_date_windows_are_bounded_and_order_independent(db):
    days = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-12"]
    anns = [article(f"Japan met Korea{i}.", "JPNGOV", "KORGOV", day=d, url=f"https://x.example/{i}", outlet=f"O{i}")
            for i, d in enumerate(days)]
    with open_store(db) as s:
        store_annotations(s, anns)
        rebuild_clusters(s, window_days=3)
        spans = sorted((str(r.day.date()), str(r.last_day.date()), r.num_articles) for r in query.clusters(s).itertuples())
        assert spans == [("2024-01-01", "2024-01-03", 3), ("2024-01-04", "2024-01-04", 1), ("2024-01-12", "2024-01-12", 1)]
        ids = set(query.clusters(s).id)
        assert len(query.clusters(s, window_days=1)) == 5  # one day each
        assert len(query.clusters(s, window_days=30)) == 1
        rebuild_clusters(s, window_days=3)
        assert set(query.clusters(s).id) == ids  # same events, same ids


def test_events_filters(store):
    store_annotations(store, _reports())
    assert len(query.events(store)) == 5
    assert len(query.events(store, source="JPN", target="KOR")) == 5
    assert len(query.events(store, source="JPNGOV")) == 4  # a code prefix: not the bare "JPN" actor
    assert set(query.events(store, root="11").cameo) == {"111"}
    assert set(query.events(store, root="4").cameo) == {"040", "042"}
    assert len(query.events(store, since="2024-03-05")) == 2
    assert len(query.events(store, until="2024-03-04")) == 3
    assert len(query.events(store, modality="hypothetical")) == 1
    assert len(query.events(store, modality="asserted,hypothetical")) == 5
    with pytest.raises(ValueError, match="modality"):
        query.events(store, modality="rumoured")
    with pytest.raises(ValueError, match="root"):
        query.events(store, root="42")
    j = query.events(store, root="11", with_json=True)
    d = json.loads(j.json.iloc[0])
    assert d["source"]["code"] == "JPNGOV" and d["cameo"] == "111"


def test_actors_top(store):
    store_annotations(store, _reports())
    a = query.actors(store, top=2)
    assert list(a.code) == ["KORGOV", "JPNGOV"]
    kor = a.iloc[0]
    assert (kor.events, kor.as_source, kor.as_target, kor.mentions) == (5, 0, 5, 5)


# -- export ---------------------------------------------------------------------------------------


def test_exports(store, tmp_path):
    beijing = Place(name="Beijing", country="CHN", lat=39.9, lon=116.4, geonames_id=1816670)
    anns = _reports() + [article("China hosted Japan.", "CHNGOV", "JPNGOV", cameo="043", day="2024-03-08",
                                 url="https://f.example/6", outlet="Foxtrot", place=beijing)]
    store_annotations(store, anns)

    lines = to_string(store, "jsonl").splitlines()
    assert len(lines) == 6
    first = json.loads(lines[0])
    for key in ("id", "article_id", "sentence", "evidence", "source", "target", "predicate", "cameo", "cameo_label",
                "root", "plover", "quad_class", "goldstein", "date", "date_precision", "location", "modality",
                "attributed_to", "confidence", "url", "outlet", "cluster_id"):
        assert key in first

    rows = list(csv.DictReader(io.StringIO(to_string(store, "csv"))))
    assert len(rows) == 6 and rows[0]["source_code"] and rows[0]["evidence"]

    gdelt = [ln.split("\t") for ln in to_string(store, "gdelt").splitlines()]
    assert len(gdelt) == len(query.clusters(store)) == 3  # the hypothetical meeting is no event
    assert all(len(r) == len(GDELT_COLUMNS) == 61 for r in gdelt)
    col = {name: i for i, name in enumerate(GDELT_COLUMNS)}
    meet = next(r for r in gdelt if r[col["EventRootCode"]] == "04" and r[col["NumArticles"]] == "3")
    assert meet[col["SQLDATE"]] == "20240304" and meet[col["Actor1CountryCode"]] == "JPN"
    assert meet[col["NumMentions"]] == "3" and meet[col["NumSources"]] == "3"
    assert meet[col["SOURCEURL"]].startswith("https://")
    host = next(r for r in gdelt if r[col["EventCode"]] == "043")
    assert host[col["ActionGeo_FullName"]] == "Beijing" and host[col["ActionGeo_FeatureID"]] == "1816670"

    plover_text = to_string(store, "plover")
    assert '"geonameid": 1816670,' in plover_text  # an integer, not 1816670.0
    plover = [json.loads(x) for x in plover_text.splitlines()]
    assert len(plover) == 6
    p = next(x for x in plover if x["cameo"] == "043")
    assert p["event"] == ["CONSULT"] and p["actor"][0]["code"] == "CHN" and p["recipient"][0]["code"] == "JPN"
    assert p["event_loc"]["geonameid"] == 1816670 and p["text"] == "China hosted Japan."
    assert p["link"].startswith("cl-") and p["date"] == "2024-03-08"

    out = tmp_path / "parquet"
    res = export(store, "parquet", out)
    assert res.rows == 6
    parts = sorted(d.name for d in out.iterdir())
    assert parts == ["date=2024-03-04", "date=2024-03-05", "date=2024-03-08", "date=2024-03-20"]
    import pyarrow.dataset as ds

    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 6 and "cameo" in table.column_names

    with pytest.raises(ValueError, match="--out"):
        export(store, "parquet", None)
    with pytest.raises(ValueError, match="format"):
        export(store, "xml", tmp_path / "x")


def test_event_day_counts_months_years_and_ranges_from_their_start():
    from newsevents.store.rows import event_day

    pub = date(2024, 2, 15)
    assert event_day("2024-02-13", pub) == date(2024, 2, 13)
    assert event_day("2024-02", pub) == date(2024, 2, 1)
    assert event_day("2002", pub) == date(2002, 1, 1)
    assert event_day("1977/1983", pub) == date(1977, 1, 1)
    assert event_day("PRESENT_REF", pub) == pub and event_day(None, pub) == pub
    assert event_day("2024-02-30", pub) == pub  # not a day: the publication date
    assert event_day(None, None) is None
