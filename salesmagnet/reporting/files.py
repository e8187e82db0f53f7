"""Export files, written a batch of rows at a time (never whole in memory): CSV (RFC 4180,
UTF-8, a header row, formula-looking cells neutralised), JSON, and XLSX (typed cells, a frozen
header row; XlsxWriter's constant_memory mode flushes each row as it is written).

The writes are blocking file work: callers run them in a thread (salesmagnet.reporting.exports).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, Protocol

import xlsxwriter

from salesmagnet.reporting.schemas import Format

CONTENT_TYPES = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.JSON: "application/json",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A cell a spreadsheet would read as a formula (OWASP's list: = + - @, tab and carriage return)
# is written with a leading apostrophe, which spreadsheets show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_ROWS = 1_048_576  # a worksheet's rows; longer exports go on to a second sheet


def neutralised(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def plain(value: Any) -> Any:
    """A value as JSON holds it: times as ISO-8601 UTC with a Z, days as YYYY-MM-DD."""
    if isinstance(value, datetime):
        return _stamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class Sink(Protocol):
    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        """Append rows (values in the order of the columns)."""

    def close(self) -> None:
        """Finish the file (its size is final after this)."""


class CsvSink:
    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self._file: IO[str] = path.open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._file, lineterminator="\r\n")
        self._csv.writerow([neutralised(c) for c in columns])

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        self._csv.writerows([[self._cell(v) for v in row] for row in rows])

    def write_lines(self, lines: Sequence[str]) -> None:
        """Append rows already written as CSV lines (neutralised and quoted)."""
        if lines:
            self._file.write("\r\n".join(lines) + "\r\n")

    @staticmethod
    def _cell(value: Any) -> Any:
        if isinstance(value, str):
            return neutralised(value)
        if value is None or isinstance(value, int | float):
            return value
        if isinstance(value, dict | list):
            return neutralised(json.dumps(value, ensure_ascii=False))
        return plain(value)

    def close(self) -> None:
        self._file.close()


class JsonSink:
    """`{…head, "results": [{column: value}, …]}`, the objects streamed one by one."""

    def __init__(self, path: Path, columns: Sequence[str], head: dict[str, Any]) -> None:
        self._file: IO[str] = path.open("w", encoding="utf-8")
        self._columns = list(columns)
        self._first = True
        opening = json.dumps({**head, "results": []}, ensure_ascii=False, default=plain)
        self._file.write(opening[: -len("[]}")] + "[")

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        parts = []
        for row in rows:
            line = json.dumps(dict(zip(self._columns, row, strict=True)), ensure_ascii=False, default=plain)
            parts.append(("\n" if self._first else ",\n") + line)
            self._first = False
        self._file.write("".join(parts))

    def close(self) -> None:
        self._file.write("\n]}\n")
        self._file.close()


class XlsxSink:
    """With `kinds` (number | text | time per column: times as serial days) each cell is
    written by its column's kind; without, by its value's type."""

    def __init__(self, path: Path, columns: Sequence[str], sheet: str, kinds: Sequence[str] = ()) -> None:
        self._book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,  # a text cell stays text, whatever it starts with
                "strings_to_urls": False,
                "remove_timezone": True,
            },
        )
        self._columns = list(columns)
        self._kinds = list(kinds)
        self._title = sheet[:28]
        self._bold = self._book.add_format({"bold": True})
        self._moment = self._book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self._day = self._book.add_format({"num_format": "yyyy-mm-dd"})
        self._sheets = 0
        self._new_sheet()

    def _new_sheet(self) -> None:
        self._sheets += 1
        name = self._title if self._sheets == 1 else f"{self._title} {self._sheets}"
        self._sheet = self._book.add_worksheet(name)
        self._sheet.freeze_panes(1, 0)
        self._sheet.set_column(0, len(self._columns) - 1, 16)
        for n, column in enumerate(self._columns):
            self._sheet.write_string(0, n, column, self._bold)
        self._row = 1

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        if self._kinds:
            self._write_kinds(rows)
            return
        sheet = self._sheet
        for values in rows:
            if self._row == XLSX_ROWS:
                self._new_sheet()
                sheet = self._sheet
            r = self._row
            for c, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                elif isinstance(value, datetime):
                    sheet.write_datetime(r, c, value.astimezone(UTC).replace(tzinfo=None), self._moment)
                elif isinstance(value, date):
                    sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), self._day)
                else:
                    sheet.write_string(r, c, json.dumps(value, ensure_ascii=False, default=plain))
            self._row += 1

    def _write_kinds(self, rows: Sequence[Sequence[Any]]) -> None:
        sheet, moment = self._sheet, self._moment
        writers = [
            (
                c,
                sheet.write_string if kind == "text" else sheet.write_number,
                moment if kind == "time" else None,
            )
            for c, kind in enumerate(self._kinds)
        ]
        for values in rows:
            if self._row == XLSX_ROWS:
                self._new_sheet()
                self._write_kinds(rows[rows.index(values) :])
                return
            r = self._row
            for c, write, style in writers:
                value = values[c]
                if value is not None:
                    write(r, c, value, style)
            self._row += 1

    def close(self) -> None:
        self._book.close()


def open_sink(
    fmt: Format, path: Path, columns: Sequence[str], head: dict[str, Any], kinds: Sequence[str] = ()
) -> Sink:
    if fmt is Format.CSV:
        return CsvSink(path, columns)
    if fmt is Format.XLSX:
        return XlsxSink(path, columns, str(head.get("report_type", "export")), kinds)
    return JsonSink(path, columns, head)


def table(rows: Sequence[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Rows of dicts as columns (in order of first appearance) and lists of values."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    return columns, [[row.get(c) for c in columns] for row in rows]


def write_report(
    path: Path, fmt: Format, head: dict[str, Any], results: Any, rows: Sequence[dict[str, Any]]
) -> int:
    """A report's file: JSON holds the answer as the API gives it, CSV and XLSX its rows; the
    file's size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt is Format.JSON:
        text = json.dumps({**head, "results": results}, ensure_ascii=False, default=plain)
        path.write_text(text + "\n", encoding="utf-8")
    else:
        columns, values = table(rows)
        sink = open_sink(fmt, path, columns or ["empty"], head)
        sink.write(values)
        sink.close()
    return path.stat().st_size
