"""numbered districts and wards named with their type in dim_geography

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 10:35:00.000000
"""
import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    for level, reference in (("district", "ref_district"), ("ward", "ref_ward")):
        names = conn.execute(sa.text(f"SELECT code, name FROM {reference}")).all()
        numbered = {c for c, n in names if n and n.isdigit()}
        if not numbered:
            continue
        typed = dict(conn.execute(sa.text(
            f"SELECT code, name_with_type FROM {reference}")).all())
        for unit_code in sorted(numbered):
            conn.execute(sa.text(f"UPDATE dim_geography SET {level}_name = :typed "
                                 f"WHERE {level}_code = :code"),
                         {"typed": typed[unit_code], "code": unit_code})


def downgrade() -> None:
    conn = op.get_bind()
    for level, reference in (("district", "ref_district"), ("ward", "ref_ward")):
        conn.execute(sa.text(
            f"UPDATE dim_geography SET {level}_name = (SELECT r.name FROM {reference} r "
            f"WHERE r.code = dim_geography.{level}_code) WHERE {level}_code IN "
            f"(SELECT code FROM {reference} WHERE name_with_type = {level}_name "
            f"AND name <> name_with_type)"))
