"""The web app's API and pages with the real app over a real DuckDB store of the demo corpus."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():  # starlette suggests httpx2 for its TestClient; httpx is what we have
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from newsevents.store import query
from newsevents.web import queries
from newsevents.web.app import LOOPBACK_HOSTS, create_app
from newsevents.web.browser import demo_store
from newsevents.web.util import csv_cell, safe_http_url

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["/", "/events", "/dyads", "/dyads/USA/IRN", "/actors", "/actors/USA", "/actors/USAGOV", "/articles",
         "/map", "/clusters"]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, pipeline) -> Path:
    return demo_store(tmp_path_factory.mktemp("web-demo"), pipeline=pipeline)


@pytest.fixture(scope="module")
def app(demo_db):
    app = create_app(str(demo_db))
    yield app
    app.state.access.close()


@pytest.fixture(scope="module")
def client(app):
    return TestClient(app)


def run(app, fn, *args, **kwargs):
    """A query on the app's own store (the same connection the pages use)."""
    return app.state.access.run(fn, *args, **kwargs)


# -- pages and their twins -------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_html_json_and_csv(client, path):
    html = client.get(path)
    assert html.status_code == 200, html.text[:300]
    assert html.headers["content-type"].startswith("text/html")
    assert "<h1" in html.text and "</html>" in html.text
    twin = "/index" if path == "/" else path
    data = client.get(twin + ".json")
    assert data.status_code == 200 and data.headers["content-type"].startswith("application/json")
    assert isinstance(data.json(), dict) and data.json()
    assert f'href="{twin}.json"' in html.text  # the page links its twin
    table = client.get(twin + ".csv")
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    assert "attachment" in table.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(table.text)))
    assert rows and rows[0], "a header row"


def test_twins_keep_the_query_string(client):
    html = client.get("/events?source=USA&limit=5")
    assert 'href="/events.json?source=USA&amp;limit=5"' in html.text
    data = client.get("/events.json?source=USA&limit=5").json()
    assert data["limit"] == 5 and len(data["events"]) <= 5
    assert all(e["source_code"].startswith("USA") for e in data["events"])


def test_overview_json_is_built_from_the_store_queries(app, client):
    data = client.get("/index.json").json()
    stats = run(app, queries.stats)
    assert data["stats"]["counts"] == stats["counts"]
    assert stats["counts"]["articles"] == 52
    top = run(app, query.actors, top=10)
    assert [a["code"] for a in data["top_actors"]] == list(top["code"])
    dyads = run(app, queries.dyads, top=10)
    assert [(d["source"], d["target"]) for d in data["top_dyads"]] == list(zip(dyads["source"], dyads["target"]))
    assert sum(r["events"] for r in data["timeline"]) == stats["counts"]["clusters"]


def test_dyad_page_series_are_the_dyad_query(app, client):
    data = client.get("/dyads/USA/IRN.json?by=month").json()
    expected = run(app, query.dyad, "USA", "IRN", by="month")
    ab = [r for r in data["series"] if r["dir"] == "ab"]
    assert [r["events"] for r in ab] == list(expected["events"])
    assert [r["period"] for r in ab] == [p.date().isoformat() for p in expected["period"]]
    # every point links to its group of events, and every group's evidence to its article
    anchors = {g["anchor"] for g in data["groups"]}
    assert {r["anchor"] for r in data["series"]} <= anchors
    for g in data["groups"]:
        for c in g["clusters"]:
            for e in c["evidence"]:
                assert e["href"].startswith("/articles/") and e["event_id"] in e["href"]


def test_dyad_modality_filter(app, client):
    every = client.get("/dyads/USA/IRN.json?by=year").json()
    asserted = client.get("/dyads/USA/IRN.json?by=year&modality=asserted").json()
    assert asserted["modality"] == "asserted"
    n_all = sum(r["events"] for r in every["series"])
    n_asserted = sum(r["events"] for r in asserted["series"])
    assert 0 < n_asserted <= n_all
    for g in asserted["groups"]:
        for c in g["clusters"]:
            assert all(e["modality"] == "asserted" for e in c["evidence"])
    # the API gives the same series
    api = client.get("/api/dyads/USA/IRN/series?by=year&modality=asserted").json()
    assert [r["events"] for r in api["series"]] == [r["events"] for r in asserted["series"] if r["dir"] == "ab"]


def test_dyad_picker_redirects_to_the_dyad(client):
    r = client.get("/dyads?source=usa&target=irn&by=month", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/dyads/USA/IRN?by=month"


def test_actor_page_has_network_roles_and_events(client):
    data = client.get("/actors/USA.json").json()
    assert data["total"] > 0 and data["events"]
    partners = {p["partner"] for p in data["network"]}
    assert "IRN" in partners and "USA" not in partners
    assert any(r["name"] == "Donald Trump" and r["title"] == "president" for r in data["roles"])
    gov = client.get("/api/actors/USAGOV").json()
    assert gov["code"] == "USAGOV" and all(
        e["source_code"].startswith("USAGOV") or e["target_code"].startswith("USAGOV") for e in gov["events"])
    assert client.get("/actors/ZZZ").status_code == 404


# -- the API ------------------------------------------------------------------------------------------


def test_api_events_pagination(client):
    n = client.get("/api/stats").json()["counts"]["events"]
    first = client.get("/api/events?limit=10").json()
    assert first["total"] == n > 20 and len(first["events"]) == 10 and first["next"]
    second = client.get(first["next"]).json()
    assert second["offset"] == 10
    ids = [e["id"] for e in first["events"]] + [e["id"] for e in second["events"]]
    assert len(set(ids)) == 20
    last = client.get(f"/api/events?limit=10&offset={n - 3}").json()
    assert len(last["events"]) == 3 and last["next"] is None
    # event JSON as DESIGN.md's contract, plus the article fields
    e = first["events"][0]
    for key in ("id", "article_id", "sentence", "evidence", "source", "target", "predicate", "cameo", "root",
                "plover", "quad_class", "goldstein", "date", "modality", "attributed_to", "confidence",
                "url", "outlet", "published", "cluster_id"):
        assert key in e


@pytest.mark.parametrize("params, check", [
    ("source=USA", lambda e: e["source"]["country"] == "USA" or e["source"]["code"].startswith("USA")),
    ("target=IRN", lambda e: (e["target"]["country"] or e["target"]["code"][:3]) == "IRN"),
    ("root=19", lambda e: e["root"] == "19"),
    ("plover=CONSULT", lambda e: e["plover"]["type"] == "CONSULT"),
    ("quad_class=4", lambda e: e["quad_class"] == 4),
    ("modality=asserted,reported", lambda e: e["modality"] in ("asserted", "reported")),
    ("q=soleimani", lambda e: "soleimani" in json.dumps(e).lower()),
])
def test_api_events_filters(client, params, check):
    r = client.get(f"/api/events?limit=1000&{params}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["events"]) > 0
    assert all(check(e) for e in body["events"])


@pytest.mark.parametrize("params, kwargs", [
    ("source=USA&target=IRN", {"source": "USA", "target": "IRN"}),
    ("since=2020-01-01&until=2020-01-31", {"since": "2020-01-01", "until": "2020-01-31"}),
    ("source=USAGOV&modality=asserted", {"source": "USAGOV", "modality": "asserted"}),
])
def test_api_events_filters_match_the_query_functions(app, client, params, kwargs):
    body = client.get(f"/api/events?limit=1000&{params}").json()
    df = run(app, query.events, **kwargs)
    assert [e["id"] for e in body["events"]] == list(df["id"]) and len(df) > 0


@pytest.mark.parametrize("params", ["root=99", "since=2020-13-01", "quad_class=7", "limit=0", "limit=100000",
                                    "modality=certain", "source=US%27%20OR%201%3D1"])
def test_api_rejects_bad_filters_with_4xx(client, params):
    r = client.get(f"/api/events?{params}")
    assert 400 <= r.status_code < 500
    assert "detail" in r.json()


def test_text_search_is_a_bound_parameter(client):
    n = client.get("/api/stats").json()["counts"]["events"]
    for q in ("' OR 1=1 --", "%", "_", "\\", "Iran'; DROP TABLE events; --"):
        r = client.get("/api/events", params={"q": q})
        assert r.status_code == 200
    every = client.get("/api/events?limit=1000").json()["events"]
    with_percent = [e for e in every if "%" in (e["evidence"]["text"] + (e["attributed_to"] or "")
                                              + ((e["source"] or {}).get("name") or "") + ((e["target"] or {}).get("name") or ""))]
    assert client.get("/api/events", params={"q": "%"}).json()["total"] == len(with_percent)  # a literal %
    assert client.get("/api/stats").json()["counts"]["events"] == n


def test_api_article_offsets_index_the_text(client):
    events = client.get("/api/events?limit=200").json()["events"]
    keys = sorted({e["article_id"] for e in events})[:8]
    for ref in keys:
        art = client.get(f"/api/articles/{ref}").json()
        text = art["article"]["text"]
        for e in art["events"]:
            for part in ("evidence", "predicate"):
                span = e[part]
                assert text[span["start"]:span["end"]] == span["text"]
            for side in ("source", "target"):
                if e[side]:
                    assert text[e[side]["start"]:e[side]["end"]] == e[side]["text"]
        for m in art["mentions"]:
            assert text[m["start_char"]:m["end_char"]] == m["text"]
        for q in art["quotes"]:
            assert text[q["start_char"]:q["end_char"]] == q["content"]
        for layer in ("places", "times"):
            for p in art[layer]:
                assert text[p["start_char"]:p["end_char"]] == p["text"]
    assert client.get("/api/articles/nosuchkey").status_code == 404


def test_api_other_endpoints(client):
    stats = client.get("/api/stats").json()
    assert stats["counts"]["articles"] == 52 and stats["schema_version"] >= 1
    cl = client.get("/api/clusters?limit=5").json()["clusters"]
    assert len(cl) == 5 and all(c["evidence"] for c in cl)
    assert client.get("/api/actors?top=5").json()["actors"][0]["events"] > 0
    assert client.get("/api/dyads?top=3").json()["dyads"]
    assert client.get("/api/locations").json()["locations"]
    arts = client.get("/api/articles?limit=5").json()
    assert arts["total"] == 52 and len(arts["articles"]) == 5
    series = client.get("/api/dyads/USA/IRN/series").json()
    assert series["by"] == "week" and series["series"]
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/clusters", "/api/dyads/{source}/{target}/series", "/api/actors",
            "/api/actors/{code}", "/api/articles/{ref}", "/api/stats"} <= set(spec["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui-dist/swagger-ui-bundle.js" in docs.text


# -- security -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/vendor/..%2F..%2Fapp.py", "/static//etc/passwd", "/static/%2Fetc%2Fpasswd",
    "/articles/..%2F..%2Fetc%2Fpasswd", "/articles/%2e%2e", "/actors/..%2F..%2Fetc%2Fpasswd",
    "/dyads/..%2F..%2Fetc/passwd", "/dyads/USA/..%2F..%2Fapp.py", "/api/articles/..%2F..%2Fetc%2Fpasswd",
    "/api/actors/..%2Fapp.py", "/..%2F..%2Fetc%2Fpasswd", "/index.json/../../etc/passwd",
])
def test_no_path_traversal(client, path):
    r = client.get(path)
    assert r.status_code in (400, 404, 405, 422), (path, r.status_code)
    assert "root:x:" not in r.text and "create_app" not in r.text and "[project]" not in r.text


def test_security_headers_and_no_cors_by_default(client):
    r = client.get("/", headers={"Origin": "https://elsewhere.example"})
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp and "object-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in r.headers
    pre = client.options("/api/events", headers={"Origin": "https://elsewhere.example",
                                                 "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in pre.headers


def test_cors_only_for_configured_origins(demo_db):
    app = create_app(str(demo_db), cors=["https://allowed.example"])
    try:
        c = TestClient(app)
        ok = c.get("/api/stats", headers={"Origin": "https://allowed.example"})
        assert ok.headers["access-control-allow-origin"] == "https://allowed.example"
        other = c.get("/api/stats", headers={"Origin": "https://other.example"})
        assert "access-control-allow-origin" not in other.headers
    finally:
        app.state.access.close()


def test_loopback_server_refuses_other_host_names(demo_db):
    app = create_app(str(demo_db), allowed_hosts=LOOPBACK_HOSTS)
    try:
        c = TestClient(app, base_url="http://127.0.0.1")
        assert c.get("/api/stats").status_code == 200
        assert c.get("/api/stats", headers={"Host": "rebound.example"}).status_code == 400
    finally:
        app.state.access.close()


def test_csv_cells_cannot_run_as_formulas():
    assert csv_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("-3.5") == "-3.5" and csv_cell(-3.5) == -3.5
    assert csv_cell(["a", 1]) == '["a", 1]'


def test_only_http_urls_become_links():
    assert safe_http_url("https://en.wikinews.org/wiki/X") == "https://en.wikinews.org/wiki/X"
    for bad in ("javascript:alert(1)", " JAVASCRIPT:alert(1)", "data:text/html,<script>", "//evil.example/x",
                "http://x\" onmouseover=\"alert(1)", "vbscript:x", None, 3):
        assert safe_http_url(bad) is None


# -- ingest over HTTP ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def writable(tmp_path_factory, pipeline):
    app = create_app(str(tmp_path_factory.mktemp("web-post") / "posted.duckdb"), token="s3cret-token-for-tests",
                     pipeline=pipeline, max_body_bytes=64 * 1024)
    yield TestClient(app)
    app.state.access.close()


ARTICLE = {"text": "Japanese Prime Minister Fumio Kishida said on Thursday that Japan is seeking a summit with "
                   "North Korean leader Kim Jong Un. North Korea fired a ballistic missile into the sea on Friday.",
           "title": "Kishida seeks summit", "url": "https://news.example/kishida", "published": "2024-02-15"}
AUTH = {"Authorization": "Bearer s3cret-token-for-tests"}


def test_post_is_refused_on_a_read_only_server(client):
    r = client.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert r.status_code == 403 and "read-only" in r.json()["detail"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-token-for-tests"},
                                     {"Authorization": "Basic czNjcmV0"}])
def test_post_needs_the_token(writable, headers):
    r = writable.post("/api/articles", json=ARTICLE, headers=headers)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("body, ctype, status", [
    (b"not json", "application/json", 400),
    (b'{"title": "no text"}', "application/json", 400),
    (b'{"text": ""}', "application/json", 400),
    (b'{"text": 5}', "application/json", 400),
    (b'{"text": "x", "published": "yesterday"}', "application/json", 400),
    (b"[]", "application/json", 400),
    (b'{"text": "x"}', "text/plain", 415),
    (json.dumps([{"text": "a"}] * 51).encode(), "application/json", 413),
    (json.dumps({"text": "word " * 20000}).encode(), "application/json", 413),
])
def test_post_rejects_bad_input_clearly(writable, body, ctype, status):
    r = writable.post("/api/articles", content=body, headers={**AUTH, "Content-Type": ctype})
    assert r.status_code == status, r.text
    assert r.json()["detail"]


def test_post_stores_an_article_once(writable):
    r = writable.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["new"] == 1 and body["events"] >= 1
    art = body["articles"][0]
    assert art["status"] == "new" and art["href"] == f"/articles/{art['key']}"
    stored = writable.get(art["api"]).json()
    assert stored["article"]["title"] == "Kishida seeks summit" and stored["events"]
    again = writable.post("/api/articles", json={"articles": [ARTICLE]}, headers=AUTH)
    assert again.status_code == 200 and again.json()["articles"][0]["status"] == "duplicate"
    assert writable.get("/api/stats").json()["counts"]["articles"] == 1
    page = writable.get(art["href"])
    assert page.status_code == 200 and "Kishida" in page.text


# -- packaging ------------------------------------------------------------------------------------------


def test_vendored_assets_match_their_manifest_and_carry_licences():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "vendor_web_assets.py"), "--check"],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    vendor = ROOT / "src" / "newsevents" / "web" / "static" / "vendor"
    manifest = json.loads((vendor / "MANIFEST.json").read_text())
    assert {"vega", "vega-lite", "vega-embed", "world-atlas", "swagger-ui-dist"} <= set(manifest["packages"])
    for pkg in manifest["packages"]:
        assert (vendor / pkg / "LICENSE").is_file()


def test_templates_load_nothing_from_elsewhere():
    web = ROOT / "src" / "newsevents" / "web"
    for f in list((web / "templates").glob("*.html")) + [web / "static" / "app.js", web / "static" / "app.css"]:
        text = f.read_text()
        for bad in ('src="http', "src='http", 'href="http', "url(http", "//cdn", "@import"):
            assert bad not in text, (f.name, bad)


# -- newsevents serve -----------------------------------------------------------------------------------


def _serve_app():
    import typer

    from newsevents.web.cli import serve_command

    app = typer.Typer()
    app.command()(serve_command)
    return app


def test_serve_refuses_a_missing_store_and_a_short_token(tmp_path):
    from typer.testing import CliRunner

    runner = CliRunner()
    r = runner.invoke(_serve_app(), ["--db", str(tmp_path / "missing.duckdb")])
    assert r.exit_code == 2 and "no such database" in r.output
    r = runner.invoke(_serve_app(), ["--db", str(tmp_path / "x.duckdb"), "--token", "short"])
    assert r.exit_code == 2 and "at least 16" in r.output
    assert not (tmp_path / "x.duckdb").exists()


def test_serve_url():
    from newsevents.web.cli import serve_url

    assert serve_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert serve_url("0.0.0.0", 8080) == "http://127.0.0.1:8080/"
    assert serve_url("::1", 8000) == "http://[::1]:8000/"


# -- the same pages over PostgreSQL -------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_client(app):
    """The demo store copied row for row into a database on a real PostgreSQL server."""
    from newsevents.store import open_store
    from newsevents.store.pgserver import PostgresStartError, PostgresUnavailable, shared_server
    from newsevents.store.rows import TABLE_COLUMNS

    try:
        url = shared_server().create_database()
    except (PostgresUnavailable, PostgresStartError) as e:
        pytest.skip(f"PostgreSQL web tests skipped: {e}")
    pg = open_store(url)
    try:
        with pg.transaction():
            for table, spec in TABLE_COLUMNS.items():
                cols = ", ".join(c for c, _ in spec)
                rows = run(app, lambda s, t=table, c=cols: s.fetchall(f"SELECT {c} FROM {t}"))
                pg.insert_rows(table, [tuple(r) for r in rows])
            pg.set_meta("clusters_stale", "1")
    finally:
        pg.close()
    pg_app = create_app(url)
    yield TestClient(pg_app)
    pg_app.state.access.close()


@pytest.mark.parametrize("path", [
    "/api/stats", "/api/events?limit=1000", "/api/events?q=iran&modality=asserted,reported&limit=1000",
    "/api/events?plover=ASSAULT&since=2019-06-01", "/api/dyads?top=20", "/api/dyads/USA/IRN/series?by=month",
    "/api/dyads/USA/IRN/series?by=year&modality=asserted", "/api/actors?top=30", "/api/locations",
    "/index.json", "/dyads/USA/IRN.json", "/actors/USA.json", "/actors/USAGOV.json", "/map.json",
])
def test_postgres_store_gives_the_same_answers(client, pg_client, path):
    def norm(d):
        d = json.loads(json.dumps(d))
        if isinstance(d, dict):
            d.get("stats", {}).pop("schema_version", None)
            d.pop("schema_version", None)
        return d

    duck, pg = client.get(path), pg_client.get(path)
    assert duck.status_code == pg.status_code == 200, pg.text[:300]
    assert norm(pg.json()) == norm(duck.json())


def test_postgres_article_page(client, pg_client):
    ref = client.get("/api/events?limit=1").json()["events"][0]["article_id"]
    duck, pg = client.get(f"/api/articles/{ref}").json(), pg_client.get(f"/api/articles/{ref}").json()
    assert pg["events"] == duck["events"] and pg["mentions"] == duck["mentions"]
    assert pg["article"]["text"] == duck["article"]["text"]
    assert pg_client.get(f"/articles/{ref}").status_code == 200
