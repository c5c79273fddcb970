"""The Flask application factory.

``create_app`` opens the configured store (:func:`govkg.store.open_store`: embedded Oxigraph
on disk by default, loaded on first start and re-used after; rdflib in memory; or a remote
SPARQL endpoint), reads the named questions and wires the blueprints: ``/sparql`` (protocol, service
description, YASGUI), ``/api`` (named questions) and ``/healthz`` + ``/metrics``. Under
``govkg serve`` gunicorn calls it once in the master (``preload_app``) and forks the workers,
so every worker shares one loaded store and one executor zygote.
"""

from __future__ import annotations

from flask import Flask

from . import config as cfg
from . import ops, resources, transport, web
from .api import loader
from .api import validate as _validate  # noqa: F401  (adds POST /api/validate to the api blueprint)
from .api.views import bp as api_bp
from .sparql.cache import AnswerCache
from .sparql.protocol import bp as sparql_bp
from .store import Remote, open_store


def create_app(config: cfg.Config | None = None) -> Flask:
    """Build the service from ``config`` (default: :func:`govkg.config.load` from the env)."""
    config = config or cfg.load()
    app = Flask(__name__)
    app.config["GOVKG"] = config
    app.config["MAX_CONTENT_LENGTH"] = config.max_body
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["govkg.questions"] = loader.load_all(
        resources.path("queries"), config.base_iri
    )
    app.extensions["govkg.store"] = open_store(
        config.store, base=config.base_iri, allow_service=config.allow_service,
        remote=Remote(config.store_update_url, config.store_user, config.store_password),
    )
    if config.result_cache:
        app.extensions["govkg.answers"] = AnswerCache(config.result_cache)
    app.register_blueprint(sparql_bp)
    app.register_blueprint(api_bp)
    web.init_app(app)
    ops.init(app)
    transport.init(app, config)
    return app
