"""``govkg load --to UPDATE_URL`` (or ``--gsp GSP_URL``): fill a remote store with govkg's data.

Pushes the four graphs (legal, ontology, kg, shapes) under the configured base IRI, then the
marker that ``govkg serve --store sparql:QUERY_URL`` reads. Idempotent: each graph is replaced,
so a rerun (or a rerun after a failure) leaves the same store; with ``--query-url`` a store
that already holds this data version is left alone unless ``--force``.
"""

from __future__ import annotations

import time

import click

from .. import dataset, iris
from ..store import StoreError, marker
from ..store.push import BATCH, Target, push
from ..store.remote import RemoteStore
from . import InputError


@click.command("load")
@click.option("--to", "update_url", metavar="UPDATE_URL",
              help="SPARQL 1.1 Update endpoint, e.g. http://127.0.0.1:7878/update.")
@click.option("--gsp", "gsp_url", metavar="GSP_URL",
              help="Graph Store Protocol endpoint instead, e.g. http://127.0.0.1:7878/store.")
@click.option("--query-url", metavar="QUERY_URL",
              help="Query endpoint: skip the push when the store already holds this version.")
@click.option("--user", envvar="GOVKG_STORE_USER", help="User (env GOVKG_STORE_USER).")
@click.option("--password", envvar="GOVKG_STORE_PASSWORD",
              help="Password (prefer env GOVKG_STORE_PASSWORD: flags show in ps).")
@click.option("--batch", type=click.IntRange(min=1), default=BATCH, show_default=True,
              help="Triples per request.")
@click.option("--base-iri", help="Base IRI of the data (env GOVKG_BASE_IRI).")
@click.option("--force", is_flag=True, help="Push even if the store is up to date.")
def command(update_url: str | None, gsp_url: str | None, query_url: str | None,
            user: str | None, password: str | None, batch: int, base_iri: str | None,
            force: bool) -> None:
    """Push the ontology, KG, shapes and legal text into a remote store as named graphs."""
    if bool(update_url) == bool(gsp_url):
        raise InputError("give exactly one of --to UPDATE_URL or --gsp GSP_URL")
    url = update_url or gsp_url
    for name, value in (("--to/--gsp", url), ("--query-url", query_url)):
        if value and not value.startswith(("http://", "https://")):
            raise InputError(f"{name}: {value!r} is not an http(s) URL")
        if value and any(c <= " " or c == "\x7f" for c in value):
            raise InputError(f"{name}: {value!r} contains a space or control character")
    try:
        base = iris.base_iri(base_iri)
    except ValueError as exc:
        raise InputError(f"--base-iri: {exc}") from exc
    wanted = marker.packaged(base)
    if query_url and not force and _current(query_url, user, password) == wanted.version:
        click.echo(f"up to date: {query_url} holds data version {wanted.version}")
        return
    target = Target(url, gsp=bool(gsp_url), user=user, password=password)
    graphs = {dataset.graph_iri(name, base): (q.triple for q in dataset.quads(name, base))
              for name in dataset.FOLDERS}
    started = time.perf_counter()
    try:
        sent = push(target, graphs, wanted, size=batch,
                    progress=lambda iri, n: click.echo(f"{iri}: {n} triples"))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"loaded {sent} triples into {url} in {time.perf_counter() - started:.1f} s "
               f"(data version {wanted.version})")


def _current(query_url: str, user: str | None, password: str | None) -> str | None:
    """The data version the store's marker records, or None (no marker, or unreachable)."""
    from ..store import Remote

    try:
        store = RemoteStore(query_url, remote=Remote(None, user, password))
    except StoreError:
        return None
    return store.version.split(".")[0]
