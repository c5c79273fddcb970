"""The ``govkg`` command line.

Each command lives with the module that does the work; this file only wires them into one
group, so ``govkg --help`` lists everything. Bad input exits with status 2 and a message
(click's usage errors and :class:`click.ClickException` both do), never a traceback.
"""

from __future__ import annotations

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govkg")
def main() -> None:
    """govkg: the Yueqing Municipal People's Government Work Rules as a knowledge graph.

    Build the graph from the regulation's text, inspect it, and serve it over SPARQL.
    """


def _register() -> None:
    """Attach the commands; each module owns its command."""
    from .commands import build, coverage, info, load, rules, serve, validate

    main.add_command(build.command)
    main.add_command(coverage.command)
    main.add_command(info.command)
    main.add_command(load.command)
    main.add_command(serve.command)
    main.add_command(rules.command)
    main.add_command(validate.command)


_register()
