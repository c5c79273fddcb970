"""Service configuration: defaults, overridden by ``GOVKG_*`` environment variables, overridden
by ``govkg serve`` flags. docs/configuration.md lists every setting.

One frozen :class:`Config` is built at start and handed to :func:`govkg.app.create_app`; nothing
reads the environment later, so a running service never changes behaviour underneath a request.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from .iris import base_iri
from .store import SpecError, parse_spec


class ConfigError(ValueError):
    """A setting has an unusable value; the message names the setting and the value."""


@dataclass(frozen=True)
class Config:
    """Everything the service can be told at start."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    threads: int = 4
    query_timeout: float = 10.0
    """Seconds a query may run before its executor is killed; clients may ask for less."""
    update_timeout: float = 30.0
    max_rows: int = 10_000
    """Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) in one answer; more are cut, flagged."""
    max_body: int = 1_048_576
    """Largest accepted request body, in bytes (413 beyond)."""
    update_token: str | None = None
    """Bearer token that enables SPARQL Update; without it the service is read-only."""
    cors_origins: tuple[str, ...] = ("*",)
    allow_service: frozenset[str] = frozenset()
    """Endpoints SERVICE and LOAD may reach; empty (the default) refuses them all."""
    cache_max_age: int = 60
    result_cache: int = 64 * 1024 * 1024
    """Bytes of answers each worker keeps for repeated requests (0 disables)."""
    base_iri: str = "https://w3id.org/govkg/yueqing/"
    access_log: bool = True
    store: str = "oxigraph"
    """Which store serves the data: ``oxigraph:PATH`` (``oxigraph``: the default directory),
    ``memory`` or ``sparql:QUERY_URL`` (see :func:`govkg.store.open_store`)."""
    store_update_url: str | None = None
    """SPARQL Update URL of a ``sparql:`` store (without it the remote data is read-only)."""
    store_user: str | None = None
    store_password: str | None = None
    """Credentials for a ``sparql:`` store (HTTP basic or digest, as the endpoint asks)."""

    @property
    def read_only(self) -> bool:
        return not self.update_token


def _split(value: str) -> list[str]:
    return [part for part in value.replace(",", " ").split() if part]


_PARSERS = {
    "host": str,
    "port": int,
    "workers": int,
    "threads": int,
    "query_timeout": float,
    "update_timeout": float,
    "max_rows": int,
    "max_body": int,
    "update_token": lambda v: v or None,
    "cors_origins": lambda v: tuple(_split(v)),
    "allow_service": lambda v: frozenset(_split(v)),
    "cache_max_age": int,
    "result_cache": int,
    "base_iri": str,
    "access_log": lambda v: v.strip().lower() not in ("0", "false", "no", "off"),
    "store": str,
    "store_update_url": lambda v: v or None,
    "store_user": lambda v: v or None,
    "store_password": lambda v: v or None,
}


def env_name(field_name: str) -> str:
    """``query_timeout`` -> ``GOVKG_QUERY_TIMEOUT``."""
    return "GOVKG_" + field_name.upper()


def load(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None):
    """Build the configuration: defaults < environment < ``overrides`` (None values ignored)."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for f in fields(Config):
        name = env_name(f.name)
        if name in environ:
            try:
                values[f.name] = _PARSERS[f.name](environ[name])
            except ValueError:
                raise ConfigError(f"{name}={environ[name]!r} is not a valid {f.type}") from None
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return _checked(replace(Config(), **values))


def _checked(config: Config) -> Config:
    positive = ("port", "workers", "threads", "query_timeout", "update_timeout", "max_rows",
                "max_body")
    for name in positive:
        if getattr(config, name) <= 0:
            raise ConfigError(f"{name} ({env_name(name)}) must be > 0, got {getattr(config, name)}")
    for name in ("cache_max_age", "result_cache"):
        if getattr(config, name) < 0:
            raise ConfigError(f"{name} ({env_name(name)}) must be >= 0")
    for iri in config.allow_service:
        if not iri.startswith(("http://", "https://")):
            raise ConfigError(f"allow_service (GOVKG_ALLOW_SERVICE): {iri!r} is not an http(s) IRI")
    try:
        parse_spec(config.store)
    except SpecError as exc:
        raise ConfigError(f"store (GOVKG_STORE): {exc}") from None
    if config.store_update_url and not config.store_update_url.startswith(("http://",
                                                                         "https://")):
        raise ConfigError(f"store_update_url (GOVKG_STORE_UPDATE_URL): "
                          f"{config.store_update_url!r} is not an http(s) URL")
    try:
        return replace(config, base_iri=base_iri(config.base_iri))
    except ValueError as exc:
        raise ConfigError(f"base_iri (GOVKG_BASE_IRI): {exc}") from None
