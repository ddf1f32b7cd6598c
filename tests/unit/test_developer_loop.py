"""The developer loop: `make` rebuilds a frontend only when it changed; system deps are listed.

Both run the real Makefile and script in a temporary folder, with stand-in `npm`, `id` and
`dpkg` commands that record what they were asked, so nothing touches the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _stand_in(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def _frontend_checkout(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    checkout = tmp_path / "checkout"
    for name in ("capture-widget", "admin-ui"):
        (checkout / name / "src").mkdir(parents=True)
        (checkout / name / "package.json").write_text("{}")
        (checkout / name / "package-lock.json").write_text("{}")
        (checkout / name / "src" / "index.ts").write_text("export {};\n")
    shutil.copy(ROOT / "Makefile", checkout / "Makefile")
    bin_dir, log = tmp_path / "bin", tmp_path / "npm.log"
    bin_dir.mkdir()
    _stand_in(bin_dir, "npm", f'echo "$(basename "$PWD") $*" >> {log}\nmkdir -p node_modules dist')
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    return checkout, log, env


def _make_frontend(checkout: Path, log: Path, env: dict[str, str]) -> list[str]:
    log.write_text("")
    subprocess.run(["make", "-s", "frontend"], cwd=checkout, env=env, check=True, timeout=60)
    return log.read_text().splitlines()


def test_a_warm_checkout_runs_no_npm_and_a_change_rebuilds_only_its_folder(
    tmp_path: Path,
) -> None:
    checkout, log, env = _frontend_checkout(tmp_path)
    first = _make_frontend(checkout, log, env)
    assert sorted(first) == sorted(
        f"{d} {c}"
        for d in ("admin-ui", "capture-widget")
        for c in ("ci --no-audit --no-fund", "run build")
    )

    assert _make_frontend(checkout, log, env) == []  # warm: nothing to do

    (checkout / "capture-widget" / "src" / "index.ts").write_text("export const a = 1;\n")
    assert _make_frontend(checkout, log, env) == ["capture-widget run build"]

    os.utime(checkout / "admin-ui" / "package-lock.json")
    assert _make_frontend(checkout, log, env) == [
        "admin-ui ci --no-audit --no-fund",
        "admin-ui run build",
    ]


def test_system_deps_names_poppler_when_pdftoppm_is_missing(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for present in ("chromium", "pg_isready", "sha256sum", "dpkg"):
        _stand_in(bin_dir, present, "exit 0")
    _stand_in(bin_dir, "id", "echo 1000")  # not root: the script only reports
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "scripts" / "system-deps.sh")],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0
    assert "missing system packages" in result.stderr
    assert "poppler-utils" in result.stderr
