"""Shipping rates from the carrier aggregator."""

from dataclasses import dataclass

import requests

from app.core.config import settings


@dataclass(frozen=True)
class ShippingQuote:
    carrier: str
    service: str
    amount_cents: int
    estimated_days: int


class ShippingUnavailable(Exception):
    """No carrier delivers to the requested address."""


def get_shipping_quote(postal_code: str, country: str, item_count: int) -> ShippingQuote:
    params = {"to_postal_code": postal_code, "to_country": country, "items": item_count}
    headers = {"X-Api-Key": settings.shipping_api_key}
    url = f"{settings.shipping_api_url}/rates"
    response = requests.get(url, params=params, headers=headers, timeout=5)
    response.raise_for_status()
    rates = response.json().get("rates", [])
    if not rates:
        raise ShippingUnavailable(f"no carrier delivers to {country} {postal_code}")
    cheapest = min(rates, key=lambda rate: rate["amount_cents"])
    return ShippingQuote(
        carrier=cheapest["carrier"],
        service=cheapest["service"],
        amount_cents=cheapest["amount_cents"],
        estimated_days=cheapest["estimated_days"],
    )
