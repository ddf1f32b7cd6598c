"""helm/probant: linted strictly, rendered for default and production values with the real Helm
library, every object validated against the Kubernetes schemas (kubernetes-validate, offline),
and the promises of docs/operations.md checked on what Helm actually renders."""

from __future__ import annotations

from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
from tests.ops.chart import (
    CHART,
    KUBE_VERSIONS,
    find,
    pod_specs,
    production_values,
    render,
)
from tests.ops.cli_surface import commands, unknown_arguments

VALUE_SETS = {"default": lambda: {}, "production": production_values}
# Custom resources: no schema ships with kubernetes-validate; their fields are checked below.
CUSTOM_KINDS = {
    ("external-secrets.io/v1", "ExternalSecret"),
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
}


@pytest.mark.parametrize("values_name", VALUE_SETS)
def test_chart_lints_strictly(values_name: str) -> None:
    report = helm.lint(
        CHART, VALUE_SETS[values_name](), strict=True, kube_version=f"v{KUBE_VERSIONS[0]}"
    )
    assert report["errors"] == []
    # Severity 2 is a warning, 3 an error; 1 (info: "icon is recommended") is advice.
    assert [m for m in report["messages"] if m["severity"] >= 2] == []


@pytest.mark.parametrize("upgrade", [False, True], ids=["install", "upgrade"])
@pytest.mark.parametrize("values_name", VALUE_SETS)
def test_every_rendered_object_is_valid_kubernetes(values_name: str, upgrade: bool) -> None:
    objects = render(VALUE_SETS[values_name](), upgrade=upgrade)
    assert objects
    for obj in objects:
        if (obj["apiVersion"], obj["kind"]) in CUSTOM_KINDS:
            continue
        for version in KUBE_VERSIONS:
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.ValidationError as exc:
                where = "/".join(str(p) for p in exc.path)
                pytest.fail(f"{obj['kind']}/{obj['metadata']['name']} @ {where}: {exc.message}")


def test_default_install_has_every_part() -> None:
    objects = render()
    kinds = sorted((o["kind"], o["metadata"]["name"]) for o in objects)
    assert kinds == [
        ("Deployment", "probant-api"),
        ("Deployment", "probant-worker"),
        ("HorizontalPodAutoscaler", "probant-api"),
        ("Ingress", "probant"),
        ("Job", "probant-migrate-1"),
        ("NetworkPolicy", "probant-api"),
        ("NetworkPolicy", "probant-egress"),
        ("PodDisruptionBudget", "probant-api"),
        ("PodDisruptionBudget", "probant-worker"),
        ("Service", "probant-api"),
        ("ServiceAccount", "probant"),
    ]


@pytest.mark.parametrize("values_name", VALUE_SETS)
def test_pods_are_non_root_with_a_read_only_root_and_writable_tmp_and_data(
    values_name: str,
) -> None:
    for name, spec in pod_specs(render(VALUE_SETS[values_name]())).items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] != 0, name
        assert spec["automountServiceAccountToken"] is False, name
        volumes = {v["name"]: v for v in spec["volumes"]}
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            env = {e["name"]: e.get("value") for e in container["env"]}
            for path in ("/tmp", env["PROBANT_DATA_DIR"]):
                assert "emptyDir" in volumes[mounts[path]], (name, path)
            assert container["resources"]["limits"]["memory"], name


def _without_health_args(args: list[str]) -> list[str]:
    health = production_values().get("worker", {}).get("health", {}).get("args") or [
        "--health-file",
        "/tmp/worker-health",
    ]
    return args[: -len(health)] if args[-len(health) :] == health else args


@pytest.mark.parametrize("values_name", VALUE_SETS)
def test_every_container_runs_a_command_the_cli_has(values_name: str) -> None:
    for name, spec in pod_specs(render(VALUE_SETS[values_name]())).items():
        for container in spec["containers"]:
            assert "command" not in container, "the image's entrypoint is `probant`"
            args = _without_health_args(container["args"])
            assert unknown_arguments(args) == [], (name, container["args"])


def test_worker_health_signal_and_probe_are_commands_the_cli_has() -> None:
    worker = pod_specs(render())["probant-worker"]["containers"][0]
    probe = worker["livenessProbe"]["exec"]["command"]
    assert probe[0] == "probant"
    health_file = worker["args"][worker["args"].index("--health-file") + 1]
    assert probe[probe.index("--health-file") + 1] == health_file
    assert health_file.startswith("/tmp/"), "the only writable place besides the data folder"
    if probe[1] not in commands():
        # Values `worker.health.*` follow that branch's flags if they differ at merge.
        pytest.skip(f"`probant {probe[1]}` arrives with the worker health check (another branch)")
    assert unknown_arguments(worker["args"]) == []
    assert unknown_arguments(probe[1:]) == []


def test_worker_health_probe_can_be_switched_off() -> None:
    worker = pod_specs(render({"worker": {"health": {"enabled": False}}}))["probant-worker"]
    container = worker["containers"][0]
    assert "livenessProbe" not in container
    assert "--health-file" not in container["args"]


def test_api_probes_use_the_health_endpoints_on_the_served_port() -> None:
    api = pod_specs(render())["probant-api"]["containers"][0]
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert api["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert api["startupProbe"]["httpGet"]["path"] == "/healthz"
    port = api["args"][api["args"].index("--port") + 1]
    assert api["ports"][0]["containerPort"] == int(port)


@pytest.mark.parametrize("values_name", VALUE_SETS)
def test_service_hpa_and_budgets_select_the_pods_they_mean(values_name: str) -> None:
    objects = render(VALUE_SETS[values_name]())
    api = find(objects, "Deployment", "probant-api")
    worker = find(objects, "Deployment", "probant-worker")
    api_labels = api["spec"]["template"]["metadata"]["labels"]
    worker_labels = worker["spec"]["template"]["metadata"]["labels"]

    def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
        return all(labels.get(k) == v for k, v in selector.items())

    service = find(objects, "Service", "probant-api")
    assert selects(service["spec"]["selector"], api_labels)
    assert not selects(service["spec"]["selector"], worker_labels)
    assert selects(
        find(objects, "PodDisruptionBudget", "probant-api")["spec"]["selector"]["matchLabels"],
        api_labels,
    )
    assert selects(
        find(objects, "PodDisruptionBudget", "probant-worker")["spec"]["selector"]["matchLabels"],
        worker_labels,
    )
    hpa = find(objects, "HorizontalPodAutoscaler", "probant-api")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "probant-api"
    assert "replicas" not in api["spec"], "the HPA owns the API's replica count"
    ingress = find(objects, "Ingress", "probant")
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]


def test_migration_is_a_hook_that_runs_before_install_and_upgrade() -> None:
    for upgrade in (False, True):
        objects = render(upgrade=upgrade)
        jobs = [o for o in objects if o["kind"] == "Job"]
        assert len(jobs) == 1
        annotations = jobs[0]["metadata"]["annotations"]
        assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
        assert jobs[0]["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
        # The chart's ServiceAccount does not exist yet when a pre-install hook runs.
        assert "serviceAccountName" not in jobs[0]["spec"]["template"]["spec"]


def test_ingress_lets_big_videos_through_slowly() -> None:
    annotations = find(render(), "Ingress", "probant")["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/proxy-body-size"] == "210m"
    assert annotations["nginx.ingress.kubernetes.io/proxy-request-buffering"] == "off"
    assert annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"] == "600"
    assert annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"] == "600"


def _env(objects: list[dict[str, Any]], deployment: str) -> dict[str, Any]:
    container = pod_specs(objects)[deployment]["containers"][0]
    return {e["name"]: e.get("value") for e in container["env"]} | {"envFrom": container["envFrom"]}


def test_settings_reach_every_container() -> None:
    objects = render(production_values())
    for deployment in ("probant-api", "probant-worker", "probant-migrate-2", "probant-migrate-1"):
        if deployment not in pod_specs(objects):
            continue
        env = _env(objects, deployment)
        assert env["PROBANT_TRUSTED_PROXIES"] == "10.42.0.0/16"
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector.monitoring:4318"
        assert env["PROBANT_ENV"] == "production"
        assert env["envFrom"] == [{"secretRef": {"name": "probant-env"}}]
    # No OTLP endpoint, no exporter variable: the process then exports nothing.
    assert "OTEL_EXPORTER_OTLP_ENDPOINT" not in _env(render(), "probant-api")


def test_production_reads_secrets_from_external_secrets_and_mounts_signing_material() -> None:
    objects = render(production_values())
    external = find(objects, "ExternalSecret", "probant-env")
    assert external["spec"]["target"]["name"] == "probant-env"
    assert external["spec"]["dataFrom"] == [{"extract": {"key": "probant/production"}}]
    # It is created before the migration hook that reads it.
    assert int(external["metadata"]["annotations"]["helm.sh/hook-weight"]) < 0
    api = pod_specs(objects)["probant-api"]
    mounts = {m["mountPath"]: m for m in api["containers"][0]["volumeMounts"]}
    assert mounts["/etc/probant/signing"]["readOnly"] is True
    env = _env(objects, "probant-api")
    assert env["PROBANT_SIGNING_P12"].startswith("/etc/probant/signing/")


def test_service_monitor_scrapes_metrics_with_the_token() -> None:
    objects = render(production_values())
    monitor = find(objects, "ServiceMonitor", "probant")
    endpoint = monitor["spec"]["endpoints"][0]
    assert endpoint["path"] == "/metrics" and endpoint["port"] == "http"
    assert endpoint["authorization"]["credentials"] == {
        "name": "probant-env",
        "key": "PROBANT_METRICS_TOKEN",
    }
    assert not [o for o in render() if o["kind"] == "ServiceMonitor"]


def test_the_vapid_key_comes_from_the_env_secret_or_its_own() -> None:
    # Default: PROBANT_VAPID_PRIVATE_KEY is one more key of the env Secret (envFrom).
    env = _env(render(), "probant-api")
    assert "PROBANT_VAPID_PRIVATE_KEY" not in env and "PROBANT_VAPID_SUBJECT" not in env
    assert _env(render(production_values()), "probant-worker")["PROBANT_VAPID_SUBJECT"] == (
        "mailto:exploitation@example.fr"
    )
    # Or a Secret of its own, read by the API (the public key) and the worker (the pushes).
    objects = render({"push": {"vapidKeySecret": {"name": "probant-push", "key": "vapid.pem"}}})
    for deployment in ("probant-api", "probant-worker"):
        container = pod_specs(objects)[deployment]["containers"][0]
        [variable] = [e for e in container["env"] if e["name"] == "PROBANT_VAPID_PRIVATE_KEY"]
        assert variable["valueFrom"] == {
            "secretKeyRef": {"name": "probant-push", "key": "vapid.pem"}
        }


def test_network_policy_admits_only_the_listed_namespaces_to_the_api() -> None:
    objects = render()
    api = find(objects, "NetworkPolicy", "probant-api")
    sources = api["spec"]["ingress"][0]["from"]
    assert {
        s["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] for s in sources
    } == {
        "ingress-nginx",
        "monitoring",
    }
    egress = find(objects, "NetworkPolicy", "probant-egress")
    assert egress["spec"]["policyTypes"] == ["Ingress", "Egress"]
    ports = {p["port"] for rule in egress["spec"]["egress"] for p in rule["ports"]}
    assert {53, 5432, 443} <= ports


@pytest.mark.parametrize(
    ("values", "complaint"),
    [
        ({"api": {"replica": 3}}, "replica"),
        ({"podSecurityContext": {"runAsNonRoot": False}}, "runAsNonRoot"),
        ({"api": {"workersPerPod": 0}}, "workersPerPod"),
        ({"env": {"PROBANT_ENV": "prod"}}, "PROBANT_ENV"),
        ({"ingress": {"maxBodySize": "lots"}}, "maxBodySize"),
        ({"push": {"subject": "ops@example.fr"}}, "subject"),
        ({"push": {"vapidKey": "-----BEGIN"}}, "vapidKey"),
    ],
)
def test_values_schema_rejects_mistakes(values: dict[str, Any], complaint: str) -> None:
    with pytest.raises(helm.HelmError) as caught:
        render(values)
    assert complaint in str(caught.value)


def test_a_release_without_secrets_fails_to_render_with_the_reason() -> None:
    with pytest.raises(helm.HelmError) as caught:
        render({"secrets": {"existingSecret": ""}})
    assert "secrets.existingSecret" in str(caught.value)
