"""The lower layer's helpers: each is the one place of its rule."""

import pytest

from chibo.lib.dates import FIRST_YEAR, LAST_YEAR, PARTY_FOUNDED, valid_year
from chibo.lib.query import number_from
from chibo.lib.text import fold, vietnamese_sort_key


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("2020", 2020),
        ("0", 0),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),  # past what the database can hold
        ("", None),
        (None, None),
        ("-1", None),
        ("+3", None),
        (" 3", None),
        ("3.0", None),
        ("٣", None),  # an Arabic-Indic digit passes isdigit(), not isascii()
    ],
)
def test_a_query_string_number_is_plain_ascii_digits_or_nothing(raw, number):
    assert number_from(raw) == number


def test_years_run_from_the_partys_founding_to_2200():
    assert PARTY_FOUNDED.isoformat() == "1930-02-03"
    assert (FIRST_YEAR, LAST_YEAR) == (1930, 2200)
    assert valid_year(1930) and valid_year(2200)
    assert not valid_year(1929) and not valid_year(2201)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("  Tổ  Đảng ", "to dang"),
        ("Lương Văn Tuấn", "luong van tuan"),
        ("ĐẶNG THỊ ĐÀO", "dang thi dao"),
        ("Ngày về chi bộ", "ngay ve chi bo"),
        (None, ""),
    ],
)
def test_fold_drops_case_diacritics_and_extra_spaces(text, folded):
    assert fold(text) == folded


def test_names_sort_by_given_name_in_the_vietnamese_alphabet():
    names = ["Bế Thị Bình", "Nguyễn Văn An", "Trần Văn Đức", "Lê Văn Dũng"]
    assert sorted(names, key=vietnamese_sort_key) == [
        "Nguyễn Văn An",
        "Bế Thị Bình",
        "Lê Văn Dũng",
        "Trần Văn Đức",
    ]
