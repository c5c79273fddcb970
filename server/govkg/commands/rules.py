"""``govkg rules``: the rule catalogue — every rule shape with its article, severity and summary."""

from __future__ import annotations

import csv
import io
import json

import click

from ..validation import catalogue


@click.command("rules")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "csv"]),
              default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the summary in the text listing (json and csv carry both).")
def command(fmt: str, lang: str) -> None:
    """List every rule (id, article, severity, zh/en summary) and the input checks."""
    rules = list(catalogue().values())
    rows = [{
        "id": r.id,
        "iri": r.iri,
        "articles": list(r.articles),
        "clauses": [c.iri for c in r.clauses],
        "severity": r.severity_name,
        "name": r.name,
        "description": r.description,
    } for r in rules]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "articles", "severity", "name_zh", "name_en", "clauses"])
        for row in rows:
            writer.writerow([row["id"], " ".join(map(str, row["articles"])), row["severity"],
                             row["name"].get("zh", ""), row["name"].get("en", ""),
                             " ".join(row["clauses"])])
        click.echo(out.getvalue(), nl=False)
    else:
        for r in rules:
            where = ", ".join(map(str, r.articles)) or "—"
            click.echo(f"{r.id:<66} {where:<8} {r.severity_name:<9} {r.name.get(lang, '')}")
        hard = sum(1 for r in rules if not r.is_input_check)
        click.echo(f"\n{hard} rules, {len(rules) - hard} input checks")
