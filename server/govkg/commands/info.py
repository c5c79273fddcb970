"""``govkg info``: what is loaded — version, base IRI, triples per graph, the regulation's shape."""

from __future__ import annotations

import click

from .. import __version__, resources
from ..iris import base_iri
from ..legal.build import legal_graph
from ..legal.graph import ELI, SUBDIVISION


@click.command("info")
def command() -> None:
    """Print what govkg holds: version, data location, triples and the regulation's parts."""
    graph = legal_graph(base_iri())
    counts = {
        kind: len(set(graph.subjects(ELI.type_subdivision, SUBDIVISION[kind])))
        for kind in ("CHAPTER", "ARTICLE", "PARAGRAPH", "POINT")
    }
    click.echo(f"govkg {__version__}")
    click.echo(f"data root:   {resources.data_root()}")
    click.echo(f"base IRI:    {base_iri()}")
    click.echo(f"legal graph: {len(graph)} triples")
    click.echo(
        "regulation:  {CHAPTER} chapters, {ARTICLE} articles, {PARAGRAPH} paragraphs, "
        "{POINT} items".format(**counts)
    )
