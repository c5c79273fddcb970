"""Web pages for people who do not write SPARQL, and linked-data dereferencing of every IRI.

``init_app`` registers one blueprint twice — at ``/`` (Chinese) and ``/en`` (English) — after
importing the modules that add its views: :mod:`.pages` (home, search, resources, reader,
deadlines, "who is responsible?"), :mod:`.linked` (content negotiation, downloads, ontology
documentation) and :mod:`.check` (the record-check form). docs/web.md describes the pages.
"""

from __future__ import annotations

from flask import Flask

from . import check, data, linked, pages  # noqa: F401  (they add the views)
from .blueprint import bp
from .i18n import PREFIX


def init_app(app: Flask) -> None:
    data.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="web_en", url_prefix=PREFIX)
