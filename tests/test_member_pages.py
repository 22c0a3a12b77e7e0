"""The member list and a member's record: add, edit, move, exempt, leave."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Exemption, Member
from sessions.models import Attendance
from tests.factories import at, make_exemption, make_member, make_session, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell(groups, secretary, leader, member, other_member):
    make_member(groups[1], "Vy Thị Dung", standing="probationary")
    exempt = make_member(groups[1], "Nguyễn Văn Hải")
    make_exemption(exempt, dt.date(2020, 1, 1))
    make_member(
        groups[0], "Lộc Văn Bình", left_cell_on=dt.date(2020, 3, 15), left_reason="transfer"
    )
    make_member(None, "Đặng Thị Tuyết", temporary=True, home_cell="Chi bộ Trường Chính trị")
    return groups


def names(response):
    """The names the member list shows (its tables, whichever page or section)."""
    tables = re.findall(
        r'<table class="table table-sm member-table">.*?</table>', response.text, re.S
    )
    return sorted(
        html.unescape(name)
        for table in tables
        for name in re.findall(r'<a href="/members/\d+/">([^<]+)</a>', table)
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                "Hoàng Văn Thắng",
                "Lương Văn Tuấn",
                "Nguyễn Văn Hải",
                "Nông Thị Hương",
                "Phùng Thị Hoa",
                "Vy Thị Dung",
            ],
        ),
        ("?filter=probationary", ["Vy Thị Dung"]),
        ("?filter=exempt", ["Nguyễn Văn Hải"]),
        ("?filter=left", ["Lộc Văn Bình"]),
        ("?filter=temporary", ["Đặng Thị Tuyết"]),
        ("?filter=nonsense", None),
    ],
)
def test_member_list_filters(client, secretary, cell, now, query, expected):
    client.force_login(secretary)
    response = client.get(reverse("members:list") + query)
    assert response.status_code == 200
    if expected is None:
        assert response.context["chosen"] == "active"
    else:
        assert names(response) == expected


def test_member_list_by_group_and_group_filter(client, secretary, cell, now):
    client.force_login(secretary)
    response = client.get(reverse("members:list"))
    sections = [
        (str(group), len(members), total) for group, members, total in response.context["sections"]
    ]
    assert sections == [("Tổ 1", 3, 3), ("Tổ 2", 3, 3)]
    counts = {key: count for key, _label, count in response.context["filters"]}
    assert counts == {"active": 6, "probationary": 1, "exempt": 1, "temporary": 1, "left": 1}
    response = client.get(reverse("members:list") + f"?group={cell[1].pk}")
    assert names(response) == ["Nguyễn Văn Hải", "Phùng Thị Hoa", "Vy Thị Dung"]


def list_queries(client):
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("members:list")).status_code == 200
    return len(context.captured_queries)


def test_member_list_queries_do_not_grow(client, secretary, groups, now):
    client.force_login(secretary)
    few = list_queries(client)
    for n in range(60):
        member = make_member(groups[n % 2])
        if n % 5 == 0:
            make_exemption(member, dt.date(2020, 1, 1))
    assert list_queries(client) == few


def test_member_list_search_ignores_case_and_diacritics(client, secretary, cell, now):
    client.force_login(secretary)
    response = client.get(reverse("members:list") + "?q=tuan")
    assert names(response) == ["Lương Văn Tuấn"]
    assert names(client.get(reverse("members:list") + "?q=THỊ H")) == [
        "Nông Thị Hương",
        "Phùng Thị Hoa",
    ]
    assert names(client.get(reverse("members:list") + "?q=dang&filter=temporary")) == [
        "Đặng Thị Tuyết"
    ]
    page = client.get(reverse("members:list") + "?q=không+có+ai").text
    assert "Không có đảng viên nào khớp với bộ lọc." in page


def test_member_list_pages_through_a_large_cell(client, secretary, groups, now, settings):
    settings.CHIBO_MEMBERS_PER_PAGE = 20
    client.force_login(secretary)
    for n in range(45):
        make_member(groups[n % 2], f"Đảng viên số {n:02d}")
    first = client.get(reverse("members:list"))
    total = first.context["total"]
    assert 45 <= total <= 60
    assert len(names(first)) == 20
    assert "trang 1/3" in first.text
    assert 'href="?filter=active&amp;page=2"' in first.text
    # Sections follow the groups: the first page is Tổ 1's only, and its heading
    # counts all of Tổ 1, on this page and the next.
    [(group, shown, group_total)] = first.context["sections"]
    assert (str(group), len(shown)) == ("Tổ 1", 20)
    assert group_total == Member.objects.current().filter(group=group).count() > 20
    last = client.get(reverse("members:list") + "?page=3")
    assert len(names(last)) == total - 40
    seen = set()
    for number in (1, 2, 3):
        seen |= set(names(client.get(reverse("members:list") + f"?page={number}")))
    assert len(seen) == total
    # A page past the end or not a number shows the nearest page, never an error.
    assert names(client.get(reverse("members:list") + "?page=99")) == names(last)
    assert names(client.get(reverse("members:list") + "?page=abc")) == names(first)
    # The group filter and the search stay on the page links.
    grouped = client.get(reverse("members:list") + f"?group={groups[1].pk}&q=số")
    assert f'href="?filter=active&amp;group={groups[1].pk}&amp;q=s%E1%BB%91&amp;page=2"' in (
        grouped.text
    )


def member_data(**fields):
    data = {
        "full_name": "Hoàng Minh Đức",
        "group": "",
        "standing": "probationary",
        "position": "member",
        "joined_party_on": "2020-03-02",
        "joined_cell_on": "02/03/2020",
        "home_cell": "",
        "phone": "0912 345 678",
        "email": "duc@example.org",
        "notes": "",
    }
    data.update(fields)
    return data


def test_secretary_adds_a_member(client, secretary, groups, now):
    client.force_login(secretary)
    response = client.post(reverse("members:create"), member_data(group=groups[1].pk))
    member = Member.objects.get(full_name="Hoàng Minh Đức")
    assert response.url == member.get_absolute_url()
    assert (member.group, member.standing, member.joined_cell_on) == (
        groups[1],
        "probationary",
        dt.date(2020, 3, 2),
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Đảng viên của chi bộ phải thuộc một tổ Đảng."),
        ({"group": "G", "full_name": ""}, "Trường này là bắt buộc."),
        ({"group": "G", "joined_party_on": "2030-01-01"}, "Ngày vào Đảng không thể ở tương lai."),
        (
            {"group": "G", "joined_party_on": "01/01/0001"},
            "Ngày vào Đảng không thể trước ngày thành lập Đảng (03/02/1930).",
        ),
        (
            {"group": "G", "joined_party_on": "02/02/1930"},
            "Ngày vào Đảng không thể trước ngày thành lập Đảng (03/02/1930).",
        ),
        (
            {"group": "G", "joined_cell_on": "01/03/2020"},
            "Ngày về chi bộ không thể trước ngày vào Đảng (02/03/2020).",
        ),
        (
            {"group": "G", "joined_party_on": "", "joined_cell_on": "01/01/0001"},
            "Ngày về chi bộ không thể trước ngày thành lập Đảng (03/02/1930).",
        ),
        ({"group": "G", "joined_cell_on": ""}, "Trường này là bắt buộc."),
        ({"group": "G", "email": "khong-phai-thu"}, "Hãy nhập một địa chỉ thư điện tử hợp lệ."),
        ({"temporary": "on"}, "Ghi chi bộ nơi đồng chí này sinh hoạt chính thức."),
    ],
)
def test_bad_member_data_is_refused(client, secretary, groups, now, fields, message):
    if fields.get("group") == "G":
        fields["group"] = groups[0].pk
    client.force_login(secretary)
    response = client.post(reverse("members:create"), member_data(**fields))
    assert response.status_code == 200
    assert message in response.text
    assert not Member.objects.filter(full_name="Hoàng Minh Đức").exists()


def test_a_temporary_member_needs_no_group(client, secretary, groups, now):
    client.force_login(secretary)
    client.post(reverse("members:create"), member_data(temporary="on", home_cell="Chi bộ khác"))
    assert Member.objects.get(full_name="Hoàng Minh Đức").temporary


def test_secretary_edits_a_member(client, secretary, member, now):
    client.force_login(secretary)
    target = member.member
    response = client.post(
        reverse("members:edit", args=[target.pk]),
        member_data(full_name="Lương Văn Tuấn", standing="full", position="committee"),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.position, target.phone) == ("committee", "0912 345 678")


def test_moving_a_member_keeps_the_group_of_past_attendance(client, secretary, member, groups, now):
    target = member.member
    session = make_session(start=at(2020, 3, 12))
    record(session)
    client.force_login(secretary)
    url = reverse("members:move", args=[target.pk])
    assert "Đồng chí này đang ở tổ này rồi." in client.post(url, {"group": groups[0].pk}).text
    client.post(url, {"group": groups[1].pk})
    target.refresh_from_db()
    assert target.group == groups[1]
    assert Attendance.objects.get(session=session, member=target).group == groups[0]
    page = client.get(target.get_absolute_url()).text
    assert "Các tổ đã sinh hoạt" in page


def test_exemption_is_recorded_and_checked(client, secretary, member, now):
    target = member.member
    client.force_login(secretary)
    url = reverse("members:exemption_create", args=[target.pk])
    data = {"kind": "temporary", "starts_on": "2020-07-01", "ends_on": "2020-06-01", "reason": "Ốm"}
    assert "Ngày kết thúc phải sau ngày bắt đầu." in client.post(url, data).text
    data["ends_on"] = "2020-12-31"
    client.post(url, data)
    exemption = Exemption.objects.get()
    assert not target.is_expected_on(dt.date(2020, 8, 1))
    assert target.is_expected_on(dt.date(2021, 1, 5))
    overlap = {"kind": "exempt", "starts_on": "2020-12-01", "ends_on": "", "reason": "Tuổi cao"}
    assert "Trùng với đợt tạm miễn sinh hoạt từ 01/07/2020." in client.post(url, overlap).text
    assert Exemption.objects.count() == 1
    # Closing it earlier.
    edit = reverse("members:exemption_edit", args=[target.pk, exemption.pk])
    client.post(edit, {**data, "ends_on": "2020-09-30"})
    exemption.refresh_from_db()
    assert exemption.ends_on == dt.date(2020, 9, 30)


def test_missing_exemption_reason_is_refused(client, secretary, member, now):
    client.force_login(secretary)
    url = reverse("members:exemption_create", args=[member.member.pk])
    response = client.post(url, {"kind": "temporary", "starts_on": "2020-07-01", "reason": ""})
    assert "Trường này là bắt buộc." in response.text
    assert Exemption.objects.count() == 0


def test_marking_a_member_as_left_keeps_them_and_closes_their_login(
    client, secretary, member, groups, now
):
    target = member.member
    groups[0].leader = target
    groups[0].save()
    client.force_login(secretary)
    url = reverse("members:leave", args=[target.pk])
    response = client.post(url, {"left_cell_on": "2010-01-01", "left_reason": "transfer"})
    assert "Ngày thôi sinh hoạt phải sau ngày về chi bộ (01/01/2015)." in response.text
    response = client.post(url, {"left_cell_on": "2020-06-01", "left_reason": ""})
    assert "Trường này là bắt buộc." in response.text
    target.refresh_from_db()
    assert target.left_cell_on is None

    client.post(
        url,
        {"left_cell_on": "2020-06-01", "left_reason": "transfer", "left_note": "Sở LĐTBXH"},
    )
    target.refresh_from_db()
    member.refresh_from_db()
    groups[0].refresh_from_db()
    assert (target.left_cell_on, target.left_reason) == (dt.date(2020, 6, 1), "transfer")
    assert not member.is_active
    assert groups[0].leader is None
    assert Member.objects.filter(pk=target.pk).exists()
    assert not target.is_expected_on(dt.date(2020, 7, 1))
    assert names(client.get(reverse("members:list") + "?filter=left")) == ["Lương Văn Tuấn"]


@pytest.mark.parametrize("day", ["02/06/2020", "01/01/9999"])
def test_leaving_is_recorded_once_it_has_happened(client, secretary, member, now, day):
    """A date after today is refused on the field, and the member keeps their login."""
    target = member.member
    client.force_login(secretary)
    url = reverse("members:leave", args=[target.pk])
    response = client.post(url, {"left_cell_on": day, "left_reason": "transfer"})
    assert response.status_code == 200
    assert response.context["form"].errors["left_cell_on"] == [
        "Ngày thôi sinh hoạt không thể ở tương lai: chỉ ghi khi đồng chí đã thôi "
        "sinh hoạt tại chi bộ."
    ]
    target.refresh_from_db()
    member.refresh_from_db()
    assert target.left_cell_on is None
    assert member.is_active


def test_an_edit_cannot_put_joining_the_cell_before_joining_the_party(
    client, secretary, member, now
):
    target = member.member
    client.force_login(secretary)
    response = client.post(
        reverse("members:edit", args=[target.pk]),
        member_data(full_name="Lương Văn Tuấn", joined_party_on="05/05/2020"),
    )
    assert response.context["form"].errors["joined_cell_on"] == [
        "Ngày về chi bộ không thể trước ngày vào Đảng (05/05/2020)."
    ]
    target.refresh_from_db()
    assert target.joined_party_on != dt.date(2020, 5, 5)


@pytest.mark.parametrize("role", ["member", "leader"])
def test_only_the_secretary_changes_members(client, request, groups, role, now):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("members:create")).status_code == 403
    response = client.post(reverse("members:create"), member_data(group=groups[0].pk))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.text
    assert not Member.objects.filter(full_name="Hoàng Minh Đức").exists()


def test_leader_reads_the_list_without_actions(client, leader, cell, now):
    client.force_login(leader)
    page = client.get(reverse("members:list")).text
    assert "Nông Thị Hương" in page
    assert reverse("members:create") not in page


# --- A member's page: attendance one year at a time ------------------------------


def detail(client, member, query=""):
    response = client.get(reverse("members:detail", args=[member.pk]) + query)
    assert response.status_code == 200
    return response


def topics(response):
    return [row.session.topic for row in response.context["records"]]


@pytest.fixture
def three_years(member, now):
    """Sessions in 2018, 2019 (one missed with a reason) and 2020 for Tuấn."""
    target = member.member
    for year in (2018, 2019, 2020):
        record(make_session(start=at(year, 3, 12), topic=f"Chuyên đề {year}"))
    missed = make_session(start=at(2019, 9, 10), topic="Vắng 2019")
    record(missed, statuses={target: Attendance.Status.EXCUSED})
    return target


def test_a_member_page_shows_this_years_rows_and_every_years_figures(client, leader, three_years):
    client.force_login(leader)
    response = detail(client, three_years)
    assert response.context["year"] == 2020
    assert topics(response) == ["Chuyên đề 2020"]
    years = {year: (f.present, f.expected) for year, f in response.context["years"]}
    assert years == {2020: (1, 1), 2019: (1, 2), 2018: (1, 1)}
    assert 'href="?year=2019"' in response.text

    response = detail(client, three_years, "?year=2019")
    assert sorted(topics(response)) == ["Chuyên đề 2019", "Vắng 2019"]
    assert (response.context["figures"].present, response.context["figures"].expected) == (1, 2)
    assert "Vắng có lý do (Đi công tác)" in response.text


def test_a_member_pages_tables_stack_on_a_phone(client, leader, three_years):
    client.force_login(leader)
    text = detail(client, three_years, "?year=2019").text
    rows = re.search(r'<table class="[^"]*member-attendance[^"]*">.*?</table>', text, re.S).group(0)
    assert "table-stack" in rows.split(">", 1)[0]
    labels = re.findall(r'data-label="([^"]*)"', rows.split("<tbody>")[1].split("</tr>")[0])
    assert labels == ["Ngày", "Chuyên đề", "Tổ lúc đó", "Điểm danh"]
    assert 'data-label="Điểm danh">Vắng có lý do (Đi công tác)' in rows
    years = re.search(r'<table class="[^"]*member-years[^"]*">.*?</table>', text, re.S).group(0)
    assert "table-stack" in years.split(">", 1)[0]
    assert years.count('data-label="Năm"') == 3
    assert years.count('data-label="Tỷ lệ"') == 3


@pytest.mark.parametrize("query", ["?year=1800", "?year=abc", "?year=2017", "?year=" + "9" * 40])
def test_a_year_without_rows_shows_the_default_year(client, leader, three_years, query):
    client.force_login(leader)
    assert detail(client, three_years, query).context["year"] == 2020


def test_a_member_who_left_opens_on_their_last_year(client, leader, three_years):
    Member.objects.filter(pk=three_years.pk).update(
        left_cell_on=dt.date(2020, 1, 2), left_reason="transfer"
    )
    Attendance.objects.filter(member=three_years, session__start__year=2020).delete()
    client.force_login(leader)
    response = detail(client, three_years)
    assert response.context["year"] == 2019
    assert sorted(topics(response)) == ["Chuyên đề 2019", "Vắng 2019"]


def test_a_member_page_makes_the_same_queries_for_one_year_or_many(client, leader, member, now):
    client.force_login(leader)
    target = member.member
    record(make_session(start=at(2020, 3, 12)))

    def queries():
        with CaptureQueriesContext(connection) as context:
            detail(client, target)
        return len(context.captured_queries)

    one = queries()
    for year in range(2015, 2020):
        for month in (3, 6, 9):
            record(make_session(start=at(year, month, 12)))
    assert queries() == one
