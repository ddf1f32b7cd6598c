"""Checks for free text that people type: bounded length, no control characters."""

from __future__ import annotations

import unicodedata


def clean_line(value: str, *, max_length: int) -> str | None:
    """`value` trimmed and NFC-normalised, or None if empty, too long or holding control chars."""
    text = unicodedata.normalize("NFC", value).strip()
    if not text or len(text) > max_length:
        return None
    if any(unicodedata.category(c).startswith("C") for c in text):
        return None
    return text


def clean_paragraph(value: str, *, max_length: int) -> str | None:
    """Like `clean_line` but newlines and tabs are allowed; empty gives ''."""
    text = unicodedata.normalize("NFC", value).strip()
    if len(text) > max_length:
        return None
    if any(unicodedata.category(c).startswith("C") and c not in "\n\t" for c in text):
        return None
    return text


def is_safe_name(value: str) -> bool:
    """A client-given name with no path separators nor control characters."""
    return "/" not in value and "\\" not in value and clean_line(value, max_length=255) == value


def contains_pattern(search: str) -> str:
    """An ILIKE pattern matching `search` anywhere, its wildcards escaped (100 chars at most)."""
    escaped = search[:100].replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    return f"%{escaped}%"
