"""Reporting: custom reports, exports, templates, generated reports and scheduled reports."""
