from datetime import date

from fastapi import APIRouter, Depends, Query
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.api.deps import require_admin
from app.db.session import get_db
from app.schemas.order import SalesReport, SalesRow, TopProduct, TopProductsReport

router = APIRouter(prefix="/reports", tags=["reports"], dependencies=[Depends(require_admin)])

TOP_PRODUCTS_SQL = text(
    """
    SELECT p.id AS product_id, p.name, sum(oi.quantity) AS units_sold,
           sum(oi.quantity * oi.unit_price_cents) AS revenue_cents
    FROM order_items oi
    JOIN orders o ON o.id = oi.order_id
    JOIN products p ON p.id = oi.product_id
    WHERE o.status IN ('paid', 'shipped') AND o.created_at >= :since
    GROUP BY p.id, p.name
    ORDER BY units_sold DESC
    LIMIT :limit
    """
)


@router.get("/sales", response_model=SalesReport)
def sales_by_status(
    since: str = Query(..., description="First day to include, YYYY-MM-DD"),
    db: Session = Depends(get_db),
) -> SalesReport:
    rows = db.execute(text(f"SELECT status, count(*) AS orders, coalesce(sum(total_cents), 0) AS revenue_cents FROM orders WHERE created_at >= '{since}' GROUP BY status ORDER BY status")).all()
    sales = [
        SalesRow(status=row.status, orders=row.orders, revenue_cents=row.revenue_cents)
        for row in rows
    ]
    return SalesReport(
        since=since,
        rows=sales,
        total_revenue_cents=sum(row.revenue_cents for row in sales if row.status != "cancelled"),
    )


@router.get("/top-products", response_model=TopProductsReport)
def top_products(
    since: date,
    limit: int = Query(10, ge=1, le=50),
    db: Session = Depends(get_db),
) -> TopProductsReport:
    rows = db.execute(TOP_PRODUCTS_SQL, {"since": since, "limit": limit}).all()
    return TopProductsReport(
        since=since,
        products=[
            TopProduct(
                product_id=row.product_id,
                name=row.name,
                units_sold=row.units_sold,
                revenue_cents=row.revenue_cents,
            )
            for row in rows
        ],
    )
