"""Export files, written a batch of rows at a time (never whole in memory): CSV (RFC 4180,
UTF-8, a header row, formula-looking cells neutralised), JSON, and XLSX (typed cells, a frozen
header row: salesmagnet.reporting.workbook).

The writes are blocking file work: callers run them in a thread (salesmagnet.reporting.exports);
a lead list's workbook is written by a child process (salesmagnet.reporting.workbook).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from salesmagnet.reporting import workbook
from salesmagnet.reporting.schemas import Format

CONTENT_TYPES = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.JSON: "application/json",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A cell a spreadsheet would read as a formula (OWASP's list: = + - @, tab and carriage return)
# is written with a leading apostrophe, which spreadsheets show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    SEPARATOR: str  # between the rows of a page

    def write_page(self, page: str) -> None:
        """Append a page of rows the database rendered for this format, joined by SEPARATOR
        (salesmagnet.reporting.queries)."""

    def close(self) -> None:
        """Finish the file (its size is final after this)."""


class CsvSink:
    SEPARATOR = "\r\n"

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self._file: IO[str] = path.open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._file, lineterminator="\r\n")
        self._csv.writerow([neutralised(c) for c in columns])

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        self._csv.writerows([[self._cell(v) for v in row] for row in rows])

    def write_page(self, lines: str) -> None:
        """Append rows the database wrote as CSV lines (neutralised and quoted)."""
        if lines:
            self._file.write(lines + self.SEPARATOR)

    @staticmethod
    def _cell(value: Any) -> Any:
        if isinstance(value, str):
            return neutralised(value)
        if isinstance(value, bool):  # as JSON writes it (csv would write Python's True)
            return "true" if value else "false"
        if value is None or isinstance(value, int | float):
            return value
        if isinstance(value, dict | list):
            return neutralised(json.dumps(value, ensure_ascii=False))
        return plain(value)

    def close(self) -> None:
        self._file.close()


class JsonSink:
    """`{…head, "results": [{column: value}, …]}`, the objects streamed page by page."""

    SEPARATOR = ",\n"

    def __init__(self, path: Path, head: dict[str, Any]) -> None:
        self._file: IO[str] = path.open("w", encoding="utf-8")
        self._first = True
        opening = json.dumps({**head, "results": []}, ensure_ascii=False, default=plain)
        self._file.write(opening[: -len("[]}")] + "[")

    def write_page(self, objects: str) -> None:
        """Append rows the database wrote as JSON objects."""
        if objects:
            self._file.write(("\n" if self._first else self.SEPARATOR) + objects)
            self._first = False

    def close(self) -> None:
        self._file.write("\n]}\n")
        self._file.close()


def _xlsx_value(value: Any) -> Any:
    """A report value as a workbook cell takes it: times naive UTC, nested values as JSON."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=plain)
    return value


class XlsxSink:
    """A lead list's workbook, written by its own child process (salesmagnet.reporting.workbook)
    from rows sent on its stdin: the sender waits while the child is behind (memory stays a
    pipe deep)."""

    SEPARATOR = "\n"  # JSON arrays hold no raw newline

    def __init__(
        self, path: Path, columns: Sequence[str], sheet: str, times: Sequence[str], rows: int
    ) -> None:
        args = [path, sheet, str(rows), json.dumps(list(columns)), json.dumps(list(times))]
        self._process = subprocess.Popen(  # noqa: S603  (our own module, arguments we made)
            [sys.executable, "-m", "salesmagnet.reporting.workbook", *map(str, args)],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def write_page(self, arrays: str) -> None:
        """Send rows the database wrote as JSON arrays of their values (in column order), a
        line each."""
        if arrays and self._process.stdin is not None:
            self._process.stdin.write((arrays + self.SEPARATOR).encode())

    def close(self) -> None:
        try:
            _, error = self._process.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            self._process.kill()
            _, error = self._process.communicate()
        if self._process.returncode:
            raise RuntimeError(f"the workbook writer failed: {error.decode(errors='replace').strip()}")


def open_sink(fmt: Format, path: Path, columns: Sequence[str], head: dict[str, Any]) -> Sink:
    """A CSV or JSON sink (XLSX: XlsxSink, or write_xlsx for rows at hand)."""
    if fmt is Format.CSV:
        return CsvSink(path, columns)
    return JsonSink(path, head)


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
    elif fmt is Format.XLSX:
        columns = table(rows)[0] or ["empty"]
        cells = ([_xlsx_value(row.get(c)) for c in columns] for row in rows)
        workbook.write_xlsx(workbook.records(cells, columns), path, str(head["report_type"]))
    else:
        columns, values = table(rows)
        sink = CsvSink(path, columns or ["empty"])
        sink.write(values)
        sink.close()
    return path.stat().st_size
