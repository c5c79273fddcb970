"""``govkg coverage``: how many facts each article of the regulation gives rise to."""

from __future__ import annotations

import json

import click

from .. import graphs
from ..coverage import ArticleCoverage, coverage, problems
from ..legal.numerals import from_int
from . import InputError


@click.command("coverage")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def command(fmt: str) -> None:
    """Print, for each of the regulation's articles, how many facts cite it.

    An article with no facts is listed with its coverage note. Exits 1 when an article of
    chapters 2, 4, 10–13 or article 67 has no facts, or an uncovered article has no note.
    """
    try:
        report = coverage(graphs.union())
    except graphs.DataError as exc:
        raise InputError(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps([_as_dict(a) for a in report], ensure_ascii=False, indent=2))
    else:
        for line in _text(report):
            click.echo(line)
    failed = problems(report)
    for art in failed:
        click.echo(f"coverage: article {art.number}: {art.problem}", err=True)
    if failed:
        raise SystemExit(1)


def _as_dict(art: ArticleCoverage) -> dict:
    return {
        "article": art.number,
        "iri": str(art.article),
        "chapter": art.chapter,
        "facts": len(art.facts),
        "required": art.required,
        "note": art.note or None,
        "problem": art.problem,
    }


def _text(report: list[ArticleCoverage]) -> list[str]:
    lines = []
    for art in report:
        citation = f"第{from_int(art.number)}条".ljust(6, "\u3000")
        head = f"{citation} art. {art.number:>2}  ch. {art.chapter:>2}"
        count = f"{len(art.facts):>3} fact" + ("" if len(art.facts) == 1 else "s")
        if art.facts:
            lines.append(f"{head}  {count}")
        else:
            reason = " / ".join(art.note[lang] for lang in ("zh-Hans", "en") if lang in art.note)
            lines.append(f"{head}  {count}  — {reason or '(no coverage note)'}")
    covered = sum(1 for a in report if a.facts)
    total = sum(len(a.facts) for a in report)
    lines.append(f"{covered} of {len(report)} articles covered; {total} article citations by facts")
    return lines
