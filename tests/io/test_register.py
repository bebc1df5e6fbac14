"""register.json: holding areas and declared weapons, checked field by field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from truceline.errors import InputError
from truceline.io.register import read_register

GOOD = {
    "holding_areas": [
        {"name": "HA-1", "party": "RU", "lon": 37.6, "lat": 48.1, "radius_m": 500},
        {"name": "HA-2", "party": "UA", "polygon": [[36.5, 48], [36.6, 48], [36.6, 48.1]]},
    ],
    "weapons": [
        {"serial": "RU-T72-001", "party": "RU", "weapon": "tank", "holding_area": "HA-1"},
        {"serial": "UA-2S1-001", "party": "UA", "weapon": "artillery_122", "holding_area": "HA-2"},
    ],
}


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "register.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_reads_areas_and_weapons(tmp_path: Path) -> None:
    register = read_register(_write(tmp_path, GOOD))
    assert [a.name for a in register.holding_areas] == ["HA-1", "HA-2"]
    assert register.holding_areas[0].radius_m == 500.0
    assert [w.serial for w in register.weapons] == ["RU-T72-001", "UA-2S1-001"]


def _with(section: str, i: int, **change: object) -> dict[str, object]:
    data = json.loads(json.dumps(GOOD))
    data[section][i].update(change)
    return data


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_with("weapons", 0, holding_area="HA-9"), "weapons[0].holding_area"),
        (_with("weapons", 0, party="UA"), "weapons[0].party"),
        (_with("weapons", 1, serial="RU-T72-001"), "weapons[1]"),
        (_with("weapons", 0, serial=""), "weapons[0].serial"),
        (_with("holding_areas", 0, lat=91), "holding_areas[0].lat"),
        (_with("holding_areas", 0, radius_m="big"), "holding_areas[0].radius_m"),
        (_with("holding_areas", 1, polygon=[[0, 0], [1, 1]]), "holding_areas[1].polygon"),
        ({"holding_areas": {}, "weapons": []}, "holding_areas"),
    ],
)
def test_each_bad_field_is_named(tmp_path: Path, data: object, field: str) -> None:
    with pytest.raises(InputError) as err:
        read_register(_write(tmp_path, data))
    assert err.value.column == field and err.value.file == str(tmp_path / "register.json")


def test_not_json_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "register.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read the register"):
        read_register(path)
