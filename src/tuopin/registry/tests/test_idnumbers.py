from __future__ import annotations

import datetime

import pytest
from django.utils.translation import override

from tuopin.registry.idnumbers import check_digit, check_id_number, mask, mask_phone

# A well-known public sample number: 11010519491231002X (GB 11643 examples).
SAMPLE = "11010519491231002X"


def test_check_digit_of_the_standard_sample():
    assert check_digit(SAMPLE[:17]) == "X"
    result = check_id_number(SAMPLE)
    assert result.ok
    assert result.birth_date == datetime.date(1949, 12, 31)
    assert result.sex == "女"
    assert result.region == "110105"


def test_lower_case_x_is_accepted_as_x():
    assert check_id_number(SAMPLE.lower()).ok


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("110105194912310021", "check digit"),
        ("110105194902300021", "does not exist"),
        ("1.52921E+17", "turned this ID number into a number"),
        ("11010519491231002", "final X is missing"),
        ("11010519491231", "17 digits"),
        ("110105209912310020", "not plausible"),
    ],
)
def test_bad_id_numbers_are_refused_with_the_reason(value, reason):
    result = check_id_number(value)
    assert not result.ok
    with override("en"):
        assert reason in str(result.error)


def test_masking_keeps_region_and_tail_only():
    assert mask("15292219800101123X") == "152922********123X"
    assert mask_phone("13912345678") == "139****5678"
    assert mask("") == ""
