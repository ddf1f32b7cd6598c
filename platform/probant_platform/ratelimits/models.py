"""Fixed one-minute windows counted in PostgreSQL (an UPSERT), so every process shares them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from probant_platform.db import Base


class RateLimitWindow(Base):
    """Not tenant-owned: keys name the client or organisation and hold no tenant data."""

    __tablename__ = "rate_limit_windows"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    used: Mapped[int] = mapped_column(Integer)
