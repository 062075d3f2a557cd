"""Application settings, read once from the environment (and from .env in development)."""

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "staging", "production"] = "development"
    log_level: str = "INFO"

    database_url: str
    redis_url: str
    celery_broker_url: str

    cors_origins: list[str] = []
    access_token_expire_minutes: int = 30

    payment_api_url: str
    payment_api_key: str
    shipping_api_url: str
    shipping_api_key: str
    mail_api_url: str
    mail_api_key: str
    mail_from: str

    sentry_dsn: str | None = None
    sentry_traces_sample_rate: float = 0.1


settings = Settings()  # type: ignore[call-arg]
