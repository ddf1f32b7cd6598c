"""Dates and times written out in French words, as a procès-verbal states them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from probant_platform.moments import utc_offset

PARIS = ZoneInfo("Europe/Paris")

_UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def _below_hundred(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    if n < 70:
        tens, unit = divmod(n, 10)
        if unit == 0:
            return _TENS[tens]
        joiner = " et " if unit == 1 else "-"
        return f"{_TENS[tens]}{joiner}{_UNITS[unit]}"
    if n < 80:
        rest = n - 60
        return "soixante et onze" if rest == 11 else f"soixante-{_UNITS[rest]}"
    rest = n - 80
    return "quatre-vingts" if rest == 0 else f"quatre-vingt-{_UNITS[rest]}"


def number_in_words(n: int) -> str:
    """0 ≤ n < 1 000 000, in the traditional French spelling (hyphens as in 1990 usage)."""
    if not 0 <= n < 1_000_000:
        raise ValueError(n)
    if n < 100:
        return _below_hundred(n)
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "cent" if hundreds == 1 else f"{_UNITS[hundreds]} cent"
        if rest == 0:
            return head + ("s" if hundreds > 1 else "")
        return f"{head} {_below_hundred(rest)}"
    thousands, rest = divmod(n, 1000)
    head = "mille" if thousands == 1 else f"{number_in_words(thousands)} mille"
    return head if rest == 0 else f"{head} {number_in_words(rest)}"


def date_in_words(moment: datetime) -> str:
    """E.g. « l'an deux mille vingt-six, le vingt-deux novembre » (Paris time)."""
    local = moment.astimezone(PARIS)
    day = "premier" if local.day == 1 else number_in_words(local.day)
    return f"l'an {number_in_words(local.year)}, le {day} {_MONTHS[local.month - 1]}"


def time_in_words(moment: datetime) -> str:
    """E.g. « à quatorze heures trente-cinq » (Paris time)."""
    local = moment.astimezone(PARIS)
    hours = "une heure" if local.hour == 1 else f"{number_in_words(local.hour)} heures"
    if local.hour == 0:
        hours = "zéro heure"
    return f"à {hours}" + (f" {number_in_words(local.minute)}" if local.minute else "")


def paris_time(moment: datetime | None) -> str:
    """A timestamp as people in France read it, with its zone:
    22/11/2026 à 14:35:07 (heure de Paris, UTC+01:00)."""
    if moment is None:
        return "—"
    local = moment.astimezone(PARIS)
    return f"{local.strftime('%d/%m/%Y à %H:%M:%S')} (heure de Paris, {utc_offset(local)})"


_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def paris_deadline(moment: datetime, locale: str) -> str:
    """A deadline as a person reads it: « 2 décembre 2026 à 20:31 (heure de Paris) »."""
    local = moment.astimezone(PARIS)
    if locale == "en":
        month = _MONTHS_EN[local.month - 1]
        return f"{local.day} {month} {local.year} at {local:%H:%M} (Paris time)"
    day = "1er" if local.day == 1 else str(local.day)
    month = _MONTHS[local.month - 1]
    return f"{day} {month} {local.year} à {local:%H:%M} (heure de Paris)"


def euros(cents: int) -> str:
    """180,00 € — French formatting of an amount in cents."""
    whole, part = divmod(cents, 100)
    grouped = f"{whole:,}".replace(",", "\u202f")
    return f"{grouped},{part:02d} €"
