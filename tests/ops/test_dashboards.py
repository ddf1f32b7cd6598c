"""The example Grafana dashboard and Prometheus alert rules in helm/probant/dashboards: valid
JSON and YAML, the three alerts operators need, and only series that /metrics really serves."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from prometheus_client import REGISTRY

import probant_platform.observability_metrics
import probant_platform.web.metrics  # noqa: F401  (registers the series)

DASHBOARDS = Path(__file__).resolve().parents[2] / "helm" / "probant" / "dashboards"
SERIES = re.compile(r"\bprobant_[a-z_]+\b")
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


def _served_series() -> set[str]:
    names: set[str] = set()
    for family in REGISTRY.collect():
        names.update(family.name + suffix for suffix in SUFFIXES.get(family.type, ("",)))
    return names


def _dashboard() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((DASHBOARDS / "probant.json").read_text())
    return document


def _rules() -> list[dict[str, Any]]:
    document = yaml.safe_load((DASHBOARDS / "alerts.yaml").read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def test_dashboard_is_grafana_json_with_unique_panels() -> None:
    dashboard = _dashboard()
    assert dashboard["uid"] and dashboard["title"] == "Probant"
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        assert panel["targets"], panel["title"]
        assert set(panel["gridPos"]) == {"x", "y", "w", "h"}


def test_alerts_cover_anchoring_lag_queue_age_and_server_errors() -> None:
    rules = {rule["alert"]: rule for rule in _rules()}
    assert "probant_anchoring_lag_seconds" in rules["ProbantAnchoringLagging"]["expr"]
    assert "probant_job_queue_oldest_age_seconds" in rules["ProbantJobQueueStale"]["expr"]
    assert 'status=~"5.."' in rules["ProbantHighServerErrorRate"]["expr"]
    for rule in rules.values():
        assert rule["labels"]["severity"] in {"warning", "critical"}
        assert re.fullmatch(r"\d+[smh]", rule["for"])
        assert rule["annotations"]["summary"]


def test_every_series_queried_is_served() -> None:
    served = _served_series()
    queried = {
        expr for panel in _dashboard()["panels"] for expr in (t["expr"] for t in panel["targets"])
    }
    queried |= {rule["expr"] for rule in _rules()}
    names = {name for expr in queried for name in SERIES.findall(expr)}
    assert names, "no Probant series queried"
    assert names - served == set()
