"""govkg: a knowledge graph of how a city government works, and the service that answers it."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("govkg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
