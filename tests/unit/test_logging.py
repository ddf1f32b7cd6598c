"""Logs are one JSON object per line on stderr, and secrets never reach them."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from probant_platform.logging import configure_logging


@pytest.fixture
def logs(capsys: pytest.CaptureFixture[str]) -> Iterator[pytest.CaptureFixture[str]]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield capsys
    root.handlers[:], root.level = handlers, level
    structlog.reset_defaults()


def _records(logs: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    captured = logs.readouterr()
    assert captured.out == ""
    return [json.loads(line) for line in captured.err.splitlines()]


def test_secrets_are_redacted_whatever_their_case(logs: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")

    structlog.get_logger("probant.test").info(
        "account.signed_in",
        email="camille@example.com",
        password="Correct-Horse-42",
        Authorization="Bearer abc",
        session_cookie="xyz",
        activation_code="123456",
        stripe_api_key="sk_live_1",
        upload_token="t",
    )

    [record] = _records(logs)
    assert record["event"] == "account.signed_in" and record["level"] == "info"
    assert record["email"] == "camille@example.com"
    for key in ("password", "Authorization", "session_cookie", "activation_code"):
        assert record[key] == "[redacted]", key
    assert record["stripe_api_key"] == record["upload_token"] == "[redacted]"
    assert "Correct-Horse-42" not in json.dumps(record)


def test_standard_library_records_share_the_format_and_the_level(
    logs: pytest.CaptureFixture[str],
) -> None:
    configure_logging("warning")

    logging.getLogger("uvicorn.error").info("hidden below the level")
    logging.getLogger("uvicorn.error").warning("disk %s full", "/var")

    [record] = _records(logs)
    assert record["event"] == "disk /var full"
    assert record["level"] == "warning"
    assert str(record["timestamp"]).endswith("Z")


def test_the_console_renderer_is_plain_text(logs: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json=False)

    structlog.get_logger().info("batch.closed", token="secret-token")

    err = logs.readouterr().err
    assert "batch.closed" in err and "token=[redacted]" in err and "secret-token" not in err
