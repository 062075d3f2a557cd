"""Order placement and lifecycle."""

from datetime import datetime

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.order import Order, OrderItem, OrderStatus
from app.models.user import User
from app.schemas.order import OrderCreate
from app.services import inventory

log = structlog.get_logger(__name__)


class OrderError(Exception):
    """An order problem the client can fix (bad item, not enough stock, wrong state)."""


class UnknownProductError(OrderError):
    def __init__(self, product_id: int) -> None:
        super().__init__(f"product {product_id} does not exist or is not for sale")
        self.product_id = product_id


class OutOfStockError(OrderError):
    def __init__(self, product_id: int, requested: int, available: int) -> None:
        super().__init__(f"product {product_id}: {requested} requested, {available} in stock")
        self.product_id = product_id
        self.requested = requested
        self.available = available


def place_order(db: Session, user: User, payload: OrderCreate, shipping_cents: int) -> Order:
    """Reserve stock and store the order as pending; payment happens afterwards."""
    quantities: dict[int, int] = {}
    for item in payload.items:
        quantities[item.product_id] = quantities.get(item.product_id, 0) + item.quantity

    products = inventory.reserve_stock(db, quantities)

    address = payload.shipping_address
    order = Order(
        user_id=user.id,
        status=OrderStatus.PENDING,
        shipping_cents=shipping_cents,
        shipping_line1=address.line1,
        shipping_city=address.city,
        shipping_postal_code=address.postal_code,
        shipping_country=address.country.upper(),
    )
    for product_id, quantity in quantities.items():
        unit_price = products[product_id].price_cents
        order.items.append(
            OrderItem(product_id=product_id, quantity=quantity, unit_price_cents=unit_price)
        )
    order.subtotal_cents = sum(item.quantity * item.unit_price_cents for item in order.items)
    order.total_cents = order.subtotal_cents + shipping_cents

    db.add(order)
    db.commit()
    db.refresh(order)
    log.info("order_placed", order_id=order.id, user_id=user.id, total_cents=order.total_cents)
    return order


def mark_paid(db: Session, order: Order, payment_reference: str) -> Order:
    if order.status is not OrderStatus.PENDING:
        raise OrderError(f"order {order.id} is {order.status}, not pending")
    order.status = OrderStatus.PAID
    order.payment_reference = payment_reference
    db.commit()
    return order


def cancel_order(db: Session, order: Order) -> Order:
    if order.status is not OrderStatus.PENDING:
        raise OrderError(f"order {order.id} is {order.status} and can no longer be cancelled")
    inventory.release_stock(db, {item.product_id: item.quantity for item in order.items})
    order.status = OrderStatus.CANCELLED
    db.commit()
    log.info("order_cancelled", order_id=order.id)
    return order


def stale_pending_orders(db: Session, placed_before: datetime) -> list[Order]:
    stmt = select(Order).where(
        Order.status == OrderStatus.PENDING, Order.created_at < placed_before
    )
    return list(db.scalars(stmt))
