"""Typed settings, read from the environment with the TRUCELINE_ prefix."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of Truceline, each with its help text."""

    model_config = SettingsConfigDict(env_prefix="TRUCELINE_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///truceline.db",
        description="SQLAlchemy URL of the store; SQLite file in the working directory by default.",
    )
    output_dir: Path = Field(
        default=Path("truceline-out"),
        description="Where `truceline demo` writes its scenario, outputs and summary.",
    )
    transparency_log_dir: Path | None = Field(
        default=None,
        description=(
            "Directory of the transparency log (`truceline log init`); every finding and "
            "activation is appended to it when set."
        ),
    )
    transparency_log_key: Path | None = Field(
        default=None,
        description="The log's private signing key (kept outside the published log directory).",
    )
    alerts_dir: Path | None = Field(
        default=None,
        description="Where CAP 1.2 alerts (activations of commitments) are written when set.",
    )
    environment: str = Field(
        default="development",
        description=(
            "development, test or production "
            "(the HTTP API will refuse default secrets outside development)."
        ),
    )


def get_settings() -> Settings:
    """Settings as the environment says now (not cached, so tests can change it)."""
    return Settings()
