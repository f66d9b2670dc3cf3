"""Command-line interface: a thin Typer layer over the Python API."""

import typer

app = typer.Typer(help="Turn news articles into political event data.", no_args_is_help=True)


@app.command()
def version() -> None:
    """Print the version."""
    from newsevents import __version__

    typer.echo(__version__)
