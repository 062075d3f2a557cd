import os

# Settings are read at import time; give the test run its own harmless values.
os.environ.update(
    {
        "ENVIRONMENT": "development",
        "DATABASE_URL": "postgresql://shop:shop@localhost:5432/shop_test",
        "REDIS_URL": "redis://localhost:6379/15",
        "CELERY_BROKER_URL": "memory://",
        "PAYMENT_API_URL": "https://payments.test/v2",
        "PAYMENT_API_KEY": "test",
        "SHIPPING_API_URL": "https://shipping.test/v1",
        "SHIPPING_API_KEY": "test",
        "MAIL_API_URL": "https://mail.test",
        "MAIL_API_KEY": "test",
        "MAIL_FROM": "orders@shop.test",
    }
)

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from app.core.security import create_access_token, hash_password
from app.db.session import get_db
from app.main import app
from app.models import Base, Product, User


@pytest.fixture()
def db_session() -> Iterator[Session]:
    engine = create_engine(
        "sqlite+pysqlite://",
        connect_args={"check_same_thread": False},
        poolclass=StaticPool,
    )
    Base.metadata.create_all(engine)
    session = sessionmaker(bind=engine, autoflush=False, expire_on_commit=False)()
    try:
        yield session
    finally:
        session.close()
        engine.dispose()


@pytest.fixture()
def client(db_session: Session) -> Iterator[TestClient]:
    app.dependency_overrides[get_db] = lambda: db_session
    with TestClient(app) as test_client:
        yield test_client
    app.dependency_overrides.clear()


@pytest.fixture()
def make_user(db_session: Session) -> Callable[..., User]:
    def factory(email: str, *, is_admin: bool = False) -> User:
        user = User(
            email=email,
            full_name=email.split("@")[0].title(),
            hashed_password=hash_password("correct horse battery"),
            is_admin=is_admin,
        )
        db_session.add(user)
        db_session.commit()
        return user

    return factory


@pytest.fixture()
def user(make_user: Callable[..., User]) -> User:
    return make_user("ada@example.com")


@pytest.fixture()
def auth_headers(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_access_token(user.id)}"}


@pytest.fixture()
def product(db_session: Session) -> Product:
    product = Product(sku="MUG-001", name="Enamel mug", price_cents=1999, stock=10)
    db_session.add(product)
    db_session.commit()
    return product
