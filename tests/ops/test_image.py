"""The container image as built by the root Dockerfile: invariants checkable without an engine.

This machine has no container engine; `make image` builds it where docker or podman runs.
The Dockerfile is parsed with the official BuildKit parser (the `dockerfile` package).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import dockerfile
import pytest
from tests.ops.cli_surface import unknown_arguments

ROOT = Path(__file__).resolve().parents[2]
COMPILERS = re.compile(r"\b(gcc|g\+\+|clang|build-essential|cc|make|cargo|rustc|gfortran)\b")


def _stages() -> list[list[dockerfile.Command]]:
    stages: list[list[dockerfile.Command]] = []
    for command in dockerfile.parse_file(str(ROOT / "Dockerfile")):
        if command.cmd == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(command)
    return stages


def _args() -> dict[str, str]:
    defaults = {}
    for command in dockerfile.parse_file(str(ROOT / "Dockerfile")):
        if command.cmd == "FROM":
            break
        if command.cmd == "ARG" and "=" in command.value[0]:
            name, value = command.value[0].split("=", 1)
            defaults[name] = value
    return defaults


def _base(stage: list[dockerfile.Command]) -> str:
    image = stage[0].value[0]
    for name, value in _args().items():
        image = image.replace(f"${{{name}}}", value)
    return image


def _final() -> list[dockerfile.Command]:
    return _stages()[-1]


def _exec_form(stage: list[dockerfile.Command], instruction: str) -> list[str]:
    found = [c for c in stage if c.cmd == instruction]
    assert found, f"the final stage has no {instruction}"
    assert found[-1].json, f"{instruction} must use the exec (JSON) form so signals reach probant"
    return list(found[-1].value)


def test_final_stage_is_python_311_slim() -> None:
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == ">=3.11"
    assert re.fullmatch(r"python:3\.11-slim(-\w+)?", _base(_final()))


def test_final_stage_runs_as_a_non_root_user() -> None:
    users = [c.value[0] for c in _final() if c.cmd == "USER"]
    assert users, "the final stage never leaves root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    # A numeric uid lets Kubernetes enforce runAsNonRoot without resolving names.
    assert user.isdigit()
    chart = (ROOT / "helm" / "probant" / "values.yaml").read_text()
    assert f"runAsUser: {user}" in chart


def test_final_stage_installs_no_compiler() -> None:
    for command in _final():
        if command.cmd == "RUN":
            assert not COMPILERS.search(command.value[0]), command.original
        if command.cmd == "COPY":
            flags = " ".join(command.flags)
            assert "--from=python-build" in flags or "--from=frontend" in flags, command.original
    # ...and the compilers the Python build may need do exist, in the build stage only.
    build = next(s for s in _stages() if s[0].value[-1] == "python-build")
    assert any("build-essential" in c.value[0] for c in build if c.cmd == "RUN")


def test_entrypoint_is_probant_and_its_commands_exist() -> None:
    final = _final()
    assert _exec_form(final, "ENTRYPOINT") == ["probant"]
    default = _exec_form(final, "CMD")
    assert default[0] == "serve"
    assert unknown_arguments(default) == []
    for argv in (
        ["serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"],
        ["worker", "--concurrency", "4"],
        ["migrate"],
    ):
        assert unknown_arguments(argv) == [], argv


def test_bundles_are_built_for_each_front_end_and_served_from_where_they_land() -> None:
    stages = {s[0].value[-1]: s for s in _stages()}
    source = " ".join(c.value[0] for c in stages["frontend-src"] if c.cmd == "RUN")
    assert "capture-widget" in source and "admin-ui" in source and "graphiql" in source
    build = " ".join(c.value[0] for c in stages["frontend"] if c.cmd == "RUN")
    assert "*/package.json" in build and "npm ci" in build and "npm run build" in build
    env = " ".join(" ".join(c.value) for c in _final() if c.cmd == "ENV")
    copies = {c.value[-1] for c in _final() if c.cmd == "COPY"}
    for variable in ("PROBANT_WIDGET_DIST", "PROBANT_APP_DIST", "PROBANT_GRAPHIQL_DIST"):
        match = re.search(rf"{variable}\s+(\S+)", env)
        assert match, variable
        assert match.group(1) in copies, f"{variable} points where no bundle is copied"


def test_runtime_libraries_for_pdfs_are_installed() -> None:
    installs = " ".join(c.value[0] for c in _final() if c.cmd == "RUN")
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu"):
        assert package in installs


def test_migrations_ship_where_probant_migrate_finds_them() -> None:
    from probant_platform.db import migrate

    # `_migrations_dir` prefers a `migrations` folder beside the installed package.
    assert 'parent.parent / "migrations"' in Path(migrate.__file__).read_text()
    build = next(s for s in _stages() if s[0].value[-1] == "python-build")
    runs = " ".join(c.value[0] for c in build if c.cmd == "RUN")
    assert "probant_platform.__file__" in runs and '"$site/migrations"' in runs


@pytest.mark.parametrize(
    "pattern", [".env", ".venv", "var", ".git", "**/node_modules", "capture-widget/dist", "tests"]
)
def test_dockerignore_keeps_local_state_and_secrets_out(pattern: str) -> None:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    assert pattern in lines


def test_makefile_has_the_image_target() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^image:", makefile, re.M)
    assert "docker" in makefile and "podman" in makefile
