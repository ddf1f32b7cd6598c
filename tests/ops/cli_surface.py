"""What the `probant` command accepts, read from the real CLI: for checking argv in deploy files."""

from __future__ import annotations

from typing import Any

import typer.main

from probant_platform.cli import app


def commands() -> dict[str, Any]:
    commands: dict[str, Any] = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    return commands


def unknown_arguments(argv: list[str]) -> list[str]:
    """What in `argv` (without the `probant` program name) the CLI does not accept."""
    if not argv:
        return ["<no command>"]
    command = commands().get(argv[0])
    if command is None:
        return [argv[0]]
    options = {name for param in command.params for name in param.opts}
    flags = (arg.split("=")[0] for arg in argv[1:] if arg.startswith("--"))
    return [flag for flag in flags if flag not in options]
