"""One read-only server for all hostile-input and fuzz tests, whatever the session's backends.

The shared ``server`` fixture may run on several store backends; attacks on the HTTP layer
need one predictable server (embedded Oxigraph, executors, small limits), started once per
session however many test modules ask for it.
"""

from __future__ import annotations

import pytest
from conftest import Server, start_server, stop_server

LIMITS = ("--workers", "2", "--threads", "4", "--query-timeout", "3", "--max-rows", "1000",
          "--max-body", "65536")
QUERY_TIMEOUT = 3.0
_running: list[Server] = []


def shared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Server:
    """The session's hostile-input server, started on first use and stopped at the end."""
    if not _running or _running[0].process.poll() is not None:
        _running[:] = [start_server(tmp_path_factory.mktemp("hostile") / "serve.log", *LIMITS)]
        request.session.config.add_cleanup(lambda s=_running[0]: stop_server(s.process))
    return _running[0]
