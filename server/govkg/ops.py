"""Operating the service: ``/healthz``, Prometheus ``/metrics`` and structured access logs.

Metrics are kept with prometheus_client; under gunicorn each worker writes its own files in
``PROMETHEUS_MULTIPROC_DIR`` (set up by ``govkg serve``) and ``/metrics`` aggregates them, so
any worker answers for all. Access logs are one JSON object per line on stderr (logger
``govkg.access``), which log shippers parse without a grammar.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import time

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request

from . import store as st
from .sparql import results as r
from .sparql.negotiation import Choice

bp = Blueprint("ops", __name__)
access_log = logging.getLogger("govkg.access")


class _Metrics:
    """The service's counters and histograms (created once per app)."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.registry = CollectorRegistry() if "PROMETHEUS_MULTIPROC_DIR" not in os.environ \
            else None
        kw = {"registry": self.registry} if self.registry else {}
        self.requests = Counter(
            "govkg_http_requests", "HTTP requests answered", ["endpoint", "method", "status"], **kw
        )
        self.latency = Histogram(
            "govkg_http_request_duration_seconds", "Time to answer an HTTP request",
            ["endpoint"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            **kw,
        )
        self.results = Counter(
            "govkg_query_results", "Rows or triples returned by queries", ["form"], **kw
        )
        self.truncated = Counter(
            "govkg_query_truncated", "Answers cut at the row cap", **kw
        )
        self.timeouts = Counter(
            "govkg_query_timeouts", "Queries stopped at their deadline (503)", **kw
        )

    def exposition(self) -> bytes:
        from prometheus_client import CollectorRegistry, generate_latest, multiprocess

        if self.registry is not None:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)


def init(app: Flask) -> None:
    """Install the metrics and access-log hooks and the ops routes."""
    metrics = _Metrics()
    app.extensions["govkg.metrics"] = metrics
    if app.config["GOVKG"].access_log and not access_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_log.addHandler(handler)
        access_log.setLevel(logging.INFO)
        access_log.propagate = False

    @app.before_request
    def start_clock() -> None:
        g.govkg_started = time.perf_counter()

    @app.after_request
    def record(response: Response) -> Response:
        elapsed = time.perf_counter() - g.get("govkg_started", time.perf_counter())
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.requests.labels(endpoint, request.method, str(response.status_code)).inc()
        metrics.latency.labels(endpoint).observe(elapsed)
        answer: st.Answer | None = g.get("govkg_answer")
        if answer is not None:
            metrics.results.labels(answer.form).inc(answer.count)
            if answer.truncated:
                metrics.truncated.inc()
        if g.get("govkg_timed_out"):
            metrics.timeouts.inc()
        if app.config["GOVKG"].access_log:
            _log(response, elapsed, answer)
        return response

    app.register_blueprint(bp)


def _log(response: Response, elapsed: float, answer: st.Answer | None) -> None:
    entry = {
        "ts": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "remote": request.remote_addr,
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "bytes": response.calculate_content_length(),
        "ms": round(elapsed * 1000, 2),
        "ua": request.user_agent.string or None,
    }
    query = g.get("govkg_query")  # set when a query ran; never parse the body here
    if query:
        entry["query_sha1"] = hashlib.sha1(query.encode(), usedforsecurity=False).hexdigest()[:12]
    if answer is not None:
        entry.update(form=answer.form, rows=answer.count, truncated=answer.truncated)
    access_log.info(json.dumps(entry, ensure_ascii=False))


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """200 once the store answers a query through an executor; 503 otherwise."""
    store: st.Store = current_app.extensions["govkg.store"]
    try:
        store.query("ASK {}", dataset=st.Dataset(), timeout=2.0, bindings=None,
                    output=st.Output(Choice(r.JSON, None), max_rows=1))
    except st.StoreError as exc:
        return jsonify(status="unavailable", error=str(exc)), 503
    return jsonify(status="ok", version=store.version), 200


@bp.get("/metrics")
def metrics() -> Response:
    body = current_app.extensions["govkg.metrics"].exposition()
    return Response(body, content_type="text/plain; version=0.0.4; charset=utf-8")
