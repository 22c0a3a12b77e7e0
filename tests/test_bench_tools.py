"""The benchmark's own tools still fit the app (the benchmark itself is run by hand)."""

import pytest
from django.test import Client

from bench.django_side import fill_form
from bench.pages import PAGES, TOKEN, Objects, form_fields, resolve
from chibo.bulk import BulkLoader, Size

pytestmark = pytest.mark.django_db

PAGE = """
<form method="post" action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken"
  value="abc"></form>
<form method="post" enctype="multipart/form-data">
  <input type="hidden" name="csrfmiddlewaretoken" value="abc">
  <input type="text" name="topic" value="Chuyên đề &amp; thảo luận">
  <input type="checkbox" name="with_regular_meeting" checked>
  <input type="checkbox" name="unticked" value="1">
  <input type="radio" name="status" value="present">
  <input type="radio" name="status" value="excused" checked>
  <input type="file" name="photo">
  <input type="submit" name="_save" value="Lưu">
  <input type="text" name="locked" value="x" disabled>
  <select name="scope"><option value="cell">Toàn chi bộ</option>
    <option value="groups" selected>Theo tổ</option></select>
  <select name="format"><option value="presentation">Thuyết trình</option></select>
  <select name="tags" multiple><option value="1" selected>a</option><option value="2">b</option>
    <option value="3" selected>c</option></select>
  <textarea name="conclusion">
Kết luận</textarea>
</form>
<form method="post" action="/i18n/setlang/"><input type="hidden" name="next" value="/"></form>
"""


def test_the_form_is_read_as_a_browser_would_send_it():
    assert form_fields(PAGE, "/sessions/1/") == [
        ("csrfmiddlewaretoken", "abc"),
        ("topic", "Chuyên đề & thảo luận"),
        ("with_regular_meeting", "on"),
        ("status", "excused"),
        ("scope", "groups"),
        ("format", "presentation"),
        ("tags", "1"),
        ("tags", "3"),
        ("conclusion", "Kết luận"),
    ]


def test_a_page_without_a_form_of_its_own_is_refused():
    with pytest.raises(ValueError, match="no POST form"):
        form_fields('<form method="post" action="/accounts/logout/"></form>', "/")


def test_overrides_replace_the_fields_they_name():
    fields = fill_form(PAGE, "/sessions/1/", {"topic": f"Sửa [{TOKEN}]"})
    assert ("topic", f"Sửa [{TOKEN}]") in fields
    assert not [value for name, value in fields if name == "topic" and "&" in value]


@pytest.fixture
def bulk(now, settings):
    settings.ROOT_URLCONF = "bench.urls"
    size = Size(members=8, groups=2, years=2, sessions_per_year=4, photos_per_session=1)
    BulkLoader(size, seed=3, today=now.date()).run()
    from django.contrib.auth.models import User

    User.objects.create_superuser("bench-admin", password=None)
    return Objects()


def test_every_page_built_today_answers_its_role(bulk):
    """Pages not built yet are skipped; the others answer as the table expects."""
    measured = 0
    for page in PAGES:
        path = resolve(page, bulk)
        if path is None or page.method == "POST":
            continue
        client = Client()
        user = bulk.user(page.role)
        if user is not None:
            client.force_login(user)
        assert client.get(path).status_code == page.expect, page.key
        measured += 1
    assert measured >= 10


def test_the_floor_is_the_base_layout_only(bulk):
    client = Client()
    client.force_login(bulk.member)
    response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert "<nav" in response.text and "<main" in response.text
    assert "<h1" not in response.text  # no content of its own


def test_the_stand_in_save_goes_through(bulk):
    page = next(page for page in PAGES if page.key == "admin-save")
    client = Client()
    client.force_login(bulk.admin)
    path = resolve(page, bulk)
    fields = fill_form(client.get(path).content.decode(), path, page.fields(bulk))
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value.replace(TOKEN, "t-1"))
    assert client.post(path, data).status_code == 302
    assert page.saved("t-1") == 1
