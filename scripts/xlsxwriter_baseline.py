#!/usr/bin/env python3
"""The baseline of the XLSX export benchmark (src-tauri/core/benches/export.rs): Python's XlsxWriter writing
the same rows as `liaison export exchanges --format xlsx`, with the same typed cells (text, numbers, dates
with a date format, booleans), bold header, frozen header row, autofilter and column widths.

    python3 scripts/xlsxwriter_baseline.py ROWS.jsonl OUT.xlsx [--load-only] [--constant-memory]

ROWS.jsonl: the header on the first line, then one row per line, each cell ["t", text], ["n", number],
["d", "yyyy-mm-dd"], ["dt", "yyyy-mm-dd hh:mm"], ["b", true] or null (written by the bench). Reading the
rows and turning dates into Python dates is the load; --load-only stops there, so the bench can take it
off and time the writing alone. Needs `pip install XlsxWriter`.
"""

import datetime
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        header = json.loads(f.readline())
        rows = []
        for line in f:
            row = []
            for cell in json.loads(line):
                if cell is None:
                    row.append(None)
                elif cell[0] == "d":
                    row.append(("d", datetime.date.fromisoformat(cell[1])))
                elif cell[0] == "dt":
                    row.append(("dt", datetime.datetime.fromisoformat(cell[1])))
                else:
                    row.append((cell[0], cell[1]))
            rows.append(row)
    return header, rows


def write(header, rows, out, constant_memory):
    import xlsxwriter

    book = xlsxwriter.Workbook(out, {"constant_memory": constant_memory, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Exchanges")
    bold = book.add_format({"bold": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    datetime_ = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    widths = [len(h) + 2 for h in header]
    for c, h in enumerate(header):
        sheet.write_string(0, c, h, bold)
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            kind, value = cell
            if kind == "t":
                sheet.write_string(r, c, value)
                width = len(value)
            elif kind == "n":
                sheet.write_number(r, c, value)
                width = len(str(value))
            elif kind == "d":
                sheet.write_datetime(r, c, value, date)
                width = 10
            elif kind == "dt":
                sheet.write_datetime(r, c, value, datetime_)
                width = 16
            else:
                sheet.write_boolean(r, c, value)
                width = 5
            if width > widths[c]:
                widths[c] = width
    for c, w in enumerate(widths):
        sheet.set_column(c, c, min(max(w + 1, 6), 60))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(header) - 1)
    book.close()


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    header, rows = load(args[0])
    if "--load-only" in sys.argv:
        return
    write(header, rows, args[1], "--constant-memory" in sys.argv)


if __name__ == "__main__":
    main()
