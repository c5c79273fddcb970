"""Where the packaged data folders live, installed or in a source checkout.

The wheel carries ``ontology/``, ``shapes/``, ``data/`` and ``queries/`` under ``govkg/_data``;
an editable install or a plain checkout finds them at the repository root. Everything that reads
project data goes through :func:`data_root`, so both layouts behave the same.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    """Return the folder that holds ``ontology/``, ``shapes/``, ``data/`` and ``queries/``."""
    override = os.environ.get("GOVKG_DATA_ROOT")
    candidates = [Path(override)] if override else []
    candidates += [_PACKAGE / "_data", _PACKAGE.parent.parent]
    for root in candidates:
        if (root / "data" / "source").is_dir():
            return root
    raise FileNotFoundError(
        "govkg data folders not found (looked in: "
        + ", ".join(str(c) for c in candidates)
        + "); reinstall govkg or set GOVKG_DATA_ROOT"
    )


def path(*parts: str) -> Path:
    """A path below the data root, e.g. ``path("data", "legal", "x.ttl")``."""
    return data_root().joinpath(*parts)


def is_source_checkout() -> bool:
    """True when running from a repository checkout (files there may be rebuilt in place)."""
    return data_root() == _PACKAGE.parent.parent
