from collections.abc import Callable
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.routes import orders as orders_routes
from app.clients.shipping import ShippingQuote
from app.models import Order, OrderStatus, Product, User
from app.services import payments

ORDER_PAYLOAD = {
    "items": [{"product_id": 0, "quantity": 2}],
    "shipping_address": {
        "line1": "1 Harbour Road",
        "city": "Rotterdam",
        "postal_code": "3011",
        "country": "NL",
    },
    "payment_token": "tok_visa_4242",
}


@pytest.fixture()
def charges(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Replace the payment provider, the shipping API and the task queue with fakes."""
    recorded: list[dict] = []

    def fake_charge(order: Order, token: str) -> payments.Charge:
        recorded.append({"token": token, "amount_cents": order.total_cents, "order_id": order.id})
        return payments.Charge(reference="ch_123", amount_cents=order.total_cents, currency="EUR")

    quote = ShippingQuote(carrier="postnl", service="parcel", amount_cents=495, estimated_days=2)
    monkeypatch.setattr(payments, "charge_card", fake_charge)
    monkeypatch.setattr(orders_routes, "get_shipping_quote", lambda *args: quote)
    monkeypatch.setattr(
        orders_routes, "send_order_confirmation", SimpleNamespace(delay=lambda order_id: None)
    )
    return recorded


def order_payload(product: Product, quantity: int = 2) -> dict:
    return {**ORDER_PAYLOAD, "items": [{"product_id": product.id, "quantity": quantity}]}


def test_orders_require_authentication(client: TestClient) -> None:
    assert client.get("/api/v1/orders/").status_code == 401
    assert client.post("/api/v1/orders/", json=ORDER_PAYLOAD).status_code == 401


def test_create_order_reserves_stock_and_charges_card(
    client: TestClient,
    db_session: Session,
    auth_headers: dict[str, str],
    product: Product,
    charges: list[dict],
) -> None:
    response = client.post("/api/v1/orders/", json=order_payload(product), headers=auth_headers)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "paid"
    assert body["subtotal_cents"] == 2 * 1999
    assert body["total_cents"] == 2 * 1999 + 495
    assert charges == [{"token": "tok_visa_4242", "amount_cents": 4493, "order_id": body["id"]}]
    db_session.refresh(product)
    assert product.stock == 8


def test_out_of_stock_order_is_rejected_before_charging(
    client: TestClient,
    auth_headers: dict[str, str],
    product: Product,
    charges: list[dict],
) -> None:
    response = client.post(
        "/api/v1/orders/", json=order_payload(product, quantity=11), headers=auth_headers
    )

    assert response.status_code == 409
    assert charges == []


def test_declined_card_cancels_order_and_releases_stock(
    client: TestClient,
    db_session: Session,
    auth_headers: dict[str, str],
    product: Product,
    charges: list[dict],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def declined(*args: object, **kwargs: object) -> payments.Charge:
        raise payments.PaymentDeclined("insufficient_funds")

    monkeypatch.setattr(payments, "charge_card", declined)

    response = client.post("/api/v1/orders/", json=order_payload(product), headers=auth_headers)

    assert response.status_code == 402
    assert response.json()["detail"] == "insufficient_funds"
    db_session.refresh(product)
    assert product.stock == 10
    order = db_session.scalars(select(Order)).one()
    assert order.status is OrderStatus.CANCELLED


def test_list_orders_only_returns_own_orders(
    client: TestClient,
    db_session: Session,
    make_user: Callable[..., User],
    auth_headers: dict[str, str],
    product: Product,
    charges: list[dict],
) -> None:
    client.post("/api/v1/orders/", json=order_payload(product, 1), headers=auth_headers)
    other = make_user("mallory@example.com")
    db_session.add(
        Order(
            user_id=other.id,
            subtotal_cents=100,
            shipping_cents=0,
            total_cents=100,
            shipping_line1="x",
            shipping_city="x",
            shipping_postal_code="0000",
            shipping_country="NL",
        )
    )
    db_session.commit()

    response = client.get("/api/v1/orders/", params={"limit": 10}, headers=auth_headers)

    assert response.status_code == 200
    assert len(response.json()) == 1
