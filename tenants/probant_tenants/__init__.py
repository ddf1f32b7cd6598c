"""Tenancy: organisations, users, memberships, invitations, roles and the tenant context."""
