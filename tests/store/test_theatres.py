"""Theatres: GeoJSON stored verbatim under a name, with its SHA-256."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from tests.store.samples import T0, THEATRE_GEOJSON
from truceline.errors import ConflictError, InputError, NotFoundError
from truceline.store import count_rows, get_theatre, get_theatres, save_theatre


def test_a_theatre_is_kept_verbatim_with_its_hash(engine: Engine) -> None:
    with engine.begin() as conn:
        saved = save_theatre(conn, name="donbas", geojson=THEATRE_GEOJSON, created_at=T0)
    with engine.connect() as conn:
        assert get_theatre(conn, name="donbas") == saved
        assert get_theatres(conn) == [saved]
    assert saved.geojson == THEATRE_GEOJSON
    assert saved.sha256 == hashlib.sha256(THEATRE_GEOJSON.encode()).hexdigest()
    assert saved.created_at == T0


def test_saving_the_same_theatre_again_keeps_the_first(engine: Engine) -> None:
    with engine.begin() as conn:
        first = save_theatre(conn, name="donbas", geojson=THEATRE_GEOJSON, created_at=T0)
    with engine.begin() as conn:
        later = T0 + timedelta(days=1)
        again = save_theatre(conn, name="donbas", geojson=THEATRE_GEOJSON, created_at=later)
    assert again == first
    with engine.connect() as conn:
        assert count_rows(conn)["theatres"] == 1


def test_other_geojson_under_a_stored_name_conflicts(engine: Engine) -> None:
    with engine.begin() as conn:
        save_theatre(conn, name="donbas", geojson=THEATRE_GEOJSON)
    with pytest.raises(ConflictError, match="theatre 'donbas'"), engine.begin() as conn:
        save_theatre(conn, name="donbas", geojson=THEATRE_GEOJSON.replace("UA", "RU"))


def test_text_that_is_not_json_is_refused(engine: Engine) -> None:
    with pytest.raises(InputError, match="not JSON"), engine.begin() as conn:
        save_theatre(conn, name="broken", geojson='{"type": ')


def test_an_unknown_theatre_is_not_found(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="theatre 'nowhere'"), engine.connect() as conn:
        get_theatre(conn, name="nowhere")
