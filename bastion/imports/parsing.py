"""Reading a registry file: .xlsx (openpyxl, read-only) or .csv (UTF-8, UTF-8 with BOM, GB18030).

The result is a header map (column -> field) and the data rows as dicts of text, each with the
row number the worker sees in the spreadsheet (the header is row 1). Problems of the file as a
whole (unreadable, too big, a missing column) raise a ValidationError naming the file; problems
of one header are returned as issues so the worker sees all of them at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from bastion.core.text import simplified
from bastion.imports import conf

# Field -> label in the user's language (template and export headers, error messages). The context keeps
# these apart from the same English words elsewhere (a supplies "Unit" is a unit of measure).
FIELDS: dict[str, Any] = {
    "grid": pgettext_lazy("registry column", "Grid"),
    "street": pgettext_lazy("registry column", "Street"),
    "compound": pgettext_lazy("registry column", "Compound"),
    "building": pgettext_lazy("registry column", "Building number"),
    "unit": pgettext_lazy("registry column", "Unit"),
    "room": pgettext_lazy("registry column", "Room"),
    "name": pgettext_lazy("registry column", "Name"),
    "gender": pgettext_lazy("registry column", "Gender"),
    "id_number": pgettext_lazy("registry column", "ID number"),
    "phone": pgettext_lazy("registry column", "Phone"),
    "relation": pgettext_lazy("registry column", "Relation to the head"),
}
REQUIRED = ("grid", "street", "building", "room", "name")

# Header spellings, compared after folding to simplified script, lower case, no spaces or
# punctuation: 網格, 网格 and "Grid" all name the grid column.
ALIASES: dict[str, tuple[str, ...]] = {
    "grid": ("网格", "所属网格", "grid"),
    "street": ("街路", "街道", "街路巷", "路", "地址", "street", "streetaddress", "address"),
    "compound": ("小区", "院落", "compound", "estate", "residentialcompound"),
    "building": ("楼号", "楼栋", "楼", "楼栋号", "楼号码", "building", "buildingnumber", "buildingno"),
    "unit": ("单元", "单元号", "unit", "entrance"),
    "room": ("室", "室号", "房号", "门牌号", "户室", "room", "roomnumber", "roomno"),
    "name": ("姓名", "名字", "name", "fullname"),
    "gender": ("性别", "gender", "sex"),
    "id_number": (
        "身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码", "idnumber", "id", "idno", "residentid",
    ),
    "phone": ("电话", "手机", "手机号", "联系电话", "电话号码", "phone", "mobile", "telephone", "phonenumber"),
    "relation": ("与户主关系", "户主关系", "关系", "relation", "relationtohead", "relationship", "relationtothehead"),
}


def fold(text: Any) -> str:
    """A header or value folded for comparison: NFKC, simplified script, lower case, no spaces/punctuation."""
    value = simplified(unicodedata.normalize("NFKC", str(text or "")))
    return "".join(ch for ch in value if ch.isalnum())


_HEADER_INDEX = {fold(alias): name for name, aliases in ALIASES.items() for alias in aliases}


@dataclass
class Issue:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Sheet:
    columns: dict[str, str]  # field -> header text as written in the file
    rows: list[dict[str, Any]]  # each: {"_row": n, field: value}
    issues: list[Issue] = field(default_factory=list)


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _cell(value: Any) -> Any:
    """Spreadsheet cells as text, except numbers kept so a numeric ID number can be reported."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    return str(value).strip()


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _file_error(_("This file is not a readable .xlsx workbook.")) from exc
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    finally:
        book.close()


def _decode(content: bytes) -> str:
    # utf-8-sig reads plain UTF-8 too; what is not UTF-8 is taken as GB18030 (a superset of GBK/GB2312).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _file_error(_("This file is neither UTF-8 nor GB18030 text; save it as CSV UTF-8 or as .xlsx."))


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    text = _decode(content)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            yield [v.strip() for v in row]
    except csv.Error as exc:
        raise _file_error(_("This CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def is_xlsx(file_name: str, content: bytes) -> bool:
    return content[:2] == b"PK" or file_name.lower().endswith((".xlsx", ".xlsm"))


def read_sheet(file_name: str, content: bytes) -> Sheet:
    """Read the first sheet (or the CSV) into rows keyed by field; raise for a file that cannot be used."""
    if not content:
        raise _file_error(_("The file is empty."))
    limit = conf.max_bytes()
    if len(content) > limit:
        raise _file_error(
            _("The file is %(size)d KB; at most %(limit)d KB may be uploaded at once. Split it into several files.")
            % {"size": len(content) // 1024, "limit": limit // 1024}
        )
    lower = file_name.lower()
    if not lower.endswith((".xlsx", ".xlsm", ".csv", ".txt")):
        raise _file_error(_("Upload an .xlsx workbook or a .csv file."))
    source = _xlsx_rows(content) if is_xlsx(file_name, content) else _csv_rows(content)

    header: list[Any] | None = None
    issues: list[Issue] = []
    columns: dict[str, str] = {}
    positions: dict[int, str] = {}
    rows: list[dict[str, Any]] = []
    max_rows = conf.max_rows()
    for number, raw in enumerate(source, start=1):
        if header is None:
            if not any(str(v).strip() for v in raw):
                continue  # blank lines above the header
            header = raw
            header_row = number
            for index, title in enumerate(raw):
                text = str(title).strip()
                if not text:
                    continue
                name = _HEADER_INDEX.get(fold(text))
                if name is None:
                    issues.append(Issue(number, text, _("Unknown column; rename it to one of the template's "
                                                        "columns or remove it.")))
                elif name in columns:
                    issues.append(Issue(number, text, _("This column appears twice (as “%(other)s” too).")
                                        % {"other": columns[name]}))
                else:
                    columns[name] = text
                    positions[index] = name
            continue
        if not any(str(v).strip() for v in raw):
            continue
        if len(rows) >= max_rows:
            raise _file_error(
                _("The file has more than %(limit)d data rows; split it into several files.") % {"limit": max_rows}
            )
        row: dict[str, Any] = {"_row": number}
        for index, value in enumerate(raw):
            name_at = positions.get(index)
            if name_at is not None:
                row[name_at] = value
            elif str(value).strip() and index >= len(header):
                issues.append(Issue(number, "", _("This row has a value beyond the last column.")))
        rows.append(row)
    if header is None:
        raise _file_error(_("The file has no header row."))
    missing = [str(FIELDS[name]) for name in REQUIRED if name not in columns]
    if missing:
        issues.append(Issue(header_row, "", _("Missing columns: %(names)s.") % {"names": ", ".join(missing)}))
    if not rows:
        raise _file_error(_("The file has a header but no data rows."))
    return Sheet(columns=columns, rows=rows, issues=issues)
