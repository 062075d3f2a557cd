"""Celery application and background tasks.

Run with: celery -A app.worker.tasks:celery_app worker --beat --loglevel=INFO
"""

import httpx
import structlog
from celery import Celery, signals

from app.core.config import settings
from app.core.logging import configure_logging
from app.db.session import SessionLocal
from app.models.order import Order
from app.services import inventory

log = structlog.get_logger(__name__)

celery_app = Celery("shop", broker=settings.celery_broker_url)
celery_app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    timezone="UTC",
    enable_utc=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    beat_schedule={
        "release-expired-reservations": {
            "task": "inventory.release_expired_reservations",
            "schedule": 300.0,
        },
    },
)


@signals.setup_logging.connect
def setup_worker_logging(**_: object) -> None:
    configure_logging(settings.log_level, json_logs=settings.environment != "development")


@celery_app.task(
    name="orders.send_confirmation",
    autoretry_for=(httpx.HTTPError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=60,
)
def send_order_confirmation(order_id: int) -> None:
    with SessionLocal() as db:
        order = db.get(Order, order_id)
        if order is None:
            log.warning("confirmation_skipped", order_id=order_id, reason="order not found")
            return
        recipient = order.user.email
        lines = [f"{item.quantity} x product #{item.product_id}" for item in order.items]
        total = f"{order.total_cents / 100:.2f} {order.currency}"

    response = httpx.post(
        f"{settings.mail_api_url}/email",
        headers={"X-Server-Token": settings.mail_api_key},
        json={
            "From": settings.mail_from,
            "To": recipient,
            "Subject": f"Your Northwind Goods order #{order_id}",
            "TextBody": "\n".join([*lines, "", f"Total: {total}"]),
            "MessageStream": "outbound",
        },
        timeout=10.0,
    )
    response.raise_for_status()
    log.info("confirmation_sent", order_id=order_id)


@celery_app.task(name="inventory.release_expired_reservations")
def release_expired_reservations() -> int:
    with SessionLocal() as db:
        return inventory.release_expired_reservations(db)
