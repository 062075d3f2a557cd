"""ORM models. Importing this package registers every table on ``Base.metadata``."""

from app.models.base import Base
from app.models.order import Order, OrderItem, OrderStatus
from app.models.product import Product
from app.models.user import User

__all__ = ["Base", "Order", "OrderItem", "OrderStatus", "Product", "User"]
