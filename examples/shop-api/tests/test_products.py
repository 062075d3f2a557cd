from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Product


def test_list_products_is_paginated(client: TestClient, db_session: Session) -> None:
    db_session.add_all(
        [Product(sku=f"SKU-{n}", name=f"Item {n}", price_cents=100 * n, stock=n) for n in (1, 2, 3)]
    )
    db_session.commit()

    response = client.get("/api/v1/products/", params={"limit": 2, "offset": 0})

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 3
    assert [item["sku"] for item in body["items"]] == ["SKU-1", "SKU-2"]


def test_update_product_requires_admin(
    client: TestClient, product: Product, auth_headers: dict[str, str]
) -> None:
    response = client.patch(
        f"/api/v1/products/{product.id}", json={"price_cents": 1}, headers=auth_headers
    )
    assert response.status_code == 403
