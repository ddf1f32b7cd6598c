"""Where tests put what a person may want to look at afterwards (screenshots, videos, traces).

Never the checkout: `PROBANT_TEST_ARTIFACTS` when set, else a folder in the system's temporary
directory (printed by the tests that write there).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def artifacts_dir(suite: str) -> Path:
    root = os.environ.get("PROBANT_TEST_ARTIFACTS") or Path(tempfile.gettempdir()) / "probant-tests"
    return Path(root) / suite
