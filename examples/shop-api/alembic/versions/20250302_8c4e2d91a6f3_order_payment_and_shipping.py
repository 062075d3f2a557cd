"""orders: payment reference, shipping address, status index

Revision ID: 8c4e2d91a6f3
Revises: 3f1a9c2b7d10
Create Date: 2025-03-02 14:40:03.918532+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8c4e2d91a6f3"
down_revision: str | None = "3f1a9c2b7d10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHIPPING_COLUMNS = {
    "shipping_line1": 200,
    "shipping_city": 100,
    "shipping_postal_code": 16,
    "shipping_country": 2,
}


def upgrade() -> None:
    op.add_column("orders", sa.Column("payment_reference", sa.String(length=64), nullable=True))
    # Orders placed before this release had no address on file; backfill with an empty
    # string, then drop the default so new rows must provide one.
    for name, length in SHIPPING_COLUMNS.items():
        op.add_column(
            "orders",
            sa.Column(name, sa.String(length=length), nullable=False, server_default=""),
        )
        op.alter_column("orders", name, server_default=None)
    op.create_index(op.f("ix_orders_status"), "orders", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_orders_status"), table_name="orders")
    for name in reversed(SHIPPING_COLUMNS):
        op.drop_column("orders", name)
    op.drop_column("orders", "payment_reference")
