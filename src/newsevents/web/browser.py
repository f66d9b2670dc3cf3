"""Drive the pages in a real headless Chromium: the browser tests and the documentation screenshots.

The system's Chromium (Debian package ``chromium``) is driven by Playwright through its executable
path (Playwright's own browser downloads are not used).  The server runs in a thread of this
process under uvicorn, on a free loopback port.

    python -m newsevents.web.browser --db demo.duckdb --out docs/screenshots
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

# Flags for a closed network and a throwaway profile: no background traffic, no GPU, no sandbox
# (CI runs as root).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
LAPTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


def find_chromium() -> str | None:
    """The system Chromium: ``$NEWSEVENTS_CHROMIUM``, else /usr/bin/chromium, else None."""
    env = os.environ.get("NEWSEVENTS_CHROMIUM")
    if env:
        return env if os.access(env, os.X_OK) else None
    for c in CHROMIUM_CANDIDATES:
        if os.access(c, os.X_OK):
            return c
    found = shutil.which("chromium")
    return found


_DEMO_STORES: dict[str, Path] = {}


def demo_store(directory: Path, pipeline=None) -> Path:
    """The bundled demo corpus ingested into ``directory/demo.duckdb``, built once per process
    (tests of several modules share it)."""
    from newsevents.ingest_run import ingest
    from newsevents.paths import data_path

    if "demo" not in _DEMO_STORES:
        db = Path(directory) / "demo.duckdb"
        ingest([str(data_path("demo", "wikinews-demo.jsonl"))], str(db), pipeline=pipeline, progress=False)
        _DEMO_STORES["demo"] = db
    return _DEMO_STORES["demo"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(app, host: str = "127.0.0.1", port: int | None = None) -> Iterator[str]:
    """Run ``app`` under uvicorn in a thread; yields its base URL (``http://127.0.0.1:PORT``)."""
    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name="newsevents-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextlib.contextmanager
def chromium(executable: str | None = None, viewport: dict | None = None) -> Iterator:
    """A Playwright browser context of the system Chromium with a fresh profile directory."""
    from playwright.sync_api import sync_playwright

    exe = executable or find_chromium()
    if exe is None:
        raise RuntimeError("no Chromium found (Debian: apt-get install chromium)")
    profile = tempfile.mkdtemp(prefix="newsevents-chromium-")
    try:
        with sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(
                profile, executable_path=exe, headless=True, args=CHROMIUM_ARGS,
                viewport=viewport or LAPTOP, locale="en-GB", timezone_id="UTC")
            try:
                yield ctx
            finally:
                ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def wait_for_charts(page, timeout: float = 15000) -> int:
    """Wait until every chart of the page is drawn (or failed); returns how many were drawn."""
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('[data-chart]'))"
        ".every(el => el.hasAttribute('data-rendered') || el.hasAttribute('data-error'))",
        timeout=timeout)
    return page.locator("[data-chart][data-rendered]").count()


# the pages of the documentation screenshots: (file name, path, viewport, element scrolled to the top)
SCREENSHOTS = [
    ("overview.png", "/", LAPTOP, None),
    ("dyad-USA-IRN.png", "/dyads/USA/IRN", LAPTOP, None),
    ("article-evidence.png", None, LAPTOP, None),  # an article with one event's evidence highlighted
    ("actor-USA.png", "/actors/USA", LAPTOP, None),
    ("map.png", "/map", LAPTOP, None),
    ("dyad-phone.png", "/dyads/USA/IRN", PHONE, ".chart-box"),
]


def take_screenshots(base_url: str, out: Path, full_page: bool = False) -> list[Path]:
    """Screenshots of the main pages (PNG) into ``out``; the article shown is the one behind the
    last evidence link of the USA-IRN dyad (its latest period)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with chromium() as ctx:
        page = ctx.new_page()
        for name, path, viewport, scroll_to in SCREENSHOTS:
            page.set_viewport_size(viewport)
            if path is None:
                page.goto(base_url + "/dyads/USA/IRN")
                href = page.locator("a.evidence-link").last.get_attribute("href")
                path = href
            page.goto(base_url + path)
            wait_for_charts(page)
            if scroll_to:
                page.evaluate("sel => document.querySelector(sel).scrollIntoView({block: 'start'})", scroll_to)
            page.wait_for_timeout(300)
            target = out / name
            page.screenshot(path=str(target), full_page=full_page)
            written.append(target)
        page.close()
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse

    from newsevents.web.app import create_app

    ap = argparse.ArgumentParser(description="Screenshots of the web pages in headless Chromium.")
    ap.add_argument("--db", help="store to serve (default: the demo corpus, ingested into a temporary store)")
    ap.add_argument("--out", type=Path, default=Path("test-artifacts/screenshots"))
    ap.add_argument("--full-page", action="store_true")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsevents-demo-") as tmp:
        app = create_app(a.db or str(demo_store(Path(tmp))))
        with serve(app) as url:
            for p in take_screenshots(url, a.out, a.full_page):
                print(p)
        app.state.access.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
