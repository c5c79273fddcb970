"""HTTP concerns shared by every route: CORS and gzip.

Both are small enough to own rather than pull in extensions, and both must agree with the
caching headers (``Vary``) set by the SPARQL blueprint.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

from .config import Config

_COMPRESSIBLE = ("text/", "application/sparql-results", "application/json", "application/ld+json",
                 "application/n-triples", "application/rdf+xml", "application/xml",
                 "application/javascript")
_MIN_GZIP = 1024
_EXPOSED = "ETag, Govkg-Rows, Govkg-Truncated, Retry-After"


def init(app: Flask, config: Config) -> None:
    """Register the CORS and gzip response hooks."""

    @app.after_request
    def cors(response: Response) -> Response:
        origin = request.headers.get("Origin")
        if not origin or not config.cors_origins:
            return response
        if "*" in config.cors_origins:
            response.headers["Access-Control-Allow-Origin"] = "*"
        elif origin in config.cors_origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.vary.add("Origin")
        else:
            return response
        response.headers["Access-Control-Expose-Headers"] = _EXPOSED
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = (
                "Accept, Authorization, Content-Type, If-None-Match"
            )
            response.headers["Access-Control-Max-Age"] = "600"
        return response

    @app.after_request
    def compress(response: Response) -> Response:
        if (
            response.direct_passthrough
            or response.status_code < 200
            or response.status_code in (204, 304)
            or "Content-Encoding" in response.headers
            or not (response.mimetype or "").startswith(_COMPRESSIBLE)
        ):
            return response
        response.vary.add("Accept-Encoding")
        if request.accept_encodings["gzip"] <= 0:
            return response
        data = response.get_data()
        if len(data) < _MIN_GZIP:
            return response
        response.set_data(gzip.compress(data, compresslevel=5, mtime=0))
        response.headers["Content-Encoding"] = "gzip"
        return response
