# ruff: noqa: E501  (GraphQL operations kept on one line)
"""Isolation past the root fields: every HTTP route, every nested field, uploads, download links.

`test_isolation_suite.py` classifies root fields and node types. Here the same is done for the
HTTP routes (a new route fails until it is classified), every field reachable without
arguments from the root is queried by a stranger and searched for A's identifiers, uploads are
refused to everyone but the stager, and signed download links cannot be pointed elsewhere.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
)
from starlette.routing import Route
from tests.evidence.capture_flow import put, stage
from tests.factories import gql, gql_raw
from tests.tenancy.isolation_world import World

from probant_graphql.schema import schema
from probant_platform.evidence.media.samples import photo_jpeg

# How each HTTP route is protected. Every route of the app must be listed.
ROUTES = {
    "/healthz": "public: no tenant data",
    "/readyz": "public: no tenant data",
    "/metrics": "bearer token (tests/security/test_production_mode.py): counts, no tenant data",
    "/uploads/{item_id}": "session + per-item token: test_uploads_go_only_to_the_stager",
    "/media/{organisation_id}/{item_id}": "signed link: test_download_links_cannot_be_pointed_elsewhere",
    "/office-documents/{organisation_id}/{document_id}": "signed link (tests/bailiffs/test_review_flow.py)",
    "/api/v1/capture-tokens": "API key of the organisation (tests/embedding)",
    "/graphql": "the schema: test_isolation_suite.py and test_nested_fields_show_nothing_of_another_tenant",
    "/dev-chain/rpc": "public, read-only development chain",
    "/verify": "public page",
    "/verify/verify.js": "public script",
    "/verify/{reference}": "public page: what a QR code shows (tests/integrity/test_api.py)",
    "/api/v1/verify": "public: a reference or hash, answers what /verify shows",
    "/webhooks/stripe": "Stripe's signature (tests/billing/test_stripe.py)",
    "/billing/receipts/{organisation_id}/{purchase_id}": "signed link (tests/billing/test_development.py)",
    "/billing/completed": "redirect to the app's return page, no data",
    "/billing/cancelled": "redirect to the app's return page, no data",
    "/downloads/{organisation_id}/{deposit_id}/certificate.pdf": "signed link: test_download_links_cannot_be_pointed_elsewhere",
    "/downloads/{organisation_id}/{deposit_id}/export.zip": "signed link: test_download_links_cannot_be_pointed_elsewhere",
    "/downloads/{organisation_id}/{deposit_id}/certificate.{language:str}.pdf": "signed link, as certificate.pdf (tests/documents/test_issued_documents.py)",
    "/widget/v1/{name}": "public static files",
    "/oauth/token": "client credentials (tests/partners/test_tokens.py)",
    "/.well-known/jwks.json": "public keys only",
    "/": "redirect to the web app",
    "/app": "redirect to the web app",
    "/app/{path:path}": "the web app's static files (no data: everything comes through /graphql)",
    "/graphiql/{path:path}": "the API explorer's static files (development or sandbox only)",
    "/notifications/unsubscribe": "signed per-person token, no login (tests/notifications/test_preferences.py)",
}


def test_every_http_route_is_classified(app: Any) -> None:
    paths = {route.path for route in app.routes if isinstance(route, Route)}
    assert paths == set(ROUTES), "classify new routes in this file"


async def test_uploads_go_only_to_the_stager(
    world: World, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    body = photo_jpeg(seed=77)
    staged = await stage(world.a_owner, world.ids["draft_session"], body)
    assert staged["__typename"] == "StagedUpload"
    url = staged["uploadUrl"]

    anonymous = await put(client_factory(), url, body)
    stranger = await put(world.b_owner, url, body)
    other_office = await put(world.y_clerk, url, body)
    first = await put(world.a_owner, url, body)
    again = await put(world.a_owner, url, body)

    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (401, "NOT_AUTHENTICATED")
    assert (stranger.status_code, stranger.json()["error"]["code"]) == (403, "NOT_ALLOWED")
    assert (other_office.status_code, other_office.json()["error"]["code"]) == (403, "NOT_ALLOWED")
    assert first.status_code == 201  # the refusals stored nothing in the item's place
    assert (again.status_code, again.json()["error"]["code"]) == (409, "ALREADY_UPLOADED")
    assert again.json()["error"]["message"] == "Ce fichier a déjà été reçu."


LINKS = """query($d: ID!) { node(id: $d) { ... on Deposit { exportUrl items { id downloadUrl thumbnailUrl } } } }"""


def _swap(url: str, old: str, new: str) -> str:
    assert old in url
    return url.replace(old, new)


async def test_download_links_cannot_be_pointed_elsewhere(world: World) -> None:
    own = (await gql(world.a_owner, LINKS, {"d": world.ids["Deposit"]}))["node"]
    item_url = own["items"][0]["downloadUrl"].removeprefix("http://testserver")
    export_url = own["exportUrl"].removeprefix("http://testserver")
    a, b = str(world.uuids["a"]), str(uuid.uuid4())
    deposit, other_deposit = str(world.uuids["Deposit"]), str(world.uuids["sent"])
    other_item = str(uuid.uuid4())
    [item_uuid] = [p for p in item_url.split("?")[0].split("/") if len(p) == 36 and p != a]

    for url in (item_url, export_url):
        assert (await world.a_owner.get(url)).status_code == 200, url
    tampered = {
        "media for another tenant": _swap(item_url, a, b),
        "media of another item": _swap(item_url, item_uuid, other_item),
        "media without signature": item_url.split("&signature=")[0],
        "media thumbnail with the original's signature": item_url + "&variant=thumbnail",
        "export for another tenant": _swap(export_url, a, b),
        "export of another deposit": _swap(export_url, deposit, other_deposit),
        "export as the certificate": _swap(export_url, "export.zip", "certificate.pdf"),
        "export without signature": export_url.split("&signature=")[0],
        "export with another expiry": _swap(export_url, "expires=", "expires=9"),
    }
    for name, url in tampered.items():
        response = await world.b_owner.get(url)
        assert response.status_code == 403, name
        assert response.text == "Lien expiré ou invalide / Expired or invalid link", name


def _unwrap(graphql_type: Any) -> Any:
    while isinstance(graphql_type, GraphQLNonNull | GraphQLList):
        graphql_type = graphql_type.of_type
    return graphql_type


def _selection(graphql_type: Any, depth: int) -> str:
    """Every field reachable without required arguments, `depth` levels down."""
    named = _unwrap(graphql_type)
    if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
        members = named.types if isinstance(named, GraphQLUnionType) else ()
        inner = " ".join(f"... on {m.name} {_selection(m, depth)}" for m in members if depth > 0)
        return "{ __typename " + inner + " }"
    if not isinstance(named, GraphQLObjectType):
        return ""
    fields = []
    for name, field in sorted(named.fields.items()):
        if _needs_arguments(field):
            continue
        inner_type = _unwrap(field.type)
        if isinstance(inner_type, GraphQLObjectType | GraphQLUnionType | GraphQLInterfaceType):
            if depth > 0:
                fields.append(f"{name} {_selection(inner_type, depth - 1)}")
        else:
            fields.append(name)
    return "{ " + (" ".join(fields) or "__typename") + " }"


def _needs_arguments(field: GraphQLField) -> bool:
    return any(isinstance(arg.type, GraphQLNonNull) for arg in field.args.values())


def _root_queries(depth: int) -> dict[str, str]:
    query = schema._schema.query_type
    assert query is not None
    return {
        name: "{ " + name + " " + _selection(field.type, depth) + " }"
        for name, field in sorted(query.fields.items())
        if not _needs_arguments(field)
    }


def _a_identifiers(world: World) -> set[str]:
    public = {world.ids["BailiffOffice"], str(world.uuids["x"]), str(world.uuids["y"])}
    values = {v for v in world.ids.values() if isinstance(v, str)}
    return (values | {str(v) for v in world.uuids.values()}) - public


async def _everything(client: httpx.AsyncClient) -> str:
    answers = [await gql_raw(client, query) for query in _root_queries(depth=3).values()]
    return json.dumps(answers)


async def test_nested_fields_show_nothing_of_another_tenant(world: World) -> None:
    """Generated from the schema: every argument-free field, three levels deep, from every
    argument-free root field. A's own answer must show its objects (so the queries reach
    them); B's and office Y's must not contain a single identifier of A's."""
    secrets_of_a = _a_identifiers(world)
    seen_by_a = await _everything(world.a_owner)
    assert {world.ids["Deposit"], world.ids["EvidenceItem"], world.ids["Member"]} <= {
        s for s in secrets_of_a if s in seen_by_a
    }
    for stranger in (world.b_owner, world.y_clerk):
        seen = await _everything(stranger)
        assert [s for s in secrets_of_a if s in seen] == []


PROFILE = 'mutation { updateOrganisationProfile(name: "Cabinet B renommé") { __typename ... on OrganisationPayload { organisation { id name } } } }'


async def test_updating_the_profile_changes_only_the_callers_organisation(world: World) -> None:
    before = (await gql(world.a_owner, "{ organisation { name } }"))["organisation"]

    changed = (await gql(world.b_owner, PROFILE))["updateOrganisationProfile"]

    assert changed["organisation"]["name"] == "Cabinet B renommé"
    assert changed["organisation"]["id"] != world.ids["Organisation"]
    assert (await gql(world.a_owner, "{ organisation { name } }"))["organisation"] == before
    refused = (await gql(world.a_colleague, PROFILE))["updateOrganisationProfile"]
    assert refused["__typename"] == "NotAllowed"
    assert (await gql(world.a_owner, "{ organisation { name } }"))["organisation"] == before


CREATE_OFFICE = 'mutation { createBailiffOffice(input: {name: "Étude Pirate", street: "1 rue de la Paix", postcode: "75002", city: "Paris", clerkEmail: "pirate@example.com"}) { __typename } }'


async def test_only_operators_list_organisations_or_create_offices(world: World) -> None:
    for member in (world.a_owner, world.b_owner, world.a_colleague, world.x_clerk):
        listed = await gql_raw(member, "{ organisations { edges { node { id } } } }")
        assert listed["data"] is None
        assert listed["errors"][0]["extensions"]["code"] == "NOT_ALLOWED"
        created = await gql(member, CREATE_OFFICE)
        assert created["createBailiffOffice"]["__typename"] == "NotAllowed"
    directory = await gql(world.a_owner, "{ bailiffOffices { edges { node { name } } } }")
    assert "Étude Pirate" not in json.dumps(directory)
