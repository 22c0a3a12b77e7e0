"""Every form of Chibo, fuzzed: no input makes a server error.

Each form that changes data (the table of tests/test_urls_mutating.py) is
posted by the role that may use it, starting from a valid form with some of
its fields replaced by the odd values of tests/fuzzing.py; each example runs
in a transaction that is rolled back, so every one starts from the same cell.
The pages that read a query string (filters, year selectors) and every URL
with a number in its path get the same treatment. Whatever the answer — the
form again with a message, a redirect, a 404 — it is never a 500: the test
client raises the view's exception, and hypothesis shrinks it to the
smallest input that fails.
"""

import os
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import EXAMPLES, NUMBERS, VALUES, fuzz_settings, overrides
from tests.test_urls_matrix import MATRIX
from tests.test_urls_mutating import MUTATIONS, url_of
from tests.urlwalk import all_routes, build_dataset

pytestmark = pytest.mark.django_db


def is_file(value):
    return hasattr(value, "read")


@pytest.fixture
def cell(member, other_member, leader, secretary):
    d = build_dataset(member, other_member)
    d["login"] = member
    d["calendar_token"] = d["member"].calendar_token
    d["users"] = {
        "member": member,
        "other_member": other_member,
        "leader": leader,
        "secretary": secretary,
    }
    return d


def fuzz(client, prepare, send, strategy):
    """Run ``send(client, value)`` for each example, each in a rolled-back transaction."""
    tried = []

    @fuzz_settings
    @given(strategy)
    def example(value):
        with transaction.atomic():
            prepare(client)
            response = send(client, value)
            transaction.set_rollback(True)
        tried.append(value)
        assert response.status_code < 500

    example()
    if os.environ.get("CHIBO_FUZZ_LOG"):  # for the figures of docs/security.md
        with open(os.environ["CHIBO_FUZZ_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{len(tried)}\n")
    return tried


def form_fields(mutation, cell):
    return [name for name, value in mutation.data(cell).items() if not is_file(value)]


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_no_input_to_a_form_makes_a_server_error(cell, name):
    mutation = MUTATIONS[name]
    # A button sends no field of its own: it gets fields it does not expect.
    fields = form_fields(mutation, cell) or ["next", "pk", "year", "group", "caption"]
    url = mutation.url(cell) if mutation.url else url_of(cell, name)
    user = cell["users"].get(mutation.user)

    def prepare(client):
        client.cookies.clear()
        if user is not None:
            client.force_login(user)
        if mutation.page:  # the one-time link puts its token in the session
            client.get(mutation.page(cell), follow=True)

    def send(client, changes):
        return client.post(url, {**mutation.data(cell), **changes})

    tried = fuzz(Client(), prepare, send, overrides(fields))
    assert len(tried) >= min(EXAMPLES, 10)


# Pages that read a query string, with the parameters they read.
QUERIES = {
    "members:list": ("secretary", ["filter", "group", "q", "page"]),
    "members:detail": ("leader", ["year"]),
    "sessions:summary_current": ("leader", ["year"]),
    "sessions:my_record": ("member", ["year"]),
    "sessions:member_record": ("member", ["year"]),
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_no_query_string_makes_a_server_error(cell, name):
    role, parameters = QUERIES[name]
    url = url_of(cell, name)

    def prepare(client):
        client.force_login(cell["users"][role])

    def send(client, query):
        return client.get(f"{url}?{urlencode(query, doseq=True)}")

    strategy = st.dictionaries(st.sampled_from(parameters), VALUES, min_size=1)
    tried = fuzz(Client(), prepare, send, strategy)
    assert len(tried) >= min(EXAMPLES, 10)


INT_ROUTES = sorted(
    route.key
    for route in all_routes()
    if route.namespace != "admin" and any(f"<id:{p}>" in route.route for p in route.parameters)
)


@pytest.mark.parametrize("name", INT_ROUTES)
def test_no_number_in_a_url_makes_a_server_error(cell, name):
    """Numbers out of every range in the path: 404 (or the role's 403), never a 500."""
    route = next(route for route in all_routes() if route.key == name)
    kwargs = MATRIX[name].kwargs(cell)
    numbers = [p for p in route.parameters if f"<id:{p}>" in route.route]
    digits = NUMBERS.filter(lambda text: text.isdigit() and text.isascii())

    def prepare(client):
        client.force_login(cell["users"]["secretary"])

    def send(client, number):
        changed = {**kwargs, numbers[number[0] % len(numbers)]: number[1]}
        path = "/" + route.route
        for key, value in changed.items():
            path = path.replace(f"<id:{key}>", str(value)).replace(f"<str:{key}>", str(value))
        return client.get(path)

    tried = fuzz(Client(), prepare, send, st.tuples(st.integers(0, 5), digits))
    assert len(tried) >= min(EXAMPLES, 10)


def test_a_field_sent_with_a_value_of_megabytes_is_a_vietnamese_400(cell):
    """Past DATA_UPLOAD_MAX_MEMORY_SIZE Django refuses the request: the page says so."""
    client = Client()
    client.force_login(cell["users"]["secretary"])
    response = client.post(url_of(cell, "members:create"), {"notes": "x" * 3_000_000})
    assert response.status_code == 400
    assert '<html lang="vi">' in response.text
    assert "Yêu cầu không hợp lệ" in response.text


# --- What the fuzzing found, kept as plain tests ---------------------------------


def test_a_user_name_of_300_characters_is_a_failed_login(client, member):
    """On PostgreSQL the failure record overflowed its column: a 500 on the login page."""
    from axes.models import AccessAttempt

    name = "Đ" * 300
    response = client.post("/accounts/login/", {"username": name, "password": "x"})
    assert response.status_code == 200
    assert "Tên đăng nhập và mật khẩu chính xác" in response.text
    assert AccessAttempt.objects.get().username == "Đ" * 150


def test_a_moment_before_1930_is_refused_on_the_field(cell):
    client = Client()
    client.force_login(cell["users"]["secretary"])
    response = client.post(url_of(cell, "sessions:draft_sent"), {"draft_sent_at": "1/1/0001 0:0"})
    assert response.status_code == 200
    assert "Hãy nhập một thời điểm từ năm 1930 đến năm 2200." in response.text


def test_a_group_filter_past_64_bits_shows_every_group(cell):
    client = Client()
    client.force_login(cell["users"]["secretary"])
    response = client.get(url_of(cell, "members:list"), {"group": "9" * 30})
    assert response.status_code == 200
    assert "Lương Văn Tuấn" in response.text and "Phùng Thị Hoa" in response.text


def test_an_id_of_19_digits_is_not_found(cell):
    client = Client()
    client.force_login(cell["users"]["secretary"])
    path = f"/members/{'9' * 19}/exemptions/{cell['exemption'].pk}/edit/"
    assert client.get(path).status_code == 404
