"""One registry from domain error codes to GraphQL errors, and one global-ID decoder."""

from __future__ import annotations

import uuid

import pytest
from strawberry import relay

import probant_graphql.schema  # noqa: F401  (every domain module registers its codes)
from probant_graphql.core.errors import (
    InvalidInput,
    NotFound,
    invalid_input,
    register,
    to_graphql_error,
)
from probant_graphql.core.ids import decode_id, require_id
from probant_graphql.ledger.types import InsufficientCredits
from probant_graphql.tenancy.errors import WeakPassword
from probant_platform.errors import DomainError
from probant_platform.ledger import errors as ledger_errors
from probant_tenants import errors as tenant_errors
from probant_tenants.passwords import PasswordRule


class Unregistered(DomainError):
    code = "SOMETHING_NEW"
    message_fr = "Quelque chose de nouveau."
    message_en = "Something new."


def test_a_registered_code_becomes_its_type_in_the_viewers_language() -> None:
    exc = ledger_errors.InsufficientCredits(needed=3, balance=1)
    english = to_graphql_error(exc, "en")
    assert isinstance(english, InsufficientCredits)
    assert (english.message, english.needed, english.balance) == (
        "Not enough credits: 3 needed, the balance is 1.",
        3,
        1,
    )
    french = to_graphql_error(exc, "fr")
    assert french.message == "Crédits insuffisants : il en faut 3, le solde est de 1."


def test_a_type_with_its_own_fields_keeps_them() -> None:
    error = to_graphql_error(tenant_errors.WeakPassword(rules=[PasswordRule.DIGIT]), "en")
    assert isinstance(error, WeakPassword)
    assert error.unmet_rules == [PasswordRule.DIGIT]


def test_every_not_found_code_is_not_found_with_the_domains_message() -> None:
    error = to_graphql_error(tenant_errors.OrganisationNotFound(), "en")
    assert isinstance(error, NotFound)
    assert error.message == "Organisation not found."
    assert to_graphql_error(tenant_errors.OrganisationNotFound(), "fr").message == (
        "Organisation introuvable."
    )


def test_an_unregistered_code_is_invalid_input_naming_the_mutations_argument() -> None:
    error = to_graphql_error(Unregistered(), "en", default_field="amount")
    assert isinstance(error, InvalidInput)
    assert (error.message, error.field) == ("Something new.", "amount")
    named = to_graphql_error(Unregistered(field="reason"), "fr", default_field="amount")
    assert isinstance(named, InvalidInput)
    assert (named.message, named.field) == ("Quelque chose de nouveau.", "reason")


def test_a_mutation_may_read_a_code_its_own_way() -> None:
    error = to_graphql_error(
        ledger_errors.InvalidAmount(), "en", overrides={"INVALID_AMOUNT": invalid_input("credits")}
    )
    assert isinstance(error, InvalidInput)
    assert error.field == "credits"


def test_a_code_cannot_be_registered_to_two_types() -> None:
    with pytest.raises(ValueError, match="INSUFFICIENT_CREDITS is registered twice"):
        register("INSUFFICIENT_CREDITS", NotFound)


def test_decode_id_reads_raw_uuids_and_global_ids_of_the_expected_type_only() -> None:
    value = uuid.uuid4()
    member = str(relay.GlobalID("Member", str(value)))
    assert decode_id(str(value), "Member") == value
    assert decode_id(member, "Member") == value
    assert decode_id(member, "Organisation") is None
    for garbage in (None, "", "nope", "TWVtYmVyOm5vcGU=", "x" * 500):
        assert decode_id(garbage, "Member") is None


def test_require_id_raises_the_domains_not_found_error() -> None:
    with pytest.raises(tenant_errors.OrganisationNotFound):
        require_id("nope", "Organisation", tenant_errors.OrganisationNotFound)


def test_the_capture_flows_codes_are_registered_with_their_fields() -> None:
    from probant_graphql.evidence.errors import ItemLimitReached, QuoteChanged
    from probant_platform.evidence import errors as evidence_errors

    changed = to_graphql_error(evidence_errors.QuoteChanged(credits=2), "en")
    assert isinstance(changed, QuoteChanged) and changed.credits == 2
    assert changed.message == "The price changed (2 credit(s)). Check it and confirm again."
    full = to_graphql_error(evidence_errors.ItemLimitReached(limit=20), "fr")
    assert isinstance(full, ItemLimitReached) and full.limit == 20
    assert full.message == "Ce dépôt contient déjà le nombre maximal d'éléments (20)."
    too_long = to_graphql_error(evidence_errors.InvalidText(field="item_comments"), "en")
    assert isinstance(too_long, InvalidInput) and too_long.field == "itemComments"
