from __future__ import annotations

import io

from tuopin.core.tabular import normalise_cell, read_csv


def test_full_width_digits_and_letters_become_half_width():
    assert normalise_cell(" １５２９２２ＡＢｘ ") == "152922ABx"


def test_gb18030_csv_is_read_like_utf8():
    text = "code,name\n152922000000,阿拉善右旗\n"
    header, rows = read_csv(io.BytesIO(text.encode("gb18030")))
    assert header == ["code", "name"]
    assert rows[0].values == {"code": "152922000000", "name": "阿拉善右旗"}


def test_rows_keep_the_file_row_numbers_and_skip_blank_lines():
    data = "\ufeffcode,name\n\n152922000000,阿拉善右旗\n,\n152923000000,额济纳旗\n"
    _header, rows = read_csv(io.BytesIO(data.encode("utf-8")))
    assert [r.number for r in rows] == [3, 5]
