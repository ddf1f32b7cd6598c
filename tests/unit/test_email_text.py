"""Plain-text emails show names as typed; only the HTML body is escaped."""

from __future__ import annotations

from probant_platform.notifications.templates import render_email


def test_apostrophes_and_angle_brackets_read_as_typed_in_text_and_escaped_in_html() -> None:
    message = render_email(
        "welcome",
        to="a@example.com",
        sender="p@example.com",
        locale="fr",
        context={"name": "<b>O'Neil"},
    )
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Bonjour <b>O'Neil," in text
    assert "&lt;b&gt;O&#39;Neil" in html and "<b>O'Neil" not in html


def test_a_rejection_email_states_the_reason_plainly() -> None:
    message = render_email(
        "deposit_rejected",
        to="a@example.com",
        sender="p@example.com",
        locale="fr",
        context={
            "name": "Claire",
            "reference": "PRB-1",
            "title": "Cuisine",
            "office": "L'étude",
            "reason": "atteinte au droit à l'image d'un tiers",
            "comment": "",
            "refunded": False,
        },
    )
    assert message["Subject"] == "Dépôt PRB-1 refusé par L'étude"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Motif : atteinte au droit à l'image d'un tiers" in text
    assert "ne sont pas remboursés" in text
