"""The source roots never shadow the standard library or graphql-core; the wheel is complete."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IGNORED = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")


def test_platform_is_the_standard_library_module() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import platform, graphql; print(platform.__file__); print(graphql.__file__)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    stdlib = sysconfig.get_paths()["stdlib"]
    assert out[0].startswith(stdlib), out[0]
    assert "site-packages" in out[1] and out[1].endswith("graphql/__init__.py"), out[1]


def test_source_roots_have_no_init() -> None:
    for root in ("platform", "tenants", "graphql"):
        assert not (ROOT / root / "__init__.py").exists()


def test_pytest_from_the_root_sees_the_real_modules() -> None:
    import platform

    import graphql

    assert hasattr(platform, "python_version")
    assert hasattr(graphql, "graphql_sync")


def test_the_wheel_contains_every_subpackage(tmp_path: Path) -> None:
    # Built from a copy: setuptools writes build/ and *.egg-info next to the sources.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "platform", "tenants", "graphql"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=IGNORED)
        else:
            shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("probant-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        path.relative_to(ROOT / root).as_posix()
        for root in ("platform", "tenants", "graphql")
        for path in (ROOT / root).rglob("__init__.py")
    }
    missing = sorted(name for name in expected if name not in names)
    assert missing == []
    assert "probant_graphql/schema.graphql" in names
