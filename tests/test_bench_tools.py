"""The benchmark's own tools still fit the app (the benchmark itself is run by hand)."""

import pytest
from django.test import Client

from bench.django_side import PROXY_HEADERS, fill_form
from bench.pages import PAGES, PAGES_BY_KEY, TOKEN, Objects, form_fields, resolve
from chibo.demo.bulk import BulkLoader, Size
from sessions.models import Attendance

pytestmark = pytest.mark.django_db

PAGE = """
<form method="post" action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken"
  value="abc"></form>
<form method="post" enctype="multipart/form-data">
  <input type="hidden" name="csrfmiddlewaretoken" value="abc">
  <input type="text" name="topic" value="Chuyên đề &amp; thảo luận">
  <input type="checkbox" name="regular" checked>
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
        ("regular", "on"),
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
    return Objects()


def test_every_page_answers_its_role(bulk):
    """Every page of the table answers as the table expects, behind the TLS proxy."""
    measured = 0
    for page in PAGES:
        path = resolve(page, bulk)
        if page.method == "POST":
            continue
        client = Client(headers=PROXY_HEADERS)
        user = bulk.user(page.role)
        if user is not None:
            client.force_login(user)
        assert client.get(path).status_code == page.expect, page.key
        measured += 1
    assert measured == len([page for page in PAGES if page.method == "GET"])


def test_the_floor_is_the_base_layout_only(bulk):
    client = Client()
    client.force_login(bulk.member)
    response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert "<nav" in response.text and "<main" in response.text
    assert "<h1" not in response.text  # no content of its own


def send_sheet(bulk, client, token):
    page = PAGES_BY_KEY["attendance-post"]
    path = resolve(page, bulk)
    fields = fill_form(client.get(path).content.decode(), path, page.fields(bulk))
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value.replace(TOKEN, token))
    return client.post(path, data)


def test_a_sheet_save_writes_every_row_and_is_found_once_by_its_token(bulk):
    page = PAGES_BY_KEY["attendance-post"]
    client = Client(headers=PROXY_HEADERS)
    client.force_login(bulk.secretary)
    version = bulk.recorded.attendance_version
    members = bulk.sheet_member_ids()
    assert len(members) >= 4

    assert send_sheet(bulk, client, "t-1").status_code == 302
    assert send_sheet(bulk, client, "t-2").status_code == 302

    rows = Attendance.objects.filter(session=bulk.recorded, temporary=False)
    assert {row.member_id for row in rows} == set(members)
    assert {(row.status, row.reason) for row in rows} == {("excused", "Bận công tác [t-2]")}
    assert page.saved("t-1") == 1
    assert page.saved("t-2") == 1
    assert page.saved("t-3") == 0
    bulk.recorded.refresh_from_db()
    assert bulk.recorded.attendance_version == version + 2


def test_a_half_saved_sheet_is_not_counted_as_saved(bulk):
    page = PAGES_BY_KEY["attendance-post"]
    client = Client(headers=PROXY_HEADERS)
    client.force_login(bulk.secretary)
    assert send_sheet(bulk, client, "t-1").status_code == 302
    row = Attendance.history.filter(reason__contains="[t-1]").first()
    row.delete()
    assert page.saved("t-1") == -1


def test_the_load_runs_save_a_different_sheet_for_each_user(bulk):
    """Two virtual users never save the same sheet at once (that is a 409 conflict)."""
    page = PAGES_BY_KEY["attendance-post"]
    assert page.spread
    paths = {resolve(page, bulk.with_sheet(sheet)) for sheet in bulk.sheets}
    assert len(paths) == len(bulk.sheets) > 1


def test_the_standby_run_sorts_requests_into_phases_and_reports_them():
    """bench/standby.py's analysis, on made-up records: no cluster needed."""
    import argparse

    from bench import standby

    marks = {"stop_sent": 100.0, "stopped": 101.0, "start_sent": 131.0, "started": 132.0}
    marks["end"] = 162.0

    def row(kind, t0, status, step="get"):
        expect = 302 if kind == "attendance-post" else 200
        return {"kind": kind, "step": step, "t0": t0, "t1": t0 + 0.5, "status": status,
                "ok": status == expect, "down_page": status == 503}  # fmt: skip

    generator = argparse.Namespace(
        records=[
            row("committee", 90, 200),
            row("attendance-post", 91, 302, "save"),
            row("committee", 110, 200),
            row("sheet-open", 111, 503, "open form"),
            row("attendance-post", 112, 503, "save"),
            row("committee", 99.8, 200),  # straddles the stop: in no phase
            row("attendance-post", 133, 302, "save"),
            row("committee", 150, 200),
        ],
        health=[{"t0": 95, "t1": 95.1, "status": 200}, {"t0": 120, "t1": 120.1, "status": 503}],
    )
    result = standby.analyse(generator, marks)
    during = result["phases"]["during"]
    assert during["reads"] == during["reads_ok"] == 1
    assert during["kinds"]["attendance-post"]["statuses"] == {"503": 1}
    assert during["healthz"] == {"503": 1}
    assert result["phases"]["before"]["reads"] == 1
    assert result["saves_back_after_s"] == pytest.approx(1.5)
    saves = {"attendance-post": {"ok": 2, "ok_found_once": 2, "ok_missing_or_twice": [],
                                 "failed": 1, "failed_but_saved": []}}  # fmt: skip
    lag = {"samples": 3, "replay_lag_ms_median": 1.0, "replay_lag_ms_p95": 2.0,
           "replay_lag_ms_max": 3.0, "bytes_behind_max": 0}  # fmt: skip
    result.update(
        verified={"primary": saves, "standby": saves},
        restarted=False,
        wrk=[],
        cells=200,
        lag={"load": lag, "caught_up_after_load_s": 0.5, "before": lag, "after": lag},
        load_seconds=60,
    )
    options = argparse.Namespace(duration=20, standby_readers=6, outage=30)
    text = standby.report(result, options, {"machine": "m", "date": "d", "python": "3"})
    assert "| the roll-ups during the outage | 1 requests, 1 answered 200" in text
    assert "✗" not in text
