"""Intake: idempotent batches, conflicts naming the id, all or nothing, limits, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Api, make_settings
from truceline.api import create_app
from truceline.store.database import count_rows

SENSORS = [
    {"sensor_id": "S1", "lon": 37.8, "lat": 48.0},
    {"sensor_id": "S2", "lon": 37.9, "lat": 48.1},
]
ARRIVALS_CSV = (
    b"arrival_id,sensor_id,time,label\n"
    b"A1,S1,2026-03-01T04:12:33.25Z,launch\n"
    b"A2,S2,2026-03-01T04:12:34Z,\n"
)


def stored(api: Api, table: str) -> int:
    with api.engine.connect() as conn:
        return count_rows(conn)[table]


def report(report_id: str, **fields: object) -> dict[str, object]:
    return {
        "report_id": report_id,
        "source_id": "OSCE-7",
        "source_kind": "monitor",
        "time": "2026-03-01T04:12:40Z",
        "event_type": "explosion",
    } | fields


def test_a_batch_sent_again_stores_nothing_new(api: Api, analyst: dict[str, str]) -> None:
    first = api.client.post("/sensors", json=SENSORS, headers=analyst)
    again = api.client.post("/sensors", json=SENSORS, headers=analyst)
    assert (first.status_code, first.json()) == (200, {"new": 2, "existing": 0})
    assert (again.status_code, again.json()) == (200, {"new": 0, "existing": 2})
    csv = api.client.post("/arrivals/csv", content=ARRIVALS_CSV, headers=analyst)
    csv_again = api.client.post("/arrivals/csv", content=ARRIVALS_CSV, headers=analyst)
    assert csv.json() == {"new": 2, "existing": 0} and csv_again.json() == {"new": 0, "existing": 2}
    assert stored(api, "arrivals") == 2


def test_same_id_other_content_is_409_naming_the_id(api: Api, analyst: dict[str, str]) -> None:
    api.client.post("/sensors", json=SENSORS, headers=analyst)
    moved = [{"sensor_id": "S2", "lon": 30.0, "lat": 48.1}]
    response = api.client.post("/sensors", json=moved, headers=analyst)
    assert response.status_code == 409 and "'S2'" in response.json()["detail"]


def test_a_batch_with_one_bad_record_stores_none_of_it(api: Api, analyst: dict[str, str]) -> None:
    api.client.post("/sensors", json=SENSORS, headers=analyst)
    batch = [
        {"arrival_id": "A1", "sensor_id": "S1", "time": "2026-03-01T04:12:33Z"},
        {"arrival_id": "A2", "sensor_id": "S9", "time": "2026-03-01T04:12:34Z"},
    ]
    response = api.client.post("/arrivals", json=batch, headers=analyst)
    assert response.status_code == 422 and "'S9'" in response.text
    assert stored(api, "arrivals") == 0


def test_json_errors_name_the_record_and_field(api: Api, analyst: dict[str, str]) -> None:
    bad = [report("R1"), report("R2", lon=37.8)]  # lon without lat
    response = api.client.post("/reports", json=bad, headers=analyst)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", 1, "lat"]
    naive = api.client.post(
        "/reports", json=[report("R3", time="2026-03-01T04:12:40")], headers=analyst
    )
    assert naive.status_code == 422 and naive.json()["detail"][0]["loc"] == ["body", 0, "time"]
    typo = api.client.post("/reports", json=[report("R4", credibilty="2")], headers=analyst)
    assert typo.status_code == 422 and typo.json()["detail"][0]["loc"] == ["body", 0, "credibilty"]
    assert stored(api, "reports") == 0


def test_csv_errors_name_file_line_and_column(api: Api, analyst: dict[str, str]) -> None:
    body = (
        b"report_id,source_id,source_kind,time,event_type,credibility\n"
        b"R1,X,monitor,2026-03-01T04:12:40Z,explosion,9\n"
    )
    response = api.client.post("/reports/csv", content=body, headers=analyst)
    item = response.json()["detail"][0]
    assert response.status_code == 422
    assert (item["file"], item["line"], item["column"]) == ("reports.csv", 2, "credibility")


GARBAGE = [
    b"",
    b"\x00\x01\x02",
    b"\xff\xfe not utf-8",
    b"{",
    b"[1, 2, 3]",
    b'[{"sensor_id": "\\u0000"}]',
    b'[{"report_id": "\\ud800"}]',
    b"null",
    b'{"a": NaN}',
    b"id\n" + b"x," * 1000,
    b'"just a string"',
    b"[" + b"[" * 5000 + b"]" * 5000 + b"]",
]
INTAKE_ROUTES = [
    "/sensors",
    "/sensors/csv",
    "/arrivals",
    "/arrivals/csv",
    "/reports",
    "/reports/csv",
]


@pytest.mark.parametrize("route", INTAKE_ROUTES)
def test_garbage_is_refused_with_a_4xx_and_stores_nothing(
    api: Api, analyst: dict[str, str], route: str
) -> None:
    for body in GARBAGE:
        for content_type in ("application/json", "text/csv"):
            headers = analyst | {"Content-Type": content_type}
            response = api.client.post(route, content=body, headers=headers)
            assert 400 <= response.status_code < 500, (body[:40], response.text)
            assert response.json()["detail"], body[:40]
    with api.engine.connect() as conn:
        assert sum(v for k, v in count_rows(conn).items() if k not in ("users", "api_tokens")) == 0


def test_size_limits_are_413(store_url: str, tmp_path: Path) -> None:
    settings = make_settings(store_url, tmp_path, api_max_body_bytes=2_000, api_max_batch_rows=3)
    api = Api(TestClient(create_app(settings)), settings)
    headers = api.user("ana", "analyst")
    too_many = [{"sensor_id": f"S{i}", "lon": 30, "lat": 50} for i in range(4)]
    assert api.client.post("/sensors", json=too_many, headers=headers).status_code == 413
    rows = "".join(f"S{i},30,50\n" for i in range(4))
    csv = api.client.post("/sensors/csv", content=f"sensor_id,lon,lat\n{rows}", headers=headers)
    assert csv.status_code == 413
    huge = api.client.post("/sensors", content=b" " * 3_000, headers=headers)
    assert huge.status_code == 413 and "2000 bytes" in huge.json()["detail"]
    assert stored(api, "sensors") == 0


def test_rate_limit_is_429_with_retry_after(store_url: str, tmp_path: Path) -> None:
    settings = make_settings(store_url, tmp_path, api_rate_per_second=0.5, api_rate_burst=3)
    api = Api(TestClient(create_app(settings)), settings)
    headers = api.user("ana", "analyst")
    codes = [api.client.get("/sensors", headers=headers).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = api.client.get("/sensors", headers=headers)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    other = api.user("bob", "analyst")
    assert api.client.get("/sensors", headers=other).status_code == 200  # per token


def test_a_liaison_files_as_its_party_only(api: Api) -> None:
    ua = api.user("ua", "party_liaison", party="UA")
    ru = api.user("ru", "party_liaison", party="RU")
    monitor = api.user("mon", "monitor")
    as_monitor = api.client.post("/reports", json=[report("R-X")], headers=ua)
    assert as_monitor.status_code == 422 and as_monitor.json()["detail"][0]["loc"] == [
        "body",
        0,
        "source_kind",
    ]
    filed = [report("R-UA", source_kind="party", text="secret UA")]
    assert api.client.post("/reports", json=filed, headers=ua).json() == {"new": 1, "existing": 0}
    assert api.client.post("/reports", json=filed, headers=ua).json() == {"new": 0, "existing": 1}
    taken = api.client.post("/reports", json=[report("R-UA", source_kind="party")], headers=ru)
    assert taken.status_code == 409 and "secret" not in taken.text  # nothing of UA's revealed
    api.client.post("/reports", json=[report("R-MON")], headers=monitor)
    stolen = api.client.post("/reports", json=[report("R-MON", source_kind="party")], headers=ru)
    assert stolen.status_code == 409
    assert [r["report_id"] for r in api.client.get("/reports", headers=ru).json()["data"]] == []
    assert [r["report_id"] for r in api.client.get("/reports", headers=ua).json()["data"]] == [
        "R-UA"
    ]
