"""reports.csv specifics."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from truceline.domain import Assessment, Report, SourceKind
from truceline.io.reports import read_reports, write_reports

HEADER = (
    "report_id,source_id,source_kind,reliability,credibility,time,time_sigma_s,"
    "observer_lon,observer_lat,bearing_deg,bearing_sigma_deg,distance_min_m,distance_max_m,"
    "lon,lat,loc_sigma_m,event_type,count,assessment,weapon,accused_party,text"
)
T = datetime(2026, 3, 1, 4, 12, 40, tzinfo=UTC)


def test_required_columns_only(tmp_path: Path) -> None:
    path = tmp_path / "reports.csv"
    path.write_text(
        "report_id,source_id,source_kind,time,event_type\n"
        "R1,@osint_account,osint,2026-03-01T04:12:40Z,access_denied\n"
    )
    assert read_reports(path) == [
        Report("R1", "@osint_account", SourceKind.OSINT, T, "access_denied")
    ]


def test_full_report_with_narrative(tmp_path: Path) -> None:
    report = Report(
        "R2",
        "team-3",
        SourceKind.MONITOR,
        T,
        "explosion",
        reliability="A",
        credibility="2",
        time_sigma_s=5.0,
        observer_lon=37.6,
        observer_lat=48.3,
        bearing_deg=0.0,
        bearing_sigma_deg=10.0,
        distance_min_m=3000.0,
        distance_max_m=3000.0,
        count=3,
        assessment=Assessment.INCOMING,
        weapon="mortar_120",
        accused_party="RU",
        text='Three rounds, "heavy";\nheard from the north-east.',
    )
    path = tmp_path / "reports.csv"
    write_reports(path, [report])
    assert (
        path.read_text().splitlines()[0] == HEADER + ",serials"
    )  # the added column, after every contract column
    assert read_reports(path) == [report]


def test_empty_free_text_reads_as_none(tmp_path: Path) -> None:
    path = tmp_path / "reports.csv"
    write_reports(path, [Report("R1", "uav-7", SourceKind.UAV, T, "burst", weapon="", text="")])
    assert read_reports(path)[0].text is None
    assert read_reports(path)[0].weapon is None


def test_serials_column_is_optional_and_read_as_a_list(tmp_path: Path) -> None:
    path = tmp_path / "reports.csv"
    path.write_text(
        HEADER + ",serials\n"
        "R1,team-1,monitor,A,1,2026-03-01T04:12:40Z,,,,,,,,48.0,37.5,50,inspection,1,,,,,"
        "UA-T72-001;UA-T72-002\n"
    )
    (report,) = read_reports(path)
    assert report.serials == ("UA-T72-001", "UA-T72-002")
    old = tmp_path / "old.csv"
    old.write_text(
        HEADER + "\nR2,team-1,monitor,,,2026-03-01T04:12:40Z" + "," * 11 + "shot" + "," * 5 + "\n"
    )
    assert read_reports(old)[0].serials == ()
