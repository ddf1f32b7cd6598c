"""`probant partners …`: rotate the key that signs partner access tokens."""

from __future__ import annotations

import typer

from probant_platform.config import get_settings
from probant_platform.partners import keys

app = typer.Typer(help="Partner access tokens.", no_args_is_help=True)


@app.command("rotate-key")
def rotate_key() -> None:
    """Put a new signing key first in the key file; the previous one still verifies."""
    settings = get_settings()
    if settings.is_production and settings.partner_jwks is None:
        typer.echo("error: PROBANT_PARTNER_JWKS is required in production", err=True)
        raise typer.Exit(code=1)
    kid = keys.rotate(settings)
    typer.echo(f"new signing key {kid} in {keys.keys_path(settings)}")
