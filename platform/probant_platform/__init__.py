"""Probant's core: configuration, database, domains, jobs, web composition and CLI."""

__version__ = "0.1.0"
