"""The leaders' summary page: who may open it, what it shows, how many queries it costs."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from sessions.models import Attendance
from tests.builders import grow_cell, load_demo_at
from tests.factories import at, make_member, make_session, record

pytestmark = pytest.mark.django_db

E, U = Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED


def summary_url(year=2020):
    return reverse("sessions:summary", args=[year])


@pytest.mark.parametrize("role", ["leader", "secretary"])
def test_leaders_and_secretary_open_the_summary(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(summary_url())
    assert response.status_code == 200
    assert "Tổng hợp sinh hoạt chuyên đề năm 2020" in response.text


def test_member_cannot_open_the_summary_or_its_exports(client, member):
    client.force_login(member)
    for name in ("summary", "export_csv", "export_xlsx", "annual_report"):
        response = client.get(reverse(f"sessions:{name}", args=[2020]))
        assert response.status_code == 403, name
        assert "Không có quyền truy cập" in response.text


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(summary_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_year_selector_goes_to_the_chosen_year(client, leader, now):
    client.force_login(leader)
    assert client.get(reverse("sessions:summary_current")).url == summary_url(2020)
    assert client.get(reverse("sessions:summary_current"), {"year": "2019"}).url == summary_url(
        2019
    )


@pytest.mark.parametrize("bad", ["abc", "0", "99999", "-1", ""])
def test_a_bad_year_gets_a_message_not_an_error(client, leader, now, bad):
    client.force_login(leader)
    response = client.get(reverse("sessions:summary_current"), {"year": bad}, follow=True)
    assert response.status_code == 200
    assert "Năm không hợp lệ" in response.text
    assert response.redirect_chain[-1][0] == summary_url(2020)


def test_a_year_out_of_range_is_not_found(client, leader):
    client.force_login(leader)
    assert client.get(summary_url(1800)).status_code == 404


def test_page_shows_flags_per_member_and_session(client, leader, groups, settings):
    settings.CHIBO_UNEXCUSED_ABSENCES_PER_YEAR = 2
    absent = make_member(groups[0], "Vy Thị Dung")
    for _ in range(3):
        make_member(groups[1])
    record(make_session(start=at(2020, 3, 12), topic="Chỉ thị 35"), {absent: U})
    record(make_session(start=at(2020, 6, 18), topic="Covid-19"), {absent: U})
    client.force_login(leader)
    text = client.get(summary_url()).text
    assert "Đồng chí Vy Thị Dung vắng không có lý do 2 lần trong năm." in text
    assert re.search(r"Kỳ 12/03/2020 \(Chỉ thị 35\) có tỷ lệ dự 80,0 %", text)
    assert "Cần lưu ý" in text


def test_page_shows_the_model_case_for_the_demo(client, monkeypatch):
    load_demo_at(monkeypatch)
    client.force_login(User.objects.get(username="leader"))
    text = client.get(summary_url()).text
    assert "7/7" in text
    assert "93,2 %" in text
    assert "192/206" in text
    assert "Không có điều gì cần lưu ý" in text
    assert "Đặng Thị Tuyết" in text  # sinh hoạt tạm thời, shown apart
    assert "Tạm miễn sinh hoạt 01/07/2020–31/12/2020" in text
    # Leaving in 2021 is not part of 2020: the page reads as it did at the end of 2020.
    assert "Chuyển sinh hoạt 15/03/2021" not in text
    # Seven sessions, drawn as columns and again as a phone's rows; four groups.
    assert text.count('class="chart-bar') == 7 + 7 + 4
    assert "Năm 2019 chưa có số liệu để so sánh." in text


def test_svg_charts_have_no_style_attribute_and_no_decimal_comma(client, leader, groups):
    for _ in range(7):
        make_member(groups[0])
    members = list(groups[0].members.all())
    record(make_session(start=at(2020, 3, 12)), {members[0]: E})
    client.force_login(leader)
    text = client.get(summary_url()).text
    svg = "".join(re.findall(r"<svg.*?</svg>", text, flags=re.S))
    assert svg.count("<svg") == 2
    assert "style=" not in text
    assert not re.search(r'(x|y|width|height|x1|x2|y1|y2)="[^"]*,', svg)


def session_svg(text):
    return re.search(r"<svg[^>]*chart-sessions[^>]*>", text).group(0)


def test_a_year_of_few_sessions_is_drawn_to_fit_a_phone(client, leader, groups):
    member = make_member(groups[0])
    for month in (3, 5, 9):
        record(make_session(start=at(2020, month, 12)), {member: E})
    client.force_login(leader)
    svg = session_svg(client.get(summary_url()).text)
    assert 'width="360"' in svg
    assert "chart-wide" not in svg


def test_a_full_year_of_sessions_is_drawn_again_as_rows_for_a_phone(client, leader, groups):
    member = make_member(groups[0])
    for month in range(1, 13):
        record(make_session(start=at(2020, month, 12)), {member: E})
    client.force_login(leader)
    text = client.get(summary_url()).text
    svg = session_svg(text)
    assert 'width="640"' in svg
    assert "chart-wide d-none d-sm-block" in svg
    # On a phone: one bar per session, one under another, each with its date and rate.
    rows = re.search(r'<svg class="chart chart-sessions-narrow d-sm-none.*?</svg>', text, re.S)
    assert 'viewBox="0 0 360 ' in rows.group(0)
    assert rows.group(0).count('class="chart-bar') == 12
    for month in range(1, 13):
        assert f">12/{month:02}</text>" in rows.group(0)
    assert "Mỗi thanh là một kỳ đã tổ chức" in text


def test_a_year_of_few_sessions_has_no_second_drawing(client, leader, groups):
    member = make_member(groups[0])
    record(make_session(start=at(2020, 3, 12)), {member: E})
    client.force_login(leader)
    text = client.get(summary_url()).text
    assert "chart-sessions-narrow" not in text
    assert "Mỗi thanh" not in text


def test_comparison_with_previous_year_on_the_page(client, leader, groups):
    members = [make_member(groups[0]) for _ in range(4)]
    record(make_session(start=at(2019, 3, 12)), {members[0]: E, members[1]: E})
    record(make_session(start=at(2020, 3, 12)), {members[0]: E})
    client.force_login(leader)
    text = client.get(summary_url()).text
    assert "So sánh với năm 2019" in text
    assert "Tỷ lệ dự sinh hoạt tăng" in text


@pytest.mark.parametrize(
    "url",
    [
        "/sessions/summary/{year}/",
        "/sessions/report/{year}/",
        "/sessions/summary/{year}/attendance.xlsx",
        "/sessions/summary/{year}/attendance.csv",
        "/",
    ],
)
def test_leader_pages_make_the_same_queries_for_30_and_300_members(
    client, leader, django_assert_max_num_queries, url, now
):
    """Counting is done by the database: the number of queries does not grow with the data."""
    client.force_login(leader)
    grow_cell(30, [2019, 2020])
    page = url.format(year=2020)
    with django_assert_max_num_queries(34) as small:
        assert client.get(page).status_code == 200
    grow_cell(300, [2017, 2018, 2019, 2020, 2021], sessions_per_year=12, n_groups=20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(page)
    assert response.status_code == 200


def test_on_a_phone_every_figure_of_every_table_names_its_column(client, leader, groups):
    members = [make_member(groups[0]) for _ in range(3)]
    record(make_session(start=at(2020, 3, 12)), {members[0]: E, members[1]: U})
    record(make_session(start=at(2020, 6, 18)), {members[0]: E})
    client.force_login(leader)
    text = client.get(summary_url()).text
    tables = re.findall(r"<table [^>]*>.*?</table>", text, re.S)
    stacked = [table for table in tables if "table-stack" in table.split(">", 1)[0]]
    # Kinds, quarters, sessions, groups and members (2019 has nothing to compare with).
    assert len(stacked) == len(tables) == 5
    for table in stacked:
        for cell in re.findall(r"<td\b[^>]*>", table.split("<tbody>")[1]):
            assert "data-label=" in cell or "cell-name" in cell or "colspan" in cell, cell
    members_table = stacked[-1]
    assert 'data-label="Vắng liên tiếp nhiều nhất"' in members_table
