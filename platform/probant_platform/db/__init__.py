"""Database access: the declarative base, the session factory and the tenant-scoped unit of work."""

from probant_platform.db.base import Base, TenantMixin, TimestampMixin, new_id, utcnow
from probant_platform.db.session import Database, DatabaseUnavailable, TenantScope

__all__ = [
    "Base",
    "Database",
    "DatabaseUnavailable",
    "TenantMixin",
    "TenantScope",
    "TimestampMixin",
    "new_id",
    "utcnow",
]
