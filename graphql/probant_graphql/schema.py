"""The composed schema: each domain contributes its query and mutation types here."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.tools import merge_types

from probant_graphql.bailiffs.constats.mutations import ConstatMutation
from probant_graphql.bailiffs.constats.queries import ConstatQuery
from probant_graphql.bailiffs.directory.mutations import DirectoryMutation
from probant_graphql.bailiffs.directory.queries import DirectoryQuery
from probant_graphql.bailiffs.onsite.mutations import OnSiteMutation
from probant_graphql.bailiffs.onsite.queries import OnSiteQuery
from probant_graphql.bailiffs.review.mutations import ReviewMutation
from probant_graphql.bailiffs.review.queries import ReviewQuery
from probant_graphql.billing.mutations import BillingMutation
from probant_graphql.billing.queries import BillingQuery
from probant_graphql.core.queries import CoreQuery
from probant_graphql.cost import QueryCostLimit
from probant_graphql.embedding.mutations import EmbeddingMutation
from probant_graphql.embedding.queries import EmbeddingQuery
from probant_graphql.error_masking import (
    ErrorMasking,
    ProductionErrorMasking,
    SandboxErrorMasking,
)
from probant_graphql.evidence.mutations import EvidenceMutation
from probant_graphql.evidence.queries import EvidenceQuery
from probant_graphql.field_scopes import guard_field_scopes
from probant_graphql.integrity.queries import IntegrityQuery
from probant_graphql.ledger.mutations import LedgerMutation
from probant_graphql.ledger.queries import LedgerHistoryQuery, LedgerQuery
from probant_graphql.notifications.mutations import NotificationMutation
from probant_graphql.notifications.queries import NotificationQuery
from probant_graphql.partner_limits import PartnerRateLimit
from probant_graphql.partners.mutations import (
    ApiClientMutation,
    QueryAllowListMutation,
    WebhookMutation,
)
from probant_graphql.partners.queries import ApiClientQuery, QueryAllowListQuery, WebhookQuery
from probant_graphql.security import (
    AliasLimit,
    DepthLimit,
    NoIntrospection,
    NoNul,
    OneAuthenticationField,
    TokenLimit,
)
from probant_graphql.tenancy.accounts.mutations import TenancyMutation
from probant_graphql.tenancy.members.mutations import MembersMutation
from probant_graphql.tenancy.operators.mutations import OperatorMutation
from probant_graphql.tenancy.operators.queries import OperatorConsoleQuery, OperatorQuery
from probant_graphql.tenancy.profile.mutations import ProfileMutation
from probant_graphql.tenancy.queries import AuditQuery, TenancyQuery
from probant_graphql.validation_cache import ValidDocumentCache
from probant_graphql.view import UnitOfWorkExtension
from probant_platform.observability_graphql import GraphQLObservability

QUERY_TYPES: tuple[type, ...] = (
    CoreQuery,
    TenancyQuery,
    AuditQuery,
    OperatorQuery,
    OperatorConsoleQuery,
    LedgerQuery,
    LedgerHistoryQuery,
    BillingQuery,
    EvidenceQuery,
    IntegrityQuery,
    EmbeddingQuery,
    DirectoryQuery,
    ReviewQuery,
    ConstatQuery,
    OnSiteQuery,
    ApiClientQuery,
    QueryAllowListQuery,
    WebhookQuery,
    NotificationQuery,
)
MUTATION_TYPES: tuple[type, ...] = (
    TenancyMutation,
    ProfileMutation,
    MembersMutation,
    OperatorMutation,
    LedgerMutation,
    BillingMutation,
    EvidenceMutation,
    EmbeddingMutation,
    DirectoryMutation,
    ReviewMutation,
    ConstatMutation,
    OnSiteMutation,
    ApiClientMutation,
    QueryAllowListMutation,
    WebhookMutation,
    NotificationMutation,
)

Query = merge_types("Query", QUERY_TYPES)
Mutation = merge_types("Mutation", MUTATION_TYPES) if MUTATION_TYPES else None


class SerialExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Resolves sibling fields one after another: they share the request's one database
    session, which allows no concurrent operations (lists are batched by DataLoaders)."""

    def execute_fields(self, *args: Any, **kwargs: Any) -> Any:
        return self.execute_fields_serially(*args, **kwargs)


def build_schema(*, production: bool, introspection: bool | None = None) -> strawberry.Schema:
    """The schema with its security limits.

    Production masks unexpected errors and, unless `introspection` is asked for (a partners'
    sandbox), refuses introspection and drops "did you mean" suggestions from errors.
    """
    introspection = not production if introspection is None else introspection
    extensions: list[type[SchemaExtension]] = [
        ValidDocumentCache,
        UnitOfWorkExtension,
        GraphQLObservability,
        DepthLimit,
        AliasLimit,
        TokenLimit,
        OneAuthenticationField,
        NoNul,
        QueryCostLimit,
        PartnerRateLimit,
    ]
    if not introspection:
        extensions.append(NoIntrospection)
    if not production:
        extensions.append(ErrorMasking)
    else:
        extensions.append(SandboxErrorMasking if introspection else ProductionErrorMasking)
    built = strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        execution_context_class=SerialExecutionContext,
    )
    # Partner-token scopes: checked on the few fields that need them, not by a hook on
    # every resolved field.
    guard_field_scopes(built)
    return built


schema = build_schema(production=False)
