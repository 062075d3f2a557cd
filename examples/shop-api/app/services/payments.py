"""Card payments through the PayLane REST API."""

from dataclasses import dataclass

import requests
import structlog

from app.core.config import settings
from app.models.order import Order

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Charge:
    reference: str
    amount_cents: int
    currency: str


class PaymentDeclined(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PaymentError(Exception):
    """The payment provider failed or answered something we do not understand."""


def charge_card(order: Order, token: str) -> Charge:
    body = {
        "source": token,
        "amount": order.total_cents,
        "currency": order.currency.lower(),
        "capture": True,
        "metadata": {"order_id": order.id},
    }
    headers = {
        "Authorization": f"Bearer {settings.payment_api_key}",
        "Idempotency-Key": f"order-{order.id}",
    }
    url = f"{settings.payment_api_url}/charges"
    response = requests.post(url, json=body, headers=headers)
    if response.status_code == 402:
        reason = response.json().get("decline_code", "card_declined")
        log.info("payment_declined", order_id=order.id, reason=reason)
        raise PaymentDeclined(reason)
    if response.status_code >= 400:
        log.error("payment_failed", order_id=order.id, status_code=response.status_code)
        raise PaymentError(f"payment provider answered {response.status_code}")
    data = response.json()
    return Charge(
        reference=data["id"], amount_cents=data["amount"], currency=data["currency"].upper()
    )
