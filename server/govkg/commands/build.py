"""``govkg build``: regenerate the legal-structure graph, then check the whole project's data.

The legal graph is generated; the ontology, the knowledge graph and the shapes are written by
hand. Both are only worth shipping together if every Turtle file parses and the self-check
shapes hold (every fact cites an existing clause, every term is labelled in zh and en …), so
``build`` does both: exit 2 for a file that cannot be read, 1 when the self-check fails.
"""

from __future__ import annotations

from pathlib import Path

import click

from .. import graphs, resources, selfcheck
from ..iris import DEFAULT_BASE
from ..iris import base_iri as resolve_base
from ..legal.build import legal_graph, output_path, serialise
from ..legal.parser import ParseError
from . import InputError


@click.command("build")
@click.option(
    "--base-iri",
    envvar="GOVKG_BASE_IRI",
    default=DEFAULT_BASE,
    show_default=True,
    help="Base IRI for every minted IRI (env GOVKG_BASE_IRI).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the graph here instead of the project's data/legal/ folder.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if the checked-in graph differs from a fresh build.",
)
def command(base_iri: str, out_dir: Path | None, check: bool) -> None:
    """Parse the regulation's text into its ELI legal-structure graph (Turtle)."""
    try:
        base = resolve_base(base_iri)
        graph = legal_graph(base)
    except (ParseError, ValueError) as exc:
        raise InputError(str(exc)) from exc
    text = serialise(graph)
    target = output_path(out_dir)
    if check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            click.echo(f"{target} is out of date: run `govkg build`", err=True)
            raise SystemExit(1)
        click.echo(f"{target} is up to date ({len(graph)} triples)")
    else:
        if out_dir is None and not resources.is_source_checkout():
            raise click.UsageError("installed package: pass --out DIR to say where to write")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        click.echo(f"wrote {target} ({len(graph)} triples)")
    _check_project()


def _check_project() -> None:
    """Parse every data file and run the self-check shapes over legal graph, ontology and KG."""
    try:
        union = graphs.union()
        shapes = graphs.shapes()
    except graphs.DataError as exc:
        raise InputError(str(exc)) from exc
    conforms, report = selfcheck.check(union)
    if not conforms:
        click.echo(report, err=True)
        click.echo("self-check failed: the data above breaks shapes/selfcheck.ttl", err=True)
        raise SystemExit(1)
    click.echo(f"self-check passed: {len(union)} triples (legal + ontology + KG), "
               f"{len(shapes)} triples of shapes")
