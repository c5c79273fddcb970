"""``govkg validate FILE…``: check records against the work rules and report every finding.

Exit status: 0 when no hard rule (须/必须/不得/一律) is violated, 1 when one is (or, with
``--strict``, when there is any finding at all), 2 when the input cannot be used — with a
message naming the file, line and column, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..validation import InputError, Validator
from ..validation.engines import ENGINES
from ..validation.formats import FORMATS as REPORT_FORMATS
from ..validation.inputs import FORMATS as INPUT_FORMATS
from ..validation.inputs import MAX_DECOMPRESSED, Input
from . import InputError as UsageInputError


@click.command("validate")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-f", "--format", "report_format", type=click.Choice(REPORT_FORMATS),
              default="text", show_default=True, help="Report format.")
@click.option("-i", "--input-format", type=click.Choice(sorted(INPUT_FORMATS)),
              help="Syntax of the input files (default: from each file's extension).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the report.")
@click.option("--engine", type=click.Choice(ENGINES), default="auto", show_default=True,
              help="fast: rules compiled to SPARQL on Oxigraph; pyshacl: the reference engine.")
@click.option("--strict", is_flag=True,
              help="Exit 1 on any finding, warnings and infos included.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of standard output.")
@click.option("--max-bytes", type=int, default=MAX_DECOMPRESSED, show_default=True,
              help="Largest decompressed size accepted from a gzip file.")
def command(files: tuple[Path, ...], report_format: str, input_format: str | None, lang: str,
            engine: str, strict: bool, output: Path | None, max_bytes: int) -> None:
    """Validate records (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML, plain JSON, gzip).

    All FILES are validated together, so a roster of people and posts can sit in its own file.
    """
    try:
        inputs = [Input.from_path(f, input_format, max_bytes=max_bytes) for f in files]
        report = Validator().validate(inputs, engine=engine, lang=lang)
    except InputError as exc:
        raise UsageInputError(str(exc)) from exc
    text = report.serialise(report_format, lang)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
    failed = not report.conforms_all if strict else not report.conforms
    raise SystemExit(1 if failed else 0)
