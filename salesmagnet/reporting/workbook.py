"""Workbooks (XLSX) through rustpy-xlsxwriter (rust_xlsxwriter underneath: rows streamed in
constant memory, five times XlsxWriter's speed here, which a million-row export needs).

A lead list's workbook is written by a child process of its own,

    python -m salesmagnet.reporting.workbook PATH SHEET ROWS COLUMNS TIMES

which reads its rows on stdin, a JSON array of values a line, so the rows are read from the
database while the workbook is written, off the worker's interpreter, at lower priority
(requests elsewhere on the machine come first). It imports nothing else of the application:
a small process. Exit 0 when the workbook is whole; otherwise the error on stderr.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from rustpy_xlsxwriter import Format, write_worksheet, write_worksheets

XLSX_ROWS = 1_048_576  # a worksheet's rows, its header's included
MOMENT = "yyyy-mm-dd hh:mm:ss"
NICE = 10  # the child's niceness
CELL_CHARS = 32_767  # the most a cell holds: Excel refuses the whole workbook over one longer
CUT = " […]"  # ends a text cut to fit


def records(rows: Iterable[Sequence[Any]], columns: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Rows as records, texts cut to what a cell holds (a form's free-text answer can be
    longer); none at all is one blank record, so the header is still written."""
    empty = True
    for row in rows:
        empty = False
        yield dict(zip(columns, map(_fitted, row), strict=True))
    if empty:
        yield dict.fromkeys(columns)


def _fitted(value: Any) -> Any:
    if isinstance(value, str) and len(value) > CELL_CHARS:
        return value[: CELL_CHARS - len(CUT)] + CUT
    return value


def write_xlsx(
    rows: Iterable[dict[str, Any]],
    path: Path,
    sheet: str,
    times: Sequence[str] = (),
    total: int | None = None,
    per_sheet: int = XLSX_ROWS - 1,
) -> None:
    """A workbook of `rows` (records): a bold frozen header row, typed numbers, text never read
    as a formula, times as dates (datetimes, or the `times` columns' serial days). When `total`
    is more than a sheet holds, the rest go on further sheets (`<sheet> 2`, …)."""
    title = sheet[:28]
    formats = {name: Format().set_num_format(MOMENT) for name in times}
    if total is None or total <= per_sheet:
        write_worksheet(
            rows, str(path), sheet_name=title, freeze_row=1, bold_headers=True,
            datetime_format=MOMENT, column_width=16, column_formats=formats,
        )  # fmt: skip
        return
    flow = iter(rows)
    names = [title if n == 0 else f"{title} {n + 1}" for n in range(-(-total // per_sheet))]
    write_worksheets(
        [(name, islice(flow, per_sheet)) for name in names], str(path),
        freeze_panes={"general": {"row": 1, "col": 0}}, bold_headers=True, datetime_format=MOMENT,
        column_width={name: 16 for name in names}, column_formats={name: formats for name in names},
    )  # fmt: skip


def main(argv: list[str]) -> int:
    path, sheet, total, columns, times = (
        argv[1],
        argv[2],
        int(argv[3]),
        json.loads(argv[4]),
        json.loads(argv[5]),
    )
    os.nice(NICE)
    rows = (json.loads(line) for line in sys.stdin.buffer)
    try:
        write_xlsx(records(rows, columns), Path(path), sheet, times, total)
    except Exception as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
