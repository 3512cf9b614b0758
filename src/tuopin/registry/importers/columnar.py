"""Reading a clean household CSV a column at a time (Polars), at hundreds of thousands of rows
a second.

A file is taken here only when every cell is in a form the row-by-row reader
(``household_file._Reader``) would accept with the same value: each column is checked with
one vectorised expression, then the checks across rows (household columns that agree,
exactly one head per household, the same person twice). Anything else — an error, a form
this reader does not know, a quoted line break, an unusual encoding trick — returns
``None`` and the caller reads the file row by row, which names every error exactly as
before. A file read here gives exactly what the row-by-row reader gives (the tests compare
the two), kept as columns (``HouseholdTable``) for the bulk write, and turned into
``ParsedHousehold`` objects only when someone asks for them.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import polars as pl

from tuopin.core.tabular import RowError, normalise_cell
from tuopin.registry.choices import (
    HouseholdType,
    IdType,
    Relation,
    Sex,
)
from tuopin.registry.importers.cells import CENT, reason
from tuopin.registry.services import MemberInput

if TYPE_CHECKING:
    from tuopin.registry.importers.household_file import ParsedFile, ParsedHousehold

# How far down a title may push the header before the file is left to the row reader.
_HEADER_SEARCH = 50
_FIELD_LIMIT = 100_000  # bytes; Python's csv.field_size_limit() is 131072 characters
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

_AMOUNT_KEYS = (
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "business_costs",
    "compliant_expenses",
)
HOUSEHOLD_VALUE_KEYS = [
    "area_code",
    "household_type",
    "tuopin_year",
    "attribute",
    "main_cause",
    "income_year",
    *_AMOUNT_KEYS,
    "food_clothing",
    "housing_grade",
    "water_quantity",
    "water_quality",
    "water_access",
    "water_reliability",
    "monitor_type",
    "monitor_since",
    "measures",
]
MEMBER_VALUE_KEYS = [
    "name",
    "id_type",
    "id_number",
    "relation",
    "sex",
    "birth_date",
    "ethnicity",
    "education",
    "schooling",
    "health",
    "labour",
    "medical_insured",
    "pension_insured",
]
# Columns whose every cell may differ: checked with vectorised expressions. Every other
# column holds few distinct values, each read once by the row reader's own parser.
_WIDE_KEYS = ("household_code", "name", "id_number")
_DTYPES: dict[str, Any] = {
    "tuopin_year": pl.Int32,
    "income_year": pl.Int32,
    "measures": pl.Int32,
    "monitor_since": pl.Date,
    "birth_date": pl.Date,
    **dict.fromkeys(_AMOUNT_KEYS, pl.String),  # decimal text, exact to the fen
    **dict.fromkeys(
        [
            "food_clothing",
            "water_quantity",
            "water_quality",
            "water_access",
            "water_reliability",
            "medical_insured",
            "pension_insured",
        ],
        pl.Boolean,
    ),
}


class _NotHere(Exception):
    """The file needs the row-by-row reader."""


def _ok(condition: pl.Series | bool) -> None:
    if not (condition if isinstance(condition, bool) else condition.all()):
        raise _NotHere


def _date_of(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    text = pl.format("{}-{}-{}", year, month, day)
    return text.str.to_date("%Y-%m-%d", strict=False)


def _wide_text(series: pl.Series) -> pl.Series:
    """NFKC and trimmed, as ``normalise_cell`` (the file has no control character that
    Python's strip() would remove and Rust's would not: checked before)."""
    series = series.fill_null("")
    if (series.str.len_bytes() == series.str.len_chars()).all():
        return series.str.strip_chars()  # ASCII: NFKC changes nothing
    return series.str.normalize("NFKC").str.strip_chars()


def _by_value(raw: pl.Series, key: str, parse: Any, default: Any, required: Any) -> pl.Series:
    """Each distinct cell normalised and parsed once, as the row reader would."""
    from tuopin.registry.importers.cells import CellError  # noqa: PLC0415

    raw = raw.fill_null("")
    distinct = raw.unique().to_list()
    values = []
    for cell in distinct:
        text = unicodedata.normalize("NFKC", cell).strip()
        if text == "":
            _ok(default is not required)
            values.append(str(default) if isinstance(default, Decimal) else default)
            continue
        try:
            value = parse(text)
        except CellError:
            raise _NotHere from None
        values.append(str(value) if isinstance(value, Decimal) else value)
    dtype = _DTYPES.get(key, pl.String)
    return raw.replace_strict(distinct, pl.Series(values, dtype=dtype), return_dtype=dtype).alias(
        key
    )


def _resident_ids(numbers: pl.Series, today: datetime.date) -> tuple[pl.Series, pl.Series]:
    """Birth date and sex of resident ID numbers; any number that is not a valid one sends
    the file to the row reader (which says why)."""
    _ok(numbers.str.contains(r"^[0-9]{17}[0-9X]$"))
    frame = pl.DataFrame({"n": numbers})
    # The 17 digits as one integer (below 10**17): its digits by arithmetic, not slicing.
    digits = pl.col("n").str.slice(0, 17).cast(pl.Int64)
    total = pl.sum_horizontal(
        [(digits // 10 ** (16 - i)) % 10 * weight for i, weight in enumerate(_WEIGHTS)]
    )
    checked = frame.select(
        birth=_date_of(
            pl.col("n").str.slice(6, 4), pl.col("n").str.slice(10, 2), pl.col("n").str.slice(12, 2)
        ),
        check=(total % 11).replace_strict(dict(enumerate(_CHECK_CHARS)), return_dtype=pl.String),
        last=pl.col("n").str.slice(17, 1),
        odd=(digits % 2) == 1,
    )
    birth = checked.get_column("birth")
    _ok(((birth.dt.year() >= 1890) & (birth <= today)).fill_null(False))
    _ok(checked.get_column("check") == checked.get_column("last"))
    sex = checked.get_column("odd").replace_strict(
        {True: str(Sex.MALE), False: str(Sex.FEMALE)}, return_dtype=pl.String
    )
    return birth, sex


def read_clean_csv(data: bytes) -> ParsedFile | None:
    """The parsed file, or ``None`` when the row-by-row reader must read it."""
    try:
        return _read(data)
    except _NotHere:
        return None
    except (pl.exceptions.PolarsError, UnicodeError, csv.Error, ValueError):
        return None


def _body(data: bytes) -> tuple[bytes, str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")  # a UnicodeDecodeError goes to the row reader
        return text.encode(), text
    return data, text  # a BOM stands on the header's line or above, which are skipped


def _read(data: bytes) -> ParsedFile:
    from tuopin.registry.importers.household_file import (  # noqa: PLC0415
        ParsedFile,
        _Reader,
    )

    body, text = _body(data)
    # Records must be lines: a quoted line break, a lone CR or a control character that
    # Python's strip() removes (and Rust's does not) is left to the row reader.
    if b"\r" in body and body.count(b"\r") != body.count(b"\r\n"):
        raise _NotHere
    # NUL makes Python's csv refuse the file.
    if any(control in body for control in (b"\x00", b"\x1c", b"\x1d", b"\x1e", b"\x1f")):
        raise _NotHere
    reader = _Reader()
    records = csv.reader(io.StringIO(text[: 1 << 20], newline=""))
    for number, cells in enumerate(records, start=1):
        if number > _HEADER_SEARCH:
            raise _NotHere
        if reader._take_header(number, cells):
            if records.line_num != number:
                raise _NotHere
            break
    else:
        raise _NotHere
    if reader.errors:
        raise _NotHere  # a missing or repeated column: the row reader says which
    header_row = reader.header_row
    width = reader.width - 1
    index = {key: position for key, position in _key_positions(reader).items() if position < width}
    lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1) - header_row
    schema = {f"c{i}": pl.String for i in range(width)}
    if lines <= 0:
        frame = pl.DataFrame(schema=schema)
    else:
        frame = pl.read_csv(
            body,
            has_header=False,
            skip_lines=header_row,  # title and header lines, single lines (checked above)
            schema=schema,
            truncate_ragged_lines=True,
            quote_char='"',
            raise_if_empty=False,
        )
    if frame.height != lines:
        raise _NotHere
    # Python's csv refuses a field of 128 Ki characters or more.
    _ok(frame.select(pl.max_horizontal(pl.all().str.len_bytes().max()) < _FIELD_LIMIT).item())
    if b'"' in body:
        _same_as_python_csv(body, header_row, frame)
    frame = frame.with_row_index("row", offset=header_row + 1)
    code = _wide_text(frame.get_column(f"c{index['household_code']}")).alias("code")
    empty = code == ""
    if empty.any():
        # Blank rows are skipped, as the row reader does; a row with other cells but no
        # household code is an error, named by the row reader.
        used = [f"c{i}" for i in sorted(set(index.values()))]
        for cells in frame.filter(empty).select(used).iter_rows():
            _ok(all(normalise_cell(cell) == "" for cell in cells))
        frame, code = frame.filter(~empty), code.filter(~empty)
    table, id_cells = _validate(frame.with_columns(code), index)
    warnings = _region_warnings(table, id_cells, reader.written["id_number"])
    return ParsedFile(
        households=None,
        errors=[],
        warnings=warnings,
        unknown_columns=reader.unknown_columns,
        header_row=header_row,
        rows_read=table.frame.height,
        headers=dict(reader.written),
        table=table,
    )


def _same_as_python_csv(body: bytes, header_row: int, frame: pl.DataFrame) -> None:
    """Lines with quotes are split by Python's csv too, and must give the same cells (a
    quote inside a field is where CSV readers differ)."""
    width = frame.width
    lines = body.split(b"\n")[header_row:]
    quoted = [number for number, line in enumerate(lines) if b'"' in line]
    rows = frame.select(pl.all().fill_null("")).gather(quoted).iter_rows()
    for number, cells in zip(quoted, rows, strict=True):
        text = lines[number].decode().removesuffix("\r")
        expected = next(csv.reader([text]), [])
        expected = (expected + [""] * width)[:width]
        _ok(list(cells) == expected)


def _key_positions(reader: Any) -> dict[str, int]:
    from tuopin.registry.importers.household_file import (  # noqa: PLC0415
        _HOUSEHOLD_KEYS,
        _MEMBER_KEYS,
    )

    positions = dict(zip(_HOUSEHOLD_KEYS, reader.household_index, strict=True))
    positions.update(zip(_MEMBER_KEYS, reader.member_index, strict=True))
    return positions


def _validate(frame: pl.DataFrame, index: dict[str, int]) -> tuple[HouseholdTable, pl.Series]:
    from tuopin.registry.importers.household_file import (  # noqa: PLC0415
        _HOUSEHOLD_FIELDS,
        _MEMBER_FIELDS,
        _REQUIRED,
    )

    def raw(key: str, source: pl.DataFrame = frame) -> pl.Series:
        position = index.get(key)
        if position is None:
            return pl.Series(key, [""] * source.height, dtype=pl.String)
        return source.get_column(f"c{position}")

    out: dict[str, pl.Series] = {"row": frame.get_column("row")}
    code = frame.get_column("code")
    _length(code, 40)
    # A repeated header line inside the data is left to the row reader.
    _ok(~code.str.to_lowercase().is_in(["户编号", "household_code"]))
    out["code"] = code
    households = code.n_unique()
    # Household cells written alike on every row of each household (the usual case) are
    # read once per household; otherwise on every row, and compared after parsing.
    cells_of = [f"c{index[key]}" for key, _p, _d in _HOUSEHOLD_FIELDS if key in index]
    once = frame.select("code", *cells_of).unique(maintain_order=True)
    alike = once.height == households
    shared: dict[str, pl.Series] = {"code": once.get_column("code")} if alike else out
    for key, parse, default in _HOUSEHOLD_FIELDS:
        shared[key] = _by_value(raw(key, once if alike else frame), key, parse, default, _REQUIRED)
    for key, parse, default in _MEMBER_FIELDS:
        if key not in _WIDE_KEYS:
            out[key] = _by_value(raw(key), key, parse, default, _REQUIRED)
    name = _wide_text(raw("name"))
    _ok(name != "")
    _length(name, 60)
    out["name"] = name.alias("name")
    number = cells = _wide_text(raw("id_number"))
    _ok(number != "")
    number = pl.select(
        pl.when(number.str.ends_with("x"))
        .then(number.str.slice(0, number.str.len_chars() - 1) + "X")
        .otherwise(number)
    ).to_series()
    _ok(~number.str.contains(r"(?i)^[0-9](?:\.[0-9]+)?E\+?[0-9]+$"))
    _length(number, 30)
    out["id_number"] = number.alias("id_number")
    table = pl.DataFrame(out)
    if alike:
        table = table.join(pl.DataFrame(shared), on="code", how="left", maintain_order="left")
    # Household rules of a row.
    _ok(
        table.select(
            ok=(
                (pl.col("household_type") != str(HouseholdType.TUOPIN))
                | pl.col("tuopin_year").is_not_null()
            )
            & ((pl.col("monitor_type") == "") | pl.col("monitor_since").is_not_null())
            & (pl.col("monitor_since").is_null() | (pl.col("monitor_type") != ""))
        ).to_series()
    )
    # People: resident ID numbers checked, sex and birth date agree and are filled from it.
    resident = table.get_column("id_type") == str(IdType.RESIDENT_ID)
    everyone = bool(resident.all())
    ids = table if everyone else table.filter(resident)
    if ids.height:
        birth, sex = _resident_ids(ids.get_column("id_number"), datetime.date.today())
        given_sex, given_birth = ids.get_column("sex"), ids.get_column("birth_date")
        _ok((given_sex == "") | (given_sex == sex))
        _ok(given_birth.is_null() | (given_birth == birth))
        if everyone:
            table = table.with_columns(sex=sex, birth_date=birth)
        else:
            filled = pl.DataFrame({"row": ids.get_column("row"), "_sex": sex, "_birth": birth})
            table = (
                table.join(filled, on="row", how="left", maintain_order="left")
                .with_columns(
                    sex=pl.coalesce("_sex", "sex"), birth_date=pl.coalesce("birth_date", "_birth")
                )
                .drop("_sex", "_birth")
            )
    _ok(not table.select("id_type", "id_number").is_duplicated().any())
    # Households: the same values on every row, exactly one head.
    if not alike:
        _ok(table.select("code", *HOUSEHOLD_VALUE_KEYS).n_unique() == households)
    heads = table.filter(pl.col("relation") == str(Relation.HEAD)).get_column("code")
    _ok(heads.len() == households and heads.n_unique() == households)
    keys = ["row", "code", *HOUSEHOLD_VALUE_KEYS, *MEMBER_VALUE_KEYS]
    return HouseholdTable(table.select(keys)), cells


def _length(text: pl.Series, most: int) -> None:
    _ok(text.str.len_chars() <= most)


def _region_warnings(table: HouseholdTable, cells: pl.Series, header: str) -> list[RowError]:
    from tuopin.registry.importers.household_file import REGION_ELSEWHERE  # noqa: PLC0415

    frame = table.frame.with_columns(cell=cells)
    elsewhere = frame.filter(
        (pl.col("id_type") == str(IdType.RESIDENT_ID))
        & (pl.col("id_number").str.slice(0, 4) != pl.col("area_code").str.slice(0, 4))
    )
    return [
        RowError(row, header, cell, reason(REGION_ELSEWHERE, region=number[:6]))
        for row, cell, number in elsewhere.select("row", "cell", "id_number").iter_rows()
    ]


class HouseholdTable:
    """The member rows of a clean file as columns, in stored codes: ``row``, ``code``, the
    household's values (``HOUSEHOLD_VALUE_KEYS``) and the member's (``MEMBER_VALUE_KEYS``).
    Amounts are decimal text."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def households(self) -> list[ParsedHousehold]:
        from tuopin.registry.importers.household_file import ParsedHousehold  # noqa: PLC0415

        households: dict[str, ParsedHousehold] = {}
        keys = ["row", "code", *HOUSEHOLD_VALUE_KEYS, *MEMBER_VALUE_KEYS]
        first_member = 2 + len(HOUSEHOLD_VALUE_KEYS)
        amounts = {HOUSEHOLD_VALUE_KEYS.index(key) for key in _AMOUNT_KEYS}
        for values in self.frame.select(keys).iter_rows():
            code = values[1]
            household = households.get(code)
            if household is None:
                shared = {
                    key: (Decimal(value).quantize(CENT) if i in amounts else value)
                    for i, (key, value) in enumerate(
                        zip(HOUSEHOLD_VALUE_KEYS, values[2:first_member], strict=True)
                    )
                }
                household = households[code] = ParsedHousehold(code=code, **shared)
            household.rows.append(values[0])
            household.members.append(
                MemberInput(**dict(zip(MEMBER_VALUE_KEYS, values[first_member:], strict=True)))
            )
        return list(households.values())
