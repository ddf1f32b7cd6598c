"""Shared types of the security tests: the app and client factories their fixtures give."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

AppFactory = Callable[..., Any]
ClientFactory = Callable[..., httpx.AsyncClient]
