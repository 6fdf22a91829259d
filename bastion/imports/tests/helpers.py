"""Registry files for the import tests, built in memory."""

from __future__ import annotations

import io
from typing import Any

from stdnum.cn import ric

HANS = ["网格", "街路", "小区", "楼号", "单元", "室", "姓名", "性别", "身份证号", "电话", "与户主关系"]
HANT = ["網格", "街路", "小區", "樓號", "單元", "室", "姓名", "性別", "身份證號", "電話", "與戶主關係"]
EN = ["Grid", "Street", "Compound", "Building number", "Unit", "Room", "Name", "Gender", "ID number", "Phone",
      "Relation"]


def valid_id(birth: str = "19900101", seq: str = "123") -> str:
    body = f"370202{birth}{seq}"
    return body + ric.calc_check_digit(body + "0")


def bad_checksum(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def rows_for(grid: str, *, ids: tuple[str, ...] | None = None) -> list[list[Any]]:
    ids = ids or (valid_id("19700101", "111"), valid_id("19720202", "222"), valid_id("20000303", "331"))
    return [
        [grid, "仰口路1號", "仰口小區", "1號樓", "1", "101", "張建國", "男", ids[0], "13912345678", "戶主"],
        [grid, "仰口路1號", "仰口小區", "1號樓", "1", "101", "李秀蘭", "女", ids[1], "", "配偶"],
        [grid, "仰口路1號", "仰口小區", "1號樓", "1", "102", "王小明", "男", ids[2], "", "户主"],
    ]


def xlsx(header: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)  # type: ignore[union-attr]
    for row in rows:
        sheet.append(row)  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(header: list[str], rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
