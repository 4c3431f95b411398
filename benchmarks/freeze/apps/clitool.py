"""A small click + rich + requests CLI (no network use: it builds a request and prints a table)."""
import click
import requests
from rich.console import Console
from rich.table import Table


@click.command()
@click.option("--url", default="https://pypi.org/simple/shipyard/")
def main(url: str) -> None:
    prepared = requests.Request("GET", url, params={"format": "json"}).prepare()
    table = Table("field", "value")
    table.add_row("method", prepared.method)
    table.add_row("url", prepared.url)
    table.add_row("requests", requests.__version__)
    Console(width=100, color_system=None).print(table)


if __name__ == "__main__":
    main()
