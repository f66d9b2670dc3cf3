"""``newsevents serve``: the web pages and JSON API over a store (a thin wrapper over
:func:`newsevents.web.app.create_app`, run by uvicorn)."""

from __future__ import annotations

import ipaddress

import typer
from rich.console import Console

err = Console(stderr=True)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_url(host: str, port: int) -> str:
    """The address to open in a browser for a server listening on ``host``:``port``."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def serve_command(
    db: str | None = typer.Option(None, "--db", show_default=False,
                                     help="DuckDB file or postgresql:// URL. Default: $NEWSEVENTS_DB, else ./newsevents.duckdb."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0: every interface)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    token: str | None = typer.Option(None, "--token", envvar="NEWSEVENTS_TOKEN", show_default=False,
                                        help="Accept POST /api/articles with this Bearer token (better set "
                                             "NEWSEVENTS_TOKEN than pass it on the command line). Without it "
                                             "the server is read-only."),
    cors: list[str] = typer.Option([], "--cors", help="Origin allowed to call the API from a browser page "
                                                     "elsewhere (repeatable). Default: none."),
) -> None:
    """Serve the web pages and the JSON API over a store; prints the address to open."""
    import uvicorn

    from newsevents.store import SchemaTooNew, StoreError
    from newsevents.web.app import LOOPBACK_HOSTS, create_app

    if token is not None and len(token) < 16:
        err.print("[red]error:[/red] the token must be at least 16 characters long")
        raise typer.Exit(2)
    loopback = _is_loopback(host)
    try:
        app = create_app(db, token=token, cors=cors or None,
                         allowed_hosts=LOOPBACK_HOSTS if loopback else None)
    except (StoreError, SchemaTooNew) as e:
        from rich.markup import escape

        err.print(f"[red]error:[/red] {escape(str(e))}", soft_wrap=True)
        raise typer.Exit(2) from None
    url = serve_url(host, port)
    label = app.state.access.label
    err.print(f"Serving {label} ({'accepting articles with the token' if token else 'read-only'})")
    typer.echo(f"Open {url} in a browser (API reference: {url}docs). Ctrl+C stops the server.")
    if not loopback:
        err.print("[yellow]note:[/yellow] listening beyond this machine: anyone who can reach it can read the store.")
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
