"""The web blueprint and what every page's template needs: language, links, rendering.

The blueprint is registered twice (:func:`govkg.web.init_app`): at ``/`` for Chinese and at
``/en`` for English, so each page has one URL per language. Views call :func:`render`, which
adds the language, the switch link and the helpers templates use to link graph nodes.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for

from . import i18n
from .data import DataUnavailable
from .site import Site
from .site import current as current_site

bp = Blueprint("web", __name__)


@bp.errorhandler(DataUnavailable)
def unavailable(exc: DataUnavailable) -> Response:
    """The store could not answer (timeout, engine down): say so, 503, and ask to retry."""
    return render("web/error.html", status=503, headers={"Retry-After": "5"},
                  heading="unavailable", message=str(exc), site=False)


def endpoint_url(endpoint: str, lang: str | None = None, **values: Any) -> str:
    """``url_for`` of a web view in ``lang`` (default: this request's language)."""
    lang = lang or i18n.current()
    return url_for(("web_en." if lang == i18n.EN else "web.") + endpoint, **values)


def node_href(site: Site, node: object, lang: str) -> str | None:
    """Where a graph node's page is in ``lang`` (None for blank nodes and outside IRIs)."""
    path = site.local_path(node) if isinstance(node, ox.NamedNode) else None
    if path is None:
        return None
    return i18n.localise(path, lang)


def switch_url(lang: str) -> str:
    """This page in the other language."""
    path = i18n.unlocalise(request.path)
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    target = i18n.localise(path, i18n.other(lang))
    if args:
        from urllib.parse import urlencode

        target += "?" + urlencode(args)
    return target


def render(template: str, *, status: int = 200, headers: dict | None = None,
           **context: Any) -> Response:
    lang = i18n.current()
    site = context.pop("site", None)
    site = current_site() if site is None else site

    def href(node: object) -> str | None:
        if isinstance(node, str):
            node = ox.NamedNode(node)
        return node_href(site, node, lang)

    def label(node: object) -> str:
        return site.label(node, lang)

    body = render_template(
        template,
        lang=lang,
        t=lambda key, **v: i18n.t(key, lang, **v),
        switch_url=switch_url(lang),
        link=lambda endpoint, **v: endpoint_url(endpoint, lang, **v),
        href=href,
        label=label,
        site=site,
        **context,
    )
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Content-Language"] = lang
    for key, value in (headers or {}).items():
        response.headers[key] = value
    response.vary.add("Accept")
    return response
