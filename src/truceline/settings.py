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
            "(the HTTP API refuses default or weak secrets outside development)."
        ),
    )
    api_secret_key: str = Field(
        default="changethis",
        description=(
            "Server-side key mixed into every API token hash (a pepper): a copy of the "
            "database alone cannot be used to test guessed tokens. At least 32 characters; "
            "the default is refused outside development. `truceline user add` and "
            "`truceline serve` must use the same key."
        ),
    )
    api_max_body_bytes: int = Field(
        default=16 * 1024 * 1024,
        gt=0,
        description="Largest request body the HTTP API accepts, in bytes (larger: 413).",
    )
    api_max_batch_rows: int = Field(
        default=50_000,
        gt=0,
        description="Most records in one intake batch (JSON list or CSV rows; more: 413).",
    )
    api_rate_per_second: float = Field(
        default=50.0,
        ge=0,
        description=(
            "Requests per second each API token (or each client address without a token) "
            "may make, sustained; 0 turns rate limiting off. Over it: 429 with Retry-After."
        ),
    )
    api_rate_burst: int = Field(
        default=200,
        gt=0,
        description="Requests a token may make at once before the sustained rate applies.",
    )
    api_token_cache_seconds: float = Field(
        default=60.0,
        ge=0,
        description=(
            "How long a verified token is trusted without checking its argon2 hash again "
            "(a revoked token stops working within this time; 0 checks every request)."
        ),
    )

    redaction_policy: str = Field(
        default="standard",
        description=(
            "Source protection in public outputs (docs/source-protection.md): standard "
            "(observer, sensor and report positions coarsened to the grid, identities "
            "withheld, free text screened), strict (those positions withheld everywhere) or "
            "off (nothing redacted; refused in production)."
        ),
    )
    redaction_grid_m: float = Field(
        default=5000.0,
        description=(
            "Size in metres of the grid protected positions are snapped to (a cell's centre) "
            "in public outputs; must be > 0."
        ),
    )
    redaction_pseudonym_key: str = Field(
        default="",
        description=(
            "Secret key of the stable pseudonyms guarantors see instead of source ids "
            "(a keyed hash); empty: a plain label such as 'monitor team'."
        ),
    )
    redaction_names_file: Path | None = Field(
        default=None,
        description=(
            "Text file of further names to screen out of public free text (monitors, liaison "
            "officers), one per line; sensor ids, source ids and user names come from the store."
        ),
    )


def get_settings() -> Settings:
    """Settings as the environment says now (not cached, so tests can change it)."""
    return Settings()
