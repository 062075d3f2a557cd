from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.models.order import OrderStatus


class OrderItemIn(BaseModel):
    product_id: int
    quantity: int = Field(gt=0, le=100)


class ShippingAddress(BaseModel):
    line1: str = Field(min_length=1, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    postal_code: str = Field(min_length=3, max_length=16)
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code")


class OrderCreate(BaseModel):
    items: list[OrderItemIn] = Field(min_length=1, max_length=50)
    shipping_address: ShippingAddress
    payment_token: str = Field(min_length=8, description="Card token from the payment widget")


class OrderItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: int
    quantity: int
    unit_price_cents: int


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: OrderStatus
    subtotal_cents: int
    shipping_cents: int
    total_cents: int
    currency: str
    created_at: datetime
    items: list[OrderItemRead]


class SalesRow(BaseModel):
    status: str
    orders: int
    revenue_cents: int


class SalesReport(BaseModel):
    since: str
    rows: list[SalesRow]
    total_revenue_cents: int


class TopProduct(BaseModel):
    product_id: int
    name: str
    units_sold: int
    revenue_cents: int


class TopProductsReport(BaseModel):
    since: date
    products: list[TopProduct]
