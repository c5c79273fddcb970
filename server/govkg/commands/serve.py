"""``govkg serve``: run the SPARQL service under gunicorn (or Flask's reloader with ``--dev``).

The app is built once, in the gunicorn master, before any worker exists (``preload_app``):
bad settings or a broken named question stop the command with status 2 and a message instead
of a worker crash loop, and all workers share the loaded store and its executor zygote.
Workers are ``gthread`` workers, so keep-alive connections are served and a worker thread
waiting on a query executor does not block the others.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import click
from gunicorn.app.base import BaseApplication

from .. import config as cfg
from ..api.loader import QuestionError
from ..store import StoreError
from . import InputError


class _Gunicorn(BaseApplication):
    """gunicorn driven from Python: settings from :class:`Config`, the app already built."""

    def __init__(self, app, config: cfg.Config) -> None:
        self._app = app
        self._config = config
        super().__init__()

    def load_config(self) -> None:
        c = self._config
        settings = {
            "bind": [f"{c.host}:{c.port}"],
            "workers": c.workers,
            "threads": c.threads,
            "worker_class": "gthread",
            "preload_app": True,
            "keepalive": 5,
            # a worker thread waits for its executor at most query_timeout: anything longer
            # means the worker itself is stuck, and gunicorn should replace it
            "timeout": int(max(c.query_timeout, c.update_timeout) * 2 + 10),
            "graceful_timeout": 10,
            "limit_request_line": 8190,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "govkg",
            "control_socket_disable": True,
            "post_worker_init": _warm,
        }
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self):
        return self._app


def _warm(worker) -> None:
    """Start one query executor per worker thread before the first request arrives."""
    worker.wsgi.extensions["govkg.store"].warm(worker.cfg.threads)


@click.command("serve")
@click.option("--host", help="Interface to listen on (env GOVKG_HOST; default 127.0.0.1).")
@click.option("--port", type=int, help="Port (env GOVKG_PORT; default 8000).")
@click.option("--workers", type=int, help="gunicorn worker processes (env GOVKG_WORKERS; 2).")
@click.option("--threads", type=int, help="Threads per worker (env GOVKG_THREADS; 4).")
@click.option("--query-timeout", type=float,
              help="Seconds before a query is stopped (env GOVKG_QUERY_TIMEOUT; 10).")
@click.option("--max-rows", type=int,
              help="Row/triple cap per answer, flagged when hit (env GOVKG_MAX_ROWS; 10000).")
@click.option("--max-body", type=int,
              help="Largest request body in bytes (env GOVKG_MAX_BODY; 1048576).")
@click.option("--update-token",
              help="Enable SPARQL Update for requests bearing this token "
                   "(prefer env GOVKG_UPDATE_TOKEN: flags are visible in ps).")
@click.option("--cors-origins",
              help="Allowed CORS origins, comma-separated, or * (env GOVKG_CORS_ORIGINS; *).")
@click.option("--allow-service", "allow_service", multiple=True,
              help="An endpoint SERVICE/LOAD may reach; repeatable (env GOVKG_ALLOW_SERVICE).")
@click.option("--cache-max-age", type=int,
              help="Cache-Control max-age of query answers (env GOVKG_CACHE_MAX_AGE; 60).")
@click.option("--result-cache", type=int,
              help="Bytes of answers cached per worker, 0 to disable (env GOVKG_RESULT_CACHE; "
                   "64 MiB).")
@click.option("--base-iri", help="Base IRI of the data (env GOVKG_BASE_IRI).")
@click.option("--store",
              help="oxigraph:PATH (default: oxigraph, a directory per data version), memory, "
                   "or sparql:QUERY_URL (env GOVKG_STORE).")
@click.option("--store-update-url",
              help="SPARQL Update URL of a sparql: store (env GOVKG_STORE_UPDATE_URL).")
@click.option("--store-user", help="User for a sparql: store (env GOVKG_STORE_USER).")
@click.option("--store-password",
              help="Password for a sparql: store (prefer env GOVKG_STORE_PASSWORD).")
@click.option("--no-access-log", is_flag=True, help="Do not write JSON access logs to stderr.")
@click.option("--dev", is_flag=True,
              help="Flask's development server with the reloader instead of gunicorn.")
def command(dev: bool, no_access_log: bool, allow_service: tuple[str, ...], cors_origins,
            **options) -> None:
    """Serve SPARQL at /sparql, named questions at /api, /healthz and /metrics."""
    overrides = dict(options)
    if allow_service:
        overrides["allow_service"] = frozenset(allow_service)
    if cors_origins is not None:
        overrides["cors_origins"] = tuple(o for o in cors_origins.replace(",", " ").split())
    if no_access_log:
        overrides["access_log"] = False
    try:
        config = cfg.load(overrides)
    except cfg.ConfigError as exc:
        raise InputError(str(exc)) from exc
    if not dev:
        # per-process metric files, aggregated by /metrics (must be set before the import)
        metrics_dir = tempfile.mkdtemp(prefix="govkg-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
        atexit.register(shutil.rmtree, metrics_dir, ignore_errors=True)
    from ..app import create_app

    try:
        app = create_app(config)
    except (QuestionError, FileNotFoundError, StoreError) as exc:
        raise InputError(str(exc)) from exc
    if dev:
        app.run(host=config.host, port=config.port, debug=True, use_reloader=True,
                threaded=True)
    else:
        _Gunicorn(app, config).run()
