"""The committee's pages: its cells × quarters, their figures, the export, the sentences."""

import datetime as dt
import re
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from chibo.lib.roles import COMMITTEE
from members.models import Organisation, Role, single_cell
from sessions.models import AnnualPlan, Attendance
from sessions.reports.committee import committee_year
from sessions.reports.summaries import year_summary
from sessions.sent import send_plan
from tests.factories import at, make_group, make_member, make_plan, make_session, record

pytestmark = pytest.mark.django_db

A, E, U = Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED
TODAY = dt.date(2020, 6, 1)  # the `now` fixture's day: 2019 is over, 2020 half-way


def cell_with(name, parent, *, size, quarters, absent=(), unexcused_times=0):
    """A cell of ``size`` members with one session held in each of ``quarters`` of 2019.

    Members in ``absent`` (indexes) are away with a reason at every session; the
    first member is away without one at the first ``unexcused_times`` sessions.
    """
    if parent is None:
        cell = single_cell()
        cell.name = f"Chi bộ {name}"
        cell.save()
    else:
        cell = Organisation.objects.create(
            name=f"Chi bộ {name}", kind=Organisation.Kind.CELL, parent=parent
        )
    group = make_group(f"Tổ {name}", cell=cell)
    members = [make_member(group, f"Đảng viên {name} {n}", cell=cell) for n in range(size)]
    plan = make_plan(2019, cell=cell)
    for number, quarter in enumerate(quarters):
        session = make_session(plan, start=at(2019, quarter * 3 - 1, 10))
        statuses = {members[n]: E for n in absent}
        if number < unexcused_times:
            statuses[members[0]] = U
        record(session, statuses)
    return cell


@pytest.fixture
def committee(db):
    root = single_cell().parent
    strong = cell_with("Mạnh", None, size=5, quarters=[1, 2, 3, 4])
    weak = cell_with("Yếu", root, size=4, quarters=[1, 2, 4], absent=[1, 2], unexcused_times=3)
    empty = Organisation.objects.create(name="Chi bộ Mới", kind=Organisation.Kind.CELL, parent=root)
    return SimpleNamespace(root=root, strong=strong, weak=weak, empty=empty)


def officer_at(node, username="vanphong"):
    user = User.objects.create_user(username, password="mật-khẩu-thử-1")
    Role.objects.create(user=user, organisation=node, kind=COMMITTEE)
    return user


def rows_by_cell(data):
    return {row.cell: row for row in data.cells}


def test_each_cells_line_is_its_own_summary(committee):
    data = committee_year(committee.root, 2019, TODAY)
    rows = rows_by_cell(data)
    assert set(rows) == {committee.strong, committee.weak, committee.empty}
    for cell in (committee.strong, committee.weak):
        own = year_summary(2019, TODAY, cell=cell)
        row = rows[cell]
        assert row.figures == own.figures
        assert row.quarters == own.quarters
        assert row.quarters_missing == own.quarters_missing
        assert row.sessions_below == len(own.sessions_below)
        assert row.members_unexcused == len(own.members_unexcused)


def test_a_quarter_without_a_session_is_short_and_the_weak_cell_is_flagged(committee):
    rows = rows_by_cell(committee_year(committee.root, 2019, TODAY))
    assert rows[committee.strong].quarters_missing == []
    assert rows[committee.weak].quarters_missing == [3]
    assert rows[committee.empty].quarters_missing == [1, 2, 3, 4]
    weak = rows[committee.weak]
    assert weak.figures.rate == 25  # 1 of 4 present at each session
    assert weak.below_good_rate and weak.sessions_below == 3
    assert weak.members_unexcused == 1
    assert not rows[committee.strong].below_good_rate


def test_the_year_is_set_against_the_year_before(committee, now):
    plan = make_plan(2020, cell=committee.strong)
    session = make_session(plan, start=at(2020, 2, 10))
    members = list(session.expected_members())
    record(session, {members[0]: U})
    rows = rows_by_cell(committee_year(committee.root, 2020, TODAY))
    strong = rows[committee.strong]
    assert (strong.figures.rate, strong.previous.rate) == (80, 100)
    assert strong.rate_change == -20
    assert rows[committee.empty].rate_change is None


def test_the_sentences_tell_the_year(committee):
    sentences = committee_year(committee.root, 2019, TODAY).sentences()
    assert sentences[0].startswith("Năm 2019, 1/3 chi bộ tổ chức đủ sinh hoạt chuyên đề")
    assert "Chi bộ chưa đủ:" in sentences[1]
    assert "Chi bộ Yếu (quý 3)" in sentences[1]
    assert "Chi bộ Mới (quý 1, 2, 3, 4)" in sentences[1]
    text = " ".join(sentences)
    assert "1 đảng viên vắng không có lý do từ 3 lần trở lên trong năm." in text
    assert "1 chi bộ có tỷ lệ dự sinh hoạt không quá 85 %: Chi bộ Yếu." in text


def test_the_officer_sees_the_matrix_on_their_home(client, committee, now):
    client.force_login(officer_at(committee.root))
    page = client.get(reverse("home")).text
    for cell in (committee.strong, committee.weak, committee.empty):
        assert cell.name in page
    page = client.get(reverse("sessions:committee", args=[2019])).text
    # The weak cell's third quarter, the new cell's four.
    assert page.count('<span class="badge text-bg-danger">chưa đủ</span>') == 1 + 4
    assert "1/3 chi bộ đủ" in page


def test_the_export_holds_the_matrix(client, committee, now):
    client.force_login(officer_at(committee.root))
    response = client.get(reverse("sessions:committee_xlsx", args=[2019]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == committee.root.name
    by_name = {row[0]: row for row in values if row[0]}
    weak = by_name["Chi bộ Yếu"]
    assert weak[1:5] == [1, 1, "0 — chưa đủ", 1]
    assert weak[5] == "Chưa đủ" and weak[6] == 25
    assert by_name["Cộng"][5] == "1/3"


def test_cell_roles_may_not_open_the_committee_pages(client, committee, secretary, leader):
    for user in (secretary, leader):
        client.force_login(user)
        assert client.get(reverse("sessions:committee", args=[2019])).status_code == 403
        assert client.get(reverse("sessions:committee_xlsx", args=[2019])).status_code == 403


def test_an_officer_reads_only_the_cells_under_their_node(client, committee, now):
    elsewhere = Organisation.objects.create(
        name="Đảng bộ Khối doanh nghiệp", kind=Organisation.Kind.COMMITTEE
    )
    far = Organisation.objects.create(
        name="Chi bộ Công ty Điện lực", kind=Organisation.Kind.CELL, parent=elsewhere
    )
    client.force_login(officer_at(elsewhere, "khoidn"))
    page = client.get(reverse("sessions:committee", args=[2019])).text
    assert far.name in page
    assert committee.strong.name not in page and committee.weak.name not in page
    switched = client.post(reverse("switch_workplace"), {"organisation": committee.weak.pk})
    assert switched.status_code == 404


def test_drilling_down_opens_the_cells_own_summary(client, committee, now):
    client.force_login(officer_at(committee.root))
    summary = reverse("sessions:summary", args=[2019])
    response = client.post(
        reverse("switch_workplace"), {"organisation": committee.weak.pk, "next": summary}
    )
    assert response.url == summary
    page = client.get(summary).text
    assert "Đảng viên Yếu 0" in page
    assert "Đảng viên Mạnh 0" not in page


def test_a_node_without_cells_and_a_year_without_data(client, committee, now):
    lonely = Organisation.objects.create(name="Đảng bộ Mới", kind=Organisation.Kind.COMMITTEE)
    client.force_login(officer_at(lonely))
    page = client.get(reverse("sessions:committee", args=[2019])).text
    assert "Chưa có chi bộ trực thuộc." in page
    client.force_login(officer_at(committee.root, "tochuc"))
    assert client.get(reverse("sessions:committee", args=[2031])).status_code == 200
    assert client.get(reverse("sessions:committee", args=[1800])).status_code == 404


def test_the_queries_do_not_grow_with_the_cells(client, committee, now, django_assert_num_queries):
    client.force_login(officer_at(committee.root))
    url = reverse("sessions:committee", args=[2019])
    client.get(url)
    cache.clear()  # the matrix itself is cached: count what rendering it costs
    with django_assert_num_queries(QUERIES):
        client.get(url)
    for n in range(4):
        cell_with(f"Thêm {n}", committee.root, size=3, quarters=[1, 2], unexcused_times=2)
    with django_assert_num_queries(QUERIES):
        assert "Thêm 3" in client.get(url).text  # a new version: rendered again
    # From the cache: the session, the user, their roles and permissions, no figure.
    with django_assert_num_queries(CACHED_QUERIES):
        assert "Thêm 3" in client.get(url).text


def test_the_next_matrix_shows_a_sheet_saved_in_a_cell(client, committee, now):
    client.force_login(officer_at(committee.root))
    url = reverse("sessions:committee", args=[2019])
    short = 'text-bg-danger">chưa đủ'
    assert client.get(url).text.count(short) == 5  # the new cell's 4 quarters, the weak cell's Q3
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    assert not any("sessionfigures" in q["sql"] for q in cached.captured_queries)
    weak_plan = AnnualPlan.objects.get(cell=committee.weak, year=2019)
    record(make_session(weak_plan, start=at(2019, 8, 10)))
    assert client.get(url).text.count(short) == 4


# The session, the user, their roles, their permissions; the tree (two levels
# below the root and the cells); sessions by quarter; the kept figures of every
# meeting of this year and last (sessions.figures); the members flagged, from
# their kept figures; what the cells sent. 15 when the page counted the rows.
QUERIES = 11
CACHED_QUERIES = 4


def test_the_matrix_shows_what_each_cell_sent_and_what_is_late(client, committee, now):
    plan = make_plan(2019, cell=committee.weak)
    AnnualPlan.objects.filter(pk=plan.pk).update(
        status=AnnualPlan.Status.APPROVED, approved_on=dt.date(2019, 1, 15)
    )
    plan.refresh_from_db()
    send_plan(plan=plan, user=None, now=at(2019, 1, 20, 9))
    rows = rows_by_cell(committee_year(committee.root, 2019, TODAY))
    weak = rows[committee.weak].sending
    assert weak.plan.sent and not weak.plan.late
    assert weak.report.late and not weak.report.sent  # due 15 December 2019
    assert rows[committee.strong].sending.plan.missing
    client.force_login(officer_at(committee.root))
    page = client.get(reverse("sessions:committee", args=[2019])).text
    assert "đến 20/01/2019" in page
    assert page.count("chưa gửi, quá hạn") == 5  # the weak cell's report, two others' both
    assert "3 chi bộ gửi kế hoạch hoặc báo cáo muộn, hoặc chưa gửi khi đã đến hạn" in page


def test_the_officer_opens_what_a_cell_sent_as_it_was_sent(client, committee, now):
    plan = make_plan(2019, cell=committee.weak)
    AnnualPlan.objects.filter(pk=plan.pk).update(
        status=AnnualPlan.Status.APPROVED, approved_on=dt.date(2019, 1, 15)
    )
    plan.refresh_from_db()
    sent = send_plan(plan=plan, user=None, now=at(2019, 1, 20, 9))
    client.force_login(officer_at(committee.root))
    page = client.get(reverse("sessions:committee", args=[2019])).text
    # The link is a button of the page's one form, with the page to open in its URL.
    opens = f"{reverse('switch_workplace')}?next={sent.get_absolute_url()}"
    assert (
        f'form="open-cell" formaction="{opens}" name="organisation" value="{committee.weak.pk}"'
        in page
    )
    assert client.get(sent.get_absolute_url()).status_code == 403  # not at the committee
    response = client.post(opens, {"organisation": committee.weak.pk})
    copy = client.get(response.url)
    assert copy.status_code == 200
    assert sent.reference in copy.text


def test_each_cell_gives_every_meeting_apart_and_the_removal_flag(committee):
    strong_plan = AnnualPlan.objects.get(cell=committee.strong, year=2019)
    meeting = make_session(
        strong_plan, start=at(2019, 6, 5, 14), topic="", thematic=False, regular=True
    )
    record(meeting)
    rows = rows_by_cell(committee_year(committee.root, 2019, TODAY))
    # The weak cell's first member missed three sessions without a reason,
    # in three months: the removal rule, counted over every meeting.
    assert rows[committee.weak].members_removal == 1
    assert rows[committee.strong].members_removal == 0
    strong = rows[committee.strong]
    assert (strong.regular.expected, strong.regular.present) == (5, 5)
    assert strong.all_meetings.expected == strong.figures.expected + 5


def test_on_a_phone_each_cells_line_is_a_card_of_labelled_figures(client, committee, now):
    client.force_login(officer_at(committee.root))
    page = client.get(reverse("sessions:committee", args=[2019])).text
    table = re.search(r'<table class="[^"]*committee-matrix[^"]*".*?</table>', page, re.S).group(0)
    assert "table-stack" in table.split(">", 1)[0]
    body = table.split("<tbody>")[1]
    # Every figure of every line names its column, the quarters and the year before included.
    cells = re.findall(r"<td\b[^>]*>", body)
    assert cells and all("data-label=" in cell for cell in cells if "colspan" not in cell)
    labels = re.findall(r'data-label="([^"]*)"', body.split("</tr>")[0])
    assert labels == [
        "Quý 1",
        "Quý 2",
        "Quý 3",
        "Quý 4",
        "Tỷ lệ dự",
        "Vắng có lý do",
        "Vắng không lý do",
        "Kỳ dưới ngưỡng",
        "Đảng viên cần lưu ý",
        "Tỷ lệ dự sinh hoạt định kỳ",
        "Tỷ lệ dự mọi kỳ",
        "Cần xem xét xóa tên",
        "Năm 2018",
        "Kế hoạch",
        "Báo cáo",
    ]
