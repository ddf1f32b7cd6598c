"""The base of every expected, typed failure raised by a domain service.

A service raises a subclass; the GraphQL layer turns it into the matching typed error in
the viewer's language; the CLI prints its message. Nothing written before the raise may
survive: services validate first, and the caller's transaction is rolled back on raise.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """An expected failure with a stable code and a message for a person, in French and English."""

    code: ClassVar[str] = "ERROR"
    message_fr: ClassVar[str] = "L'opération a échoué."
    message_en: ClassVar[str] = "The operation failed."

    def __init__(self, **params: Any):
        self.params = params
        super().__init__(self.message("en"))

    def message(self, locale: str | None) -> str:
        template = self.message_en if locale == "en" else self.message_fr
        return template.format(**self.params)


def api_name(name: str) -> str:
    """A field named as the API spells it: `company_name` → `companyName`."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
