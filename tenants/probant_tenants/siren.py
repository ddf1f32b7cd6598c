"""SIREN numbers: nine digits with a Luhn checksum."""

from __future__ import annotations


def normalise_siren(value: str) -> str:
    """Drop the spaces people type ("732 829 320") and keep the digits."""
    return "".join(value.split())


def is_valid_siren(value: str) -> bool:
    digits = normalise_siren(value)
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0
