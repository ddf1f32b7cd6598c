"""Renders helm/probant with the real Helm library (helm-python-sdk embeds Helm v4, offline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import helm_python as helm
import yaml

CHART = Path(__file__).resolve().parents[2] / "helm" / "probant"
PRODUCTION_VALUES = CHART / "values-production.yaml"
# The oldest Kubernetes the chart supports (Chart.yaml kubeVersion) and the newest schemas known.
KUBE_VERSIONS = ("1.30.0", "1.37.0")


def production_values() -> dict[str, Any]:
    return helm.values_from_yaml(PRODUCTION_VALUES.read_text())


def render(values: dict[str, Any] | None = None, *, upgrade: bool = False) -> list[dict[str, Any]]:
    """Every object the chart renders for `values` (as `helm template` would print them)."""
    chart = helm.Chart.load(CHART)
    manifests = chart.render(
        values or {},
        name="probant",
        namespace="probant",
        revision=2 if upgrade else 1,
        is_install=not upgrade,
        is_upgrade=upgrade,
    )
    objects: list[dict[str, Any]] = []
    for text in manifests.values():
        objects.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return objects


def find(objects: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    matches = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}: {len(matches)} rendered"
    return matches[0]


def pod_specs(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The pod template of every Deployment and Job, by object name."""
    return {
        o["metadata"]["name"]: o["spec"]["template"]["spec"]
        for o in objects
        if o["kind"] in {"Deployment", "Job"}
    }
