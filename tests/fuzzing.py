"""What a browser can send in a form field, at its strangest, as hypothesis strategies.

Form values are text: a date is a string someone typed, a number too. The
values below are what the forms of Chibo must survive without a server error:
dates that do not exist or overflow a year, numbers out of every range, long
and odd Unicode (right-to-left marks, combining marks, emoji, NUL), empty
values and values of megabytes. Lone surrogates are left out: they cannot be
encoded in UTF-8, so no browser can send them.

The number of examples is moderate so that the suite stays fast;
CHIBO_FUZZ_EXAMPLES raises it for a deeper run:

    CHIBO_FUZZ_EXAMPLES=500 python -m pytest tests/test_fuzz_forms.py
"""

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("CHIBO_FUZZ_EXAMPLES", "20"))

settings.register_profile(
    "chibo",
    max_examples=EXAMPLES,
    deadline=None,
    # The same examples on every run, so that CI is stable; a deeper run
    # with CHIBO_FUZZ_EXAMPLES explores further.
    derandomize=os.environ.get("CHIBO_FUZZ_RANDOM") != "1",
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
fuzz_settings = settings.get_profile("chibo")

# Characters a user can type or paste: every category but the surrogates
# (invalid in UTF-8), with NUL and control characters kept in.
CHARACTERS = st.characters(exclude_categories=["Cs"])
ODD_PIECES = st.sampled_from(
    [
        "\x00",
        "\u202e",  # right-to-left override
        "\u200f",  # right-to-left mark
        "\u200b",  # zero-width space
        "\ufeff",  # byte order mark
        "e\u0301\u0323\u0302",  # a letter under three combining marks
        "\u0338" * 50,  # combining marks alone
        "Nguyễn Thị Ánh",
        "ﷺ",  # one character, long to draw
        "😀👨‍👩‍👧‍👦🇻🇳",  # astral plane, joiners, a flag
        "שלום עליכם",
        "مرحبا",
        "<script>alert(1)</script>",
        "'; DROP TABLE members_member; --",
        '=HYPERLINK("http://x")',
        "%s %(name)s {0} {{ x }}",
        "\r\n\t ",
        " ",
        "../../etc/passwd",
        "١٢٣",  # Arabic-Indic digits
        "１２",  # full-width digits
    ]
)
TEXT = st.one_of(
    st.text(CHARACTERS, max_size=40),
    st.lists(ODD_PIECES, min_size=1, max_size=6).map("".join),
    st.builds(lambda piece, n: piece * n, ODD_PIECES, st.integers(200, 20_000)),
)
HUGE = st.sampled_from(["x" * 100_000, "9" * 5_000, "Đ" * 300_000])

DAY = st.integers(-1, 40).map(str)
MONTH = st.integers(-1, 14).map(str)
YEAR = st.sampled_from(
    ["0", "1", "0001", "999", "1899", "1930", "2020", "2200", "9999", "10000", "99999999"]
)
DATES = st.one_of(
    st.builds(lambda d, m, y: f"{d}/{m}/{y}", DAY, MONTH, YEAR),
    st.builds(lambda d, m, y: f"{y}-{m}-{d}", DAY, MONTH, YEAR),
    st.sampled_from(
        [
            "29/02/2021",
            "31/04/2020",
            "00/00/0000",
            "01/01/0001",
            "31/12/9999",
            "hôm qua",
            "2020-06-01T",
            "２０２０-０６-０１",
        ]
    ),
)
TIMES = st.one_of(
    st.builds(lambda h, m: f"{h}:{m}", st.integers(-1, 25).map(str), st.integers(-1, 61).map(str)),
    st.sampled_from(["24:00", "23:59:60", "8h30", "noon", "10:30 PM"]),
)
DATETIMES = st.one_of(
    st.builds(lambda day, time: f"{day} {time}", DATES, TIMES),
    st.sampled_from(
        [
            "01/01/0001 00:00",
            "31/12/9999 23:59",
            "0001-01-01T00:00",
            "9999-12-31T23:59",
            "2020-03-08 02:30",
        ]
    ),
)
NUMBERS = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(
        [
            "-1",
            "0",
            "2147483648",
            "9223372036854775808",
            "1e309",
            "-1e309",
            "NaN",
            "Infinity",
            "0.0000001",
            "99999.99",
            "1,5",
            "1.5",
            "٣",
            "0x10",
        ]
    ),
)
EMPTY = st.sampled_from(["", " ", "\t"])

# One value for one field: anything of the above.
VALUE = st.one_of(TEXT, DATES, TIMES, DATETIMES, NUMBERS, EMPTY, HUGE)
# A field sent several times (a select with several choices).
VALUES = st.one_of(VALUE, st.lists(VALUE, min_size=2, max_size=4))


def overrides(fields):
    """Some of ``fields`` replaced by odd values; the rest stay as a valid form has them."""
    return st.dictionaries(st.sampled_from(sorted(fields)), VALUES, min_size=1, max_size=4)
