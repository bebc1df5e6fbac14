"""Public reports: the daily report and thematic reports, as HTML and PDF, with maps and charts.

``write_daily_report`` and ``write_thematic_report`` read a store and write both files;
``daily`` builds what a report says as plain data, ``maps`` and ``charts`` draw it, and
``render`` lays it out (jinja2 templates, WeasyPrint for the PDF).
"""

from truceline.reports.publish import write_daily_report, write_thematic_report

__all__ = ["write_daily_report", "write_thematic_report"]
