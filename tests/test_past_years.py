"""Nothing lost: what the cell does today never rewrites the summaries of past years.

A member leaves, a group is renamed, another is dissolved (its members moved
first), a session of this year is cancelled: the leaders' summary of 2019,
its CSV and Excel exports and the annual report read exactly as before. And
what history depends on cannot be deleted: the database refuses, and the
pages say so in Vietnamese.
"""

import datetime as dt
import io
import re

import pytest
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Member, PartyGroup
from sessions.models import Attendance, Award, ThematicSession
from tests.factories import (
    at,
    make_exemption,
    make_group,
    make_member,
    make_plan,
    make_session,
    record,
)

pytestmark = pytest.mark.django_db

E, U = Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED
SET_UP = dt.datetime(2018, 12, 1, tzinfo=dt.UTC)


@pytest.fixture
def cell(groups, secretary, leader, member, other_member, now):
    """Three groups since 2018, a 2019 with five held sessions, a 2020 under way."""
    third = make_group("Tổ 3", order=3)
    for group in PartyGroup.objects.all():
        group.history.update(history_date=SET_UP)  # the cell has used Chibo since 2018
    leaving = make_member(groups[1], "Lộc Văn Bình", joined=dt.date(2016, 5, 1))
    movers = [make_member(third, name) for name in ("Vi Thị Thu Hà", "Triệu Văn Sáng")]
    make_exemption(movers[1], dt.date(2019, 6, 1), dt.date(2019, 8, 31))
    plan = make_plan(2019)
    sessions = []
    for month, statuses in [
        (2, {leaving: U}),
        (4, {movers[0]: E}),
        (6, {leaving: U, other_member.member: E}),
        (9, {leaving: U}),
        (11, {}),
    ]:
        session = make_session(plan, start=at(2019, month, 12), topic=f"Chuyên đề tháng {month}")
        record(session, statuses=statuses)
        sessions.append(session)
    contest = sessions[-1]
    contest.format = "contest"
    contest.save()
    Award.objects.create(session=contest, prize="Giải nhất", member=movers[0])
    make_session(make_plan(2019), start=at(2019, 12, 20), topic="Hủy năm 2019", status="cancelled")
    upcoming = make_session(make_plan(2020), start=at(2020, 9, 10), topic="Chuyển đổi số")
    return {"leaving": leaving, "movers": movers, "third": third, "upcoming": upcoming}


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def page(client, name):
    response = client.get(reverse(name, args=[2019]))
    assert response.status_code == 200
    return CSRF.sub("", response.content.decode())


def workbook_values(content):
    workbook = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


def what_2019_says(leader):
    """The 2019 pages and exports as a leader gets them, in a browser of their own."""
    client = Client()
    client.force_login(leader)
    return {
        "summary": page(client, "sessions:summary"),
        "report": page(client, "sessions:annual_report"),
        "csv": client.get(reverse("sessions:export_csv", args=[2019])).content,
        "xlsx": workbook_values(client.get(reverse("sessions:export_xlsx", args=[2019])).content),
    }


def test_2019_reads_the_same_after_this_years_changes(client, secretary, leader, groups, cell):
    before = what_2019_says(leader)
    assert "Lộc Văn Bình" in before["summary"] and "Tổ 3" in before["summary"]

    client.force_login(secretary)
    leaving, third = cell["leaving"], cell["third"]
    done = [
        client.post(
            reverse("members:leave", args=[leaving.pk]),
            {"left_cell_on": "15/05/2020", "left_reason": "transfer", "left_note": "Sở Tư pháp"},
        ),
        client.post(
            reverse("members:group_edit", args=[groups[1].pk]),
            {"name": "Tổ 2 – Tổ chức, Kiểm tra", "leader": ""},
        ),
        *(
            client.post(reverse("members:move", args=[mover.pk]), {"group": groups[0].pk})
            for mover in cell["movers"]
        ),
        client.post(reverse("members:group_archive", args=[third.pk])),
        client.post(
            reverse("sessions:cancel", args=[cell["upcoming"].pk]), {"reason": "Trùng lịch"}
        ),
    ]
    assert [response.status_code for response in done] == [302] * 6
    third.refresh_from_db()
    leaving.refresh_from_db()
    assert not third.is_active and leaving.has_left
    assert ThematicSession.objects.get(pk=cell["upcoming"].pk).status == "cancelled"

    after = what_2019_says(leader)
    for part in before:
        assert after[part] == before[part], part
    assert "Tổ 2 – Tổ chức, Kiểm tra" not in after["summary"]


def test_a_member_with_attendance_cannot_be_deleted(cell):
    with pytest.raises(ProtectedError), transaction.atomic():
        cell["leaving"].delete()
    assert Member.objects.filter(pk=cell["leaving"].pk).exists()


def test_a_group_named_by_attendance_cannot_be_deleted(cell):
    third = cell["third"]
    Member.objects.filter(group=third).update(group=PartyGroup.objects.first())
    with pytest.raises(ProtectedError), transaction.atomic():
        third.delete()
    assert PartyGroup.objects.filter(pk=third.pk).exists()


def test_a_held_session_cannot_be_deleted_even_in_the_database(cell):
    held = ThematicSession.objects.filter(status="held").first()
    with pytest.raises((ProtectedError, IntegrityError)), transaction.atomic():
        held.delete()
    assert ThematicSession.objects.filter(pk=held.pk).exists()


def test_the_pages_say_why_in_vietnamese(client, secretary, cell):
    """The secretary's pages refuse before the database has to: a message, nothing gone."""
    client.force_login(secretary)
    held = ThematicSession.objects.filter(status="held").first()
    response = client.post(reverse("sessions:delete", args=[held.pk]), follow=True)
    assert "Kỳ sinh hoạt đã tổ chức không xóa được: hồ sơ của nó phải được giữ lại." in (
        response.text
    )
    response = client.get(held.get_absolute_url())
    assert reverse("sessions:delete", args=[held.pk]) not in response.text
    third = cell["third"]
    response = client.post(reverse("members:group_archive", args=[third.pk]), follow=True)
    assert "Tổ còn 2 đảng viên đang sinh hoạt" in response.text
    assert ThematicSession.objects.filter(pk=held.pk).exists()
    assert PartyGroup.objects.get(pk=third.pk).is_active
    # A member is never deleted from the pages: they leave, with a date and a reason.
    assert "/delete/" not in client.get(cell["leaving"].get_absolute_url()).text
