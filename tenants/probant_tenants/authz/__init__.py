"""Authorisation: pycasbin RBAC with domains (domain = organisation), policies in the database."""

from probant_tenants.authz.enforcer import (
    Authorizer,
    Permission,
    default_policies,
    get_authorizer,
    grant_role,
    revoke_roles,
)

__all__ = [
    "Authorizer",
    "Permission",
    "default_policies",
    "get_authorizer",
    "grant_role",
    "revoke_roles",
]
