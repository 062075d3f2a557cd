"""Stock reservation for checkout."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.order import OrderStatus
from app.models.product import Product
from app.services import orders

RESERVATION_TTL = timedelta(minutes=30)


def reserve_stock(db: Session, quantities: dict[int, int]) -> dict[int, Product]:
    """Lock the requested products and take the quantities out of stock.

    Raises ``UnknownProductError`` or ``OutOfStockError``; nothing is committed here.
    """
    stmt = select(Product).where(Product.id.in_(quantities)).with_for_update()
    products = {product.id: product for product in db.scalars(stmt)}
    for product_id, requested in quantities.items():
        product = products.get(product_id)
        if product is None or not product.is_active:
            raise orders.UnknownProductError(product_id)
        if product.stock < requested:
            raise orders.OutOfStockError(product_id, requested, product.stock)
        product.stock -= requested
    return products


def release_stock(db: Session, quantities: dict[int, int]) -> None:
    stmt = select(Product).where(Product.id.in_(quantities)).with_for_update()
    for product in db.scalars(stmt):
        product.stock += quantities[product.id]


def release_expired_reservations(db: Session) -> int:
    """Cancel orders left unpaid past the reservation window and put their stock back."""
    cutoff = datetime.utcnow() - RESERVATION_TTL
    stale = orders.stale_pending_orders(db, cutoff)
    if not stale:
        return 0

    quantities: dict[int, int] = {}
    for order in stale:
        for item in order.items:
            quantities[item.product_id] = quantities.get(item.product_id, 0) + item.quantity
        order.status = OrderStatus.CANCELLED
    release_stock(db, quantities)
    db.commit()
    print(f"released {sum(quantities.values())} units held by {len(stale)} unpaid orders")
    return len(stale)
