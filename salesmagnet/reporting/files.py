"""Export files, written a batch of rows at a time (never whole in memory): CSV (RFC 4180,
UTF-8, a header row, formula-looking cells neutralised), JSON, and XLSX (typed cells, a frozen
header row; rustpy-xlsxwriter, rust_xlsxwriter underneath, streams the rows in constant memory:
five times faster than XlsxWriter here, which a million-row export needs).

The writes are blocking file work: callers run them in a thread (salesmagnet.reporting.exports),
and a lead list's XLSX in a child process, so the rows are read while the workbook is written
and the event loop's interpreter stays free.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import IO, Any, Protocol

from rustpy_xlsxwriter import Format as CellFormat
from rustpy_xlsxwriter import write_worksheet, write_worksheets

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
    def write_texts(self, texts: Sequence[str]) -> None:
        """Append rows the database rendered for this format (salesmagnet.reporting.queries)."""

    def close(self) -> None:
        """Finish the file (its size is final after this)."""


class CsvSink:
    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self._file: IO[str] = path.open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._file, lineterminator="\r\n")
        self._csv.writerow([neutralised(c) for c in columns])

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        self._csv.writerows([[self._cell(v) for v in row] for row in rows])

    def write_texts(self, lines: Sequence[str]) -> None:
        """Append rows the database wrote as CSV lines (neutralised and quoted)."""
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
    """`{…head, "results": [{column: value}, …]}`, the objects streamed page by page."""

    def __init__(self, path: Path, head: dict[str, Any]) -> None:
        self._file: IO[str] = path.open("w", encoding="utf-8")
        self._first = True
        opening = json.dumps({**head, "results": []}, ensure_ascii=False, default=plain)
        self._file.write(opening[: -len("[]}")] + "[")

    def write_texts(self, objects: Sequence[str]) -> None:
        """Append rows the database wrote as JSON objects."""
        if objects:
            self._file.write(("\n" if self._first else ",\n") + ",\n".join(objects))
            self._first = False

    def close(self) -> None:
        self._file.write("\n]}\n")
        self._file.close()


MOMENT = "yyyy-mm-dd hh:mm:ss"
NICE = 10  # the workbook writer's niceness


def _records(pages: Iterable[Sequence[Sequence[Any]]], columns: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Rows as records; none at all is one blank record, so the header is still written."""
    empty = True
    for page in pages:
        for row in page:
            empty = False
            yield dict(zip(columns, row, strict=True))
    if empty:
        yield dict.fromkeys(columns)


def _xlsx_value(value: Any) -> Any:
    """A report value as a workbook cell takes it: times naive UTC, nested values as JSON."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=plain)
    return value


def write_xlsx(
    records: Iterable[dict[str, Any]],
    path: Path,
    sheet: str,
    times: Sequence[str] = (),
    rows: int | None = None,
    per_sheet: int = XLSX_ROWS - 1,
) -> None:
    """A workbook of `records`, streamed (rustpy-xlsxwriter: rust_xlsxwriter in constant
    memory): a bold frozen header row, typed numbers, text never read as a formula, times as
    dates (datetimes, or the `times` columns' serial days). When `rows` is more than a sheet
    holds, the rest go on further sheets (`<sheet> 2`, …)."""
    title = sheet[:28]
    formats = {name: CellFormat().set_num_format(MOMENT) for name in times}
    if rows is None or rows <= per_sheet:
        write_worksheet(
            records, str(path), sheet_name=title, freeze_row=1, bold_headers=True,
            datetime_format=MOMENT, column_width=16, column_formats=formats,
        )  # fmt: skip
        return
    flow = iter(records)
    names = [title if n == 0 else f"{title} {n + 1}" for n in range(-(-rows // per_sheet))]
    write_worksheets(
        [(name, islice(flow, per_sheet)) for name in names], str(path),
        freeze_panes={"general": {"row": 1, "col": 0}}, bold_headers=True, datetime_format=MOMENT,
        column_width={name: 16 for name in names}, column_formats={name: formats for name in names},
    )  # fmt: skip


class XlsxSink:
    """A lead list's workbook written by a spawned child process: pages are sent over a pipe
    (the sender waits while the child is a page behind: memory stays a page deep), so the
    rows are read while the workbook is written, off the event loop's interpreter."""

    def __init__(
        self, path: Path, columns: Sequence[str], sheet: str, times: Sequence[str], rows: int
    ) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, str(path), list(columns), sheet, list(times), rows), daemon=True
        )
        self._process.start()
        child.close()

    def write_texts(self, arrays: Sequence[str]) -> None:
        """Send rows the database wrote as JSON arrays of their values (in column order)."""
        self._pipe.send(list(arrays))

    def close(self) -> None:
        try:
            self._pipe.send(None)
            error = self._pipe.recv()
        except (EOFError, OSError) as exc:
            error = f"the workbook writer ended: {exc}"
        finally:
            self._pipe.close()
            self._process.join(timeout=30)
            if self._process.is_alive():
                self._process.kill()
        if error:
            raise RuntimeError(error)


def _serve(pipe: Any, path: str, columns: list[str], sheet: str, times: list[str], rows: int) -> None:
    """The child (at lower priority: requests elsewhere on the machine come first): write the
    pages received until None, then answer None or the error."""
    os.nice(NICE)
    try:
        pages = (json.loads(f"[{','.join(arrays)}]") for arrays in iter(pipe.recv, None))
        write_xlsx(_records(pages, columns), Path(path), sheet, times, rows)
    except Exception as exc:
        pipe.send(f"{type(exc).__name__}: {exc}")
        return
    pipe.send(None)


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
        records = [{c: _xlsx_value(row.get(c)) for c in columns} for row in rows] or [dict.fromkeys(columns)]
        write_xlsx(records, path, str(head["report_type"]))
    else:
        columns, values = table(rows)
        sink = CsvSink(path, columns or ["empty"])
        sink.write(values)
        sink.close()
    return path.stat().st_size
