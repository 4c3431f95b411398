# /// script
# requires-python = ">=3.11"
# dependencies = ["click>=8", "rich>=13"]
# ///
"""A click + rich CLI; its dependencies come from the PEP 723 block above."""
import click
from rich.console import Console
from rich.table import Table


@click.command()
@click.argument("name")
@click.option("--count", default=2, show_default=True)
def main(name: str, count: int) -> None:
    table = Table("n", "greeting")
    for i in range(count):
        table.add_row(str(i), f"hi {name}")
    Console(width=40, color_system=None).print(table)


if __name__ == "__main__":
    main()
