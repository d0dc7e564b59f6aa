"""All mapped tables; importing this module registers them on Base.metadata."""

from data.models import (
    auth,
    certificates,
    citizen,
    citizen_auth,
    meta,
    operational,
    ops,
    ops_aefi,
    ops_registrations,
    portal,
    reference,
    rollups,
    star,
)
from data.models.base import Base

metadata = Base.metadata

__all__ = ["Base", "auth", "certificates", "citizen", "citizen_auth", "meta", "metadata",
           "operational", "ops", "ops_aefi", "ops_registrations", "portal", "reference",
           "rollups", "star"]
