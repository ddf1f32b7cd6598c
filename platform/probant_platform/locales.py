"""Which language a person reads: their account's, else their browser's, else French.

One rule for every surface (GraphQL messages and errors, uploads, the public pages), so that a
person never reads two languages in one answer.
"""

from __future__ import annotations

SUPPORTED = ("fr", "en")
DEFAULT = "fr"


def from_accept_language(header: str | None) -> str | None:
    """The supported language the `Accept-Language` header ranks highest, or None.

    `en-GB,en;q=0.9`, `de-DE, en;q=0.5` and `EN` all give "en"; `q=0` excludes a language.
    """
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        language = tag.strip().lower().split("-")[0]
        if language not in SUPPORTED:
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight > 0:
            ranked.append((-weight, position, language))
    return min(ranked)[2] if ranked else None


def choose(*, account: str | None, accept_language: str | None) -> str:
    """The account's language when there is one, else the browser's, else French."""
    if account in SUPPORTED:
        return account
    return from_accept_language(accept_language) or DEFAULT
