"""The pages in a real headless Chromium (Debian's ``chromium``, driven by Playwright through its
executable path), served by uvicorn on 127.0.0.1 over a real DuckDB store of the demo corpus.

Screenshots are saved to ``test-artifacts/web/`` (or ``$NEWSEVENTS_TEST_ARTIFACTS/web``).  Without
Chromium the tests skip with the reason, unless ``NEWSEVENTS_REQUIRE_BROWSER=1`` (then they fail: a
CI that should have installed it must not pass green without running them).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pytest

from newsevents.web.browser import (
    LAPTOP,
    PHONE,
    chromium,
    demo_store,
    find_chromium,
    serve,
    wait_for_charts,
)

CHROMIUM = find_chromium()
if CHROMIUM is None and os.environ.get("NEWSEVENTS_REQUIRE_BROWSER") == "1":
    raise RuntimeError("NEWSEVENTS_REQUIRE_BROWSER=1 but no Chromium at /usr/bin/chromium (apt-get install chromium)")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium not found at /usr/bin/chromium (Debian package "
                                                 "'chromium'; .ci/run installs it): browser tests skipped"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]
try:
    import playwright.sync_api  # noqa: F401
except ImportError:  # pragma: no cover
    pytestmark.append(pytest.mark.skip(reason="the 'playwright' Python package is not installed"))

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("NEWSEVENTS_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "web"

# path -> how many charts it draws
PAGES = {"/": 1, "/events": 0, "/dyads": 0, "/dyads/USA/IRN": 2, "/actors": 0, "/actors/USA": 1,
         "/articles": 0, "/map": 1, "/clusters": 0, "/docs": 0}
MARKS = "svg .mark-symbol path, svg .mark-rule line, svg .mark-shape path, svg .mark-line path"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, pipeline) -> Path:
    return demo_store(tmp_path_factory.mktemp("web-demo"), pipeline=pipeline)


@pytest.fixture(scope="module")
def server(demo_db):
    from newsevents.web.app import create_app

    app = create_app(str(demo_db))
    with serve(app) as url:
        yield url
    app.state.access.close()


@pytest.fixture(scope="module")
def browser():
    with chromium(CHROMIUM, viewport=LAPTOP) as ctx:
        yield ctx


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(f"page error: {e}"))
    page.on("console", lambda m: page.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("requestfailed", lambda r: page.errors.append(f"request failed: {r.url}"))
    yield page
    page.close()


def slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "overview"


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_with_its_charts(server, page, path):
    resp = page.goto(server + path)
    assert resp.status == 200
    if path == "/docs":
        page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
        assert page.locator(".opblock").count() >= 8
    n = wait_for_charts(page)
    assert n == PAGES[path], page.eval_on_selector_all("[data-chart]", "els => els.map(e => e.dataset.error)")
    if n:
        for chart in page.locator("[data-chart]").all():
            assert chart.locator(MARKS).count() > 0, "a chart without data marks"
    assert not page.errors, page.errors
    # only this server was asked for anything: no CDN, no external fonts
    shot(page, f"laptop-{slug(path)}")


@pytest.mark.parametrize("path", ["/", "/dyads/USA/IRN", "/actors/USA", "/map", "/events"])
def test_phone_width(server, browser, path):
    page = browser.new_page()
    page.set_viewport_size(PHONE)
    try:
        page.goto(server + path)
        wait_for_charts(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than a phone screen"
        shot(page, f"phone-{slug(path)}")
    finally:
        page.close()


def test_article_page_phone_width(server, browser):
    page = browser.new_page()
    page.set_viewport_size(PHONE)
    try:
        page.goto(server + "/articles")
        page.locator("table.data tbody a").first.click()
        page.wait_for_selector("#text")
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
        shot(page, "phone-article")
    finally:
        page.close()


def test_three_clicks_from_overview_to_highlighted_evidence(server, page):
    page.goto(server + "/")
    wait_for_charts(page)
    # 1: a dyad of the overview
    page.locator("a.dyad-link", has_text="USA").filter(has_text="IRN").first.click()
    page.wait_for_url(re.compile(r"/dyads/USA/IRN"))
    wait_for_charts(page)
    # 2: a point of the Goldstein chart -> the events behind it
    point = page.locator("#chart-goldstein svg .mark-symbol path").first
    point.click()
    page.wait_for_function("() => location.hash.startsWith('#p-')")
    group_id = page.evaluate("() => location.hash.slice(1)")
    group = page.locator(f"[id='{group_id}']")
    assert "focused" in group.get_attribute("class")
    shot(page, "click-dyad-point")
    # 3: the evidence of one of those events in its article
    link = group.locator("a.evidence-link").first
    sentence = group.locator(".evidence-list li q").first.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/articles/.+event="))
    highlighted = page.locator("#text .hl")
    assert highlighted.count() > 0
    text = "".join(highlighted.all_inner_texts())
    assert " ".join(text.split()) == " ".join(sentence.split())
    assert page.locator(".event-item.selected").count() == 1
    assert page.locator("#text .hl-source").count() > 0 or page.locator("#text .hl-target").count() > 0
    assert not page.errors, page.errors
    shot(page, "click-article-evidence")


def test_clicking_an_event_highlights_its_evidence(server, page):
    events = httpx.get(server + "/api/events?limit=1000").json()["events"]
    by_article: dict[str, list] = {}
    for e in events:
        by_article.setdefault(e["article_id"], []).append(e)
    ref, _ = max(by_article.items(), key=lambda kv: len(kv[1]))
    page.goto(f"{server}/articles/{ref}")
    assert page.locator("#text .hl").count() == 0
    data = httpx.get(f"{server}/api/articles/{ref}").json()
    for e in data["events"][:3]:
        page.locator(f".event-select[data-event='{e['id']}']").click()
        hl = "".join(page.locator("#text .hl").all_inner_texts())
        assert hl == e["evidence"]["text"]
        assert page.locator(".event-item.selected").get_attribute("id") == f"ev-{e['id']}"
        assert f"event={e['id']}" in page.url
        assert page.locator("#text .ev-bracket").count() == 2
    # labels are readable without colour: toggled on, each annotation shows its code or value
    page.locator("#show-labels").check()
    label = page.evaluate("() => getComputedStyle(document.querySelector('#text [data-label]'), '::after').content")
    assert label not in ("none", "normal", "")
    shot(page, "article-labels")


def test_keyboard_reaches_the_evidence(server, page):
    data = httpx.get(server + "/api/events?limit=1").json()["events"][0]
    page.goto(f"{server}/articles/{data['article_id']}")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip"
    for _ in range(200):  # Tab until the first event link has the focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('event-select')"):
            break
    else:
        pytest.fail("no event link reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#text .hl")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused link shows no focus ring"


HOSTILE = {
    "title": "Summit <script>window.__xss = 'title'</script><img src=x onerror=\"window.__xss='title-img'\">",
    "url": "javascript:window.__xss='url'",
    "outlet": "<svg onload=\"window.__xss='outlet'\"></svg>Evil Times",
    "published": "2024-02-15",
    "text": ("Japanese Prime Minister Fumio Kishida said on Thursday that Japan is seeking a summit with North "
             "Korean leader Kim Jong Un <script>window.__xss = 'text'</script>.\n\n"
             "North Korea fired a ballistic missile toward Japan <img src=x onerror=\"window.__xss='img'\"> on "
             "Friday, the defence ministry in Tokyo said.\n\n"
             "Read more <a href=\"javascript:window.__xss='link'\">here</a> or [here](javascript:window.__xss='md') "
             "and \"</span></div><script>window.__xss='breakout'</script>\" said the Foreign Ministry of Japan."),
}


def test_hostile_article_runs_no_script(tmp_path, browser, pipeline):
    """An article full of markup is stored through POST /api/articles and shown as text everywhere."""
    from newsevents.web.app import create_app

    token = "a-long-enough-token-for-the-test"
    app = create_app(str(tmp_path / "hostile.duckdb"), token=token, pipeline=pipeline)
    try:
        with serve(app) as url:
            r = httpx.post(url + "/api/articles", json=HOSTILE, headers={"Authorization": f"Bearer {token}"},
                           timeout=120)
            assert r.status_code == 201, r.text
            key = r.json()["articles"][0]["key"]
            ev = httpx.get(f"{url}/api/articles/{key}").json()["events"]
            assert ev, "the hostile article was coded"
            actor = ev[0]["source"]["code"]
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            try:
                for path in ["/", "/articles", f"/articles/{key}", f"/articles/{key}?event={ev[0]['id']}",
                             "/events", "/events?q=script", f"/actors/{actor}", "/clusters", "/map"]:
                    page.goto(url + path)
                    wait_for_charts(page)
                    assert page.evaluate("() => window.__xss") is None, path
                    # nothing from the article became markup: every script is ours, no handlers, no js: links
                    assert page.evaluate("""() => Array.from(document.scripts).every(
                        s => s.type === 'application/json' || (s.getAttribute('src') || '').startsWith('/static/'))"""), path
                    assert page.locator("[onerror], [onload], svg[onload]").count() == 0, path
                    assert page.evaluate("""() => Array.from(document.querySelectorAll('a[href]')).every(
                        a => !/^\\s*javascript:/i.test(a.getAttribute('href')))"""), path
                page.goto(f"{url}/articles/{key}")
                text = page.locator("#text").inner_text()
                assert "<script>window.__xss = 'text'</script>" in text  # shown as text
                assert "Summit <script>" in page.locator("h1").inner_text()
                assert page.locator(".meta a").count() == 0  # the javascript: URL is no link...
                assert "javascript:window.__xss='url'" in page.locator(".meta").inner_text()  # ...but shown
                shot(page, "hostile-article")
                assert not dialogs
            finally:
                page.close()
    finally:
        app.state.access.close()
