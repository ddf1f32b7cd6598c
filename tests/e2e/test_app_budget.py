"""Bundle budget: the JavaScript a first visit to /app/ downloads stays under 250 kB gzipped.

Pages are separate chunks loaded on navigation; what counts is the entry script and every
module it preloads, as listed by the built index.html.
"""

from __future__ import annotations

import gzip
import re

import pytest
from tests.e2e.app_browser import APP_DIST

BUDGET_BYTES = 250 * 1024


def test_the_initial_javascript_fits_the_budget() -> None:
    index = APP_DIST / "index.html"
    if not index.exists():
        pytest.fail("admin-ui/dist is missing: run `make install`")
    html = index.read_text()
    scripts = re.findall(r'<script type="module"[^>]* src="/app/([^"]+\.js)"', html)
    preloads = re.findall(r'<link rel="modulepreload"[^>]* href="/app/([^"]+\.js)"', html)
    assert scripts, "no entry script in index.html"
    sizes = {
        name: len(gzip.compress((APP_DIST / name).read_bytes(), compresslevel=9))
        for name in {*scripts, *preloads}
    }
    assert sum(sizes.values()) <= BUDGET_BYTES, sizes
