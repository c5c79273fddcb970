"""One module per ``govkg`` sub-command; each exposes ``command`` (a click command)."""

import click


class InputError(click.ClickException):
    """Unusable input (a file, a flag's value): printed as ``Error: …``, exit status 2."""

    exit_code = 2
