import structlog
from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import get_current_user
from app.clients.shipping import ShippingUnavailable, get_shipping_quote
from app.db.session import get_db
from app.models.order import Order
from app.models.user import User
from app.schemas.order import OrderCreate, OrderRead
from app.services import orders as order_service
from app.services import payments
from app.worker.tasks import send_order_confirmation

router = APIRouter(prefix="/orders", tags=["orders"], dependencies=[Depends(get_current_user)])
log = structlog.get_logger(__name__)


@router.get("/", response_model=list[OrderRead])
async def list_orders(
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0),
    user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> list[Order]:
    stmt = (
        select(Order)
        .where(Order.user_id == user.id)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(limit)
        .offset(offset)
    )
    orders = db.execute(stmt).scalars().all()
    return list(orders)


@router.get("/{order_id}", response_model=OrderRead)
def get_order(
    order_id: int, user: User = Depends(get_current_user), db: Session = Depends(get_db)
) -> Order:
    order = db.scalar(select(Order).where(Order.id == order_id, Order.user_id == user.id))
    if order is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Order not found")
    return order


@router.post("/", response_model=OrderRead, status_code=status.HTTP_201_CREATED)
async def create_order(
    payload: OrderCreate,
    user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Order:
    address = payload.shipping_address
    item_count = sum(item.quantity for item in payload.items)
    try:
        quote = get_shipping_quote(address.postal_code, address.country, item_count)
    except ShippingUnavailable as exc:
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail=str(exc)
        ) from exc

    try:
        order = await run_in_threadpool(
            order_service.place_order, db, user, payload, quote.amount_cents
        )
    except order_service.OrderError as exc:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(exc)) from exc

    try:
        charge = payments.charge_card(order, payload.payment_token)
    except payments.PaymentDeclined as exc:
        await run_in_threadpool(order_service.cancel_order, db, order)
        raise HTTPException(
            status_code=status.HTTP_402_PAYMENT_REQUIRED, detail=exc.reason
        ) from exc

    order = await run_in_threadpool(order_service.mark_paid, db, order, charge.reference)
    send_order_confirmation.delay(order.id)
    log.info("order_paid", order_id=order.id, carrier=quote.carrier)
    return order
