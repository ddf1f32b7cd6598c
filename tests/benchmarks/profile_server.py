"""`probant serve` (one process) under pyinstrument, for `api_requests.py --profile`.

Usage: profile_server.py PORT OUTPUT. Serves until SIGINT, then writes pyinstrument's text
report (the whole event-loop thread, idle time included) to OUTPUT.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import uvicorn
from pyinstrument import Profiler

from probant_platform.cli import SERVER_OPTIONS
from probant_platform.web.app import create_app


def main(port: int, output: Path) -> None:
    server = uvicorn.Server(uvicorn.Config(create_app(), port=port, **SERVER_OPTIONS))
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    try:
        server.run()
    finally:
        profiler.stop()
        output.write_text(
            profiler.output_text(unicode=True, show_all=os.environ.get("BENCH_PROFILE_ALL") == "1")
        )


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
