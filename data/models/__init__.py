"""All mapped tables; importing this module registers them on Base.metadata."""

from data.models import (
    auth,
    certificates,
    meta,
    operational,
    ops,
    ops_aefi,
    ops_registrations,
    reference,
    rollups,
    star,
)
from data.models.base import Base

metadata = Base.metadata

__all__ = ["Base", "auth", "certificates", "meta", "metadata", "operational", "ops", "ops_aefi",
           "ops_registrations", "reference", "rollups", "star"]
